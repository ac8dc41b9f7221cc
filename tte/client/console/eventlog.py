"""The log tab: the tail of the event stream, filtered by seat or country and by kind."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from tte.i18n import N_, _

from .fmt import clip, game_time
from .table import KeyedTable
from .view import ConsoleView, LogEntry

SHOWN = 1000  # rows kept in the table; the filter re-reads the view's longer tail


class LogPane(Vertical):
    """`/` (the console's binding, enabled on this tab) focuses the seat filter."""

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.seat_filter = ""
        self.kind_filter = ""
        self._view: ConsoleView | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="log-filters"):
            self.seat_input = Input(placeholder=_("seat or country (RO, NL/poc)"), id="log-seat")
            yield self.seat_input
            yield Input(placeholder=_("kind (request, inject, evidence…)"), id="log-kind")
        self.table = KeyedTable(
            [
                (N_("Seq"), "seq", 6),
                (N_("Game time"), "time", 17),
                (N_("Kind"), "kind", 20),
                (N_("What"), "text", 120),
            ],
            id="log-table",
        )
        yield self.table

    def action_focus_filter(self) -> None:
        self.seat_input.focus()

    def append(self, view: ConsoleView, entries: Iterable[LogEntry]) -> None:
        self._view = view
        table = self.table
        added = False
        # A burst (a backlog on connect) only needs its last SHOWN rows drawn.
        hits = [e for e in entries if e.matches(self.seat_filter, self.kind_filter)][-SHOWN:]
        for e in hits:
            table.upsert(str(e.seq), _cells(view, e))
            added = True
        if added:
            extra = table.row_count - SHOWN
            if extra > 0:
                for key in list(table.row_keys())[:extra]:
                    table.drop(key)
            if table.cursor_row >= table.row_count - 2 or not table.has_focus:
                table.move_cursor(row=table.row_count - 1, animate=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "log-seat":
            self.seat_filter = event.value.strip()
        elif event.input.id == "log-kind":
            self.kind_filter = event.value.strip()
        else:
            return
        event.stop()
        if self._view is not None:
            self.table.reset()
            hits = [e for e in self._view.log if e.matches(self.seat_filter, self.kind_filter)]
            self.append(self._view, hits[-SHOWN:])


def _cells(view: ConsoleView, e: LogEntry) -> list[str]:
    return [str(e.seq), game_time(view.start, e.t), e.kind, clip(e.text, 120)]

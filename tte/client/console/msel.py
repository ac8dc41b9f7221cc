"""The MSEL tab: every scheduled, triggered, manual and ad-hoc inject."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..safe import inert_text
from .fmt import clip, game_time
from .table import Cell, KeyedTable
from .view import ConsoleView, InjectRow

STATUS_STYLE = {
    "pending": "yellow",
    "scheduled": "cyan",
    "released": "green",
    "skipped": "dim strike",
}


class MselPane(Vertical):
    BINDINGS = [
        Binding("r", "app.release", "Release now"),
        Binding("s", "app.skip", "Skip"),
        Binding("m", "app.move", "Move"),
    ]

    def compose(self) -> ComposeResult:
        self.table = KeyedTable(
            [
                ("ID", "id", 14),
                ("When", "when", 34),
                ("Inject", "title", 40),
                ("To", "to", 24),
                ("Status", "status", 10),
                ("Expected action", "expected", 60),
            ],
            id="msel-table",
        )
        yield self.table
        self.detail = Static("", id="msel-detail", classes="detail")
        yield self.detail

    def sync(self, view: ConsoleView, keys: set[str]) -> None:
        for iid in [k for k in view.injects if k in keys]:
            self.table.upsert(iid, _cells(view, view.injects[iid]))
        self.show_detail(view)

    @property
    def current(self) -> str | None:
        return self.table.current_key

    def show_detail(self, view: ConsoleView) -> None:
        iid = self.current
        row = view.injects.get(iid) if iid else None
        detail = self.detail
        if row is None:
            detail.update("")
            return
        out = Text()
        out.append(f"{row.id}: {row.title}\n", style="bold")
        out.append(f"{when_text(view, row)} → {', '.join(row.seats or row.to)}\n", style="dim")
        if row.text:
            out.append(clip(row.text, 400) + "\n")
        if row.notes:
            out.append("Notes: ", style="bold")
            out.append(row.notes + "\n")
        if row.expected:
            out.append("Expected: ", style="bold")
            out.append(row.expected)
        detail.update(inert_text(out))


def when_text(view: ConsoleView, r: InjectRow) -> str:
    if r.status == "released":
        return f"released {game_time(view.start, r.released_at)} ({r.by})"
    if r.due is not None:
        return game_time(view.start, r.due)
    if r.when:
        cond = ", ".join(f"{k}: {v}" for k, v in r.when.items())
        return f"when {cond}"
    if r.manual:
        return "manual"
    return "—"


def _cells(view: ConsoleView, r: InjectRow) -> list[Cell]:
    return [
        r.id,
        clip(when_text(view, r), 34),
        clip(r.title, 40),
        clip(", ".join(r.to), 24),
        Text(r.status, style=STATUS_STYLE.get(r.status, "")),
        clip(r.expected or r.notes, 50),
    ]

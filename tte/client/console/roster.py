"""The roster tab: every seat with its join code, connections (and the programs they
use: SSH marked), who plays it, and who is stuck: what waits on the seat and since when
(game time), and how long ago it last acted — a seat with work waiting and no move for
long is stuck, not thinking."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tte.core.duration import format_duration
from tte.core.templates import ROLE_LABELS
from tte.i18n import N_, _

from ..safe import inert_text
from .table import Cell, KeyedTable
from .view import ConsoleView, SeatRow, is_ssh

STUCK = 86400.0  # game seconds a request may wait on a seat before it shows red


class RosterPane(Vertical):
    def compose(self) -> ComposeResult:
        self.info = Static("", id="roster-info", classes="info")
        yield self.info
        self.table = KeyedTable(
            [
                (N_("Seat"), "seat", 21),
                (N_("Country"), "country", 11),
                (N_("Role"), "role", 24),
                (N_("Join code"), "code", 13),
                (N_("Conn"), "conn", 4),
                (N_("Via"), "via", 12),
                (N_("Played by"), "by", 16),
                (N_("Waiting on it"), "waiting", 14),
                (N_("Last move"), "last", 11),
            ],
            id="roster-table",
        )
        yield self.table

    def set_info(self, lines: list[Text]) -> None:
        self.info.update(Text("\n").join(inert_text(line) for line in lines))

    def refresh_ages(self, view: ConsoleView) -> None:
        """Ages move with the clock: redraw every player seat's row."""
        self.sync(view, {sid for sid, r in view.seats.items() if r.country is not None})

    def sync(self, view: ConsoleView, keys: set[str]) -> None:
        table = self.table
        order = list(view.seats)
        for sid in sorted(keys, key=lambda s: order.index(s) if s in order else len(order)):
            row = view.seats.get(sid)
            if row is not None:
                table.upsert(sid, _cells(view, row))

    @property
    def current_seat(self) -> str | None:
        return self.table.current_key


def _cells(view: ConsoleView, r: SeatRow) -> list[Cell]:
    names = {
        c["code"]: view.text(c.get("name") or c["code"]) for c in view.info.get("countries", [])
    }
    conn = "?" if r.connections is None else str(r.connections)
    if r.country is None:
        by = Text(_("staff"), style="dim")
    elif r.human:
        by = Text(_("person"), style="bold green")
    else:
        by = Text(_("desk, no one yet") if r.planned_human else _("desk"), style="yellow")
    conn_text = Text(conn, style="bold" if r.connections else "dim")
    via = Text()
    if r.ssh:
        via.append(f"SSH×{r.ssh}" if r.ssh > 1 else "SSH", style="bold magenta")
    others = sorted({c for c in r.clients if not is_ssh(c)})
    if others:
        via.append((", " if r.ssh else "") + ", ".join(others), style="dim")
    now = view.now()
    waiting, last = Text("—", style="dim"), Text("—", style="dim")
    if r.country is not None:
        rows = view.waiting_at(r.seat)
        if rows:
            since = now - rows[0].updated
            style = "bold red" if since >= STUCK else "yellow"
            ids = " ".join(w.id for w in rows[:3]) + ("…" if len(rows) > 3 else "")
            waiting = Text(f"{ids} {format_duration(since)}", style=style)
        if r.last_action is not None:
            last = Text(_("{span} ago").format(span=format_duration(now - r.last_action)))
    return [
        r.seat,
        names.get(r.country or "", "—") if r.country else "—",
        _(ROLE_LABELS[r.role]) if r.role in ROLE_LABELS else r.role,
        r.code
        or ("—" if r.country is None or r.planned_human else Text(_("desk only"), style="dim")),
        conn_text,
        via,
        by,
        waiting,
        last,
    ]

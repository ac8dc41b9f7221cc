"""The MSEL tab: every scheduled, triggered, manual and ad-hoc inject."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tte.i18n import N_, _

from ..safe import inert_text
from .fmt import clip, game_time, short_seat
from .table import Cell, KeyedTable
from .view import ConsoleView, InjectRow

STATUS_STYLE = {
    "pending": "yellow",
    "scheduled": "cyan",
    "released": "green",
    "skipped": "dim strike",
}


class MselPane(Vertical):
    def compose(self) -> ComposeResult:
        self.table = KeyedTable(  # fits 160 columns; the detail below shows all
            [
                (N_("ID"), "id", 12),
                (N_("When"), "when", 28),
                (N_("Inject"), "title", 34),
                (N_("To"), "to", 16),
                (N_("Status"), "status", 9),
                (N_("Expected action"), "expected", 42),
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
        out.append(f"{row.id}: {view.text(row.title)}\n", style="bold")
        to = ", ".join(row.seats or row.to)
        out.append(f"{when_text(view, row, full=True)} → {to}\n", style="dim")
        if row.text:
            out.append(clip(view.text(row.text), 400) + "\n")
        if row.notes:
            out.append(_("Notes:") + " ", style="bold")
            out.append(view.text(row.notes) + "\n")
        if row.expected:
            out.append(_("Expected:") + " ", style="bold")
            out.append(view.text(row.expected))
        detail.update(inert_text(out))


def when_text(view: ConsoleView, r: InjectRow, *, full: bool = False) -> str:
    """When the inject comes, in words (``full``: also who released it)."""
    if r.status == "released":
        by = f" ({view.who(r.by)})" if full and r.by else ""
        return _("released {when}").format(when=game_time(view.start, r.released_at)) + by
    if r.due is not None:
        return game_time(view.start, r.due)
    if r.when:
        return condition_text(view, r.when)
    if r.manual:
        return _("by hand")
    return "—"


# TRANSLATORS: an inject's status in a narrow column (9 characters)
INJECT_STATUS = {
    "pending": N_("pending"),
    "scheduled": N_("scheduled"),
    "released": N_("released"),
    "skipped": N_("skipped"),
}

CONDITION_WORDS = {
    "evidence_preserved": N_("when {item} is preserved"),
    "evidence_obtained": N_("when {item} is obtained"),
    "evidence_lost": N_("if {item} is lost"),
    "request_refused": N_("when {request} is refused"),
    "request_returned": N_("when {request} is returned"),
    "request_expired": N_("when {request} expires"),
    "request_sent": N_("when {request} is sent"),
    "not_sent": N_("if no {request} is sent"),
    "tip_off": N_("if {org} tips off its customer"),
    "inject_released": N_("after inject {ref}"),
    "jit_agreed": N_("when a JIT is agreed"),
}


def condition_text(view: ConsoleView, when: dict[str, Any]) -> str:
    """A trigger condition as the facilitator reads it: titles, not scenario ids
    (``evidence_preserved: c2_logs`` reads "when C2 server logs is preserved")."""
    out: list[str] = []
    for key, value in when.items():
        words = CONDITION_WORDS.get(key)
        if words is None:
            continue
        ref = str(value)
        out.append(
            _(words).format(
                item=_item(view, ref),
                request=_("a request") if ref == "any" else _template(view, ref),
                org=_("a provider") if ref == "any" else ref,
                ref=ref,
            )
        )
    scope = []
    if "country" in when:
        scope.append(_("from {country}").format(country=when["country"]))
    if "to" in when:
        scope.append(_("to {seats}").format(seats=when["to"]))
    if "item" in when:
        scope.append(_("for {item}").format(item=_item(view, str(when["item"]))))
    if "by" in when:
        scope.append(_("by +{span}").format(span=when["by"]))
    text = " ".join(out + scope) or _("on a condition")
    return text


def _item(view: ConsoleView, eid: str) -> str:
    row = view.items.get(eid)
    return view.text(row.title) if row is not None else eid


def _template(view: ConsoleView, tid: str) -> str:
    for t in view.info.get("templates", []):
        if t.get("id") == tid:
            return _(str(t.get("title", tid)))
    return tid


def _cells(view: ConsoleView, r: InjectRow) -> list[Cell]:
    return [
        r.id,
        clip(when_text(view, r), 28),
        clip(view.text(r.title), 34),
        clip(", ".join(short_seat(t) for t in r.to), 16),
        Text(_(INJECT_STATUS.get(r.status, r.status)), style=STATUS_STYLE.get(r.status, "")),
        clip(view.text(r.expected or r.notes), 42),
    ]

"""The case tab: the emergency state, every evidence item's fate, and the objectives with
the live score and the latest evaluator rating."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tte.client.lang import kind_word
from tte.core.templates import TEMPLATES
from tte.i18n import N_, _
from tte.i18n.cite import basis_text

from ..safe import inert_text
from .fmt import clip, game_time
from .table import Cell, KeyedTable
from .view import ConsoleView, ItemRow, ObjectiveRow


class CasePane(Vertical):
    def compose(self) -> ComposeResult:
        self.emergency = Static(_("No emergency declared (2AP Art 3)"), id="case-emergency")
        self.emergency.add_class("heading")
        yield self.emergency
        yield Static(_("Evidence"), classes="heading")
        # The item's title first, as people name it; its id after, short (the scenario's
        # and the log's name for it).
        self.evidence = KeyedTable(
            [
                (N_("Item"), "title", 40),
                (N_("ID"), "id", 14),
                (N_("Holder"), "holder", 20),
                (N_("Kind"), "kind", 12),
                (N_("Known to"), "known", 10),
                (N_("State"), "state", 34),
                (N_("Preserved until"), "preserved", 18),
                (N_("Obtained"), "obtained", 26),
                (N_("Admissible"), "admissible", 10),
            ],
            id="evidence-table",
        )
        self.score = Static("", id="score", classes="heading")
        self.objectives = KeyedTable(
            [
                (N_("Objective"), "title", 60),
                (N_("Weight"), "weight", 6),
                (N_("Met"), "met", 24),
                (N_("Latest rating (HSEEP)"), "rating", 44),
            ],
            id="objectives-table",
        )
        yield self.evidence
        yield self.score
        yield self.objectives

    def sync(self, view: ConsoleView, items: set[str], objectives: bool) -> None:
        ev = self.evidence
        for eid in [k for k in view.items if k in items]:
            ev.upsert(eid, _item_cells(view, view.items[eid]))
        if objectives or items:
            ob = self.objectives
            for o in view.objectives.values():
                ob.upsert(o.id, _objective_cells(view, o))
            met = sum(1 for o in view.objectives.values() if view.objective_met(o))
            self.score.update(
                _("Objectives — live score {score}/100 ({met} of {total} met)").format(
                    score=view.score(), met=met, total=len(view.objectives)
                )
            )

    def show_emergency(self, view: ConsoleView) -> None:
        if view.emergency:
            when = game_time(view.start, view.emergency_at)
            text = Text(_("EMERGENCY declared {when}").format(when=when), style="bold red")
            if view.emergency_reason:
                text.append(f": {clip(view.emergency_reason, 100)}", style="red")
        elif view.emergency_at is not None:
            lifted = _("Emergency lifted {when}")
            text = Text(lifted.format(when=game_time(view.start, view.emergency_at)))
        else:
            text = Text(_("No emergency declared (2AP Art 3)"))
        self.emergency.update(inert_text(text))


# Why the engine deleted an item (``evidence_deleted`` reason, tte.core.engine).
DELETE_REASONS = {
    "retention": N_("retention period over"),
    "preservation_lapsed": N_("preservation lapsed"),
    "tipped_off": N_("the provider tipped off its customer"),
    "inject": N_("wiped by an inject"),
}


def delete_reason(reason: str) -> str:
    words = DELETE_REASONS.get(reason)
    return _(words) if words else reason


def via_text(via: str) -> str:
    """The instrument that obtained an item by its legal basis ("BC Art 31"), not its
    template id."""
    if via == "jit":
        return _("JIT")
    tpl = TEMPLATES.get(via)
    return (basis_text(tpl.basis) or _(tpl.title)) if tpl is not None else via


def item_state(view: ConsoleView, it: ItemRow) -> Text:
    if it.deleted:
        said = _("deleted ({reason})").format(reason=delete_reason(it.delete_reason))
        return Text(said, style="bold red")
    if it.preserved_until is not None:
        return Text(_("preserved"), style="green")
    if it.deletes_at is not None:
        left = it.deletes_at - view.now()
        when = game_time(view.start, it.deletes_at)
        note = _("retention passed") if left <= 0 else _("deleted {when}").format(when=when)
        return Text(_("alive, {note}").format(note=note), style="yellow" if left < 86400 else "")
    return Text(_("alive"))


def _item_cells(view: ConsoleView, it: ItemRow) -> list[Cell]:
    via = _("{country} via {route}")
    obtained = ", ".join(
        via.format(country=c, route=via_text(str(o["via"]))) for c, o in sorted(it.obtained.items())
    )
    return [
        clip(view.text(it.title), 40),
        clip(it.id, 14),
        clip(it.holder_name, 20),
        clip(kind_word(it.kind), 12),
        ", ".join(sorted(it.known)) or "—",
        item_state(view, it),
        game_time(view.start, it.preserved_until) if it.preserved_until else "—",
        obtained or "—",
        Text(_("yes"), style="bold green") if it.admissible else Text(_("no"), style="dim"),
    ]


def _objective_cells(view: ConsoleView, o: ObjectiveRow) -> list[Cell]:
    if o.met_at is not None:
        met = Text(_("met {when}").format(when=game_time(view.start, o.met_at)), style="green")
    elif o.not_lost:
        ok = view.objective_met(o)
        met = Text(_("holding") if ok else _("lost"), style="green" if ok else "red")
    else:
        met = Text(_("not yet"), style="dim")
    r = o.rating
    rating: Cell = Text("—", style="dim")
    if r is not None:
        label = _(str(r.get("label", ""))) if r.get("label") else ""
        rating = clip(f"{r.get('rating')} {label} ({view.who(str(r.get('by', '')))})", 44)
    return [clip(view.text(o.title), 60), f"{o.weight:g}", met, rating]

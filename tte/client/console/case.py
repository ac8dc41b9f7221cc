"""The case tab: the emergency state, every evidence item's fate, and the objectives with
the live score and the latest evaluator rating."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..safe import inert_text
from .fmt import clip, game_time
from .table import Cell, KeyedTable
from .view import ConsoleView, ItemRow, ObjectiveRow


class CasePane(Vertical):
    def compose(self) -> ComposeResult:
        self.emergency = Static("No emergency declared (2AP Art 3)", id="case-emergency")
        self.emergency.add_class("heading")
        yield self.emergency
        yield Static("Evidence", classes="heading")
        self.evidence = KeyedTable(
            [
                ("ID", "id", 16),
                ("Item", "title", 40),
                ("Holder", "holder", 20),
                ("Kind", "kind", 12),
                ("Known to", "known", 10),
                ("State", "state", 34),
                ("Preserved until", "preserved", 18),
                ("Obtained", "obtained", 26),
                ("Admissible", "admissible", 10),
            ],
            id="evidence-table",
        )
        self.score = Static("", id="score", classes="heading")
        self.objectives = KeyedTable(
            [
                ("Objective", "title", 60),
                ("Weight", "weight", 6),
                ("Met", "met", 24),
                ("Latest rating (HSEEP)", "rating", 44),
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
                f"Objectives — live score {view.score()}/100 ({met} of {len(view.objectives)} met)"
            )

    def show_emergency(self, view: ConsoleView) -> None:
        if view.emergency:
            when = game_time(view.start, view.emergency_at)
            text = Text(f"EMERGENCY declared {when}", style="bold red")
            if view.emergency_reason:
                text.append(f": {clip(view.emergency_reason, 100)}", style="red")
        elif view.emergency_at is not None:
            text = Text(f"Emergency lifted {game_time(view.start, view.emergency_at)}")
        else:
            text = Text("No emergency declared (2AP Art 3)")
        self.emergency.update(inert_text(text))


def item_state(view: ConsoleView, it: ItemRow) -> Text:
    if it.deleted:
        return Text(f"deleted ({it.delete_reason})", style="bold red")
    if it.preserved_until is not None:
        return Text("preserved", style="green")
    if it.deletes_at is not None:
        left = it.deletes_at - view.now()
        note = (
            "retention passed" if left <= 0 else f"deleted {game_time(view.start, it.deletes_at)}"
        )
        return Text(f"alive, {note}", style="yellow" if left < 86400 else "")
    return Text("alive")


def _item_cells(view: ConsoleView, it: ItemRow) -> list[Cell]:
    obtained = ", ".join(f"{c} via {o['via']}" for c, o in sorted(it.obtained.items()))
    return [
        it.id,
        clip(it.title, 40),
        clip(it.holder_name, 20),
        it.kind,
        ", ".join(sorted(it.known)) or "—",
        item_state(view, it),
        game_time(view.start, it.preserved_until) if it.preserved_until else "—",
        obtained or "—",
        Text("yes", style="bold green") if it.admissible else Text("no", style="dim"),
    ]


def _objective_cells(view: ConsoleView, o: ObjectiveRow) -> list[Cell]:
    if o.met_at is not None:
        met = Text(f"met {game_time(view.start, o.met_at)}", style="green")
    elif o.not_lost:
        ok = view.objective_met(o)
        met = Text("holding" if ok else "lost", style="green" if ok else "red")
    else:
        met = Text("not yet", style="dim")
    r = o.rating
    rating: Cell = Text("—", style="dim")
    if r is not None:
        rating = clip(f"{r.get('rating')} {r.get('label', '')} ({r.get('by', '')})", 44)
    return [clip(o.title, 60), f"{o.weight:g}", met, rating]

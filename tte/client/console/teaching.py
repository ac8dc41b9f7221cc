"""The facilitator's teaching aids in the console: the running order (current phase, its
timebox, planned jumps), hint cards, and the knowledge check.

The server decides: phases begin by its timers (or ``phase.start``), it measures the
timebox and sends ``timebox_alarm``, it marks a hint ``hint_due`` when its condition holds
and refuses a second release. This module folds those events for display and offers the
lists the facilitator picks from (keys, Enter).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tte.core.duration import format_duration
from tte.i18n import N_, _

from ..safe import inert
from .fmt import actor, clip

if TYPE_CHECKING:
    from .view import ConsoleView


@dataclass
class PhaseInfo:
    id: str
    name: str
    timebox: float | None = None  # wall minutes
    speed: float | None = None
    jumps: list[dict[str, Any]] = field(default_factory=list)  # {seconds, reason}
    notes: str = ""
    at: float | None = None
    after_inject: str | None = None


@dataclass
class Teaching:
    hints: list[dict[str, Any]] = field(default_factory=list)  # from the welcome
    phases: list[PhaseInfo] = field(default_factory=list)
    questions: int = 0
    released: set[str] = field(default_factory=set)
    due: set[str] = field(default_factory=set)
    phase: str | None = None
    begun: set[str] = field(default_factory=set)  # phases that have begun
    phase_wall: float | None = None  # monotonic when this console saw it begin (display)
    joined_seq: int = 0  # a phase begun before the console joined has no known wall start
    alarm: dict[str, Any] | None = None  # the current phase's timebox alarm
    jumps_taken: list[str] = field(default_factory=list)  # reasons of jumps made
    knowledge_open: str | None = None
    knowledge_done: set[str] = field(default_factory=set)  # stages opened and closed
    knowledge_answers: dict[str, int] = field(default_factory=lambda: {"before": 0, "after": 0})

    def welcome(self, info: dict[str, Any]) -> None:
        self.hints = [h for h in info.get("hints") or [] if isinstance(h, dict)]
        self.phases = [
            PhaseInfo(
                str(ph.get("id")),
                str(ph.get("name", "")),
                ph.get("timebox"),
                ph.get("speed"),
                list(ph.get("jumps") or []),
                str(ph.get("notes") or ""),
                ph.get("at"),
                ph.get("after_inject"),
            )
            for ph in info.get("phases") or []
            if isinstance(ph, dict)
        ]
        self.questions = int(info.get("knowledge_questions") or 0)

    def current(self) -> PhaseInfo | None:
        return next((ph for ph in self.phases if ph.id == self.phase), None)

    def next_jump(self) -> dict[str, Any] | None:
        """The current phase's first planned jump not yet made."""
        ph = self.current()
        if ph is None:
            return None
        return next((j for j in ph.jumps if j.get("reason") not in self.jumps_taken), None)

    def knowledge_step(self) -> tuple[str, bool] | None:
        """What the knowledge key does next: (stage, open?)."""
        if not self.questions:
            return None
        if self.knowledge_open:
            return (self.knowledge_open, False)
        if "before" not in self.knowledge_done:
            return ("before", True)
        if "after" not in self.knowledge_done:
            return ("after", True)
        return None

    def status(self, text: Callable[[str], str] = str) -> Text:
        """The phase, its timebox and the alarm, for the console's status line (`text`:
        a scenario text in the reader's language)."""
        ph = self.current()
        out = Text()
        if ph is None:
            return out
        name = clip(text(ph.name), 28)
        out.append("  " + _("phase {name}").format(name=name), style="bold cyan")
        if ph.timebox and self.phase_wall is not None:
            used = (time.monotonic() - self.phase_wall) / 60
            out.append(f" {used:.0f}/{ph.timebox:g} min")
        elif ph.timebox:
            out.append(" " + _("timebox {minutes} min").format(minutes=f"{ph.timebox:g}"))
        return out


# ---- folding events (registered in view._HANDLERS) ---------------------------------------


def on_phase(view: ConsoleView, t: float, d: dict[str, Any], tags: set[str]) -> None:
    tb = view.teaching
    tb.phase = str(d.get("id"))
    tb.begun.add(tb.phase)
    # Seen live: its wall start is now. From the backlog: unknown (the server still
    # measures it and alarms); the status line then shows the timebox alone.
    tb.phase_wall = time.monotonic() if view.last_seq > tb.joined_seq else None
    tb.alarm = None
    view.dirty.clock = True


def on_alarm(view: ConsoleView, t: float, d: dict[str, Any], tags: set[str]) -> None:
    tags.add("*")
    if d.get("phase") == view.teaching.phase:
        view.teaching.alarm = dict(d)
    view.dirty.clock = True


def on_hint_due(view: ConsoleView, t: float, d: dict[str, Any], tags: set[str]) -> None:
    view.teaching.due.add(str(d.get("id")))


def on_knowledge(view: ConsoleView, t: float, d: dict[str, Any], tags: set[str]) -> None:
    tb = view.teaching
    stage = str(d.get("stage"))
    if d.get("open", True):
        tb.knowledge_open = stage
    else:
        tb.knowledge_open = None
        tb.knowledge_done.add(stage)
    view.dirty.clock = True


def on_knowledge_answer(view: ConsoleView, t: float, d: dict[str, Any], tags: set[str]) -> None:
    stage = str(d.get("stage"))
    view.teaching.knowledge_answers[stage] = view.teaching.knowledge_answers.get(stage, 0) + 1
    view.dirty.clock = True


def on_jump(view: ConsoleView, d: dict[str, Any]) -> None:
    if d.get("jump") and d.get("reason"):
        view.teaching.jumps_taken.append(str(d["reason"]))


HANDLERS = {
    "phase_started": on_phase,
    "timebox_alarm": on_alarm,
    "hint_due": on_hint_due,
    "knowledge_opened": on_knowledge,
    "knowledge_answer": on_knowledge_answer,
}


def describe(kind: str, d: dict[str, Any], shown: Callable[[str], str] = str) -> str | None:
    """The log line of a teaching event (None: not one; `shown`: a scenario text in the
    reader's language)."""
    if kind == "phase_started":
        box = ""
        if d.get("timebox"):
            box = ", " + _("timebox {minutes} min").format(minutes=f"{d['timebox']:g}")
        return _("phase begins: {name}{timebox} ({by})").format(
            name=shown(str(d.get("name"))), timebox=box, by=actor(str(d.get("by", "")))
        )
    if kind == "timebox_alarm":
        return _("TIMEBOX OVER: {name} has run {minutes} min (timebox {timebox} min)").format(
            name=shown(str(d.get("name"))),
            minutes=d.get("minutes"),
            timebox=f"{d.get('timebox'):g}",
        )
    if kind == "hint_due":
        return _("hint due: {title} (its condition holds)").format(title=shown(str(d.get("title"))))
    if kind == "knowledge_opened":
        opened = d.get("open", True)
        text = (
            _("knowledge check ({stage}) opened")
            if opened
            else _("knowledge check ({stage}) closed")
        )
        key = _("; answers shown to the seats") if d.get("key") else ""
        return text.format(stage=d.get("stage")) + key
    if kind == "knowledge_answer":
        return _("knowledge check ({stage}): answers from a {role}").format(
            stage=d.get("stage"), role=d.get("role", "seat")
        )
    return None


# ---- the lists the facilitator picks from ----------------------------------------------


class PickDialog(ModalScreen[str | None]):
    """A titled list: Enter picks the highlighted row, Escape cancels."""

    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    PickDialog .dialog-title { text-style: bold; }
    PickDialog OptionList { height: auto; max-height: 14; }
    PickDialog .pick-detail { color: $text-muted; height: auto; max-height: 5; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, rows: list[tuple[str, Text, Text]], hint: str) -> None:
        from tte.client.lang import translate_bindings

        super().__init__()
        translate_bindings(self)
        self.title_text, self.rows, self.hint = title, rows, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            yield OptionList(*(Option(label, id=rid) for rid, label, _ in self.rows))
            yield Static("", classes="pick-detail")
            yield Static(Text(self.hint, style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._detail(0)

    def _detail(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.rows):
            self.query_one(".pick-detail", Static).update(self.rows[index][2])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def hint_rows(tb: Teaching, text: Callable[[str], str] = str) -> list[tuple[str, Text, Text]]:
    """The hint cards to pick from (`text`: a scenario text in the reader's language)."""
    rows = []
    for h in tb.hints:
        hid = str(h.get("id"))
        mark = "✔ " if hid in tb.released else ("● " if hid in tb.due else "  ")
        label = Text(mark, style="green" if hid in tb.released else "bold yellow")
        label.append(inert(text(str(h.get("title", "")))))
        label.append(f"  → {inert(', '.join(h.get('to') or []), 40)}", style="dim")
        detail = Text(inert(text(str(h.get("text", ""))), 300))
        if h.get("notes"):
            detail.append(f"\n{inert(text(str(h['notes'])), 200)}", style="italic")
        rows.append((hid, label, detail))
    return rows


HINT_HELP = N_("Enter releases the card to its seats' inbox. ✔ released, ● due (condition holds).")


def phase_rows(tb: Teaching, text: Callable[[str], str] = str) -> list[tuple[str, Text, Text]]:
    """The running order to pick from (`text`: a scenario text in the reader's language)."""
    rows = []
    for ph in tb.phases:
        current = ph.id == tb.phase
        mark = "▶ " if current else ("✔ " if ph.id in tb.begun else "  ")
        label = Text(mark, style="bold cyan" if current else "green")
        label.append(inert(text(ph.name)), style="bold" if current else "")
        when = (
            _("at {span}").format(span=format_duration(ph.at))
            if ph.at is not None
            else _("after inject {id}").format(id=ph.after_inject)
        )
        extra = [when]
        if ph.speed:
            extra.append(_("speed ×{speed}").format(speed=f"{ph.speed:g}"))
        if ph.timebox:
            extra.append(_("{minutes} min").format(minutes=f"{ph.timebox:g}"))
        label.append(f"  {', '.join(extra)}", style="dim")
        jump = _("Jump {span}: {reason}")
        lines = [
            jump.format(span=format_duration(j["seconds"]), reason=text(str(j["reason"])))
            for j in ph.jumps
        ]
        detail = Text(inert("\n".join([*lines, text(ph.notes)]).strip(), 400))
        rows.append((ph.id, label, detail))
    return rows


PHASE_HELP = N_(
    "▶ current, ✔ done. Enter begins the phase now (its speed applies); "
    "j takes the current phase's planned jump."
)

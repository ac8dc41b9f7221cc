"""The projector view: what the room watches on the wall while it plays.

Big and readable from the back: the game clock in large digits, running or paused, the
score so far, every evidence deadline as a countdown (the retention clock until it is
preserved, then the preservation's end), and the last few public events (those every
seat sees: clock jumps, emergencies, injects to all, the end). No codes, no requests'
contents: the screen is public. ``b`` in the console opens it, ``tte console --screen``
starts on it, Esc goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from tte.core.duration import format_duration
from tte.i18n import N_, _, current

from ..safe import inert
from .fmt import clip, game_time
from .view import ConsoleView, ItemRow

PUBLIC_KINDS = ("clock", "emergency", "inject", "exercise_ending", "exercise_ended")
LAST_EVENTS = 6


def countdown(view: ConsoleView, it: ItemRow, now: float) -> tuple[float, Text] | None:
    """(seconds left, line) for an item whose clock still runs; None if none does."""
    if it.deleted or it.obtained:
        return None
    if it.preserved_until is not None:
        due, what, style = it.preserved_until, _("preservation ends"), "green"
    elif it.deletes_at is not None:
        due, what, style = it.deletes_at, _("deleted"), "bold yellow"
    else:
        return None
    left = due - now
    if left <= 0:
        return None
    if left < 86400 and style != "green":
        style = "bold red"
    line = Text(f"{format_duration(left):>8}  ", style=style)
    line.append(f"{clip(view.text(it.title), 50)} — {what}")
    return left, line


def public_events(view: ConsoleView) -> list[Text]:
    out: list[Text] = []
    everyone = set(view.seat_ids())
    for e in reversed(view.log):
        if e.kind not in PUBLIC_KINDS:
            continue
        if e.kind == "inject" and not everyone <= e.tags:
            continue  # an inject to some seats only is theirs
        if e.kind == "clock" and not e.jumped:
            continue  # pause/resume/speed: the status line says it
        line = Text(f"{game_time(view.start, e.t)}  ", style="dim")
        line.append(clip(e.text, 90))
        out.append(line)
        if len(out) == LAST_EVENTS:
            break
    return out


class ProjectorScreen(Screen[None]):
    DEFAULT_CSS = """
    ProjectorScreen { padding: 0 2; }
    ProjectorScreen #proj-title { text-style: bold; height: 1; }
    ProjectorScreen #proj-top { height: 7; }
    ProjectorScreen #proj-clock { width: auto; color: $accent; }
    ProjectorScreen #proj-side { width: 1fr; padding: 1 0 0 4; }
    ProjectorScreen .proj-head { text-style: bold; margin-top: 1; color: $accent; }
    ProjectorScreen #proj-deadlines, ProjectorScreen #proj-events { height: auto; }
    ProjectorScreen #proj-hint { dock: bottom; height: 1; }
    """
    BINDINGS = [
        Binding("escape,b", "app.pop_screen", N_("Back to the console")),
        Binding("p", "app.toggle_pause", N_("Pause/Resume")),
    ]

    def __init__(self, view: ConsoleView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield Static(id="proj-title")
        with Horizontal(id="proj-top"):
            yield Digits("--:--", id="proj-clock")
            with Vertical(id="proj-side"):
                yield Static(id="proj-date")
                yield Static(id="proj-state")
                yield Static(id="proj-score")
        yield Static(_("Evidence deadlines"), classes="proj-head")
        yield Static(id="proj-deadlines")
        yield Static(_("Latest"), classes="proj-head")
        yield Static(id="proj-events")
        yield Static(Text(_("Esc or b: back to the console"), style="dim"), id="proj-hint")

    def on_mount(self) -> None:
        self.draw()
        self.set_interval(1.0, self.draw)

    def draw(self) -> None:
        v = self.view
        now = v.now()
        when = v.game_datetime(now)
        self.query_one("#proj-title", Static).update(Text(v.text(str(v.info.get("title", "")))))
        self.query_one("#proj-clock", Digits).update(when.strftime("%H:%M") if when else "--:--")
        self.query_one("#proj-date", Static).update(
            Text(
                current().datetime(when, "EEEE dd MMMM y") + when.strftime(", %Z") if when else "",
                style="bold",
            )
        )
        if v.ended is not None:
            state = Text(_("■ EXERCISE OVER"), style="bold reverse cyan")
        elif v.clock.paused:
            state = Text(_("⏸ PAUSED"), style="bold reverse red")
        else:
            state = Text(_("▶ RUNNING"), style="bold reverse green")
        if v.emergency:
            state.append("   ⚠ " + _("EMERGENCY"), style="bold red")
        phase = v.teaching.current()
        if phase is not None:
            state.append(f"   {inert(phase.name, 50)}", style="bold cyan")
        alarm = v.teaching.alarm
        if alarm is not None:
            state.append(
                "   " + _("⏰ TIMEBOX OVER") + f": {inert(str(alarm.get('name', '')), 40)}",
                style="bold red",
            )
        self.query_one("#proj-state", Static).update(state)
        self.query_one("#proj-score", Static).update(
            Text(_("Score so far: {score}/100").format(score=v.score()), style="bold")
        )
        clocks = sorted(
            (c for c in (countdown(v, it, now) for it in v.items.values()) if c),
            key=lambda c: c[0],
        )
        lines = (
            Text("\n").join(line for _, line in clocks[:8])
            if clocks
            else Text(_("No evidence clock running"), style="dim")
        )
        self.query_one("#proj-deadlines", Static).update(lines)
        events = public_events(v)
        self.query_one("#proj-events", Static).update(
            Text("\n").join(events) if events else Text(_("Nothing yet"), style="dim")
        )

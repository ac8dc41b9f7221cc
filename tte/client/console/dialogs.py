"""Modal forms: each returns the args of one command (or None when cancelled).

The forms check only what they must to build the args; the engine is the judge of the
rest, and its refusal is shown as it comes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from tte.client.confirm import ConfirmDialog as ConfirmDialog  # shared with the player
from tte.i18n import N_, Msg, _, current

from ..marks import TickList
from ..safe import inert
from .fmt import parse_at, parse_speed, read_duration
from .view import ConsoleView, RequestRow

Args = dict[str, Any]


class FormDialog(ModalScreen[Args | None]):
    """Title, fields, an error line, Send/Cancel. Ctrl+S sends, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "submit", N_("Send")),
    ]
    TITLE_TEXT = ""
    SUBMIT = N_("Send")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(inert(_(self.TITLE_TEXT))), classes="dialog-title")
            yield from self.fields()
            yield Static("", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_(self.SUBMIT), variant="primary", id="submit")
                yield Button(_("Cancel"), id="cancel")

    def fields(self) -> ComposeResult:
        yield from ()

    def build(self) -> Args:
        """The command args; raise ValueError with a message for the user."""
        raise NotImplementedError

    def error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(Text(inert(message), style="b red"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        try:
            args = self.build()
        except ValueError as e:  # a said() sentence (a duration) reads in the reader's language
            said = e.args[0] if e.args and isinstance(e.args[0], Msg) else None
            self.error(current().render(said.key, said.params) if said else str(e))
            return
        self.dismiss(args)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()


class SpeedDialog(FormDialog):
    TITLE_TEXT = N_("Clock speed: game time per wall second")
    SUBMIT = N_("Set")

    def __init__(self, speed: float) -> None:
        super().__init__()
        self.speed = speed

    def fields(self) -> ComposeResult:
        yield Label(_("A number (60 = one game minute per second) or a duration such as 10m"))
        yield Input(value=f"{self.speed:g}", id="speed")

    def build(self) -> Args:
        return {"speed": parse_speed(self.value("speed"))}


class AdvanceDialog(FormDialog):
    TITLE_TEXT = N_("Jump the clock forward (every seat sees the reason)")
    SUBMIT = N_("Jump")

    def fields(self) -> ComposeResult:
        yield Label(_("How far: 2w, 3d, 36h"))
        yield Input(placeholder=_("2w"), id="seconds")
        yield Label(_("Reason shown to every seat"))
        yield Input(placeholder=_("Two weeks later…"), id="reason")

    def build(self) -> Args:
        secs = read_duration(self.value("seconds") or "0")
        if secs <= 0:
            raise ValueError(_("give a duration such as 2w or 3d"))
        return {"seconds": int(secs), "reason": self.value("reason")}


class MoveDialog(FormDialog):
    SUBMIT = N_("Move")

    def __init__(self, view: ConsoleView, inject: str) -> None:
        super().__init__()
        self.view = view
        self.inject = inject
        self.TITLE_TEXT = _("Move inject {inject}").format(inject=inject)

    def fields(self) -> ComposeResult:
        yield Label(_("When: +2h (from now), 3d 4h (from the start) or 2026-03-04 10:00"))
        yield Input(placeholder=_("+2h"), id="at")

    def build(self) -> Args:
        at = parse_at(self.value("at"), self.view.now(), self.view.start)
        if at < self.view.now():
            raise ValueError(_("that time has passed"))
        return {"id": self.inject, "at": at}


class SendInjectDialog(FormDialog):
    TITLE_TEXT = N_("Send an ad-hoc inject")

    def __init__(self, view: ConsoleView) -> None:
        super().__init__()
        self.view = view

    def fields(self) -> ComposeResult:
        yield Input(placeholder=_("Title"), id="title")
        yield TextArea(id="text")
        targets: list[tuple[str, str]] = [(_("Everyone"), "all")]
        targets += [(_("All of {country}").format(country=c), c) for c in self.view.countries()]
        targets += [(s, s) for s in self.view.seat_ids()]
        yield Label(_("To (space toggles):"))
        yield TickList(*targets, id="to")

    def build(self) -> Args:
        title = self.value("title")
        if not title:
            raise ValueError(_("give the inject a title"))
        to = list(self.query_one("#to", SelectionList).selected)
        if not to:
            raise ValueError(_("choose at least one seat, country or everyone"))
        return {"title": title, "text": self.query_one("#text", TextArea).text, "to": to}


# The console's words for each decision (which ones apply comes with the request).
DECISION_WORDS = {
    "forward": N_("Forward"),
    "answer": N_("Answer (final)"),
    "fulfil": N_("Fulfil: execute it now"),
    "return": N_("Return as incomplete"),
    "refuse": N_("Refuse"),
}


class RespondDialog(FormDialog):
    """Answer a request in place of whoever holds it: a desk, a person, a provider, a body."""

    SUBMIT = N_("Answer")

    def __init__(self, view: ConsoleView, row: RequestRow) -> None:
        super().__init__()
        self.view = view
        self.row = row
        self.TITLE_TEXT = _("Answer {id} at {seat} (as the facilitator)").format(
            id=row.id, seat=row.stop.ref
        )

    def decisions(self) -> list[tuple[str, str]]:
        """The holder's decisions as the request's snapshot lists them (core decides)."""
        return [(_(DECISION_WORDS.get(d, d)), d) for d in self.row.req.decisions]

    def fields(self) -> ComposeResult:
        s = self.row.snap
        head = _("{template} from {sender} — {state}").format(
            template=s.get("template"), sender=s.get("sender"), state=s.get("status")
        )
        yield Label(Text(inert(head)))
        yield Select(self.decisions(), allow_blank=False, id="decision")
        grounds = self.view.info.get("refusal_grounds") or {}
        yield Label(_("Ground (for a refusal)"))
        yield Select(
            [(f"{k}: {_(str(v))}", k) for k, v in grounds.items()],
            id="ground",
            prompt=_("ground"),
        )
        fields = []
        for t in self.view.info.get("templates", []):
            if t.get("id") == s.get("template"):
                fields = [(f.get("label", f["name"]), f["name"]) for f in t.get("fields", [])]
        yield Label(_("Missing (for a return)"))
        yield TickList(*fields, id="missing")
        yield Input(placeholder=_("Message to the sender"), id="message")

    def build(self) -> Args:
        decision = self.query_one("#decision", Select).value
        args: Args = {"id": self.row.id, "decision": decision}
        msg = self.value("message")
        if msg:
            args["message"] = msg
        if decision == "refuse":
            ground = self.query_one("#ground", Select).value
            if ground is Select.NULL:
                raise ValueError(_("choose a ground for the refusal"))
            args["ground"] = ground
        if decision == "return":
            args["missing"] = list(self.query_one("#missing", SelectionList).selected)
            if not args["missing"] and not msg:
                raise ValueError(_("say what is missing (fields or a message)"))
        return args


class EmergencyDialog(FormDialog):
    """Declare or lift a 2AP Art 3 emergency; every seat sees it and the reason."""

    def __init__(self, view: ConsoleView) -> None:
        super().__init__()
        self.declaring = not view.emergency
        self.TITLE_TEXT = (
            _("Declare an emergency (2AP Art 3: risk to life or safety)")
            if self.declaring
            else _("Lift the emergency declared: {reason}").format(
                reason=view.emergency_reason or _("no reason given")
            )
        )
        self.SUBMIT = _("Declare") if self.declaring else _("Lift")
        self.items = [(it.id, view.text(it.title)) for it in view.items.values()]

    def fields(self) -> ComposeResult:
        yield Label(_("Reason every seat sees"))
        yield Input(
            placeholder=_("Hospital systems encrypted")
            if self.declaring
            else _("Systems restored"),
            id="reason",
        )
        if self.declaring and self.items:
            # 2AP Art 9(3), 10(3): only requests for these get the emergency treatment.
            yield Label(_("The evidence it concerns (Space ticks; none: every relevant item)"))
            yield SelectionList[str](
                *((inert(title, 70), iid) for iid, title in self.items), id="items"
            )

    def build(self) -> Args:
        args: Args = {"emergency": self.declaring, "reason": self.value("reason")}
        if self.declaring and self.items:
            chosen = list(self.query_one("#items", SelectionList).selected)
            if chosen:
                args["items"] = chosen
        return args


class EndDialog(FormDialog):
    """End the exercise: every seat sees the end, the reason and the debrief; the clock
    stops."""

    TITLE_TEXT = N_(
        "End the exercise? Every seat sees the end and the scenario's debrief; the clock stops."
    )
    SUBMIT = N_("End the exercise")

    def fields(self) -> ComposeResult:
        yield Label(_("Words every seat sees (optional)"))
        yield Input(placeholder=_("Time for the debrief: gather in room 2"), id="reason")

    def build(self) -> Args:
        return {"reason": self.value("reason")}


class RatingDialog(FormDialog):
    """An evaluator's rating of one objective on the HSEEP scale, with a comment."""

    TITLE_TEXT = N_("Rate an objective (HSEEP)")
    SUBMIT = N_("Rate")

    def __init__(self, view: ConsoleView, objective: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.objective = objective

    def fields(self) -> ComposeResult:
        from tte.core.engine import HSEEP

        objectives = [(self.view.text(o.title), o.id) for o in self.view.objectives.values()]
        yield Label(_("Objective"))
        yield Select(objectives, id="objective", prompt=_("objective"), value=self._initial())
        yield Static(self._guide(self._initial()), id="guide", markup=False)
        yield Label(_("Rating"))
        yield Select(
            [(f"{n} — {_(label)}", n) for n, label in HSEEP.items()],
            id="rating",
            prompt=_("rating"),
        )
        yield Label(_("Comment (optional)"))
        yield TextArea(id="comment")

    def _initial(self) -> Any:
        if self.objective in self.view.objectives:
            return self.objective
        return Select.NULL

    def _guide(self, objective: Any) -> str:
        """The scenario's evaluation guide for the objective: the critical tasks to look
        for before rating it."""
        row = self.view.objectives.get(objective) if isinstance(objective, str) else None
        if row is None or not (row.guide or row.notes):
            return ""
        text = self.view.text
        tasks = "\n".join(f"• {text(task)}" for task in row.guide)
        notes = text(row.notes)
        return "\n".join(x for x in (_("Look for:") if tasks else "", tasks, notes) if x)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "objective":
            self.query_one("#guide", Static).update(self._guide(event.value))

    def build(self) -> Args:
        objective = self.query_one("#objective", Select).value
        if objective is Select.NULL:
            raise ValueError(_("choose the objective to rate"))
        rating: object = self.query_one("#rating", Select).value
        if not isinstance(rating, int):
            raise ValueError(_("choose a rating from 1 to 4"))
        args: Args = {"objective": objective, "rating": rating}
        comment = self.query_one("#comment", TextArea).text.strip()
        if comment:
            args["comment"] = comment
        return args

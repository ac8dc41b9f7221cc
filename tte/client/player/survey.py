"""The hotwash survey: every question of the scenario's end-of-exercise survey.

Scales (1–5) and choices are radio sets, free text a text area. Answers are checked
like the server checks them before `survey.answer` is sent; what the server refuses is
shown next to the question it names. While the survey is open the player may change the
answers and send again (the report counts the last).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label, RadioSet, Static, TextArea

from tte import protocol as p
from tte.client.lang import error_text
from tte.client.model import ClientModel, Survey, SurveyQuestion
from tte.i18n import N_, _, current

from ..marks import Choice
from .composer import FieldError
from .lazy import BuiltWhenShown
from .safe import inert, plain

MAX_TEXT = 20_000  # the server's limit on one free-text answer (engine.MAX_TEXT)

THANKS = N_("Thank you — your answers were recorded")
GENERAL = "general"


def check_answers(questions: list[SurveyQuestion], answers: dict[str, Any]) -> dict[str, str]:
    """Errors by question id, worded like the server's (engine._op_survey_answer)."""
    errors: dict[str, str] = {}
    by_id = {q.id: q for q in questions}
    for k, v in answers.items():
        q = by_id.get(k)
        if q is None:
            errors[GENERAL] = _("Unknown question {id}").format(id=repr(k))
        elif q.kind == "scale" and (isinstance(v, bool) or v not in (1, 2, 3, 4, 5)):
            errors[k] = _("Answer on a scale of 1 to 5")
        elif q.kind == "choice" and v not in q.choices:
            errors[k] = _("Pick one of the choices")
        elif q.kind == "text" and (not isinstance(v, str) or len(v) > MAX_TEXT):
            errors[k] = _("Answer with text")
    if not answers:
        errors[GENERAL] = _("Answer at least one question")
    return errors


def status_text(s: Survey) -> Text:
    if s.open is None:
        return Text(_("No survey has been opened yet."), style="dim")
    if not s.open:
        out = Text(_("The survey is closed."), style="bold yellow")
        if s.sent is not None:
            out.append("  " + _("Your answers were recorded."), style="dim")
        return out
    out = Text(_("The hotwash survey is open.") + " ", style="bold")
    if s.sent is not None:
        out = Text(f"✔ {_(THANKS)}. ", style="bold green")
        again = _("You may change them and send again while the survey is open.")
        out.append(again, style="")
    else:
        out.append(_("Answer what you wish, then Send (Ctrl+S)."))
    if s.anonymous is True:
        out.append("\n" + _("Anonymous: your answers are recorded with your role, not your seat."))
    elif s.anonymous is False:
        out.append("\n" + _("Not anonymous: your answers are recorded with your seat."))
    return out


class SurveyPane(BuiltWhenShown, VerticalScroll):
    DEFAULT_CSS = """
    SurveyPane { height: 1fr; padding: 0 1; }
    SurveyPane #survey-status { margin-bottom: 1; }
    SurveyPane .survey-questions { height: auto; }
    SurveyPane .q-text { text-style: bold; margin-top: 1; }
    SurveyPane .q-hint { color: $text-muted; }
    SurveyPane RadioSet { width: auto; height: auto; }
    SurveyPane RadioSet.scale { layout: horizontal; }
    SurveyPane RadioSet.scale > RadioButton { width: auto; margin-right: 1; }
    SurveyPane TextArea { height: 4; }
    SurveyPane #survey-buttons { height: auto; margin-top: 1; }
    """

    class Send(Message):
        """The user asked to send the answers."""

    def __init__(self) -> None:
        super().__init__(id="survey")
        self.model: ClientModel | None = None
        self._shape: list[tuple[str, str, str, tuple[str, ...]]] | None = None  # questions built
        self.index: dict[str, int] = {}  # question id -> widget number
        self.box: Vertical | None = None  # the questions' widgets

    def compose_pane(self) -> ComposeResult:
        yield Static(id="survey-status")
        yield FieldError(id=f"err-{GENERAL}")
        with Horizontal(id="survey-buttons"):
            yield Button(_("Send answers (Ctrl+S)"), variant="primary", id="survey-send")

    def after_build(self) -> None:
        if self.model is not None:
            self.show(self.model)

    def show(self, model: ClientModel) -> None:
        self.model = model
        if not self.built:
            return
        s = model.survey
        # The reader's language is part of what was built: a switch redraws the texts.
        shape = [(current().lang, q.id, q.kind, tuple(q.choices)) for q in s.questions]
        if shape != self._shape:
            self._shape = shape
            self._build(s)
        self.query_one("#survey-status", Static).update(status_text(s))
        send = self.query_one("#survey-send", Button)
        send.disabled = not s.open
        change, first = _("Change answers (Ctrl+S)"), _("Send answers (Ctrl+S)")
        send.label = change if s.sent is not None else first

    def _build(self, s: Survey) -> None:
        """A new box of questions in place of the old one (ids repeat across boxes)."""
        self.index = {q.id: i for i, q in enumerate(s.questions)}
        widgets: list[Widget] = []
        for i, q in enumerate(s.questions):
            widgets.append(Label(plain(f"{i + 1}. {self._text(q.text)}"), classes="q-text"))
            widgets += self._input(i, q, (s.sent or {}).get(q.id))
            widgets.append(FieldError(id=f"err-sq-{i}"))
        old, self.box = self.box, Vertical(*widgets, classes="survey-questions")
        self.mount(self.box, before=self.query_one(f"#err-{GENERAL}"))
        if old is not None:
            old.remove()

    def _input(self, i: int, q: SurveyQuestion, value: Any) -> list[Widget]:
        wid = f"sq-{i}"
        if q.kind == "scale":
            buttons = [Choice(str(n), value=value == n) for n in range(1, 6)]
            hint = Static(Text(_("1 = low … 5 = high")), classes="q-hint")
            return [hint, RadioSet(*buttons, id=wid, classes="scale", compact=True)]
        if q.kind == "choice":
            # Drawn in the reader's language; the answer sent is the scenario's own text.
            buttons = [Choice(Text(inert(self._text(c))), value=value == c) for c in q.choices]
            return [RadioSet(*buttons, id=wid, compact=True)]
        return [TextArea(str(value or ""), id=wid, soft_wrap=True)]

    def _text(self, source: str) -> str:
        """A text of the scenario's survey in the reader's language."""
        return self.model.text(source) if self.model is not None else source

    def values(self) -> dict[str, Any]:
        """The answers given (unanswered questions left out)."""
        out: dict[str, Any] = {}
        if self.model is None or self.box is None:
            return out
        for q in self.model.survey.questions:
            found = self.box.query(f"#sq-{self.index.get(q.id, -1)}")
            w = found.first() if found else None
            if isinstance(w, RadioSet):
                n = w.pressed_index
                if n >= 0:
                    out[q.id] = n + 1 if q.kind == "scale" else q.choices[n]
            elif isinstance(w, TextArea) and w.text.strip():
                out[q.id] = w.text
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        targets = {f"err-sq-{i}": qid for qid, i in self.index.items()}
        targets[f"err-{GENERAL}"] = GENERAL
        first = None
        shown = list(self.box.query(FieldError)) if self.box else []
        for fe in [*shown, self.query_one(f"#err-{GENERAL}", FieldError)]:
            msg = errors.get(targets.get(fe.id or "", ""))
            fe.say(msg)
            if msg and first is None:
                first = fe
        if first is not None:
            self.scroll_to_widget(first, top=False)

    def show_result_error(self, error: p.ErrorBody) -> None:
        """The server's refusal, next to the question it names (else under the form)."""
        name = error.field if isinstance(error.field, str) else ""
        self.show_errors({name if name in self.index else GENERAL: inert(error_text(error))})

    @on(Button.Pressed, "#survey-send")
    def _send(self) -> None:
        self.post_message(self.Send())

"""Role actions on a request waiting at this seat: the decision dialogs.

Forward (approve & sign, transmit) needs no dialog. Return names the missing fields,
refuse needs a legal ground from the server's list, answer carries a message. Each dialog
sends the command itself and stays open on a refusal, showing the server's message next
to the field concerned.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, SelectionList, Static, TextArea

from tte import protocol as p
from tte.client.lang import error_text, translate_bindings
from tte.client.model import ClientModel, RequestView
from tte.i18n import N_, _

from ..marks import TickList
from .composer import FieldError
from .safe import inert, plain

Sender = Callable[[str, dict[str, Any]], Awaitable[p.Result]]

TITLES = {
    "return": N_("Return {id} for missing information"),
    "refuse": N_("Refuse {id} on a legal ground"),
    "answer": N_("Answer {id}"),
}
JIT_TITLE = N_("Agree the joint investigation team of {id}")
OPS = {"return": "request.return", "refuse": "request.refuse", "answer": "request.answer"}


class DecisionScreen(ModalScreen[p.Result | None]):
    DEFAULT_CSS = """
    DecisionScreen { align: center middle; }
    DecisionScreen > VerticalScroll {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    DecisionScreen Label { text-style: bold; margin-top: 1; }
    DecisionScreen TextArea { height: 5; }
    DecisionScreen SelectionList { height: auto; max-height: 10; }
    DecisionScreen #decision-buttons { height: auto; margin-top: 1; }
    DecisionScreen #decision-buttons Button { margin-right: 2; }
    """
    BINDINGS = [("escape", "cancel", N_("Cancel")), ("ctrl+s", "send", N_("Send"))]

    def __init__(self, decision: str, request: RequestView, model: ClientModel, send: Sender):
        super().__init__()
        translate_bindings(self)
        self.decision = decision
        self.request = request
        self.model = model
        self.send = send

    def compose(self) -> ComposeResult:
        r, m = self.request, self.model
        with VerticalScroll():
            jit = self.decision == "answer" and r.template == "jit_agreement"
            title = _(JIT_TITLE if jit else TITLES[self.decision]).format(id=r.id)
            yield Static(plain(title + "  " + _("(Ctrl+S sends)"), "bold"))
            tpl = m.templates.get(r.template)
            if self.decision == "return" and tpl is not None:
                yield Label(_("Missing fields"))
                yield TickList(
                    *[
                        (
                            Text(inert(_(f.label)) + (" *" if f.mandatory else "")),
                            f.name,
                            f.name in r.missing or f.name in r.unfilled,
                        )
                        for f in tpl.fields
                    ],
                    id="missing",
                )
                yield FieldError(id="err-missing")
            if self.decision == "refuse":
                yield Label(_("Legal ground"))
                yield Select(
                    [(Text(inert(_(v))), k) for k, v in m.refusal_grounds.items()],
                    prompt=_("Choose a legal ground"),
                    id="ground",
                )
                yield FieldError(id="err-ground")
            yield Label(_("Message"))
            yield TextArea(id="message", soft_wrap=True)
            yield FieldError(id="err-message")
            yield FieldError(id="err-general")
            with Horizontal(id="decision-buttons"):
                send = _("Agree JIT") if jit else _("Send")
                yield Button(send, variant="primary", id="decision-send")
                yield Button(_("Cancel"), id="decision-cancel")

    def args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"id": self.request.id}
        msg = self.query_one("#message", TextArea).text
        if msg.strip():
            args["message"] = msg
        if self.decision == "return":
            args["missing"] = list(self.query_one("#missing", SelectionList).selected)
        if self.decision == "refuse":
            ground = self.query_one("#ground", Select).value
            if ground != Select.NULL:
                args["ground"] = ground
        return args

    @on(Button.Pressed, "#decision-send")
    async def action_send(self) -> None:
        result = await self.send(OPS[self.decision], self.args())
        if result.ok:
            self.dismiss(result)
            return
        err = result.error
        assert isinstance(err, p.ErrorBody)
        name = err.field if isinstance(err.field, str) else ""
        for fe in self.query(FieldError):
            fe.say(None)
        target = self.query(f"#err-{name}") if name else None
        fe = target.first(FieldError) if target else self.query_one("#err-general", FieldError)
        fe.say(inert(error_text(err)))

    @on(Button.Pressed, "#decision-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

"""A yes/no question, shared by the facilitator console and the player app.

The question is drawn as plain text, never markup: it may quote a scenario's or a
player's words.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tte.client.lang import translate_bindings
from tte.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """y / Enter on Yes answer yes; n / Escape answer no."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > .dialog {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    ConfirmDialog .dialog-title { text-style: bold; padding-bottom: 1; }
    ConfirmDialog .dialog-buttons { height: 3; align-horizontal: right; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape", "answer(False)", N_("No")),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        """``question`` and the buttons' words come translated (the buttons default to the
        reader's "Yes (y)" and "No (n)")."""
        super().__init__()
        translate_bindings(self)
        self.question = question
        self.yes = yes if yes is not None else _("Yes (y)")
        self.no = no if no is not None else _("No (n)")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

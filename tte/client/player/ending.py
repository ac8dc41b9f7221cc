"""The end of the exercise as every seat sees it: who ended it, why, and the debrief.

Shown once, over whatever the player was doing, when the exercise ends (live or learnt
from the backlog on joining late); the Briefing tab keeps the debrief afterwards.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tte.client.lang import translate_bindings
from tte.client.model import Ending
from tte.i18n import N_, _

from .briefing import one_line_md
from .safe import inert

NO_DEBRIEF = N_("*The facilitator leads the debrief.*")


def ending_markdown(end: Ending) -> str:
    who = _("The scenario's time is up.") if end.by == "clock" else _("The facilitator ended it.")
    parts = ["# " + _("The exercise is over"), who]
    if end.reason.strip():
        parts.append(f"> {one_line_md(end.reason)}")
    parts += ["## " + _("Debrief"), inert(end.debrief.strip()) or _(NO_DEBRIEF)]
    return "\n\n".join(parts)


class EndScreen(ModalScreen[None]):
    """Scrolls by keyboard like the help; Esc or Enter closes it."""

    DEFAULT_CSS = """
    EndScreen { align: center middle; }
    EndScreen > #end-scroll {
        width: 90%; max-width: 100; height: 90%; border: thick $success;
        background: $surface;
    }
    EndScreen #end-scroll > Markdown { padding: 0 1; }
    """
    BINDINGS = [("escape,enter,q", "dismiss", N_("Close"))]

    def __init__(self, end: Ending) -> None:
        super().__init__()
        translate_bindings(self)
        self.end = end

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="end-scroll") as scroll:
            scroll.border_title = _("End of exercise")
            scroll.border_subtitle = _("↑↓ scroll · Esc closes · F8 keeps the debrief")
            yield Markdown(ending_markdown(self.end), id="end-text")

    def on_mount(self) -> None:
        self.query_one("#end-scroll").focus()

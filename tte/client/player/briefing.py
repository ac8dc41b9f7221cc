"""The briefing: the scenario's story for every seat, then this seat's own orders.

Both arrive in the welcome (``briefing``, ``seat_briefing``); the trainer writes them in
Markdown. A seat whose inbox is still empty starts here (its inbox says so).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tte.client.model import ClientModel

from .lazy import BuiltWhenShown
from .safe import inert

NONE = "*This exercise has no briefing. Ask the facilitator what your seat should do.*"


def briefing_markdown(model: ClientModel) -> str:
    parts: list[str] = []
    if model.title:
        parts.append(f"# {one_line_md(model.title)}")
    if model.briefing.strip():
        parts.append(inert(model.briefing.strip()))
    c = model.country
    seat = f"{c.flag} {model.text(c.name)} — {model.role_label}" if c else model.role_label
    parts.append(f"## Your seat: {one_line_md(seat)}")
    parts.append(inert(model.seat_briefing.strip()) if model.seat_briefing.strip() else NONE)
    if model.ended is not None and model.ended.debrief.strip():
        parts += ["## Debrief", inert(model.ended.debrief.strip())]
    return "\n\n".join(parts)


def one_line_md(s: str) -> str:
    """A heading's text: one line, control characters shown, no Markdown of its own."""
    text = inert(" ".join(s.split()))
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


class BriefingPane(BuiltWhenShown, VerticalScroll):
    """Scrolls by keyboard (it takes the focus when its tab is shown)."""

    DEFAULT_CSS = """
    BriefingPane { height: 1fr; padding: 0 1; }
    BriefingPane > Markdown { margin: 0; }
    """

    def __init__(self) -> None:
        super().__init__(id="briefing")
        self.model: ClientModel | None = None
        self._shown: str | None = None

    def compose_pane(self) -> ComposeResult:
        yield Markdown(id="briefing-text")

    def after_build(self) -> None:
        if self.model is not None:
            self.show(self.model)

    def show(self, model: ClientModel) -> None:
        self.model = model
        if not self.built or not model.exercise:
            return
        text = briefing_markdown(model)
        if text != self._shown:
            self._shown = text
            self.query_one("#briefing-text", Markdown).update(text)

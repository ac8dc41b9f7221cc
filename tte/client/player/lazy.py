"""Tab panes whose widgets are composed the first time they are shown.

Only the Inbox is on screen when the app starts; the other tabs' widgets (tables, the
form, the survey's questions) would be built, styled and kept in memory by every player
process, most of them for a tab the player opens later or never. Under the SSH gateway
each session is such a process, so that is memory per session. A pane using
:class:`BuiltWhenShown` composes nothing until its first Show event (or until the app
calls :meth:`BuiltWhenShown.build` because it needs the widgets now), then asks the app
to refresh so it shows the current state at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget

# Not a Widget at run time: Textual takes a widget's CSS (type name, DEFAULT_CSS) from
# the first widget class among its bases only, which must stay the container
# (``class TrackerPane(BuiltWhenShown, Horizontal)`` is laid out as a Horizontal).
if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object


class PaneBuilt(Message):
    """A pane has just composed its widgets: the app shows the model in them."""


class BuiltWhenShown(_Mixin):
    """Mixin for a tab's pane (before its container class in the bases): put its widgets
    in :meth:`compose_pane` instead of ``compose``; its ``show``-like methods must cope
    with :attr:`built` being False (keep the data, draw nothing)."""

    built = False  # the pane's widgets are composed and mounted
    _composing = False
    _build_lock: asyncio.Lock | None = None

    def compose(self) -> ComposeResult:
        if self.built or self._composing:
            yield from self.compose_pane()

    def compose_pane(self) -> ComposeResult:
        yield from ()

    def after_build(self) -> None:
        """Called once the widgets are mounted (what ``on_mount`` would do with them)."""

    async def build(self) -> None:
        """Compose the pane's widgets now, unless done already."""
        if self._build_lock is None:
            self._build_lock = asyncio.Lock()
        async with self._build_lock:
            if self.built:
                return
            # `built` turns true only once the widgets are mounted: a refresh in between
            # (a frame arriving) would otherwise fill widgets still mounting, such as a
            # Select whose option list is not there yet.
            self._composing = True
            try:
                await self.recompose()
            finally:
                self._composing = False
            self.built = True
            self.after_build()
            self.post_message(PaneBuilt())

    async def on_show(self) -> None:
        await self.build()

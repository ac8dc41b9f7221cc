"""The player's tabs: however a tab is chosen, the keyboard focus goes into it.

Why the switch must move the focus itself: showing a pane hides the previous one, and
Textual then takes the focus from the hidden widget and gives it to a "visible sibling"
of it, which lives in the pane just hidden. ``TabbedContent`` reads focus landing in a
pane as a request to show that pane, and switches straight back. So with the cursor in
the Inbox list or a Compose field, F-keys, the palette and the app's own moves (Cases
after sending a form or opening a request) all snapped back to the old tab, for good.

Moving the focus into the new pane in the same step as the switch leaves nothing in the
hidden pane to hand focus around. The tab bar takes no keyboard focus: tabs change by
F-keys, the palette or a click, so arrow keys act on the pane's widgets (a survey's
answers), never on the tab bar.
"""

from __future__ import annotations

from textual import on
from textual.widget import Widget
from textual.widgets import TabbedContent
from textual.widgets.tabbed_content import ContentTabs

from .lazy import BuiltWhenShown, PaneBuilt


class PlayerTabs(TabbedContent):
    _focus_tries = 0

    def on_mount(self) -> None:
        self.query_one(ContentTabs).can_focus = False

    def switch(self, pane_id: str) -> None:
        """Show `pane_id` with the keyboard focus in it."""
        self.active = pane_id
        self.focus_pane()  # also when it was shown already but the focus was elsewhere

    def watch_active(self) -> None:
        # Runs right after TabbedContent showed the pane, whoever changed `active` (a
        # click on the tab bar too), before the hidden pane could pass focus around.
        self.focus_pane()

    def focus_pane(self) -> None:
        """Focus the shown pane's first focusable widget, unless the focus is in it
        already (a widget focused on purpose, such as a form field, keeps it). A pane not
        built yet gets it once built (:meth:`_built`); until then nothing has focus."""
        pane = self.active_pane
        if pane is None or not self.is_mounted:
            return
        screen = self.screen
        focused = screen.focused
        if focused is not None and pane in focused.ancestors:
            return
        target = first_focusable(screen.focus_chain, pane)
        if target is None:
            # Not built yet (its Show event is what builds it, and a switch made while
            # another pane had just been hidden may not get one: build it now), or just
            # built and not yet in the focus chain: try again after the next refresh
            # rather than drop the focus (a few times, then leave it be).
            for lazy in pane.query(BuiltWhenShown):
                if not lazy.built:
                    self.call_later(lazy.build)
            if self._focus_tries < 5:
                self._focus_tries += 1
                self.call_after_refresh(self.focus_pane)
            return
        self._focus_tries = 0
        screen.set_focus(target, scroll_visible=False)

    @on(PaneBuilt)
    def _built(self) -> None:
        self.focus_pane()  # not stopped: the app refreshes the new widgets too


def first_focusable(chain: list[Widget], pane: Widget) -> Widget | None:
    return next((w for w in chain if pane in w.ancestors), None)

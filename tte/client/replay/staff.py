"""The replay's facilitator view: the console's own traffic, case and score, log and key
figures panes, fed the console's fold of the log up to the event shown.

Its own module, imported and mounted only when the facilitator's view is first shown:
the console's panes (and the report's figures behind the figures tab) cost the replay's
first screen nothing.
"""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TabbedContent, TabPane

from tte.client.console import keyfigures
from tte.client.console.case import CasePane
from tte.client.console.eventlog import LogPane
from tte.client.console.figures import FiguresPane
from tte.client.console.traffic import TrafficPane
from tte.client.console.view import ConsoleView
from tte.core.scenario import Scenario
from tte.i18n import _


class StaffView(Vertical):
    """The facilitator's view: the console's own traffic, case and score, log and key
    figures panes, fed the console's fold of the log up to the event shown."""

    DEFAULT_CSS = """
    StaffView { height: 1fr; display: none; }
    StaffView TrafficPane, StaffView CasePane, StaffView LogPane, StaffView FiguresPane,
    StaffView KeyedTable { height: 1fr; }
    StaffView .heading { height: 1; padding: 0 1; text-style: bold; }
    StaffView .detail { height: auto; max-height: 6; padding: 0 1; }
    StaffView #log-filters { height: 3; }
    StaffView #log-filters Input { width: 1fr; }
    StaffView #figures-summary { height: auto; padding: 0 1; }
    """

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self.traffic, self.case = TrafficPane(), CasePane()
        self.log_pane, self.figures = LogPane(), FiguresPane()
        self.view: ConsoleView | None = None  # the fold shown
        self._figures_for = -1

    def compose(self) -> ComposeResult:
        # Named and numbered as the console's tabs (3 to 6), and switched by those keys.
        with TabbedContent(id="staff-tabs"):
            with TabPane(f"3 {_('Traffic')}", id="staff-traffic"):
                yield self.traffic
            with TabPane(f"4 {_('Case')}", id="staff-case"):
                yield self.case
            with TabPane(f"5 {_('Log')}", id="staff-log"):
                yield self.log_pane
            with TabPane(f"6 {_('Figures')}", id="staff-figures"):
                yield self.figures

    def show(self, view: ConsoleView) -> None:
        """Draw `view` into the panes, as the console draws its fold."""
        self.view = view
        self.traffic.table.reset()
        self.traffic.sync(view, set(view.requests))
        self.case.evidence.reset()
        self.case.objectives.reset()
        self.case.sync(view, set(view.items), True)
        self.case.show_emergency(view)
        self.log_pane.table.reset()
        self.log_pane.append(view, list(view.log))
        if self.active == "staff-figures":
            self.show_figures()

    @property
    def active(self) -> str:
        return str(self.query_one("#staff-tabs", TabbedContent).active)

    def select(self, tab: str) -> None:
        """Show tab `tab`: traffic, case, log or figures."""
        self.query_one("#staff-tabs", TabbedContent).active = f"staff-{tab}"

    @on(TabbedContent.TabActivated, "#staff-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "staff-figures":
            self.show_figures()

    def show_figures(self) -> None:
        """The report's key figures over the events up to the one shown (the console's
        figures tab, computed off the UI thread as there; the newest request wins)."""
        view = self.view
        if view is None:
            return
        events, seq, scenario = list(view.events), view.last_seq, self.scenario
        self._figures_for = seq

        async def compute() -> None:
            figs = await asyncio.to_thread(keyfigures.compute, scenario, events)
            if self._figures_for == seq:
                self.figures.show(view, figs)

        self.run_worker(compute(), group="figures", exclusive=True)

"""Snapshots of the player's main screens at 80×24 and 160×48.

Deterministic: the model is folded from the real engine's events for one seat (seeded
latencies, paused clock, no server, no wall time in the render).
"""

from __future__ import annotations

from typing import Any

import pytest
from player_support import PRESERVATION, TUTORIAL, until
from textual.widgets import TabbedContent, Tabs
from textual.widgets._tabs import Underline

from tte import protocol as p
from tte.client.model import ClientModel
from tte.client.net import ConnState, LinkStatus
from tte.client.player.app import PlayerApp
from tte.client.player.lazy import BuiltWhenShown
from tte.core.engine import Engine
from tte.core.languages import TextIndex
from tte.core.scenario import load

SEAT = "RO/investigator"


def played_model(end: str = "", seat: str = SEAT) -> ClientModel:
    """`seat` three days in (Romania's investigator asked for preservation, its 24/7
    point of contact sent it on); `end`: then the facilitator ends the exercise with it."""
    eng = Engine(load(TUTORIAL))
    texts = TextIndex(eng.scenario.translations)  # the other languages, as the server sends them
    events = eng.start()
    events += eng.set_presence(SEAT, True, 0.0)
    events += eng.set_presence("RO/poc", True, 0.0)
    m = ClientModel()
    m.apply(
        p.Welcome(
            seat=p.seat_of(seat),
            seq=0,
            clock=p.ClockState(game_time="", elapsed=0.0, speed=600.0, paused=True),
            exercise=texts.attach(eng.welcome_info(seat)),
        )
    )
    more, _ = eng.handle(SEAT, "request.submit", PRESERVATION, 600.0)
    events += more
    events += eng.advance_to(7200.0)
    more, _ = eng.handle("RO/poc", "request.forward", {"id": "R1"}, 7200.0)
    events += more
    events += eng.advance_to(3 * 86400.0)
    if end:
        more, _ = eng.handle("facilitator", "exercise.end", {"reason": end}, 3 * 86400.0)
        events += more
    for ev in events:
        if ev.visible_to(seat):
            m.apply(p.event_msg(ev, eng.scenario, texts))
    m.set_clock(3 * 86400.0, 600.0, True, None)
    m.apply(LinkStatus(ConnState.ONLINE))
    return m


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6", "f8", "f1"])
def test_screens(snap_compare: Any, size: tuple[int, int], key: str) -> None:
    app = PlayerApp(model=played_model())

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await pilot.press(key)
        if key != "f1":
            await until(pilot, lambda: settled(app))
        await pilot.pause()

    assert snap_compare(app, run_before=go, terminal_size=size)


def settled(app: PlayerApp) -> bool:
    """The shown tab's pane is built, filled and has the focus (however loaded the
    machine: building a pane takes a few turns of the event loop)."""
    pane = app.query_one("#tabs", TabbedContent).active_pane
    focused = app.focused
    return (
        pane is not None
        and not app._refresh_pending
        and all(p.built for p in pane.query("*") if isinstance(p, BuiltWhenShown))
        and focused is not None
        and pane in focused.ancestors
        and underlined(app)
    )


def underlined(app: PlayerApp) -> bool:
    """The tab bar's underline sits under the active tab (a relabelled tab, such as the
    Briefing's mark going away, moves it a layout later)."""
    bar = app.query_one("#tabs", TabbedContent).query_one(Tabs)
    tab = bar.active_tab
    if tab is None:
        return True
    line = bar.query_one(Underline)
    start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
    return (line.highlight_start, line.highlight_end) == (start, end)


def test_survey_screen(snap_compare: Any) -> None:
    """The survey tab at 80×24, once the facilitator opened it (toasts cleared)."""
    m = played_model()
    questions = [vars(q) for q in m.survey.questions]
    m.apply(
        p.EventMsg(
            seq=m.last_seq + 1,
            kind="survey_opened",
            game_time="",
            elapsed=m.clock.elapsed,
            data={"open": True, "questions": questions},
        )
    )
    app = PlayerApp(model=m)

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await pilot.press("f7")
        await until(pilot, lambda: settled(app) and app.query("#sq-0"))
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, run_before=go, terminal_size=(80, 24))


def test_end_screen(snap_compare: Any) -> None:
    """The end of the exercise at 80×24: who ended it, why, and the scenario's debrief."""
    app = PlayerApp(model=played_model(end="Time for the hot wash"))

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await until(pilot, lambda: app.screen.query("#end-text"))
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, run_before=go, terminal_size=(80, 24))

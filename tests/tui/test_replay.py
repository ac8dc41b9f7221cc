"""`tte replay`: Pilot tests at 80×24 driving the replay by keys over real logs.

Logs come from the real engine: `tte simulate --data` (a finished exercise), or a real
server a live player app is connected to (the replayed seat view is compared with the
screen that player had at the same seq). No sleeps: `until` pumps the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from player_support import PRESERVATION, Seats, until
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static, Tab, TabbedContent

from tte import datadir
from tte.cli import main as tte
from tte.client.console.app import ConsoleApp
from tte.client.console.traffic import TrafficPane
from tte.client.player.app import PlayerApp
from tte.client.replay.app import ReplayApp, SeatPicker
from tte.client.replay.source import ReplayLog, request_id
from tte.client.replay.staff import StaffView
from tte.client.replay.timeline import LABEL, Timeline
from tte.core.events import FACILITATOR
from tte.core.scenario import Scenario

SIZE = (80, 24)
SEAT = "RO/investigator"


@pytest.fixture(scope="module")
def careless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tutorial played carelessly: requests, injects and a deletion, 13 events."""
    data = tmp_path_factory.mktemp("replay") / "ex"
    assert tte(["simulate", "tutorial", "--policy", "careless", "--data", str(data)]) == 0
    return data


def cases(app: PlayerApp) -> list[list[str]]:
    """The rows of the Cases tab, as shown."""
    t = app.query_one("#cases", DataTable)
    return [[str(c) for c in t.get_row_at(i)] for i in range(t.row_count)]


def case_body(app: PlayerApp) -> str:
    return str(app.query_one("#case-body", Static).render())


def cases_shown(app: PlayerApp) -> bool:
    found = app.query("#cases")
    return bool(found) and found.first(DataTable).row_count > 0


def staff_shown(app: ReplayApp) -> bool:
    """The facilitator's view is built (on first use) and on screen."""
    staff = app.staff_view
    return staff is not None and bool(staff.display) and staff.view is not None


def shown(root: Widget) -> list[str]:
    """The text `root` shows, widget by widget in order: every table's rows, every list's
    and Static's text (what a person reads off the screen, not the model behind it)."""
    out: list[str] = []
    for w in root.query("*"):
        if not w.display:
            continue
        if isinstance(w, DataTable):
            out += [" | ".join(str(c) for c in w.get_row_at(i)) for i in range(w.row_count)]
        elif isinstance(w, Static) and not isinstance(w, Button | Tab):
            out.append(str(w.render()))
    return out


async def player_screens(pilot: Any, app: PlayerApp) -> dict[str, list[str]]:
    """The inbox's items, the cases (the first request opened: its case text) and the case
    file, each tab opened by its key as a player would."""
    screens = {}
    for key, tab, pane in (
        ("f2", "inbox-tab", "#inbox-list"),  # the items; the detail is the cursor's
        ("f4", "cases-tab", "#tracker"),
        ("f5", "casefile-tab", "#casefile"),
    ):
        await pilot.press(key)
        await until(pilot, lambda tab=tab: app.query_one("#tabs", TabbedContent).active == tab)
        await until(pilot, lambda pane=pane: bool(app.query(pane)))
        if key == "f4":
            await until(pilot, lambda: cases_shown(app))
        await until(pilot, lambda: not app._refresh_pending)
        await pilot.pause()
        screens[tab] = shown(app.query_one(pane))
    return screens


def console_screens(traffic: Widget, case: Widget, log: Widget) -> dict[str, list[str]]:
    return {"traffic": shown(traffic), "case": shown(case), "log": shown(log)}


async def test_stepping_shows_the_screens_a_live_player_and_the_live_console_had_at_that_seq(
    seats: Seats, scenario: Scenario, tmp_path: Path
) -> None:
    live = PlayerApp(seats.url, seats.code(SEAT), config=tmp_path / "cfg")
    async with live.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: live.model.status and live.model.status.online)
        await seats.link("RO/poc")  # a human there: no desk forwards
        sent = await live.call("request.submit", PRESERVATION)
        assert sent.ok, sent.error
        await seats.advance(3600)
        await seats.do("RO/poc", "request.forward", {"id": "R1"})
        seq = seats.server.engine.state.seq
        await until(pilot, lambda: live.model.last_seq == seq)
        seen = await player_screens(pilot, live)
        # The facilitator's console, live at the same seq (it joins with the backlog).
        console = ConsoleApp(seats.url, seats.code(FACILITATOR), scenario=scenario)
        async with console.run_test(size=SIZE) as cp:
            await until(cp, lambda: console.view.last_seq == seq and console.view.welcomed)
            for key in ("3", "4", "5"):
                await cp.press(key)
                await cp.pause()
            await until(cp, lambda: console.log_pane.table.row_count > 0)
            at_console = console_screens(console.traffic_pane, console.case_pane, console.log_pane)
        # The exercise goes on; the replay, opened beside it, goes back to `seq`.
        await seats.advance(86400)
        assert seats.server.engine.state.seq > seq
    log = ReplayLog.open(seats.server.data_dir)
    replay = ReplayApp(log, seat=SEAT, seq=seq)
    async with replay.run_test(size=SIZE) as rp:
        assert await player_screens(rp, replay) == seen
        assert any("R1" in line for line in seen["cases-tab"])  # not two empty screens
        await rp.press("s")
        await until(rp, lambda: isinstance(replay.screen, SeatPicker))
        await rp.press("home", "enter")  # the first seat listed: the facilitator
        await until(rp, lambda: staff_shown(replay))
        staff = replay.query_one(StaffView)
        for key in ("3", "4", "5"):
            await rp.press(key)
            await rp.pause()
        assert console_screens(staff.traffic, staff.case, staff.log_pane) == at_console
        assert any("R1" in line for line in at_console["traffic"])
        await rp.press("full_stop")  # one event on: the views move with it
        assert replay.seq == seq + 1


async def test_keys_step_jump_search_choose_a_seat_and_play(careless: Path) -> None:
    before = {p.name: p.read_bytes() for p in careless.iterdir() if p.is_file()}
    log = ReplayLog.open(careless)
    kinds = {e.seq: e.kind for e in log.events}
    app = ReplayApp(log, seat=SEAT, seq=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("full_stop", "full_stop")
        assert app.seq == 3
        await pilot.press("comma")
        assert app.seq == 2
        await pilot.press("i")
        assert kinds[app.seq] == "inject"
        await pilot.press("d")
        assert kinds[app.seq] == "evidence_deleted"
        await pilot.press("g", "m")  # the careless run's one mistake: the lost logs
        assert kinds[app.seq] == "evidence_deleted"
        await pilot.press("I")  # back to the inject before it
        assert kinds[app.seq] == "inject" and app.seq < log.last
        await pilot.press("g")
        assert app.seq == 1
        await pilot.press("slash")
        await pilot.press("R", "2", "enter")
        assert kinds[app.seq] == "request_submitted" and request_id(log.event(app.seq)) == "R2"
        await pilot.press("right_square_bracket")  # scrub: later in game time
        assert log.event(app.seq).t > log.event(7).t
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("home", "enter")  # the first seat listed: the facilitator
        await until(pilot, lambda: staff_shown(app))
        assert app.query_one(TrafficPane).table.row_count == 2
        await pilot.press("g", "plus", "plus", "plus", "plus", "space")  # play to the end, fast
        await until(pilot, lambda: app.seq == log.last and not app.playing)
        await pilot.click(Timeline, offset=(LABEL, 1))  # the start of the RO lane:
        assert log.event(app.seq).t == 0 < log.event(app.seq + 1).t  # the last event then
    assert {p.name: p.read_bytes() for p in careless.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot(careless: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    app = ReplayApp(ReplayLog.open(careless), seat=SEAT, seq=9)

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await pilot.press("f4")
        await until(pilot, lambda: cases_shown(app))
        await pilot.pause()

    assert snap_compare(app, run_before=go, terminal_size=size)


def test_the_log_has_no_wal_left_by_the_replay(careless: Path) -> None:
    ReplayLog.open(careless)
    assert not datadir.events_file(careless).with_name("events.sqlite-wal").exists()


async def test_a_replay_at_the_end_follows_the_running_exercise(seats: Seats) -> None:
    await seats.link(SEAT)  # a human there: presence events, and the exercise is live
    log = ReplayLog.open(seats.server.data_dir)
    app = ReplayApp(log, seat=SEAT)
    async with app.run_test(size=SIZE) as pilot:
        assert app.seq == log.last
        await seats.advance(3600)
        want = seats.server.engine.state.seq
        assert want > app.seq
        await until(pilot, lambda: app.seq == want)  # polled from the log, read-only
        assert app.model.clock.elapsed == seats.server.engine.state.now


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_snapshot_facilitator(careless: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    """The facilitator's view at the deletion: traffic, then the case and score tab."""
    log = ReplayLog.open(careless)
    deleted = next(e.seq for e in log.events if e.kind == "evidence_deleted")
    app = ReplayApp(log, seat=FACILITATOR, seq=deleted)

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await until(pilot, lambda: staff_shown(app))
        await pilot.press("4")
        await until(pilot, lambda: app.query_one(StaffView).active == "staff-case")
        await pilot.pause()

    assert snap_compare(app, run_before=go, terminal_size=size)

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
from textual.widgets import DataTable, Static

from tte import datadir
from tte.cli import main as tte
from tte.client.console.traffic import TrafficPane
from tte.client.player.app import PlayerApp
from tte.client.replay.app import ReplayApp, SeatPicker, StaffView
from tte.client.replay.source import ReplayLog, request_id
from tte.client.replay.timeline import LABEL, Timeline

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


async def test_stepping_shows_the_screen_a_live_player_had_at_that_seq(
    seats: Seats, tmp_path: Path
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
        await pilot.press("f4")
        await until(pilot, lambda: live.model.last_seq == seq and cases_shown(live))
        await until(pilot, lambda: not live._refresh_pending)
        await pilot.pause()
        seen_rows, seen_body = cases(live), case_body(live)
        # The exercise goes on; the replay, opened beside it, goes back to `seq`.
        await seats.advance(86400)
        log = ReplayLog.open(seats.server.data_dir)
        assert log.last > seq
        replay = ReplayApp(log, seat=SEAT, seq=seq)
        async with replay.run_test(size=SIZE) as rp:
            await rp.press("f4")
            await until(rp, lambda: cases_shown(replay))
            assert cases(replay) == seen_rows
            assert case_body(replay) == seen_body
            await rp.press("full_stop")  # one event on: the seat's screen moves with it
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
        await until(pilot, lambda: app.query_one(StaffView).display)
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

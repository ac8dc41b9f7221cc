"""The facilitator's clock: frames on every change and periodically; timers fire on time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from wsclient import Join, make_server

from tte.core.scenario import Scenario
from tte.server import ExerciseServer

DAY = 86400.0


async def test_clock_ops_broadcast_clock_frames(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    poc = await join("NL/poc")
    assert (await fac.ok("clock.resume")) == {"speed": 360.0, "paused": False}
    await poc.until(lambda: any(not c.paused for c in poc.clocks))
    await fac.ok("clock.set_speed", {"speed": 120})
    await poc.until(lambda: any(c.speed == 120 for c in poc.clocks))
    await fac.ok("clock.pause")
    await poc.until(lambda: poc.clocks[-1].paused)
    assert [e.kind for e in poc.events[-3:]] == ["clock", "clock", "clock"]


async def test_only_the_facilitator_moves_the_clock(server: ExerciseServer, join: Join) -> None:
    ca = await join("RO/central_authority")
    for op, args in (
        ("clock.resume", {}),
        ("clock.pause", {}),
        ("clock.set_speed", {"speed": 10}),
        ("clock.advance", {"seconds": 60, "reason": "x"}),
    ):
        res = await ca.cmd(op, args)
        assert not res.ok and res.error and res.error.code == "forbidden"
    assert server.clock.paused


async def test_advance_jumps_and_fires_due_timers(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    inv = await join("RO/investigator")
    before = server.game_now()
    await fac.ok("clock.advance", {"seconds": 3 * DAY, "reason": "three days later"})
    await inv.until(lambda: any(e.data.get("id") == "reminder" for e in inv.events))
    await inv.until(lambda: bool(inv.clocks) and inv.clocks[-1].elapsed >= before + 3 * DAY)
    jump = next(e for e in inv.events if e.kind == "clock" and "jump" in e.data)
    assert jump.data["jump"] == 3 * DAY and jump.data["reason"] == "three days later"
    assert server.clock.paused  # a jump does not start the clock
    assert server.game_now() == before + 3 * DAY


@pytest.fixture
async def fast_server(scenario: Scenario, tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    srv = make_server(scenario, tmp_path / "fast", clock_interval=0.1)
    await srv.start("127.0.0.1", 0)
    yield srv
    await srv.stop()


async def test_running_clock_fires_timers_and_sends_periodic_frames(
    fast_server: ExerciseServer,
) -> None:
    from wsclient import Client

    fac = await Client.open(f"ws://127.0.0.1:{fast_server.port}/")
    await fac.hello(fast_server.roster.facilitator)
    await fac.ok("clock.set_speed", {"speed": 2 * DAY})  # two game days per wall second
    await fac.ok("clock.resume")
    # The reminder (a branch: no preservation sent by 1d12h) fires by itself within about a
    # wall second, at its due time.
    await fac.until(lambda: any(e.data.get("id") == "reminder" for e in fac.events), timeout=5)
    reminder = next(e for e in fac.events if e.data.get("id") == "reminder")
    assert reminder.elapsed == 1.5 * DAY
    n = len(fac.clocks)
    await fac.until(lambda: len(fac.clocks) >= n + 2, timeout=5)  # periodic, no command
    assert not fac.clocks[-1].paused
    assert fac.clocks[-1].elapsed > fac.clocks[-2].elapsed
    await fac.ok("clock.pause")
    await fac.close()

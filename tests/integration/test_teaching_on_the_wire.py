"""Teaching aids through a real server: the running order's speeds and timebox alarm, hint
cards in a seat's inbox, the knowledge check answered by a seat."""

from __future__ import annotations

import asyncio
from pathlib import Path

import msgspec
import pytest
from wsclient import Join, make_server, server_events

from tte.core.scenario import Phase, Scenario
from tte.server import ExerciseServer

HOUR = 3600.0


@pytest.fixture
def scenario(scenario: Scenario) -> Scenario:
    """The tutorial with a running order whose first timebox is over in a moment."""
    phases = [
        Phase(id="one", name="Freeze", at=0, timebox=0.002),
        Phase(id="two", name="Later", at="2h", speed=1200, timebox=30),
    ]
    return msgspec.structs.replace(scenario, phases=phases)


async def test_phase_speed_is_applied_and_its_timebox_alarms_once(
    server: ExerciseServer, join: Join
) -> None:
    fac = await join("facilitator")
    # The timebox runs while the clock is paused: the room's time, not the game's.
    await fac.until(lambda: any(e.kind == "timebox_alarm" for e in fac.events))
    alarm = next(e for e in fac.events if e.kind == "timebox_alarm")
    assert alarm.data["phase"] == "one" and alarm.data["timebox"] == 0.002
    poc = await join("RO/poc")
    assert not any(e.kind in ("timebox_alarm", "phase_started") for e in poc.events)
    await fac.ok("clock.advance", {"seconds": 2 * HOUR, "reason": "later"})
    await poc.until(lambda: bool(poc.clocks) and poc.clocks[-1].speed == 1200)
    assert server.clock.speed == 1200 and server.engine.state.phase == "two"
    await fac.ok("clock.set_speed", {"speed": 300})  # the facilitator overrides
    assert server.clock.speed == 300
    assert sum(e.kind == "timebox_alarm" for e in fac.events) == 1


async def test_hint_card_reaches_the_seats_inbox(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    inv = await join("RO/investigator")
    ca = await join("NL/central_authority")
    assert (await fac.ok("hint.release", {"id": "freeze_first"}))["hint"] == "freeze_first"
    await inv.until(lambda: any(e.data.get("hint") == "freeze_first" for e in inv.events))
    again = await fac.cmd("hint.release", {"id": "freeze_first"})
    assert not again.ok and again.error and "already released" in again.error.message
    assert not any(e.data.get("hint") for e in ca.events)


async def test_knowledge_check_answered_by_a_seat(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    inv = await join("RO/investigator")
    await fac.ok("knowledge.open", {"stage": "before"})
    await inv.until(lambda: any(e.kind == "knowledge_opened" for e in inv.events))
    opened = next(e for e in inv.events if e.kind == "knowledge_opened")
    assert "key" not in opened.data
    q = next(q for q in opened.data["questions"] if q["id"] == "first_step")
    await inv.ok(
        "knowledge.answer", {"stage": "before", "answers": {"first_step": q["choices"][1]}}
    )
    await fac.until(lambda: any(e.kind == "knowledge_answer" for e in fac.events))
    assert not any(e.kind == "knowledge_answer" for e in inv.events)
    await fac.ok("knowledge.open", {"stage": "before", "open": False})
    await fac.ok("knowledge.open", {"stage": "after"})
    await fac.ok("knowledge.open", {"stage": "after", "open": False})
    await inv.until(
        lambda: any("key" in e.data for e in inv.events if e.kind == "knowledge_opened")
    )


async def test_a_restarted_server_keeps_the_phase_and_does_not_alarm_twice(
    scenario: Scenario, tmp_path: Path
) -> None:
    srv = make_server(scenario, tmp_path / "restart")
    await srv.start("127.0.0.1", 0)
    try:
        async with asyncio.timeout(10):
            while "one" not in srv.engine.state.timebox_alarms:
                await asyncio.sleep(0.01)  # polling the condition, bounded by the timeout
    finally:
        await srv.stop()
    again = make_server(scenario, tmp_path / "restart")
    await again.start("127.0.0.1", 0)
    try:
        assert again.engine.state.phase == "one"
        assert again.timebox.phase == "one" and again.timebox.alarmed
        alarms = [e for e in server_events(again) if e.kind == "timebox_alarm"]
        assert len(alarms) == 1
    finally:
        await again.stop()

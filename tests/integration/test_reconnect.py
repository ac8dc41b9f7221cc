"""Reconnecting with last_seq gets exactly the missed events; a restart resumes the exercise."""

from __future__ import annotations

from pathlib import Path

from sample_requests import PRESERVATION
from wsclient import Client, Join, make_server, seqs, server_events

from tte import protocol as p
from tte.core.scenario import Scenario
from tte.server import ExerciseServer
from tte.server.log import ClockCheckpoint, EventLog

DAY = 86400.0


async def test_reconnect_with_last_seq_gets_exactly_what_was_missed(
    server: ExerciseServer, join: Join
) -> None:
    poc = await join("RO/poc")
    last = poc.seq
    await poc.close()

    inv = await join("RO/investigator")
    fac = await join("facilitator")
    await inv.ok("request.submit", PRESERVATION)  # RO/poc sees it when it arrives there
    await fac.ok("inject.send", {"title": "For NL only", "to": ["NL"]})  # not seen by RO/poc
    await fac.ok("inject.send", {"title": "For all", "to": ["all"]})
    upto = server.engine.state.seq

    back = await join("RO/poc", last_seq=last)
    missed = [e for e in server_events(server) if last < e.seq <= upto and e.visible_to("RO/poc")]
    assert seqs(back.events)[: len(missed)] == [e.seq for e in missed]
    titles = [e.data.get("title") for e in back.events]
    assert "For all" in titles and "For NL only" not in titles
    assert all(e.seq > last for e in back.events)


async def test_reconnect_from_zero_and_from_the_top(server: ExerciseServer, join: Join) -> None:
    a = await join("NL/poc")
    everything = seqs(a.events)
    b = await join("NL/poc", last_seq=0)
    assert seqs(b.events)[: len(everything)] == everything
    top = await join("NL/poc", last_seq=server.engine.state.seq + 100)  # ahead: nothing sent
    assert top.welcome is not None and top.events == []


async def test_restart_resumes_codes_events_and_clock(scenario: Scenario, tmp_path: Path) -> None:
    data = tmp_path / "ex"
    srv = make_server(scenario, data)
    port = await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{port}/"
    codes = srv.roster.codes()
    fac = await Client.open(url)
    assert isinstance(await fac.hello(codes["facilitator"]), p.Welcome)
    await fac.ok("clock.advance", {"seconds": 3 * 3600, "reason": "morning passes"})
    await fac.ok("clock.resume")
    await fac.ok("clock.pause")
    seq, elapsed = srv.engine.state.seq, srv.game_now()
    await fac.close()
    await srv.stop()
    assert (data.stat().st_mode & 0o777) == 0o700
    assert ((data / "roster.json").stat().st_mode & 0o777) == 0o600

    again = make_server(scenario, data)
    try:
        assert again.roster.codes() == codes
        assert again.engine.state.seq == seq
        assert again.clock.paused and again.game_now() == elapsed  # paused: did not run
        port = await again.start("127.0.0.1", 0)
        c = await Client.open(f"ws://127.0.0.1:{port}/")
        w = await c.hello(codes["observer"])
        assert isinstance(w, p.Welcome) and w.clock.paused and w.clock.elapsed == elapsed
        await c.until(lambda: c.seq >= seq)
        await c.close()
    finally:
        await again.stop()


async def test_timers_that_fell_due_fire_in_order_on_restart(
    scenario: Scenario, tmp_path: Path
) -> None:
    """The clock stood at 3 days when the server died before firing the day-2 inject."""
    data = tmp_path / "ex"
    srv = make_server(scenario, data)
    await srv.stop()
    log = EventLog(data / "events.sqlite")
    log.append_sync((), ClockCheckpoint(elapsed=3 * DAY, speed=600.0, paused=True))
    log.close()

    again = make_server(scenario, data)
    before = again.engine.state.seq
    await again.start("127.0.0.1", 0)
    try:
        c = await Client.open(f"ws://127.0.0.1:{again.port}/")
        await c.hello(again.roster.codes()["observer"], last_seq=before)
        await c.until(lambda: any(e.data.get("id") == "reminder" for e in c.events))
        fired = [e for e in c.events if e.seq > before]
        assert [e.seq for e in fired] == sorted(e.seq for e in fired)
        assert all(fired[i].elapsed <= fired[i + 1].elapsed for i in range(len(fired) - 1))
        reminder = next(e for e in fired if e.data.get("id") == "reminder")
        assert reminder.elapsed == 1.5 * DAY  # nothing preserved by 1d12h: it fired
        assert again.game_now() == 3 * DAY
        await c.close()
    finally:
        await again.stop()


async def test_other_exercise_in_data_dir_is_refused(scenario: Scenario, tmp_path: Path) -> None:
    import msgspec
    import pytest

    from tte.server import ServerError

    srv = make_server(scenario, tmp_path / "ex")
    await srv.stop()
    other = msgspec.structs.replace(
        scenario, exercise=msgspec.structs.replace(scenario.exercise, id="other")
    )
    with pytest.raises(ServerError, match="holds exercise 'tutorial'"):
        make_server(other, tmp_path / "ex")

"""Handshake paths: welcome and backlog, wrong/revoked codes, version, rate limit, HTTP."""

from __future__ import annotations

import asyncio
import time

from wsclient import Client, Join, seqs, server_events

from tte import protocol as p
from tte.server import ExerciseServer


async def test_welcome_then_every_visible_event(server: ExerciseServer, join: Join) -> None:
    before = server.engine.state.seq
    c = await join("RO/investigator")
    w = c.welcome
    assert w is not None
    assert w.v == 1 and w.seat == p.Seat("RO", "investigator")
    assert w.seq == before  # then the seat's arrival itself makes a (staff-only) event
    assert w.exercise["title"] == server.scenario.exercise.title
    assert w.clock.paused is True and w.clock.game_time.startswith("2026-03-02T08:00:00")
    visible = [
        e.seq for e in server_events(server) if e.visible_to("RO/investigator") and e.seq <= before
    ]
    assert seqs(c.events) == visible
    assert c.events[0].kind == "exercise_started"
    assert c.events[0].game_time == "2026-03-02T08:00:00+02:00"


async def test_staff_seats_have_no_country(join: Join) -> None:
    fac = await join("facilitator")
    obs = await join("observer")
    assert fac.welcome is not None and fac.welcome.seat == p.Seat(None, "facilitator")
    assert obs.welcome is not None and obs.welcome.seat == p.Seat(None, "observer")


async def test_code_is_read_forgivingly(server: ExerciseServer, url: str) -> None:
    code = server.roster.seats["NL/poc"]
    c = await Client.open(url)
    w = await c.hello(" " + code.replace("-", "").lower() + " ")
    assert isinstance(w, p.Welcome) and w.seat == p.Seat("NL", "poc")
    await c.close()


async def test_wrong_code_is_unauthorized_and_closed(server: ExerciseServer, url: str) -> None:
    c = await Client.open(url)
    err = await c.hello("AAAA-BBBB-CC")
    assert isinstance(err, p.Error) and err.code == "unauthorized"
    # The sentence also travels as data, for a client to draw in its reader's language.
    assert (err.message, err.message_key, err.message_params) == (
        "unknown join code",
        "unknown join code",
        {},
    )
    assert await c.closed() == 4001


async def test_unsupported_version_closes_4002(server: ExerciseServer, url: str) -> None:
    c = await Client.open(url)
    err = await c.hello(server.roster.facilitator, v=2)
    assert isinstance(err, p.Error) and err.code == "unsupported_version"
    assert await c.closed() == 4002


async def test_revoked_code(server: ExerciseServer, url: str, join: Join) -> None:
    old = server.roster.seats["RO/poc"]
    connected = await join("RO/poc")
    new = server.revoke("RO/poc")
    assert new != old
    assert await connected.closed() == 4001
    assert connected.errors and connected.errors[-1].code == "unauthorized"
    c = await Client.open(url)
    err = await c.hello(old)
    assert isinstance(err, p.Error) and "revoked" in err.message
    assert await c.closed() == 4001
    fresh = await join("RO/poc")
    assert fresh.welcome is not None
    assert server.roster.seat_for(new) == "RO/poc"


async def test_wrong_codes_are_slowed_down_per_address(server: ExerciseServer, url: str) -> None:
    """burst=3, rate=4/s in the test limiter: the 4th to 7th wrong code wait their turn."""

    async def attempt(code: str) -> p.Message:
        c = await Client.open(url)
        try:
            return await c.hello(code)
        finally:
            await c.close()

    for _ in range(3):
        assert (await attempt("ZZZZ-ZZZZ-ZZ")).code == "unauthorized"  # type: ignore[union-attr]
    t0 = time.monotonic()
    for _ in range(3):
        assert (await attempt("ZZZZ-ZZZZ-ZZ")).code == "unauthorized"  # type: ignore[union-attr]
    assert time.monotonic() - t0 >= 0.5  # three tokens at 4/s: at least 0.5 s
    # Flooding in parallel: beyond max_waiting=4 queued hellos, refused outright.
    answers = await asyncio.gather(*(attempt("ZZZZ-ZZZZ-ZZ") for _ in range(10)))
    codes = {a.code for a in answers if isinstance(a, p.Error)}
    assert "rate_limited" in codes
    # A right code from the same address still gets in once a token is back.
    ok = await attempt(server.roster.facilitator)
    assert isinstance(ok, p.Welcome)


async def _http_get(port: int, path: str) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status = int(head.split(b" ", 2)[1])
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    body = await asyncio.wait_for(reader.readexactly(length), 5)
    writer.close()
    return status, body.decode()


async def test_healthz_and_metrics(server: ExerciseServer, join: Join) -> None:
    await join("RO/poc")
    await join("RO/poc")
    assert await _http_get(server.port, "/healthz") == (200, "ok\n")
    status, text = await _http_get(server.port, "/metrics")
    assert status == 200
    assert f"tte_events_total {server.engine.state.seq}" in text
    assert 'tte_seat_connections{seat="RO/poc"} 2' in text
    assert "tte_send_queue_depth_max" in text
    assert "tte_gc_full_collections_total" in text

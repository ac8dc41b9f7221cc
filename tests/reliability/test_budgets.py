"""Budgets (docs/operations.md, "Budgets"): each test is the attack, then the refusal.

A real server on 127.0.0.1 with small budgets, raw WebSocket clients; waits are on frames
with timeouts, never sleeps.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tte import protocol as p
from tte.core.scenario import load
from tte.joincode import WrongCodeLimiter
from tte.server import ExerciseServer, Settings
from tte.server.budget import Budgets

from .support import TUTORIAL

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from sample_requests import PRESERVATION
from wsclient import Client

SMALL = Budgets(
    cmd_rate=5.0,
    cmd_burst=10,
    open_requests=2,
    seat_connections=2,
    unauth_per_address=3,
    unauth_total=64,
    log_interval=60.0,
)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    srv = ExerciseServer(
        load(TUTORIAL),
        tmp_path / "data",
        settings=Settings(budgets=SMALL, hello_timeout=5.0),
        limiter=WrongCodeLimiter(burst=2, rate=1.0, max_waiting=8),
    )
    await srv.start("127.0.0.1", 0)
    try:
        yield srv
    finally:
        await srv.stop()


async def joined(server: ExerciseServer, seat: str) -> Client:
    c = await Client.open(f"ws://127.0.0.1:{server.port}/")
    welcome = await c.hello(server.roster.codes()[seat])
    assert isinstance(welcome, p.Welcome), welcome
    return c


async def test_a_command_flood_is_refused_rate_limited_and_costs_the_log_nothing(
    server: ExerciseServer,
) -> None:
    flood = await joined(server, "RO/investigator")
    honest = await joined(server, "NL/central_authority")
    before = server.engine.state.seq
    t0 = time.monotonic()
    ids = [await flood.send_cmd("request.submit", PRESERVATION) for _ in range(60)]
    await flood.until(lambda: all(i in flood.results for i in ids), timeout=30)
    took = time.monotonic() - t0
    limited = [flood.results[i] for i in ids if not flood.results[i].ok]
    admitted = len(ids) - len(limited)
    assert limited and admitted <= SMALL.cmd_burst + SMALL.cmd_rate * took + 1
    assert {r.error.code for r in limited if r.error} == {"rate_limited"}
    assert any(r.error and "Too many commands" in r.error.message for r in limited)
    # Of the accepted ones, only `open_requests` submits opened a request.
    opened = [r for r in server.engine.state.requests.values() if r.sender == "RO/investigator"]
    assert len(opened) == SMALL.open_requests
    assert server.engine.state.seq - before < 40
    # The honest seat is not charged for the flood.
    res = await honest.cmd("request.check", PRESERVATION)
    assert res.error is None or res.error.code != "rate_limited"


async def test_open_requests_per_seat_are_capped_with_a_clear_message(
    server: ExerciseServer,
) -> None:
    ro = await joined(server, "RO/investigator")
    for _ in range(SMALL.open_requests):
        assert (await ro.cmd("request.submit", PRESERVATION)).ok
    res = await ro.cmd("request.submit", PRESERVATION)
    assert not res.ok and res.error and res.error.code == "rate_limited"
    assert "open requests" in res.error.message


async def test_connections_per_seat_are_capped(server: ExerciseServer) -> None:
    _ = [await joined(server, "RO/poc") for _ in range(SMALL.seat_connections)]
    extra = await Client.open(f"ws://127.0.0.1:{server.port}/")
    msg = await extra.hello(server.roster.codes()["RO/poc"])
    assert isinstance(msg, p.Error) and msg.code == "rate_limited"
    assert await extra.closed() == p.Close.BUSY
    # Another seat is not affected.
    await joined(server, "NL/poc")


async def test_connections_without_hello_are_capped_per_address_and_time_out(
    tmp_path: Path,
) -> None:
    srv = ExerciseServer(
        load(TUTORIAL), tmp_path / "d", settings=Settings(budgets=SMALL, hello_timeout=0.5)
    )
    await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.port}/"
    try:
        silent = [await Client.open(url) for _ in range(SMALL.unauth_per_address)]
        extra = await Client.open(url)
        msg = await extra.recv()
        assert isinstance(msg, p.Error) and msg.code == "rate_limited"
        assert await extra.closed() == p.Close.BUSY
        # The hello timeout frees the slots: the silent ones are closed 4003 ...
        for c in silent:
            assert await c.closed() == p.Close.HELLO_TIMEOUT
        # ... and an honest player joins.
        c = await Client.open(url)
        assert isinstance(await c.hello(srv.roster.codes()["RO/poc"]), p.Welcome)
    finally:
        await srv.stop()


async def test_wrong_codes_never_delay_the_right_one(server: ExerciseServer) -> None:
    url = f"ws://127.0.0.1:{server.port}/"

    async def guess() -> None:
        async with connect(url, compression=None) as ws:
            await ws.send(p.encode(p.Hello(v=1, code="ZZZZ-ZZZZ-ZZ")))
            await asyncio.wait_for(ws.recv(), 20)

    # Burst spent: the next wrong codes wait (held open) ...
    await asyncio.gather(*(guess() for _ in range(2)))
    waiting = [asyncio.create_task(guess()) for _ in range(2)]
    c = await Client.open(url)
    assert isinstance(await c.hello(server.roster.codes()["RO/poc"]), p.Welcome)
    # Ordered, not timed: the right code was let in while the wrong ones still wait.
    assert not all(t.done() for t in waiting), "the right code waited behind wrong ones"
    await asyncio.gather(*waiting)


async def test_a_flood_of_bad_frames_logs_one_line_per_interval(
    server: ExerciseServer, caplog: pytest.LogCaptureFixture
) -> None:
    c = await joined(server, "RO/poc")
    caplog.set_level(logging.INFO, logger="tte.server")
    for _ in range(200):
        await c.send_raw(b"\xc1garbage")
    await c.until(lambda: len(c.errors) >= 200)
    lines = [r for r in caplog.records if "bad frame" in r.getMessage()]
    assert len(lines) == 1


async def test_sigterm_stops_the_server_within_5_s_during_a_flood(tmp_path: Path) -> None:
    from tte.server.auth import Roster

    from .support import start_server_proc

    srv = await start_server_proc(tmp_path / "data")
    try:
        roster = Roster.load(tmp_path / "data" / "roster.json")
        url = f"ws://127.0.0.1:{srv.port}/"
        floods = []
        for seat in ("RO/investigator", "NL/poc", "facilitator"):
            c = await Client.open(url)
            assert isinstance(await c.hello(roster.codes()[seat]), p.Welcome)
            floods.append(c)

        async def flood(c: Client) -> None:
            for _ in range(2000):  # bounded: a few seconds of full-speed sending
                await c.send_cmd("request.submit", PRESERVATION)

        tasks = [asyncio.create_task(flood(c)) for c in floods]
        await floods[0].until(lambda: len(floods[0].results) > 100, timeout=20)
        t0 = time.monotonic()
        srv.proc.terminate()
        await asyncio.wait_for(srv.proc.wait(), 10)
        assert time.monotonic() - t0 < 5.0
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if srv.proc.returncode is None:
            srv.proc.kill()
            await srv.proc.wait()


async def test_metrics_are_for_this_machine_or_the_facilitators_code(
    server: ExerciseServer,
) -> None:
    from types import SimpleNamespace

    from websockets.datastructures import Headers
    from websockets.http11 import Request

    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    head = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert b" 200 " in head  # from this machine

    # From another address (no network beyond loopback in tests: the connection's
    # address is what the server reads).
    def ask(headers: dict[str, str]) -> int:
        answers: list[int] = []
        conn = SimpleNamespace(
            remote_address=("192.0.2.7", 40000),
            respond=lambda status, body: answers.append(status) or status,
        )
        server._http(conn, Request("/metrics", Headers(headers)))  # type: ignore[arg-type]
        return answers[0]

    assert ask({}) == 403
    assert ask({"Authorization": f"Bearer {server.roster.codes()['RO/poc']}"}) == 403
    assert ask({"Authorization": f"Bearer {server.roster.facilitator}"}) == 200


async def test_the_gateway_names_each_ssh_client_and_only_the_gateway_can(
    server: ExerciseServer,
) -> None:
    """limiter burst=2, rate=1/s. Through the gateway (its key), wrong codes are charged to
    the SSH client's address: one client guessing does not slow another. Without the key,
    `forwarded_for` is ignored: a guesser cannot pick a fresh address per hello."""
    url = f"ws://127.0.0.1:{server.port}/"
    key = server.roster.gateway

    async def wrong(forwarded_for: str, gateway_key: str) -> float:
        t0 = time.monotonic()
        async with connect(url, compression=None) as ws:
            hello = p.Hello(v=1, code="ZZZZ-ZZZZ-ZZ", forwarded_for=forwarded_for,
                            gateway_key=gateway_key)  # fmt: skip
            await ws.send(p.encode(hello))
            msg = p.decode_server(await asyncio.wait_for(ws.recv(), 20))
            assert isinstance(msg, p.Error) and msg.code == "unauthorized"
        return time.monotonic() - t0

    for _ in range(2):
        await wrong("198.51.100.1", key)  # the burst of client 1
    # Client 1's next guess waits for a token; client 2's is answered meanwhile.
    slow = asyncio.create_task(wrong("198.51.100.1", key))
    await wrong("198.51.100.2", key)
    assert not slow.done(), "client 2 waited behind client 1's guesses"
    assert await slow > 0.5
    # Without the key, every hello is the TCP address's (127.0.0.1), whatever it claims.
    for i in range(2):
        await wrong(f"203.0.113.{i}", "forged")
    assert await wrong("203.0.113.99", "forged") > 0.5


async def test_a_60_kb_join_code_is_refused_like_any_wrong_code_and_counts_64_characters(
    server: ExerciseServer,
) -> None:
    from tte.joincode import MAX_CODE_INPUT, normalise

    huge = "K7QX-" * 12_000  # 60 kB: the frame fits, the code is absurd
    assert len(normalise(huge)) <= MAX_CODE_INPUT
    c = await Client.open(f"ws://127.0.0.1:{server.port}/")
    reply = await c.hello(huge)
    assert isinstance(reply, p.Error) and reply.code == "unauthorized"
    # A real code with a tail past the 64 characters that count still opens nothing.
    right = server.roster.codes()["RO/poc"]
    assert server.roster.seat_for(right + "X" * 100) is None
    assert server.roster.seat_for(right) == "RO/poc"


async def test_out_of_file_descriptors_logs_one_line_and_honest_players_join_after(
    tmp_path: Path,
) -> None:
    """`ulimit -n 128` and 150 silent TCP connections: asyncio would log a traceback at
    every accept it retries (34,000 lines in 6 s before); the server logs one line, and
    once the silent connections are gone an honest player joins."""
    import socket

    from tte.server.auth import Roster

    from .support import start_server_proc, until

    srv = await start_server_proc(tmp_path / "data", nofile=128)
    silent: list[socket.socket] = []
    try:
        for _ in range(150):  # never a byte: file descriptors are all they spend
            silent.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
        await until(lambda: "out of file descriptors" in srv.log_text(), 10, "the line")
        for s in silent:
            s.close()
        roster = Roster.load(tmp_path / "data" / "roster.json")
        c = await Client.open(srv.url)
        assert isinstance(await c.hello(roster.codes()["RO/poc"]), p.Welcome)
        await c.close()
        text = srv.log_text()
        assert text.count("out of file descriptors") <= 2  # one per 10 s
        assert "Traceback" not in text and "Too many open files" in text
        assert "only 128 open files allowed" in text
    finally:
        for s in silent:
            s.close()
        await srv.stop()


async def test_frames_past_the_seats_budget_are_refused_without_being_decoded(
    server: ExerciseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large frames past the budget cost a read of their id, not a decode."""
    decoded = 0
    real = p.decode_client

    def counting(frame: bytes) -> p.Hello | p.Cmd:
        nonlocal decoded
        decoded += 1
        return real(frame)

    flood = await joined(server, "RO/investigator")
    monkeypatch.setattr(p, "decode_client", counting)
    big = {"template": "preservation", "fields": {"x": [list(range(50))] * 200}}  # ~40 kB
    t0 = time.monotonic()
    ids = [await flood.send_cmd("request.check", big) for _ in range(2 * SMALL.cmd_burst)]
    await flood.until(lambda: all(i in flood.results for i in ids), timeout=30)
    took = time.monotonic() - t0
    limited = [i for i in ids if (e := flood.results[i].error) and e.code == "rate_limited"]
    assert limited and len(ids) - len(limited) <= SMALL.cmd_burst + SMALL.cmd_rate * took + 1
    assert decoded == len(ids) - len(limited)  # the refused ones were never decoded

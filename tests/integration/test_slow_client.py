"""A stalled client does not delay the others; it is dropped and catches up on reconnect."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from wsclient import Client, make_server, server_events

from tte import protocol as p
from tte.core.scenario import Scenario
from tte.server import ExerciseServer

ROUND = 100
MAX_COMMANDS = 3000
TEXT = "x" * 16_000  # ~16 KB per event: a few MB fill every buffer between us and the staller


@pytest.fixture
async def small_queue_server(scenario: Scenario, tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    # Small batches keep each fan-out burst well below the queue bound, so only a client
    # that does not read at all overflows it.
    srv = make_server(scenario, tmp_path / "slow", queue_max=64, max_batch=16)
    await srv.start("127.0.0.1", 0)
    yield srv
    await srv.stop()


async def test_stalled_client_is_dropped_and_others_keep_up(
    small_queue_server: ExerciseServer,
) -> None:
    srv = small_queue_server
    url = f"ws://127.0.0.1:{srv.port}/"

    # The staller: a tiny receive buffer, and it never reads after its welcome.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", srv.port))
    stalled = await connect(url, sock=sock, compression=None, max_queue=1, max_size=None)
    await stalled.send(p.encode(p.Hello(v=1, code=srv.roster.observer)))
    welcome = p.decode_server(await stalled.recv())
    assert isinstance(welcome, p.Welcome)
    last_seen = welcome.seq

    watcher = await Client.open(url)
    await watcher.hello(srv.roster.seats["NL/poc"])
    fac = await Client.open(url)
    await fac.hello(srv.roster.facilitator)

    # Stream commands in rounds until the staller's queue overflows (how much that takes
    # depends on the kernel's socket buffers); everyone else reads all along.
    ids: list[str] = []
    while srv.hub.dropped == 0:
        assert len(ids) < MAX_COMMANDS, "the stalled client was never dropped"
        # NL/poc keeps reading during the round (cancelling a recv loses no frame).
        reading = asyncio.create_task(watcher.until(lambda: False, 60))
        for _ in range(ROUND):
            args = {"title": f"n{len(ids)}", "text": TEXT, "to": ["all"]}
            ids.append(await fac.send_cmd("inject.send", args))
        await fac.until(lambda: len(fac.results) >= len(ids), 30)
        assert all(fac.results[i].ok for i in ids)
        reading.cancel()
        top = srv.engine.state.seq
        # The others got every event while the staller sat on its socket.
        await watcher.until(lambda top=top: watcher.seq >= top, 30)  # type: ignore[misc]
    assert srv.hub.count("observer") == 0

    # Reconnecting with last_seq delivers exactly what it missed.
    stalled.transport.abort()
    back = await Client.open(url)
    await back.hello(srv.roster.observer, last_seq=last_seen)
    missed = [e.seq for e in server_events(srv) if last_seen < e.seq <= top]
    assert len(missed) >= ROUND
    await back.until(lambda: len(back.events) >= len(missed), timeout=30)
    assert [e.seq for e in back.events][: len(missed)] == missed
    for c in (watcher, fac, back):
        await c.close()

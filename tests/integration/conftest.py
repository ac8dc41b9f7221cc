"""A real server on an ephemeral 127.0.0.1 port and real WebSocket clients.

No sleeps as synchronisation: every wait is on a condition (a frame arriving, a count
reached) with a timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from wsclient import Client, Join, make_server, server_events

from tte import protocol as p
from tte.core.scenario import Scenario
from tte.server import ExerciseServer


@pytest.fixture
async def server(scenario: Scenario, tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    """As tests/conftest.py's server, with the small wrong-code limiter of make_server."""
    srv = make_server(scenario, tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    yield srv
    await srv.stop()


@pytest.fixture
def url(server: ExerciseServer) -> str:
    return f"ws://127.0.0.1:{server.port}/"


@pytest.fixture
async def join(server: ExerciseServer, url: str) -> AsyncIterator[Join]:
    """join("RO/poc", last_seq=0) -> a welcomed Client that has read its backlog."""
    clients: list[Client] = []

    async def _join(seat: str, last_seq: int = 0, catch_up: bool = True) -> Client:
        c = await Client.open(url)
        clients.append(c)
        welcome = await c.hello(server.roster.codes()[seat], last_seq)
        assert isinstance(welcome, p.Welcome), welcome
        if catch_up:
            expected = [
                e.seq
                for e in server_events(server)
                if last_seq < e.seq <= welcome.seq and e.visible_to(seat)
            ]
            await c.until(lambda: [e.seq for e in c.events] == expected)
        return c

    yield _join
    for c in clients:
        await c.ws.close()

"""The console against a real exercise server on 127.0.0.1, port 0, in a tmp directory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from console_kit import Player

from tte.client.console.app import ConsoleApp
from tte.core.scenario import Scenario
from tte.server.exercise import ExerciseServer


@pytest.fixture
def url(server: ExerciseServer) -> str:
    return f"ws://127.0.0.1:{server.port}/"


@pytest.fixture
def console(server: ExerciseServer, url: str, scenario: Scenario, tmp_path: Path) -> ConsoleApp:
    return ConsoleApp(
        url,
        server.roster.facilitator,
        scenario=scenario,
        codes=server.roster.codes(),
        ssh_port=2222,
        sheet_dir=tmp_path / "sheets",
    )


@pytest.fixture
async def join(
    server: ExerciseServer, url: str
) -> AsyncIterator[Callable[[str], Awaitable[Player]]]:
    """join("RO/poc") -> a player on that seat (not yet necessarily welcomed)."""
    players: list[Player] = []

    async def _join(seat: str) -> Player:
        pl = await Player(url, server.roster.codes()[seat]).start()
        players.append(pl)
        return pl

    yield _join
    for pl in players:
        await pl.close()

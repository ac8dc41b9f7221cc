"""Fixtures of the player app's Pilot tests: a real server on an ephemeral port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from player_support import TUTORIAL, Seats

from tte.core.scenario import load
from tte.server.exercise import ExerciseServer


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    srv = ExerciseServer(load(TUTORIAL), tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        yield srv
    finally:
        await srv.stop()


@pytest.fixture
async def seats(server: ExerciseServer) -> AsyncIterator[Seats]:
    s = Seats(server)
    try:
        yield s
    finally:
        await s.close()

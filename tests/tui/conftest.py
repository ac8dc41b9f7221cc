"""Fixtures of the player app's Pilot tests: a real server on an ephemeral port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from player_support import Seats

from tte.server.exercise import ExerciseServer


@pytest.fixture
async def seats(server: ExerciseServer) -> AsyncIterator[Seats]:
    s = Seats(server)
    try:
        yield s
    finally:
        await s.close()

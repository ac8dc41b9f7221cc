"""A real exercise server on an ephemeral port, for the client tests (no mocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tte.core.scenario import load
from tte.server.exercise import ExerciseServer

TUTORIAL = Path(__file__).resolve().parents[3] / "scenarios" / "tutorial.yaml"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    srv = ExerciseServer(load(TUTORIAL), tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        yield srv
    finally:
        await srv.stop()


@pytest.fixture
def tutorial() -> Path:
    return TUTORIAL

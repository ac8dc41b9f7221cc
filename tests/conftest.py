"""Test-wide settings and fixtures: hypothesis runs deterministically so CI sees the same
examples; a real tutorial server on an ephemeral loopback port (a folder may override it)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tte.core.scenario import Scenario, load
from tte.server.exercise import ExerciseServer

TUTORIAL = Path(__file__).resolve().parents[1] / "scenarios" / "tutorial.yaml"

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def scenario() -> Scenario:
    return load(TUTORIAL)


@pytest.fixture
async def server(scenario: Scenario, tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    """A real exercise server on 127.0.0.1, port 0, its data in a temp dir."""
    srv = ExerciseServer(scenario, tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        yield srv
    finally:
        await srv.stop()

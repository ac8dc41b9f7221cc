"""A real exercise server on an ephemeral port, for the client tests (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[3] / "scenarios" / "tutorial.yaml"


@pytest.fixture
def tutorial() -> Path:
    return TUTORIAL

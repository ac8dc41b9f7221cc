"""The reliability suite: CI-sized by default; TTE_SOAK=1 (make soak) runs the long versions."""

from __future__ import annotations

import os

import pytest

SOAK = os.environ.get("TTE_SOAK") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: long runs for make soak (TTE_SOAK=1)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SOAK:
        return
    skip = pytest.mark.skip(reason="soak only: TTE_SOAK=1 (make soak)")
    for item in items:
        if item.get_closest_marker("soak") is not None:
            item.add_marker(skip)

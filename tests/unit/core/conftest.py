"""Fixtures for the core tests: small scenarios, and games whose log is checked at teardown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tte.core.scenario import Scenario

from .kit import Game, scenario


@pytest.fixture
def sc() -> Scenario:
    return scenario()


@pytest.fixture
def game() -> Iterator[Callable[..., Game]]:
    """Make games; at teardown each one's log must replay to its state, unchanged."""
    made: list[Game] = []

    def make(sc: Scenario | None = None, *args: Any, **kw: Any) -> Game:
        g = Game(sc or scenario(), *args, **kw)
        made.append(g)
        return g

    yield make
    for g in made:
        g.check_log()

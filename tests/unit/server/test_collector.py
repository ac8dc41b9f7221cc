"""tte.server.collector: full garbage collections wait for a quiet moment (or a minute)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from tte.server import collector
from tte.server.collector import LONGEST, QUIET, Collector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def installed() -> Iterator[None]:
    before = gc.get_threshold()
    collector.install()
    try:
        yield
    finally:
        collector.uninstall()
        assert gc.get_threshold() == before


def old_garbage_cycle() -> weakref.ref[Cycle]:
    """A reference cycle that only a full collection frees: it became garbage after it
    had moved to the oldest generation (as a closed connection's objects do)."""
    c = Cycle()
    gc.collect(1)  # survivors of a young collection move to the oldest generation
    return weakref.ref(c)


def young_collections_until_full_due() -> None:
    while not collector.full_due():
        gc.collect(1)


def test_install_stops_only_the_interpreters_full_collections(installed: None) -> None:
    young, middle, full = gc.get_threshold()
    assert full == collector.OFF
    collector.install()  # a second server in the same process
    collector.uninstall()
    assert gc.get_threshold() == (young, middle, full)  # still off: one server runs


def test_a_full_collection_waits_while_commands_keep_coming(installed: None) -> None:
    clock = Clock()
    c = Collector(clock)
    ref = old_garbage_cycle()
    young_collections_until_full_due()
    for _ in range(10):
        clock.now += QUIET / 2
        c.busy()
        assert not c.tick()
    assert ref() is not None  # the cycle waits: no pause in anyone's turn
    clock.now += QUIET
    assert c.tick()
    assert ref() is None
    assert c.full_collections == 1


def test_a_server_never_quiet_still_collects_once_a_minute(installed: None) -> None:
    clock = Clock()
    c = Collector(clock)
    ref = old_garbage_cycle()
    young_collections_until_full_due()
    clock.now += LONGEST - 1
    c.busy()
    assert not c.tick()
    clock.now += 1
    c.busy()
    assert c.tick()
    assert ref() is None


def test_no_full_collection_before_one_is_due(installed: None) -> None:
    clock = Clock()
    c = Collector(clock)
    gc.collect()  # the count of young collections starts again from zero
    clock.now += LONGEST * 2
    assert not c.tick()

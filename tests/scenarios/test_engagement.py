"""Every seat a person may take has decisions in every shipped scenario (issue 22): read
from the event log of a golden playthrough, desks deciding for the empty seats."""

from __future__ import annotations

import pytest

from tte.core.events import Event
from tte.core.simulate import run, seat_decisions

from .conftest import SCENARIOS, load_scenario

NAMES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_every_seat_a_person_may_take_has_at_least_two_decisions_in_a_golden_run(
    name: str,
) -> None:
    sc = load_scenario(name)
    log: list[Event] = []
    _eng, out = run(sc, "golden", on_events=log.extend)
    assert out["score"] == 100
    decisions = seat_decisions(sc, log)
    idle = {s: decisions[s] for s in sc.human_seats() if decisions[s] < 2}
    assert idle == {}


@pytest.mark.parametrize("name", NAMES)
def test_every_request_a_scenario_starts_is_sent(name: str) -> None:
    """An incoming request the engine cannot send becomes a note to staff: none may."""
    sc = load_scenario(name)
    log: list[Event] = []
    run(sc, "golden", on_events=log.extend)
    started = {
        e.data["inject"] for e in log if e.kind == "request_submitted" and "inject" in e.data
    }
    planned = {i.id for i in sc.injects if i.effects.request is not None}
    assert started == planned
    assert not [e for e in log if e.kind == "note" and "could not send" in e.data["text"]]

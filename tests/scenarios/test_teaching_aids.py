"""The shipped scenarios that carry the teaching aids: a knowledge check for every role
people take, at least two hint cards, a timed running order; and the golden run still wins
with them (phases change the clock, not the law)."""

from __future__ import annotations

import pytest

from tte.core.learning import teaching_warnings
from tte.core.simulate import run

from .conftest import load_scenario

WITH_AIDS = ["tutorial", "lisbon-ransomware-2ap"]


@pytest.mark.parametrize("name", WITH_AIDS)
def test_shipped_teaching_aids_cover_every_role_people_take(name: str) -> None:
    sc = load_scenario(name)
    assert teaching_warnings(sc) == []
    assert len(sc.hints) >= 2 and sc.phases and sc.knowledge_check
    for q in sc.knowledge_check:  # the key teaches: an article in every explanation
        assert "Art" in q.explanation, q.id


@pytest.mark.parametrize("name", WITH_AIDS)
def test_golden_run_walks_the_running_order(name: str) -> None:
    sc = load_scenario(name)
    eng, out = run(sc, "golden")
    timed = [ph.id for ph in sc.phases if ph.at is not None]
    assert set(timed) <= eng.state.phases_started
    assert out["score"] >= 90


def test_lisbon_emergency_concerns_the_c2_server_only() -> None:
    eng, _ = run(load_scenario("lisbon-ransomware-2ap"), "golden")
    art9 = [r for r in eng.state.requests.values() if r.template == "emergency_disclosure"]
    assert art9, "the golden team uses 2AP Art 9 for the hospital"
    assert all(set(r.evidence) <= {"c2_logs", "c2_sub", "c2_image"} for r in art9)

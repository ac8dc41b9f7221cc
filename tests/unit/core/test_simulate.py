"""Headless playthroughs: the tutorial with golden and careless play, and generic scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte.core.engine import Engine
from tte.core.events import Event
from tte.core.policies import fill_fields
from tte.core.scenario import load
from tte.core.simulate import run

from .kit import canon, scenario

TUTORIAL = Path(__file__).resolve().parents[3] / "scenarios" / "tutorial.yaml"


@pytest.fixture(scope="module")
def tutorial():
    return load(TUTORIAL)


def collect(sc, policy):
    events: list[Event] = []
    eng, out = run(sc, policy, on_events=events.extend)
    return eng, out, events


def test_golden_tutorial(tutorial):
    eng, out, events = collect(tutorial, "golden")
    assert out["score"] == 100
    assert out["evidence"] == {
        "total": 2,
        "preserved": 1,
        "lost": 0,
        "obtained": 2,
        "admissible": 2,
    }
    assert all(o["met"] for o in out["objectives"])
    st = eng.state
    assert st.items["c2_logs"].preserved_at < 4 * 86400  # before Polderhost's logs rotate
    assert all(not it.deleted for it in st.items.values())
    assert {e.kind for e in events} >= {"evidence_preserved", "evidence_obtained", "inject"}
    # it asked for confidentiality, so Polderhost did not tip anyone off
    assert not [e for e in events if e.kind == "tip_off"]
    assert out["events"] == len(events)


def test_careless_tutorial(tutorial):
    eng, out, events = collect(tutorial, "careless")
    assert out["score"] == 0
    assert out["evidence"]["preserved"] == 0
    assert out["evidence"]["admissible"] == 0
    assert out["evidence"]["lost"] == 1
    logs = eng.state.items["c2_logs"]
    assert logs.deleted and not logs.admissible_for()
    assert all(
        o["via"] == "police_info" for it in eng.state.items.values() for o in it.obtained.values()
    )
    assert not any(o["met"] for o in out["objectives"])
    assert not [e for e in events if e.kind == "evidence_preserved"]
    gone = next(e for e in events if e.kind == "evidence_deleted")
    assert gone.data["id"] == "c2_logs" and gone.data["reason"] == "retention"


@pytest.mark.parametrize("policy", ["golden", "careless"])
def test_a_simulated_run_replays_to_the_same_state(tutorial, policy):
    eng, _out, events = collect(tutorial, policy)
    assert canon(Engine.replay(tutorial, events).state) == canon(eng.state)


def test_simulation_is_deterministic(tutorial):
    a = [e.to_record() for e in collect(tutorial, "golden")[2]]
    b = [e.to_record() for e in collect(tutorial, "golden")[2]]
    assert a == b


def test_golden_uses_the_2ap_where_it_applies():
    sc = scenario(
        objectives="""
        - {id: logs, title: L, evidence_admissible: logs}
        - {id: sub, title: S, evidence_admissible: sub}
        """,
        channels="{mla: 20d}",
    )
    eng, out, _events = collect(sc, "golden")
    assert out["score"] == 100 and out["evidence"]["lost"] == 0
    templates = {r.template for r in eng.state.requests.values()}
    assert {"preservation", "subscriber_order"} <= templates


def test_careful_and_careless_fields():
    items = [scenario().item("logs")]
    careful = fill_fields("mla_stored_data", items)
    careless = fill_fields("mla_stored_data", items, careful=False)
    assert careful["confidentiality"] is True and "time_zone" in careful
    assert "confidentiality" not in careless and "time_zone" not in careless

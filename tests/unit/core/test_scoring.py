"""Objectives, inject conditions and the outcome of a run."""

from __future__ import annotations

from tte.core.scoring import objective_met, outcome, response_times, trigger_true

from .kit import DAY, scenario

OBJECTIVES = """
- {id: pres, title: Preserved in a day, evidence_preserved: logs, by: 3d, weight: 3}
- {id: sent, title: MLA sent, request_sent: mla_stored_data, weight: 1}
- {id: adm, title: Admissible, evidence_admissible: sub, weight: 2}
- {id: kept, title: Logs not lost, evidence_not_lost: logs, weight: 2}
- {id: late, title: Impossible deadline, evidence_obtained: sub, by: 1h, weight: 2}
"""


def test_objectives_weights_and_score(game):
    g = game(
        scenario(objectives=OBJECTIVES, channels="{mla: 10d}", execution="{mla_stored_data: 5d}")
    )
    out = outcome(g.st, 0)
    assert out["score"] == 20  # only 'kept' (weight 2 of 10) holds at the start
    p = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.until(lambda: g.req(p).status == "fulfilled")
    assert [e.data["id"] for e in g.of("objective_met")] == ["sent", "pres"]
    assert all(e.visible == () for e in g.of("objective_met"))
    g.settle(50 * DAY)  # before the preservation lapses
    out = outcome(g.st, len(g.events))
    met = {o["id"]: o["met"] for o in out["objectives"]}
    assert met == {"pres": True, "sent": True, "adm": True, "kept": True, "late": False}
    assert out["score"] == 80
    assert out["evidence"] == {
        "total": 2,
        "preserved": 1,
        "lost": 0,
        "obtained": 1,
        "admissible": 1,
    }
    assert out["events"] == len(g.events)
    assert g.st.objectives_met["pres"] == g.item("logs").preserved_at


def test_deadline_missed_and_evidence_lost(game):
    g = game(scenario(objectives=OBJECTIVES))
    g.advance(3.5 * DAY)
    g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.settle(50 * DAY)
    sc = g.sc
    obj = {o.id: o for o in sc.objectives}
    assert not objective_met(g.st, obj["pres"])
    assert not objective_met(g.st, obj["kept"])
    assert outcome(g.st, 0)["evidence"]["lost"] == 1


def test_not_lost_is_judged_only_at_the_end(game):
    g = game(scenario(objectives=OBJECTIVES))
    kept = next(o for o in g.sc.objectives if o.id == "kept")
    assert objective_met(g.st, kept, final=True)
    assert not objective_met(g.st, kept, final=False)
    assert not g.of("objective_met")


def test_objective_for_another_country_does_not_count_for_the_lead(game):
    sc = scenario(
        objectives="[{id: o, title: O, evidence_obtained: sub, country: BB}]",
        evidence="[{id: sub, title: S, kind: subscriber, holder: host, known_to: [AA]}]",
    )
    g = game(sc)
    g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.settle()
    assert g.item("sub").admissible_for("AA")
    assert not objective_met(g.st, sc.objectives[0])


def test_triggers(game):
    sc = scenario(
        injects="""
        - {id: a, title: A, manual: true}
        - {id: t1, title: T, when: {evidence_lost: logs}}
        - {id: t2, title: T, when: {request_sent: preservation}}
        - {id: t3, title: T, when: {evidence_obtained: sub}}
        - {id: t4, title: T, when: {jit_agreed: true}}
        - {id: t5, title: T, when: {request_refused: mla_stored_data}}
        """,
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d,
           voluntary: subscriber}
        """,
    )
    g = game(sc)
    when = {i.id: i.when for i in sc.injects if i.when}
    assert not any(trigger_true(g.st, w) for w in when.values())
    g.submit("AA/investigator", "preservation", "host", ["sub"])
    assert trigger_true(g.st, when["t2"]) and g.one("inject", id="t2")
    g.settle(5 * DAY)
    assert g.one("inject", id="t1").t == 4 * DAY
    g.submit("AA/investigator", "voluntary_request", "host", ["sub"])
    g.settle(10 * DAY)
    assert g.one("inject", id="t3")  # obtained counts, admissible or not
    assert not g.item("sub").admissible_for("AA")
    assert not g.of("inject", id="t5")


def test_response_times_against_limits(game):
    g = game()
    g.do("facilitator", "emergency.declare", emergency=True)
    a = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    rt = response_times(g.st)["emergency_disclosure"]
    assert rt["count"] == 1 and rt["limit"] == DAY
    # timed from receipt by the requested Party, not from drafting
    assert rt["median"] == rt["worst"] == g.req(a).answered_at - g.req(a).received_at
    assert rt["over_limit"] == (1 if rt["worst"] > DAY else 0)

"""Objectives that measure what they claim: by instrument, target, window, outcome, content."""

from __future__ import annotations

from tte.core.scenario import parse
from tte.core.scoring import objective_met

from .kit import DAY, scenario, scenario_text


def _ob(g, oid):
    return next(o for o in g.sc.objectives if o.id == oid)


def test_evidence_obtained_by_mla_does_not_meet_an_art7_objective(game):
    g = game(
        scenario(
            objectives="""
            - {id: art7, title: By 2AP Art 7, evidence_admissible: sub, via: [subscriber_order]}
            - {id: any, title: Any formal path, evidence_admissible: sub}
            """
        )
    )
    rid = g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.until(lambda: g.req(rid).status == "fulfilled")
    assert objective_met(g.st, _ob(g, "any"))
    assert not objective_met(g.st, _ob(g, "art7"))


def test_evidence_obtained_by_an_art7_order_meets_the_art7_objective(game):
    g = game(
        scenario(
            objectives="""
            - {id: art7, title: By 2AP Art 7, evidence_admissible: sub, via: [subscriber_order]}
            """
        )
    )
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], confidentiality=True)
    g.until(lambda: g.req(rid).status == "fulfilled")
    assert objective_met(g.st, _ob(g, "art7"))


def test_a_refused_request_is_an_attempt_not_an_outcome(game):
    g = game(
        scenario(
            objectives="""
            - {id: tried, title: Tried, request_sent: mla_stored_data}
            - {id: done, title: Executed, request_sent: mla_stored_data, outcome: fulfilled}
            """
        )
    )
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="network_24_7")
    g.until(lambda: g.req(rid).status == "refused")
    assert objective_met(g.st, _ob(g, "tried"))
    assert not objective_met(g.st, _ob(g, "done"))


def test_a_request_returned_once_is_fulfilled_but_not_right_first_time(game):
    g = game(
        scenario(
            objectives="""
            - {id: done, title: Executed, request_sent: mla_stored_data, outcome: fulfilled}
            - {id: first, title: Right first time, request_sent: mla_stored_data,
               outcome: first_time}
            """
        )
    )
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], link_to_offence=None)
    g.until(lambda: g.req(rid).status == "returned")
    g.do("AA/investigator", "request.amend", id=rid, fields={"link_to_offence": "It is the C2"})
    g.until(lambda: g.req(rid).status == "fulfilled")
    assert objective_met(g.st, _ob(g, "done"))
    assert not objective_met(g.st, _ob(g, "first"))


def test_request_objective_counts_only_the_named_target_item_and_window(game):
    g = game(
        scenario(
            objectives="""
            - {id: to_bb, title: To BB, request_sent: preservation, to: BB}
            - {id: to_aa, title: To AA, request_sent: preservation, to: AA}
            - {id: of_sub, title: About sub, request_sent: preservation, item: sub}
            - {id: later, title: After day 1, request_sent: preservation, after: 1d, by: 2d}
            """
        )
    )
    g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.settle(3 * DAY)
    met = {o.id: objective_met(g.st, o) for o in g.sc.objectives}
    assert met == {"to_bb": True, "to_aa": False, "of_sub": False, "later": False}


def test_request_objective_on_content_needs_the_fields_filled(game):
    g = game(
        scenario(
            objectives="""
            - {id: conf, title: Confidentiality asked, request_sent: preservation,
               fields_filled: [confidentiality]}
            """
        )
    )
    g.submit("AA/investigator", "preservation", "host", ["logs"], confidentiality=False)
    assert not objective_met(g.st, _ob(g, "conf"))
    g.submit("AA/investigator", "preservation", "host", ["logs"], confidentiality=True)
    assert objective_met(g.st, _ob(g, "conf"))


def test_objective_filters_are_validated():
    text = scenario_text(
        objectives="""
        - {id: a, title: A, evidence_preserved: logs, via: [subscriber_order]}
        - {id: b, title: B, evidence_admissible: sub, via: [nope]}
        - {id: c, title: C, evidence_admissible: sub, outcome: fulfilled}
        - {id: d, title: D, request_sent: preservation, to: ZZ, fields_filled: [nope]}
        """
    )
    _sc, problems = parse(text)
    paths = {p.path for p in problems}
    assert {
        "objectives[0].via",
        "objectives[1].via[0]",
        "objectives[2].outcome",
        "objectives[3].to",
        "objectives[3].fields_filled[0]",
    } <= paths

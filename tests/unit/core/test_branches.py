"""Branches: injects that fire on what went wrong (issue 22), scoped by country or item."""

from __future__ import annotations

from tte.core.scenario import parse

from .kit import DAY, HOUR, scenario, scenario_text

ORGS_SILENT_TIPPER = """
- {id: host, name: Host BV, country: BB, kind: hosting, accepts_art7: false, tips_off: true}
- {id: local, name: Local ISP, country: AA, kind: isp, answer_delay: 1d}
"""


def test_request_returned_as_incomplete_fires_its_branch_scoped_to_the_item(game):
    sc = scenario(
        injects="""
        - {id: back_sub, title: Returned, when: {request_returned: mla_stored_data, item: sub},
           to: [AA/investigator]}
        - {id: back_logs, title: Other item, when: {request_returned: any, item: logs},
           to: [AA/investigator]}
        """
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], link_to_offence=None)
    g.until(lambda: g.req(rid).status == "returned")
    assert g.one("inject", id="back_sub").data["by"] == "trigger"
    assert g.st.injects["back_logs"] == "pending"


def test_request_refused_by_a_party_fires_only_for_that_requested_country(game):
    sc = scenario(
        injects="""
        - {id: bb_refused, title: BB refused, when: {request_refused: any, to: BB}, to: [AA]}
        - {id: aa_refused, title: AA refused, when: {request_refused: any, to: AA}, to: [AA]}
        """
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="network_24_7")
    g.until(lambda: g.req(rid).status == "refused")
    assert g.of("inject", id="bb_refused") and not g.of("inject", id="aa_refused")


def test_art7_order_unanswered_within_its_limit_expires_and_fires_its_branch(game):
    sc = scenario(
        organisations=ORGS_SILENT_TIPPER,
        limits="{subscriber_order: 5d}",
        injects="""
        - {id: silent, title: Give effect (2AP Art 8), when: {request_expired: subscriber_order},
           to: [AA/prosecutor]}
        """,
    )
    g = game(sc)
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], confidentiality=True)
    g.settle(10 * DAY)
    assert g.one("inject", id="silent").t == g.req(rid).received_at + 5 * DAY


def test_tip_off_fires_its_branch_when_confidentiality_was_not_asked(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, tips_off: true}
        """,
        injects="""
        - {id: wiped, title: Suspect warned, when: {tip_off: host}, to: [AA]}
        - {id: from_bb, title: Not AA's, when: {tip_off: any, country: BB}, to: [AA]}
        """,
    )
    g = game(sc)
    g.submit("AA/investigator", "preservation", "host", ["logs"], confidentiality=False)
    g.settle(30 * DAY)
    assert g.one("inject", id="wiped").t == g.one("tip_off").t
    assert g.st.injects["from_bb"] == "pending"


def test_evidence_lost_fires_when_unpreserved_logs_are_deleted(game):
    sc = scenario(injects="- {id: gone, title: Logs gone, when: {evidence_lost: logs}, to: [AA]}")
    g = game(sc)
    g.settle(10 * DAY)
    assert g.one("inject", id="gone").t == 4 * DAY


def test_nothing_sent_by_the_deadline_fires_at_the_deadline(game):
    sc = scenario(
        injects="""
        - {id: nudge, title: "Still no preservation?", to: [AA/poc],
           when: {not_sent: preservation, item: logs, by: 1d}, delay: 1h}
        """
    )
    g = game(sc)
    assert g.st.injects["nudge"] == "scheduled" and g.st.inject_times["nudge"] == DAY + HOUR
    g.advance(DAY + HOUR)
    assert g.one("inject", id="nudge").data["by"] == "trigger"


def test_a_request_sent_before_the_deadline_skips_the_nothing_sent_branch(game):
    sc = scenario(
        injects="""
        - {id: nudge, title: "Still no preservation?", to: [AA/poc],
           when: {not_sent: preservation, country: AA, by: 1d}}
        """
    )
    g = game(sc)
    g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.settle(2 * DAY)
    assert not g.of("inject", id="nudge")
    assert g.one("inject_skipped", id="nudge").data["by"] == "condition"
    assert g.st.injects["nudge"] == "skipped"


def test_trigger_scope_and_deadline_are_validated():
    text = scenario_text(
        injects="""
        - {id: a, title: A, when: {not_sent: preservation}}
        - {id: b, title: B, when: {evidence_lost: logs, country: AA}}
        - {id: c, title: C, when: {request_refused: any, to: ZZ, item: nope}}
        - {id: d, title: D, when: {tip_off: nobody}}
        """
    )
    _sc, problems = parse(text)
    got = {(p.path, p.message.split(" ")[0]) for p in problems}
    assert ("injects[0].when", "'not_sent'") in got
    assert ("injects[1].when", "country") in got
    assert ("injects[2].when.to", "unknown") in got
    assert ("injects[2].when.item", "unknown") in got
    assert ("injects[3].when.tip_off", "unknown") in got

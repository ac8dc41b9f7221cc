"""The request life cycle and the legal rules, one failure mode at a time (the refusals and
returns of docs/scenario-authoring.md, "What the engine decides for you")."""

from __future__ import annotations

import pytest

from tte.core.events import CommandError
from tte.core.scoring import outcome, response_times

from .kit import DAY, complete, scenario

NOT_2AP = """
- {code: AA, name: Aland, second_protocol: true, eu: true}
- {code: BB, name: Borduria, second_protocol: false, eu: false}
"""
ART7_RESERVED = """
- {code: AA, name: Aland, second_protocol: true, eu: true}
- {code: BB, name: Borduria, second_protocol: true, reservations: [art7_9a, art8_13]}
"""


# ---------------------------------------------------------------- life cycle


def test_preservation_walks_its_route_and_freezes_the_data(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    r = g.req(rid)
    assert [s["ref"] for s in r.route] == ["AA/investigator", "AA/poc", "BB/poc", "host"]
    assert [s["channel"] for s in r.route] == ["", "domestic", "network_24_7", "domestic"]
    assert (r.status, r.in_transit, r.at()["ref"]) == ("draft", True, "AA/poc")

    g.reach(rid, "AA/poc")
    assert r.status == "draft"  # still at home
    g.reach(rid, "BB/poc")
    assert r.status == "received" and r.received_at == g.now and r.sent_at is not None
    g.reach(rid, "host")
    assert r.status == "executing"
    g.until(lambda: r.status == "fulfilled")

    kinds = [e.kind for e in g.events if e.data.get("id") == rid]
    assert kinds == [
        "request_arrived",
        "request_forwarded",
        "request_arrived",
        "request_forwarded",
        "request_arrived",
        "request_fulfilled",
    ]
    assert g.of("request_submitted")[0].data["request"]["id"] == rid
    # who acted, in order: the desks of both points of contact, then the provider
    assert [e.data["by"] for e in g.of("request_forwarded")] == ["desk:AA/poc", "desk:BB/poc"]
    assert g.one("request_fulfilled").data["by"] == "org:host"
    it = g.item("logs")
    assert it.preserved_at == g.now
    assert it.preserved_until == g.now + 60 * DAY  # BC Art 29(7)
    assert it.preserved_for == "AA"
    assert r.answered_at == g.now and r.history[-1]["what"] == "fulfilled"


def test_preservation_is_not_production(game):
    """Failure mode 2: a preserved item is frozen, not handed over."""
    g = game(scenario(channels="{mla: 20d}"))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs", "sub"])
    g.until(lambda: g.req(rid).status == "fulfilled")
    assert g.req(rid).delivered == []
    assert "not disclosed" in g.one("request_fulfilled").data["message"]
    assert not g.of("evidence_obtained")
    assert g.item("logs").obtained == {} and g.item("sub").obtained == {}
    assert {e.data["id"] for e in g.of("evidence_preserved")} == {"logs", "sub"}
    assert outcome(g.st, len(g.events))["evidence"]["obtained"] == 0

    # ... the MLA request then produces it, admissibly, while still preserved
    mla = g.submit("AA/prosecutor", "mla_stored_data", "host", ["logs"], channel="mla")
    g.until(lambda: g.req(mla).status == "fulfilled")
    assert g.req(mla).delivered == ["logs"]
    ob = g.item("logs").obtained["AA"]
    assert ob["via"] == "mla_stored_data" and ob["admissible"] is True
    assert g.now > 4 * DAY  # produced after its retention period: preservation saved it


def test_mla_is_signed_transmitted_in_days_and_executed_in_months(game):
    """BC Art 25(3): the request travels in days; the months go to execution abroad."""
    g = game()
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="mla")
    route = [s["ref"] for s in g.req(rid).route]
    assert route == [
        "AA/investigator",
        "AA/prosecutor",
        "AA/central_authority",
        "BB/central_authority",
        "host",
    ]
    assert g.req(rid).route[3]["channel"] == "mla"
    g.until(lambda: g.req(rid).status == "fulfilled")
    whats = [e.data["what"] for e in g.of("request_forwarded")]
    assert whats == ["approved and signed", "transmitted", "transmitted"]
    # the MLA hop itself takes about the default 3 days (±10 %)
    arrived = g.one("request_arrived", at="BB/central_authority").t
    left = g.one("request_forwarded", by="desk:AA/central_authority").t
    assert 2.7 * DAY <= arrived - left <= 3.3 * DAY
    # translation and execution at the requested side: the default 60 days, halved because
    # the request states its urgency
    executed = g.one("request_arrived", at="host").t
    handed = g.one("request_forwarded", by="desk:BB/central_authority").t
    assert 30 * DAY <= executed - handed <= 31 * DAY


def test_domestic_order_reaches_own_provider(game):
    g = game(
        scenario(
            evidence="""
            - {id: isp_sub, title: ISP subscriber, kind: subscriber, holder: local,
               known_to: [AA]}
            """
        )
    )
    rid = g.submit("AA/investigator", "domestic_order", "local", ["isp_sub"])
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "AA/prosecutor", "local"]
    g.settle()
    assert g.item("isp_sub").obtained["AA"]["admissible"] is True
    assert g.req(rid).sent_at is None  # it never left the country


def test_submit_warns_about_missing_fields(game):
    g = game()
    data = g.do(
        "AA/investigator",
        "request.submit",
        template="mla_stored_data",
        to="host",
        evidence=["sub"],
        fields=complete("mla_stored_data", link_to_offence=None, time_zone=""),
    )
    assert {w["field"] for w in data["warnings"]} == {"link_to_offence", "time_zone"}
    assert all("returned" in w["message"] for w in data["warnings"])


# ---------------------------------------------------------------- failure modes


def test_data_lost_when_preservation_comes_too_late(game):
    """Failure mode 1: the retention clock runs out before the request arrives."""
    g = game()
    g.advance(3.5 * DAY)
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.settle()
    deleted = g.one("evidence_deleted", id="logs")
    assert deleted.t == 4 * DAY and deleted.data["reason"] == "retention"
    assert g.req(rid).status == "refused" and g.req(rid).ground == "data_unavailable"
    assert g.item("logs").deleted and g.item("logs").preserved_at is None
    out = outcome(g.st, len(g.events))
    assert out["evidence"]["lost"] == 1 and out["evidence"]["preserved"] == 0


def test_retention_runs_out_without_any_request(game):
    g = game()
    g.settle()
    happened = [e.kind for e in g.events if e.t > 0 and not e.kind.startswith("exercise_")]
    assert happened == ["evidence_deleted"]
    assert g.one("evidence_deleted", id="logs").t == 4 * DAY
    assert g.item("logs").deleted_at == 4 * DAY


def test_timely_preservation_outlives_retention(game):
    g = game()
    g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.advance(5 * DAY)
    assert not g.item("logs").deleted
    assert g.one("retention_passed", id="logs").t == 4 * DAY
    assert g.item("logs").retention_passed


def test_preservation_lapses_after_60_days_without_mla(game):
    """Failure mode 3: nothing follows the preservation; past retention, the data is gone."""
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs", "sub"])
    g.until(lambda: g.req(rid).status == "fulfilled")
    until = g.item("logs").preserved_until
    g.settle()
    lapsed = {e.data["id"]: e.t for e in g.of("preservation_lapsed")}
    assert lapsed == {"logs": until, "sub": until}
    gone = g.one("evidence_deleted", id="logs")
    assert gone.t == until and gone.data["reason"] == "preservation_lapsed"
    # subscriber data has no retention deadline: the lapse frees it, nothing is deleted
    assert not g.item("sub").deleted and g.item("sub").preserved_until is None
    assert outcome(g.st, len(g.events))["evidence"]["lost"] == 1


def test_preservation_holds_while_a_received_mla_request_is_pending(game):
    """BC Art 29(7): once the MLA request is received, the data stays preserved pending it."""
    g = game(scenario(channels="{mla: 10d}"), humans=("BB/central_authority",))
    pres = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.until(lambda: g.req(pres).status == "fulfilled")
    until = g.item("logs").preserved_until
    mla = g.submit("AA/prosecutor", "mla_stored_data", "host", ["logs"], channel="mla")
    g.reach(mla, "BB/central_authority")
    assert g.now < until
    g.advance(until + 10 * DAY)  # the Dutch central authority sits on it past the 60 days
    assert not g.item("logs").deleted
    g.do("BB/central_authority", "request.forward", id=mla)
    g.until(lambda: g.req(mla).status == "fulfilled")
    assert g.item("logs").admissible_for("AA")


def test_mla_through_the_24_7_network_is_refused(game):
    """Failure mode 4: an MLA request is no request on the 24/7 network."""
    g = game()
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="network_24_7")
    g.settle()
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "invalid_channel")
    assert g.one("request_refused").data["by"] == "desk:BB/poc"
    assert g.item("sub").obtained == {}


def test_preservation_through_mla_is_valid_but_slow(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs", "sub"], channel="mla")
    assert [s["ref"] for s in g.req(rid).route][1:4] == [
        "AA/prosecutor",
        "AA/central_authority",
        "BB/central_authority",
    ]
    g.until(lambda: g.req(rid).status in ("fulfilled", "refused"))
    r = g.req(rid)
    assert r.status == "fulfilled" and g.now > 7 * DAY  # not refused, just weeks late
    assert g.item("logs").deleted and g.item("logs").delete_reason == "retention"
    assert g.item("sub").preserved_at == g.now
    assert [e.data["id"] for e in g.of("evidence_preserved")] == ["sub"]


def test_unknown_channel_for_template_is_a_command_error(game):
    g = game()
    with pytest.raises(CommandError) as e:
        g.submit("AA/investigator", "preservation", "host", ["logs"], channel="police")
    assert (e.value.code, e.value.field) == ("bad_channel", "channel")


POLICE_KNOW = """
- {code: AA, name: Aland, second_protocol: true, eu: true}
- code: BB
  name: Borduria
  second_protocol: true
  eu: true
  police_intel:
    - {about: ["192.0.2.7"], text: "BB police: 192.0.2.7 seen in an earlier DDoS case (2025)."}
    - {about: ["unrelated.example"], text: "Nothing to do with this case."}
"""


def test_police_cooperation_shares_what_the_police_hold_never_the_providers_data(game):
    """domain.md police_info: Europol answers with the BB police's records as a lead; the
    provider's subscriber data is not handed over and nothing is obtained."""
    sc = scenario(
        countries=POLICE_KNOW,
        objectives="""
        - {id: got, title: Got it, evidence_obtained: sub}
        - {id: adm, title: Admissible, evidence_admissible: sub}
        """,
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "police_info", "europol", ["sub"])
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "europol"]
    g.settle()
    assert g.req(rid).status == "fulfilled" and g.req(rid).delivered == []
    assert "not admissible" in g.one("request_fulfilled").data["message"]
    assert [e.data["text"] for e in g.of("lead")] == [
        "BB police: 192.0.2.7 seen in an earlier DDoS case (2025)."
    ]
    assert g.of("evidence_obtained") == [] and g.item("sub").obtained == {}
    out = outcome(g.st, len(g.events))
    assert out["evidence"]["obtained"] == 0 and out["evidence"]["admissible"] == 0
    assert {o["id"]: o["met"] for o in out["objectives"]} == {"got": False, "adm": False}


def test_police_cooperation_reveals_no_link_in_the_chain(game):
    """What a provider's logs would reveal (the next hop) is not learnt from the police."""
    g = game(scenario(countries=POLICE_KNOW))
    g.submit("AA/investigator", "police_info", "interpol", ["logs"])
    g.settle()
    assert g.of("evidence_known", source="logs") == []


def test_foreign_police_answer_with_their_records_too_and_nothing_is_obtained(game):
    g = game(scenario(countries=POLICE_KNOW))
    rid = g.submit("AA/investigator", "police_info", "BB/investigator", ["sub"])
    g.settle()
    assert g.req(rid).status == "fulfilled"
    assert "sub" not in g.st.items["sub"].obtained and g.item("sub").obtained == {}
    assert len(g.of("lead")) == 1


def test_europol_cannot_reach_the_police_of_a_strategic_partner(game):
    """Europol exchanges personal data with operational partners only: the holder's police
    must be reachable through the body too."""
    countries = POLICE_KNOW.replace("  eu: true\n  police_intel", "  eu: false\n  police_intel")
    sc = scenario(
        countries=countries,
        bodies="""
        - {id: europol, strategic: [BB]}
        """,
    )
    g = game(sc)
    eu = g.submit("AA/investigator", "police_info", "europol", ["sub"])
    ip = g.submit("AA/investigator", "police_info", "interpol", ["sub"])
    g.settle()
    assert g.req(eu).status == "fulfilled"
    texts = [e.data["text"] for e in g.of("lead", source=eu)]
    assert texts == ["The police of Borduria cannot be asked through this channel."]
    assert [e.data["text"] for e in g.of("lead", source=ip)] == [
        "BB police: 192.0.2.7 seen in an earlier DDoS case (2025)."
    ]


def test_europol_refuses_a_country_without_access_but_interpol_answers(game):
    sc = scenario(countries=NOT_2AP.replace("eu: true", "eu: false"))
    g = game(sc)
    eu = g.submit("AA/investigator", "police_info", "europol", ["sub"])
    ip = g.submit("AA/investigator", "police_info", "interpol", ["sub"])
    g.settle()
    assert g.req(eu).status == "refused" and "INTERPOL" in g.req(eu).message
    assert g.req(ip).status == "fulfilled"


def test_incomplete_request_returned_by_the_prosecutor_desk_then_amended(game):
    """Failure mode 5: a missing mandatory element gets the request returned."""
    g = game()
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], link_to_offence=None)
    g.until(lambda: g.req(rid).status == "returned")
    r = g.req(rid)
    assert r.missing == ["link_to_offence"] and r.ground == "incomplete"
    assert g.one("request_returned").data["by"] == "desk:AA/prosecutor"
    assert "Link between the data and the offence" in r.message
    assert g.eng.next_due() is None or all(t.ref != rid for t in g.st.timers.values())

    with pytest.raises(CommandError) as e:
        g.do("AA/prosecutor", "request.amend", id=rid, fields={"link_to_offence": "x"})
    assert e.value.code == "not_yours"
    g.do("AA/investigator", "request.amend", id=rid, fields={"link_to_offence": "It is the C2"})
    assert (r.status, r.stop, r.missing) == ("draft", 1, [])
    g.until(lambda: r.status == "fulfilled")
    assert g.item("sub").admissible_for("AA")
    with pytest.raises(CommandError) as e:
        g.do("AA/investigator", "request.amend", id=rid, fields={})
    assert e.value.code == "bad_state"


def test_incomplete_request_returned_by_the_requested_party(game):
    """Humans at home sign an incomplete request; the foreign central authority returns it."""
    g = game(humans=("AA/prosecutor", "AA/central_authority"))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], legal_basis=None)
    g.reach(rid, "AA/prosecutor")
    g.do("AA/prosecutor", "request.approve", id=rid)
    g.reach(rid, "AA/central_authority")
    g.do("AA/central_authority", "request.transmit", id=rid)
    g.until(lambda: g.req(rid).status == "returned")
    ret = g.one("request_returned")
    assert ret.data["by"] == "desk:BB/central_authority"
    assert ret.data["missing"] == ["legal_basis"] and ret.data["ground"] == "incomplete"


def test_ip_based_item_without_time_zone_is_returned(game):
    sc = scenario(
        evidence="""
        - {id: ipsub, title: Subscriber behind 192.0.2.7, kind: subscriber, holder: host,
           known_to: [AA], needs_timezone: true}
        """
    )
    g = game(sc, humans=("AA/prosecutor",))
    rid = g.submit("AA/investigator", "subscriber_order", "host", ["ipsub"], time_zone=None)
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "AA/prosecutor", "host"]
    g.reach(rid, "AA/prosecutor")
    g.do("AA/prosecutor", "request.approve", id=rid)  # a human signs it regardless
    g.until(lambda: g.req(rid).status == "returned")
    assert g.req(rid).missing == ["time_zone"]
    assert g.one("request_returned").data["by"] == "org:host"
    assert g.item("ipsub").obtained == {}


def test_overbroad_request_is_returned(game):
    """Failure mode 6: 'all data on the account' is not specific."""
    g = game()
    rid = g.submit(
        "AA/investigator",
        "mla_stored_data",
        "host",
        ["sub"],
        data_sought="All data on the account of the customer",
    )
    g.until(lambda: g.req(rid).status == "returned")
    assert g.req(rid).ground == "overbroad"
    assert g.one("request_returned").data["by"] == "desk:BB/central_authority"


def test_request_naming_no_evidence_is_overbroad(game):
    g = game()
    rid = g.submit("AA/investigator", "mla_stored_data", "host", [])
    g.until(lambda: g.req(rid).status == "returned")
    assert g.req(rid).ground == "overbroad"


def test_2ap_not_in_force_between_the_two_countries(game):
    """Failure mode 8: an Art 7 order to a Party that does not apply the 2AP."""
    g = game(scenario(countries=NOT_2AP))
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    assert [s["ref"] for s in g.req(rid).route] == ["AA/prosecutor", "host"]
    g.settle()
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "instrument_not_in_force")
    assert g.one("request_refused").data["by"] == "org:host"
    assert "not in force between AA and BB" in r.message


@pytest.mark.parametrize(
    ("template", "channel"),
    [("emergency_disclosure", "network_24_7"), ("giving_effect", "mla")],
)
def test_other_2ap_instruments_need_both_parties(game, template, channel):
    g = game(scenario(countries=NOT_2AP))
    g.do("facilitator", "emergency.declare", emergency=True)
    actor = "AA/poc" if template == "emergency_disclosure" else "AA/prosecutor"
    rid = g.submit(actor, template, "host", ["sub"], channel=channel)
    g.settle()
    assert g.req(rid).ground == "instrument_not_in_force"


def test_art7_reserved_is_refused_as_reservation(game):
    g = game(scenario(countries=ART7_RESERVED))
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    assert (g.req(rid).status, g.req(rid).ground) == ("refused", "reservation")
    assert "Art 7" in g.req(rid).message


def test_art8_traffic_reservation_refuses_giving_effect_for_traffic_data(game):
    g = game(scenario(countries=ART7_RESERVED))
    traffic = g.submit("AA/prosecutor", "giving_effect", "host", ["logs"])
    sub = g.submit("AA/prosecutor", "giving_effect", "host", ["sub"])
    g.settle()
    assert g.req(traffic).ground == "reservation"
    assert g.req(sub).status == "fulfilled"
    assert g.item("sub").obtained["AA"] == {
        "via": "giving_effect",
        "t": g.req(sub).answered_at,
        "admissible": True,
    }


def test_art7_order_for_traffic_data_is_refused_as_data_kind(game):
    g = game()
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["logs"])
    g.settle()
    assert (g.req(rid).status, g.req(rid).ground) == ("refused", "data_kind")
    assert "subscriber" in g.req(rid).message


def test_art7_order_for_subscriber_data_is_admissible(game):
    g = game()
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    assert g.req(rid).status == "fulfilled"
    assert g.item("sub").obtained["AA"]["admissible"] is True
    assert g.item("sub").obtained["AA"]["via"] == "subscriber_order"


def test_provider_that_ignores_art7_orders_lets_the_order_expire(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, accepts_art7: false}
        """
    )
    g = game(sc)
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    assert g.one("note").data["id"] == rid and g.one("note").visible == ()
    exp = g.one("request_expired")
    # 2AP Art 7: 30 days from receipt by the provider, not from drafting
    assert exp.t == g.req(rid).received_at + 30 * DAY
    assert g.req(rid).status == "expired"


def test_registrar_may_decline_art6_requests(game):
    sc = scenario(
        organisations="""
        - {id: reg, name: Registrar, country: BB, kind: registrar, accepts_art6: false}
        - {id: reg2, name: Registrar 2, country: BB, kind: registrar}
        """,
        evidence="""
        - {id: dom, title: Registrant of bad.example, kind: registration, holder: reg,
           known_to: [AA]}
        - {id: dom2, title: Registrant of worse.example, kind: registration, holder: reg2,
           known_to: [AA]}
        """,
    )
    g = game(sc)
    a = g.submit("AA/investigator", "domain_registration", "reg", ["dom"], domain="bad.example")
    b = g.submit("AA/investigator", "domain_registration", "reg2", ["dom2"], domain="x.example")
    g.settle()
    assert (g.req(a).status, g.req(a).ground) == ("refused", "declined")
    assert g.item("dom2").obtained["AA"]["admissible"] is True
    assert g.req(b).status == "fulfilled"


def test_emergency_without_threat_to_life_is_refused(game):
    """Failure mode 7: 2AP Art 9 needs a significant and imminent risk to life."""
    g = game()
    rid = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    assert (g.req(rid).status, g.req(rid).ground) == ("refused", "no_emergency")
    assert g.one("request_refused").data["by"] == "desk:BB/poc"


def test_emergency_declared_by_the_facilitator_is_accepted(game):
    g = game()
    g.do("facilitator", "emergency.declare", emergency=True, reason="Hospital hit")
    assert g.st.emergency is True
    assert g.last[0].kind == "emergency" and g.last[0].visible == ("*",)
    rid = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    assert g.req(rid).status == "fulfilled"
    assert g.item("sub").obtained["AA"]["admissible"] is True
    assert g.req(rid).answered_at < 2 * DAY


def test_emergency_set_by_an_inject_effect(game):
    sc = scenario(
        injects="""
        - {id: icu, title: Intensive care offline, manual: true, effects: {emergency: true}}
        """
    )
    g = game(sc)
    early = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    g.do("facilitator", "inject.release", id="icu")
    assert g.st.emergency is True
    late = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    assert g.req(early).ground == "no_emergency"
    assert g.req(late).status == "fulfilled"


def test_emergency_mla_uses_the_fast_mla_hop(game):
    g = game()
    g.do("facilitator", "emergency.declare", emergency=True)
    rid = g.submit("AA/prosecutor", "emergency_mla", "host", ["sub"])
    assert g.req(rid).route[2]["channel"] == "mla_emergency"
    g.settle()
    assert g.req(rid).status == "fulfilled" and g.item("sub").admissible_for("AA")
    left = g.one("request_forwarded", by="desk:AA/central_authority").t
    arrived = g.one("request_arrived", at="BB/central_authority").t
    assert 1.8 * DAY <= arrived - left <= 2.2 * DAY  # days, not the months of ordinary MLA


def test_tipping_off_when_confidentiality_is_not_requested(game):
    """Failure mode 10: the provider warns its customer, who wipes the server."""
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, tips_off: true}
        """,
        evidence="""
        - {id: logs, title: Logs, kind: traffic, holder: host, known_to: [AA],
           wiped_on_tipoff: true}
        - {id: image, title: Server image, kind: server_image, holder: host, known_to: [AA],
           wiped_on_tipoff: true}
        - {id: sub, title: Subscriber, kind: subscriber, holder: host, known_to: [AA]}
        """,
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"], confidentiality=False)
    g.settle(30 * DAY)
    assert g.req(rid).status == "fulfilled"
    tip = g.one("tip_off")
    assert tip.data["request"] == rid and tip.visible == ()
    # what was just preserved survives; the rest of the suspect's data is wiped
    assert not g.item("logs").deleted
    assert g.item("image").deleted and g.item("image").delete_reason == "tipped_off"
    assert not g.item("sub").deleted


def test_no_tipping_off_when_confidentiality_is_requested(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, tips_off: true}
        """,
        evidence="""
        - {id: image, title: Server image, kind: server_image, holder: host, known_to: [AA],
           wiped_on_tipoff: true}
        - {id: sub, title: Subscriber, kind: subscriber, holder: host, known_to: [AA]}
        """,
    )
    g = game(sc)
    g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], confidentiality=True)
    g.settle()
    assert not g.of("tip_off") and not g.item("image").deleted
    g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], confidentiality=None)
    g.settle()
    assert g.of("tip_off") and g.item("image").deleted


def test_traffic_disclosure_reveals_the_next_hop_only_after_preservation(game):
    sc = scenario(
        evidence="""
        - id: logs
          title: Logs
          kind: traffic
          holder: host
          known_to: [AA]
          reveals: {evidence: [upstream], leads: ["The operator came in through 203.0.113.9"]}
        - {id: upstream, title: Upstream logs, kind: traffic, holder: host}
        """
    )
    g = game(sc)
    early = g.submit("AA/poc", "traffic_disclosure", "host", ["logs"], preservation_ref="?")
    g.settle()
    assert g.req(early).status == "refused" and "preserve first" in g.req(early).message
    pres = g.submit("AA/poc", "preservation", "host", ["logs"])
    g.until(lambda: g.req(pres).status == "fulfilled")
    rid = g.submit("AA/poc", "traffic_disclosure", "host", ["logs"], preservation_ref=pres)
    assert g.req(rid).ref is None and g.req(rid).fields["preservation_ref"] == pres
    g.settle()
    assert g.req(rid).status == "fulfilled" and g.req(rid).delivered == []
    assert g.item("logs").obtained == {}  # a lead, not evidence
    assert "AA" in g.item("upstream").known
    assert g.one("lead").data["text"] == "The operator came in through 203.0.113.9"


def test_obtaining_evidence_reveals_leads_and_new_items(game):
    sc = scenario(
        evidence="""
        - id: sub
          title: Subscriber
          kind: subscriber
          holder: host
          known_to: [AA]
          reveals: {evidence: [next], leads: ["Paid with a card from CC"]}
        - {id: next, title: Next, kind: content, holder: host}
        """
    )
    g = game(sc)
    with pytest.raises(CommandError):  # AA does not know of it yet
        g.submit("AA/prosecutor", "mla_stored_data", "host", ["next"])
    g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.settle()
    known = g.one("evidence_known", id="next")
    assert known.data["countries"] == ["AA"] and known.data["source"] == "sub"
    assert g.one("lead").data == {
        "source": "sub",
        "text": "Paid with a card from CC",
        "country": "AA",
    }
    g.submit("AA/prosecutor", "mla_stored_data", "host", ["next"])
    g.settle()
    assert g.item("next").admissible_for("AA")


def test_request_for_data_already_deleted_is_refused(game):
    g = game()
    g.advance(5 * DAY)
    rid = g.submit("AA/prosecutor", "mla_stored_data", "host", ["logs"])
    g.settle()
    assert g.req(rid).ground == "data_unavailable"


def test_withdrawn_request_stops_everywhere(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    with pytest.raises(CommandError) as e:
        g.do("AA/poc", "request.withdraw", id=rid)
    assert e.value.code == "not_yours"
    g.do("AA/investigator", "request.withdraw", id=rid)
    assert g.req(rid).status == "withdrawn"
    assert not [t for t in g.st.timers.values() if t.ref == rid]
    g.settle()
    assert g.item("logs").deleted  # nothing was preserved
    with pytest.raises(CommandError) as e:
        g.do("AA/investigator", "request.withdraw", id=rid)
    assert e.value.code == "bad_state"


# ---------------------------------------------------------------- humans at the stops


def test_human_forwards_and_refuses_with_a_ground(game):
    g = game(humans=("BB/poc",))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "BB/poc")
    g.advance(by=3 * DAY)
    assert g.waiting_at(rid) == "BB/poc"  # no desk acts for a human
    with pytest.raises(CommandError) as e:
        g.do("BB/poc", "request.refuse", id=rid)
    assert (e.value.code, e.value.field) == ("bad_args", "ground")
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.refuse", id=rid, ground="because")
    g.do("BB/poc", "request.refuse", id=rid, ground="political_offence")
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "political_offence")
    assert r.message.startswith("Political offence")


def test_human_returns_with_missing_fields_or_a_message(game):
    g = game(humans=("BB/poc",))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "BB/poc")
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.return", id=rid)  # says nothing
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.return", id=rid, missing=["no_such_field"])
    g.do("BB/poc", "request.return", id=rid, missing=["necessity"], message="Why?")
    assert g.req(rid).missing == ["necessity"] and g.req(rid).message == "Why?"


def test_human_cannot_answer_a_request_with_further_to_go(game):
    g = game(humans=("BB/poc",))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "BB/poc")
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.answer", id=rid)
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.respond", id=rid, decision="fulfil")
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.respond", id=rid, decision="shrug")


def test_spontaneous_information_is_received_by_the_foreign_seat(game):
    g = game(humans=("BB/poc",))
    rid = g.submit("AA/investigator", "spontaneous_info", "BB/poc", channel="network_24_7")
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "AA/poc", "BB/poc"]
    g.reach(rid, "BB/poc")
    with pytest.raises(CommandError):
        g.do("BB/poc", "request.forward", id=rid)  # last stop
    g.do("BB/poc", "request.answer", id=rid, message="Thanks, we open a case")
    assert g.req(rid).status == "fulfilled"
    assert g.one("request_fulfilled").data["message"] == "Thanks, we open a case"


def test_a_seat_cannot_act_on_a_request_waiting_elsewhere(game):
    g = game(humans=("AA/poc", "BB/poc"))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    with pytest.raises(CommandError) as e:  # in transit: it waits for no one
        g.do("AA/poc", "request.forward", id=rid)
    assert e.value.code == "bad_state"
    g.reach(rid, "AA/poc")
    for seat in ("BB/poc", "AA/investigator", "AA/prosecutor"):
        with pytest.raises(CommandError) as e:
            g.do(seat, "request.forward", id=rid)
        assert e.value.code == "not_yours"
    g.do("AA/poc", "request.forward", id=rid)
    with pytest.raises(CommandError) as e:  # the same seat cannot act twice
        g.do("AA/poc", "request.forward", id=rid)
    assert e.value.code == "bad_state"


def test_facilitator_may_act_at_any_stop_and_for_the_provider(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 30d}
        """
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "AA/poc")
    g.do("facilitator", "request.forward", id=rid)
    assert g.last[0].data["by"] == "facilitator"
    g.reach(rid, "host")
    g.do("facilitator", "request.respond", id=rid, decision="fulfil")
    assert g.req(rid).status == "fulfilled" and g.item("logs").preserved_at == g.now
    assert g.now < 4 * DAY


def test_unknown_request_target_and_evidence_are_command_errors(game):
    g = game()
    cases = [
        ({"to": "nowhere"}, "to"),
        ({"to": "local"}, "to"),  # own country: use a domestic order
        ({"evidence": ["nope"]}, "evidence"),
        ({"evidence": "logs"}, "evidence"),
        ({"fields": {"bogus": "x"}}, "bogus"),
        ({"fields": {"confidentiality": "yes"}}, "confidentiality"),
        ({"fields": {"offence": 3}}, "offence"),
        ({"template": "nope"}, "template"),
        ({"ref": "R99"}, "ref"),
    ]
    for patch, field in cases:
        args = {"template": "preservation", "to": "host", "evidence": ["logs"], **patch}
        with pytest.raises(CommandError) as e:
            g.do("AA/investigator", "request.submit", **args)
        assert e.value.field == field, patch


def test_evidence_must_be_held_by_the_addressed_provider(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting}
        - {id: other, name: Other BV, country: BB, kind: hosting}
        """
    )
    g = game(sc)
    with pytest.raises(CommandError) as e:
        g.submit("AA/investigator", "preservation", "other", ["logs"])
    assert "held by Host BV" in e.value.message


def test_roles_may_only_draft_their_templates(game):
    g = game()
    with pytest.raises(CommandError) as e:
        g.submit("AA/central_authority", "preservation", "host", ["logs"])
    assert e.value.code == "not_allowed"
    with pytest.raises(CommandError) as e:
        g.submit("AA/investigator", "jit_agreement", "BB/prosecutor", channel="eurojust")
    assert e.value.code == "not_allowed"


def test_time_limit_is_measured_while_the_request_is_still_moving(game):
    """Past its limit a request on its way goes on (scoring counts it over the limit)."""
    sc = scenario(limits="{mla_stored_data: 10d}")
    g = game(sc)
    rid = g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.settle()
    note = g.one("note", id=rid)
    assert note.t == g.req(rid).received_at + 10 * DAY and note.visible == ()
    assert g.req(rid).status == "fulfilled"
    assert response_times(g.st)["mla_stored_data"]["over_limit"] == 1


def test_time_limit_expires_a_request_the_addressee_leaves_unanswered(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, accepts_art7: false}
        """,
        limits="{subscriber_order: 5d}",
    )
    g = game(sc)
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    # from receipt by the provider that must answer
    assert g.one("request_expired").t == g.req(rid).received_at + 5 * DAY
    assert g.req(rid).status == "expired"
    assert "2AP Art 7" in g.one("request_expired").data["message"]
    assert not [t for t in g.st.timers.values() if t.ref == rid]


# ---------------------------------------------------------------- joint investigation teams


def test_jit_via_eurojust_then_evidence_through_the_team(game):
    g = game(scenario(channels="{eurojust: 1d}"))
    jit = g.submit("AA/prosecutor", "jit_agreement", "BB/prosecutor", channel="eurojust")
    assert [s["ref"] for s in g.req(jit).route] == ["AA/prosecutor", "eurojust", "BB/prosecutor"]
    early = g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"], channel="jit")
    g.until(lambda: g.req(jit).status == "fulfilled")
    assert g.st.jits == [("AA", "BB")]
    agreed = g.one("jit_agreed")
    assert {s.split("/")[0] for s in agreed.visible} == {"AA", "BB"}
    g.settle()
    # sent before the team existed: the requested prosecutor finds no team
    assert (g.req(early).status, g.req(early).ground) == ("refused", "invalid_channel")
    rid = g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"], channel="jit")
    g.settle()
    assert g.req(rid).status == "fulfilled"
    assert g.item("sub").obtained["AA"] == {
        "via": "jit",
        "t": g.req(rid).answered_at,
        "admissible": True,
    }


def test_jit_refused_between_non_eu_parties_without_the_2ap(game):
    sc = scenario(countries=NOT_2AP.replace("eu: true", "eu: false"))
    g = game(sc)
    rid = g.submit("AA/prosecutor", "jit_agreement", "BB/prosecutor", channel="mla")
    g.settle()
    assert g.req(rid).ground == "instrument_not_in_force" and g.st.jits == []


def test_jit_between_eu_members_rests_on_eu_rules(game):
    """Framework Decision 2002/465/JHA: two member states that do not apply the 2AP."""
    sc = scenario(
        countries="""
        - {code: AA, name: Aland, eu: true}
        - {code: BB, name: Borduria, eu: true}
        """
    )
    g = game(sc)
    g.submit("AA/prosecutor", "jit_agreement", "BB/prosecutor", channel="eurojust")
    g.settle()
    assert g.st.jits == [("AA", "BB")]
    assert g.one("jit_agreed").data["basis"].startswith("EU rules")


def test_a_forwarding_seat_can_add_a_note_for_the_next_stop(game):
    g = game(humans=("AA/prosecutor",))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="mla")
    g.reach(rid, "AA/prosecutor")
    g.do("AA/prosecutor", "request.approve", id=rid, message="Urgent: logs rotate on Friday")
    ev = g.one("request_forwarded", by="AA/prosecutor")
    assert ev.data["message"] == "Urgent: logs rotate on Friday"
    assert ev.data["request"]["message"] == "Urgent: logs rotate on Friday"
    assert g.req(rid).history[-1]["message"] == "Urgent: logs rotate on Friday"

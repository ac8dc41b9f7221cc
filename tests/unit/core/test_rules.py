"""The law between two countries, as a list of legal facts (domain.md "Which instrument
between which pair of countries"). Each row: the pair, the request, what the other side
does with it. Rows run through the real engine, desks in every seat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tte.core.scenario import parse

from .kit import DAY, HOUR, scenario, scenario_text

# -- pairs of countries (AA asks, BB holds the data)
NOT_PARTY = """
- {code: AA, name: Aland}
- {code: BB, name: Borduria, budapest: false}
"""
BOTH_1959 = """
- {code: AA, name: Aland, treaties: [ets30, ets182]}
- {code: BB, name: Borduria, budapest: false, treaties: [ets30, ets182]}
"""
BOTH_UNCC = """
- {code: AA, name: Aland, treaties: [uncc]}
- {code: BB, name: Borduria, budapest: false, treaties: [uncc]}
"""
EU = """
- {code: AA, name: Aland, eu: true}
- {code: BB, name: Borduria, eu: true}
"""
EU_NOT_BOUND = """
- {code: AA, name: Aland, eu: true}
- {code: BB, name: Borduria, eu: true, eio: false, e_evidence: false}
"""
COE = """
- {code: AA, name: Aland, treaties: [ets30, ets182]}
- {code: BB, name: Borduria, treaties: [ets30, ets182]}
"""
NO_JIT_BASIS = """
- {code: AA, name: Aland}
- {code: BB, name: Borduria}
"""
BOTH_2AP = """
- {code: AA, name: Aland, second_protocol: true}
- {code: BB, name: Borduria, second_protocol: true, notification: true,
   declarations: [art9_1b]}
"""
REPRESENTED = """
- {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d,
   eu_representative: BB}
"""
AFTER_E_EVIDENCE = "{start: '2026-09-01T08:00:00'}"


@dataclass
class Row:
    fact: str
    countries: str
    template: str
    expected: tuple[str, str | None]  # status, ground
    to: str = "host"
    channel: str | None = None
    evidence: list[str] = field(default_factory=lambda: ["sub"])
    fields: dict[str, Any] = field(default_factory=dict)
    exercise: str | None = None
    organisations: str | None = None
    sender: str = "AA/investigator"
    emergency: bool = False


ROWS = [
    Row(
        "BC Art 29(1): preservation needs both ends to be Parties to the Budapest Convention",
        NOT_PARTY,
        "preservation",
        ("refused", "instrument_not_in_force"),
    ),
    Row(
        "MLA with a non-Party and no treaty between them is refused: reciprocity only",
        NOT_PARTY,
        "mla_stored_data",
        ("refused", "instrument_not_in_force"),
        channel="mla",
    ),
    Row(
        "MLA rests on the 1959 Convention where one side is not a Budapest Party",
        BOTH_1959,
        "mla_stored_data",
        ("fulfilled", None),
        channel="mla",
    ),
    Row(
        "The UN Convention against Cybercrime is no basis until the scenario puts it in force",
        BOTH_UNCC,
        "preservation",
        ("refused", "instrument_not_in_force"),
    ),
    Row(
        "Once in force, the UN Convention against Cybercrime carries preservation requests",
        BOTH_UNCC,
        "preservation",
        ("fulfilled", None),
        exercise="{uncc_in_force: true}",
    ),
    Row(
        "Directive 2014/41/EU Art 34: BC Art 31 MLA between bound member states is returned",
        EU,
        "mla_stored_data",
        ("returned", "wrong_instrument"),
        channel="mla",
    ),
    Row(
        "A European Investigation Order between bound member states is executed",
        EU,
        "eio",
        ("fulfilled", None),
    ),
    Row(
        "A member state not bound by the EIO Directive (Denmark, Ireland) refuses an EIO",
        EU_NOT_BOUND,
        "eio",
        ("refused", "instrument_not_in_force"),
    ),
    Row(
        "With a member state not bound by the Directive, BC Art 31 MLA is the way",
        EU_NOT_BOUND,
        "mla_stored_data",
        ("fulfilled", None),
        channel="mla",
    ),
    Row(
        "An EIO to a country outside the EU is refused",
        NO_JIT_BASIS,
        "eio",
        ("refused", "instrument_not_in_force"),
    ),
    Row(
        "Regulation (EU) 2023/1543 Art 34: no e-Evidence order before 18 August 2026",
        EU,
        "epoc",
        ("refused", "instrument_not_in_force"),
        organisations=REPRESENTED,
    ),
    Row(
        "From 18 August 2026 an EPOC for subscriber data reaches the provider directly",
        EU,
        "epoc",
        ("fulfilled", None),
        organisations=REPRESENTED,
        exercise=AFTER_E_EVIDENCE,
    ),
    Row(
        "An EPOC cannot reach a provider with no designated establishment or representative",
        EU,
        "epoc",
        ("refused", "instrument_not_in_force"),
        exercise=AFTER_E_EVIDENCE,
    ),
    Row(
        "Regulation (EU) 2023/1543 Art 4(2), 8: an EPOC for traffic data needs a judge and "
        "notification of the enforcing State",
        EU,
        "epoc",
        ("returned", "incomplete"),
        evidence=["logs"],
        fields={"judicial_validation": None, "enforcing_notified": None},
        organisations=REPRESENTED,
        exercise=AFTER_E_EVIDENCE,
    ),
    Row(
        "A European Preservation Order freezes the data at the provider",
        EU,
        "epoc_pr",
        ("fulfilled", None),
        evidence=["logs"],
        organisations=REPRESENTED,
        exercise=AFTER_E_EVIDENCE,
    ),
    Row(
        "2AP Art 7(5)(a): an order without the simultaneous notification the provider's Party "
        "requires is not executed",
        BOTH_2AP,
        "subscriber_order",
        ("refused", "notification_missing"),
        fields={"notification": None},
        sender="AA/prosecutor",
    ),
    Row(
        "2AP Art 7(5)(a): with the notification made, the order is executed",
        BOTH_2AP,
        "subscriber_order",
        ("fulfilled", None),
        sender="AA/prosecutor",
    ),
    Row(
        "2AP Art 9(1)(b): a Party that declared so refuses an emergency request for subscriber "
        "data only",
        BOTH_2AP,
        "emergency_disclosure",
        ("refused", "reservation"),
        sender="AA/poc",
        emergency=True,
    ),
    Row(
        "ETS 182 Art 20: two Council of Europe states set up a JIT without the 2AP or the EU",
        COE,
        "jit_agreement",
        ("fulfilled", None),
        to="BB/prosecutor",
        channel="mla",
        evidence=[],
        sender="AA/prosecutor",
    ),
    Row(
        "A JIT needs a legal basis both share",
        NO_JIT_BASIS,
        "jit_agreement",
        ("refused", "instrument_not_in_force"),
        to="BB/prosecutor",
        channel="mla",
        evidence=[],
        sender="AA/prosecutor",
    ),
]


def _scenario(row: Row) -> Any:
    sections: dict[str, str] = {"countries": row.countries}
    if row.exercise:
        sections["exercise"] = row.exercise
    if row.organisations:
        sections["organisations"] = row.organisations
    return scenario(**sections)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.fact)
def test_the_law_between_the_pair(game, row: Row) -> None:
    g = game(_scenario(row))
    if row.emergency:
        g.do("facilitator", "emergency.declare", emergency=True)
    rid = g.submit(row.sender, row.template, row.to, row.evidence, row.channel, **row.fields)
    g.until(lambda: g.req(rid).status in ("fulfilled", "refused", "returned", "expired"))
    r = g.req(rid)
    assert (r.status, r.ground) == row.expected, r.message


def test_an_eio_goes_judge_to_judge_and_its_evidence_is_admissible(game) -> None:
    g = game(scenario(countries=EU))
    rid = g.submit("AA/investigator", "eio", "host", ["sub"])
    route = [s["ref"] for s in g.req(rid).route]
    assert route == ["AA/investigator", "AA/prosecutor", "BB/prosecutor", "host"]
    assert g.req(rid).route[2]["channel"] == "judicial"
    g.settle()
    assert g.item("sub").obtained["AA"]["admissible"] is True


def test_the_returned_mla_names_the_eio(game) -> None:
    g = game(scenario(countries=EU))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="mla")
    g.until(lambda: g.req(rid).status == "returned")
    assert "European Investigation Order" in g.req(rid).message
    assert g.one("request_returned").data["by"] == "desk:BB/central_authority"


def test_an_epoc_is_answered_within_days_and_admissible(game) -> None:
    g = game(scenario(countries=EU, organisations=REPRESENTED, exercise=AFTER_E_EVIDENCE))
    rid = g.submit("AA/investigator", "epoc", "host", ["sub"])
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "AA/prosecutor", "host"]
    g.settle()
    assert g.req(rid).answered_at - g.req(rid).created <= 10 * DAY  # Art 10(2)
    assert g.item("sub").obtained["AA"] == {
        "via": "epoc",
        "t": g.req(rid).answered_at,
        "admissible": True,
    }


def test_a_jit_agreement_names_its_basis(game) -> None:
    g = game(scenario(countries=COE))
    g.submit("AA/prosecutor", "jit_agreement", "BB/prosecutor", [], "mla")
    g.settle()
    assert g.one("jit_agreed").data["basis"] == "ETS 182 Art 20"


def test_2ap_art_6_requests_need_no_prosecutors_signature(game) -> None:
    g = game(
        scenario(
            countries=BOTH_2AP,
            evidence="""
            - {id: reg, title: Registration of x.example, kind: registration, holder: host,
               identifiers: [x.example], known_to: [AA]}
            """,
        )
    )
    rid = g.submit("AA/investigator", "domain_registration", "host", ["reg"])
    assert [s["ref"] for s in g.req(rid).route] == ["AA/investigator", "host"]


def test_emergency_requests_need_data_related_to_the_threat(game) -> None:
    """2AP Art 9(3): the request shows how the data relates to the risk to life."""
    g = game(
        scenario(
            countries="""
            - {code: AA, name: Aland, second_protocol: true}
            - {code: BB, name: Borduria, second_protocol: true}
            """,
            evidence="""
            - {id: logs, title: Logs, kind: traffic, holder: host, known_to: [AA]}
            - {id: billing, title: Billing history, kind: subscriber, holder: host,
               known_to: [AA], emergency_relevant: false}
            """,
        )
    )
    g.do("facilitator", "emergency.declare", emergency=True)
    ok = g.submit("AA/poc", "emergency_disclosure", "host", ["logs"])
    no = g.submit("AA/poc", "emergency_disclosure", "host", ["billing"])
    g.settle()
    assert g.req(ok).status == "fulfilled"
    assert (g.req(no).status, g.req(no).ground) == ("refused", "no_emergency")
    assert "relate to the threat" in g.req(no).message


def test_providers_answer_emergency_requests_within_hours(game) -> None:
    sc = scenario(
        countries="""
        - {code: AA, name: Aland, second_protocol: true}
        - {code: BB, name: Borduria, second_protocol: true}
        """,
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 5d}
        """,
    )
    g = game(sc)
    g.do("facilitator", "emergency.declare", emergency=True)
    rid = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.reach(rid, "host")
    arrived = g.now
    g.until(lambda: g.req(rid).status == "fulfilled")
    assert g.now - arrived <= 8 * HOUR


@pytest.mark.parametrize(
    ("policy", "evidence", "emergency", "expected"),
    [
        ("subscriber", ["sub"], False, ("fulfilled", None)),
        ("subscriber", ["logs"], False, ("refused", "declined")),
        ("emergency", ["sub"], False, ("refused", "declined")),
        ("emergency", ["sub"], True, ("fulfilled", None)),
        ("none", ["sub"], True, ("refused", "declined")),
    ],
    ids=[
        "a provider whose policy allows it discloses subscriber data voluntarily",
        "voluntary disclosure stops at subscriber data",
        "an emergency-only provider declines outside an emergency",
        "an emergency-only provider answers in an emergency",
        "a provider with no such policy needs an order",
    ],
)
def test_voluntary_cooperation_follows_the_providers_own_policy(
    game, policy: str, evidence: list[str], emergency: bool, expected: tuple[str, str | None]
) -> None:
    sc = scenario(
        countries=NOT_PARTY,
        organisations=f"""
        - {{id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d,
           voluntary: {policy}}}
        """,
    )
    g = game(sc)
    if emergency:
        g.do("facilitator", "emergency.declare", emergency=True)
    rid = g.submit("AA/investigator", "voluntary_request", "host", evidence)
    g.settle()
    assert (g.req(rid).status, g.req(rid).ground) == expected
    if expected[0] == "fulfilled":  # a lead, not evidence: no order compelled it
        assert g.item(evidence[0]).obtained["AA"]["admissible"] is False


def test_spontaneous_information_reaches_the_receiver_as_facts_with_conditions(game) -> None:
    """BC Art 26: the receiver learns the facts and the items, under the sender's conditions."""
    g = game(scenario(countries=COE))
    rid = g.submit(
        "AA/poc",
        "spontaneous_info",
        "BB/poc",
        ["sub"],
        facts="A second victim in your country beacons to 192.0.2.7",
        conditions="Not to be used as evidence without our consent",
    )
    g.until(lambda: g.of("lead", source=rid) != [])
    lead = g.one("lead", source=rid)
    assert lead.data["text"] == "A second victim in your country beacons to 192.0.2.7"
    assert lead.data["conditions"] == "Not to be used as evidence without our consent"
    assert set(lead.visible) == {
        f"BB/{r}" for r in ("investigator", "poc", "central_authority", "prosecutor")
    }
    assert "BB" in g.item("sub").known


def test_an_urgent_mla_request_is_executed_in_half_the_time(game) -> None:
    slow = game(scenario(countries=COE))
    fast = game(scenario(countries=COE))
    a = slow.submit("AA/investigator", "mla_stored_data", "host", ["sub"], "mla", urgency=None)
    b = fast.submit("AA/investigator", "mla_stored_data", "host", ["sub"], "mla")
    for g, rid in ((slow, a), (fast, b)):
        g.reach(rid, "host")
    handed = [
        g.one("request_arrived", at="host").t
        - g.one("request_forwarded", by="desk:BB/central_authority").t
        for g in (slow, fast)
    ]
    assert handed[0] >= 60 * DAY and handed[1] < 31 * DAY


def test_mla_received_within_days_keeps_the_data_preserved(game) -> None:
    """BC Art 29(7): once the request for the data is received, preservation continues."""
    g = game(scenario(countries=COE, exercise="{preservation_days: 60}"))
    p = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.until(lambda: g.req(p).status == "fulfilled")
    m = g.submit("AA/investigator", "mla_stored_data", "host", ["logs"], "mla", urgency=None)
    g.until(lambda: g.req(m).received_at is not None)
    assert g.req(m).received_at < 30 * DAY
    g.until(lambda: g.req(m).status == "fulfilled")
    assert g.item("logs").obtained["AA"]["admissible"] is True


@pytest.mark.parametrize(
    ("written", "hint"),
    [("art7", "art7_9a"), ("art8_traffic", "art8_13"), ("art9", "art9_1b"), ("art12", "")],
)
def test_only_the_reservations_2ap_art_19_allows_are_accepted(written: str, hint: str) -> None:
    countries = f"""
    - {{code: AA, name: Aland, second_protocol: true, reservations: [{written}]}}
    - {{code: BB, name: Borduria}}
    """
    sc, problems = parse(scenario_text(countries=countries))
    assert sc is None
    [p] = problems
    assert p.path == "countries[0].reservations[0]" and "Art 19(1)" in p.message
    assert hint in p.message


def _with_grounds(countries: str, grounds: str) -> str:
    """The pair with `grounds` (YAML flow list) added to BB, the requested Party."""
    lines = countries.strip("\n").splitlines()
    assert lines[-1].rstrip().endswith("}")
    lines[-1] = lines[-1].rstrip()[:-1] + f", grounds: {grounds}}}"
    return "\n".join(lines) + "\n"


BOTH_BC_ONLY = """
- {code: AA, name: Aland}
- {code: BB, name: Borduria}
"""


@pytest.mark.parametrize(
    ("countries", "template", "channel", "ground", "cited"),
    [
        (BOTH_BC_ONLY, "mla_stored_data", "mla", "sovereignty", "BC Art 27(4)(b)"),
        (COE, "mla_stored_data", "mla", "sovereignty", "1959 Convention Art 2(b)"),
        (COE, "mla_stored_data", "mla", "political_offence", "1959 Convention Art 2(a)"),
        (EU, "eio", None, "dual_criminality", "Directive 2014/41/EU Art 11(1)(g)"),
        (BOTH_BC_ONLY, "preservation", None, "dual_criminality", "BC Art 29(4)"),
    ],
    ids=[
        "BC Art 27(4) is cited only where no other treaty binds the pair",
        "between 1959 Convention Parties the refusal cites its Art 2, not BC Art 27",
        "a political offence under the 1959 Convention",
        "an EIO is refused on the Directive's own grounds",
        "preservation of stored data has its own dual criminality rule",
    ],
)
def test_a_desk_refuses_on_its_countrys_ground_citing_the_treaty_in_force(
    game, countries: str, template: str, channel: str | None, ground: str, cited: str
) -> None:
    sc = scenario(countries=_with_grounds(countries, f"[{{ground: {ground}}}]"))
    g = game(sc)
    rid = g.submit("AA/investigator", template, "host", ["sub"], channel)
    g.until(lambda: g.req(rid).status in ("refused", "fulfilled", "returned"))
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", ground)
    assert cited in r.message and r.message.startswith("Borduria:")


def test_a_person_refusing_gets_the_article_of_the_treaty_in_force(game) -> None:
    g = game(scenario(countries=COE), humans=("BB/central_authority",))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], "mla")
    g.reach(rid, "BB/central_authority")
    g.do("BB/central_authority", "request.refuse", id=rid, ground="sovereignty")
    assert "1959 Convention Art 2(b)" in g.req(rid).message
    assert "BC Art 27" not in g.req(rid).message


def test_a_desk_postpones_execution_to_protect_its_own_case(game) -> None:
    """BC Art 27(5): execution may be postponed if it would prejudice the requested Party's
    own investigation; the request goes on later, it is not refused."""
    grounds = "[{ground: postponed, evidence: [sub], postpone: 20d, note: Our own raid first}]"
    plain = game(scenario(countries=BOTH_BC_ONLY))
    held = game(scenario(countries=_with_grounds(BOTH_BC_ONLY, grounds)))
    for g in (plain, held):
        rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], "mla")
        g.until(lambda g=g, rid=rid: g.req(rid).status == "fulfilled")
    fwd = held.one("request_forwarded", by="desk:BB/central_authority").data
    assert fwd["ground"] == "postponed"
    assert "BC Art 27(5)" in fwd["message"] and "Our own raid first" in fwd["message"]
    late = held.req("R1").answered_at - plain.req("R1").answered_at
    assert 19 * DAY < late < 21 * DAY


def test_the_notified_authority_may_stop_an_art_7_order(game) -> None:
    """2AP Art 7(5)(c): notified of the order, the provider's Party instructs it not to
    disclose on a ground of BC Art 25(4) or 27(4)."""
    countries = _with_grounds(BOTH_2AP, "[{ground: sovereignty, templates: [subscriber_order]}]")
    g = game(scenario(countries=countries))
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "sovereignty") and "2AP Art 7(5)(c)" in r.message


def test_a_european_preservation_order_keeps_data_60_days_and_30_more_on_extension(
    game,
) -> None:
    """Regulation (EU) 2023/1543 Art 11(1): 60 days, extendable by 30."""
    g = game(scenario(countries=EU, organisations=REPRESENTED, exercise=AFTER_E_EVIDENCE))
    first = g.submit("AA/investigator", "epoc_pr", "host", ["logs"])
    g.until(lambda: g.req(first).status == "fulfilled")
    assert g.item("logs").preserved_until == g.req(first).answered_at + 60 * DAY
    g.advance(by=50 * DAY)
    again = g.submit("AA/investigator", "epoc_pr", "host", ["logs"])
    g.until(lambda: g.req(again).status == "fulfilled")
    assert g.item("logs").preserved_until == g.req(again).answered_at + 30 * DAY


def test_an_emergency_request_is_refused_at_execution_once_the_emergency_is_over(game) -> None:
    """2AP Art 3(2)(c), 9: rechecked when executed; once the threat ends, the ordinary
    procedures apply again."""
    sc = scenario(
        countries="""
        - {code: AA, name: Aland, second_protocol: true}
        - {code: BB, name: Borduria, second_protocol: true}
        """
    )
    g = game(sc)
    g.do("facilitator", "emergency.declare", emergency=True)
    rid = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.reach(rid, "host")
    g.do("facilitator", "emergency.declare", emergency=False)
    g.settle()
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "no_emergency")
    assert g.one("request_refused").data["by"] == "org:host"


def test_the_enforcing_state_notified_of_an_epoc_may_raise_its_grounds(game) -> None:
    """Regulation (EU) 2023/1543 Arts 8, 12 (check): traffic data of a person not living in
    the issuing State; the enforcing State refuses on its ground."""
    countries = _with_grounds(EU, "[{ground: sovereignty, templates: [epoc]}]")
    g = game(scenario(countries=countries, organisations=REPRESENTED, exercise=AFTER_E_EVIDENCE))
    rid = g.submit("AA/investigator", "epoc", "host", ["logs"])
    g.settle()
    r = g.req(rid)
    assert (r.status, r.ground) == ("refused", "sovereignty")
    assert "Regulation (EU) 2023/1543 Art 12" in r.message


def test_the_party_requiring_notification_learns_of_the_order_as_it_leaves(game) -> None:
    """2AP Art 7(5)(a): the order, its supplemental information and a summary of the facts
    reach the provider's Party simultaneously."""
    g = game(scenario(countries=BOTH_2AP))
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], offence="Ransomware")
    g.until(lambda: g.of("notification") != [])
    note = g.one("notification")
    assert note.data["request"] == rid and note.data["facts"] == "Ransomware"
    assert note.data["items"] == ["Subscriber of 192.0.2.7"]
    assert set(note.visible) == {
        f"BB/{r}" for r in ("investigator", "poc", "central_authority", "prosecutor")
    }
    silent = game(scenario(countries=BOTH_2AP))
    silent.submit("AA/prosecutor", "subscriber_order", "host", ["sub"], notification=None)
    silent.settle()
    assert silent.of("notification") == []

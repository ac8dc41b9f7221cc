"""The law of 2026 over a real server and real clients: each request is sent by a seat's
own connection, the facilitator moves the clock, and the outcome is read from the events
the seats receive (domain.md "Which instrument between which pair of countries")."""

from __future__ import annotations

from typing import Any

import pytest
from wsclient import Client, Join

from tte import protocol as p
from tte.core.policies import fill_fields
from tte.core.scenario import Scenario, parse

DAY = 86400

# Portugal and Romania: EU member states applying the 2AP; Georgia: 2AP with simultaneous
# notification; Türkiye: Budapest only, a strategic Europol partner. September 2026: the
# e-Evidence Regulation applies.
WORLD = """
exercise:
  id: law-wire
  title: The law of 2026 on the wire
  start: "2026-09-01T08:00:00"
  timezone: UTC
  duration: 200d
  lead: [PT]
countries:
  - {code: PT, name: Portugal, eu: true, second_protocol: true, treaties: [ets30, ets182]}
  - code: RO
    name: Romania
    eu: true
    second_protocol: true
    treaties: [ets30, ets182]
    police_intel:
      - {about: ["203.0.113.45"], text: "RO police: 203.0.113.45 is on a NightTide list."}
  - {code: GE, name: Georgia, second_protocol: true, notification: true,
     treaties: [ets30, ets182],
     grounds: [{ground: postponed, evidence: [email_sub], templates: [mla_stored_data],
                postpone: 10d, note: "A Georgian case runs against the account holder"}]}
  - code: TR
    name: Türkiye
    police_intel:
      - {about: ["BC-550193"], text: "TR police: BC-550193 reported as suspicious."}
organisations:
  - {id: carpathia, name: Carpathia Cloud, country: RO, kind: hosting, answer_delay: 1d,
     eu_representative: RO}
  - {id: kolkhida, name: Kolkhida Mail, country: GE, kind: email, answer_delay: 1d}
  - {id: bosphorus, name: Bosphorus Coin, country: TR, kind: exchange, answer_delay: 1d,
     voluntary: none}
bodies:
  - {id: europol, answer_delay: 1d, strategic: [TR]}
evidence:
  - {id: c2_sub, title: Subscriber of 203.0.113.45, kind: subscriber, holder: carpathia,
     identifiers: ["203.0.113.45"], known_to: [PT]}
  - {id: c2_logs, title: Logs of 203.0.113.45, kind: traffic, holder: carpathia,
     identifiers: ["203.0.113.45"], known_to: [PT]}
  - {id: email_sub, title: Subscriber of the mailbox, kind: subscriber, holder: kolkhida,
     identifiers: ["restore@kolkhida.example"], known_to: [PT]}
  - {id: c2_billing, title: Billing of 203.0.113.45, kind: subscriber, holder: carpathia,
     identifiers: ["203.0.113.45"], known_to: [PT], emergency_relevant: false}
  - {id: kyc, title: KYC of BC-550193, kind: kyc, holder: bosphorus,
     identifiers: ["BC-550193"], known_to: [PT]}
"""


@pytest.fixture
def scenario() -> Scenario:
    sc, problems = parse(WORLD)
    assert sc is not None, problems
    return sc


def ask(
    template: str, to: str, evidence: list[str], channel: str, world: str = WORLD, **fields: Any
) -> dict[str, Any]:
    """A request as the golden policy fills it: the items' identifiers and a period."""
    sc, _ = parse(world)
    assert sc is not None
    items = [item for e in evidence if (item := sc.item(e))]
    period = f"from {sc.start_datetime():%Y-%m-%d} back two weeks"
    return {
        "template": template,
        "to": to,
        "channel": channel,
        "evidence": evidence,
        "fields": {**fill_fields(template, items, period=period), **fields},
    }


async def a_day_later(fac: Client, *clients: Client) -> None:
    """The facilitator jumps a day; a public inject after the jump is the barrier: once a
    client has it, it has every event of the day that was visible to it."""
    await fac.ok("clock.advance", {"seconds": DAY, "reason": "a day later"})
    await fac.ok("inject.send", {"title": "Barrier", "text": "", "to": ["all"]})
    seq = fac.events[-1].seq
    for c in clients:
        await c.until(lambda c=c: bool(c.events) and c.events[-1].seq >= seq)  # type: ignore[misc]


async def outcome(client: Client, fac: Client, rid: str) -> p.EventMsg:
    """Move the game clock a day at a time until the request's end reaches its sender."""
    final = {"request_fulfilled", "request_refused", "request_returned", "request_expired"}

    def done() -> p.EventMsg | None:
        return next((e for e in client.events if e.kind in final and e.data.get("id") == rid), None)

    for _ in range(150):
        if (ev := done()) is not None:
            return ev
        await a_day_later(fac, client)
    raise AssertionError(f"{rid} never ended")


async def test_europol_answers_with_police_leads_never_a_providers_data(join: Join) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    data = await pt.ok("request.submit", ask("police_info", "europol", ["c2_sub", "kyc"], "police"))
    ev = await outcome(pt, fac, data["id"])
    assert ev.kind == "request_fulfilled" and ev.data["delivered"] == []
    leads = [e.data["text"] for e in pt.events if e.kind == "lead"]
    assert "RO police: 203.0.113.45 is on a NightTide list." in leads
    assert "The police of Türkiye cannot be asked through this channel." in leads
    assert not [e for e in pt.events if e.kind == "evidence_obtained"]


async def test_mla_between_member_states_comes_back_asking_for_an_eio(join: Join) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    data = await pt.ok("request.submit", ask("mla_stored_data", "carpathia", ["c2_sub"], "mla"))
    ev = await outcome(pt, fac, data["id"])
    assert (ev.kind, ev.data["ground"]) == ("request_returned", "wrong_instrument")
    assert "European Investigation Order" in ev.data["message"]


async def test_an_eio_brings_admissible_evidence(join: Join) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    data = await pt.ok("request.submit", ask("eio", "carpathia", ["c2_logs"], "judicial"))
    ev = await outcome(pt, fac, data["id"])
    assert ev.kind == "request_fulfilled"
    got = next(e for e in pt.events if e.kind == "evidence_obtained")
    assert (got.data["id"], got.data["via"], got.data["admissible"]) == ("c2_logs", "eio", True)


async def test_an_epoc_reaches_the_providers_representative_after_august_2026(
    join: Join,
) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    data = await pt.ok("request.submit", ask("epoc", "carpathia", ["c2_sub"], "direct"))
    ev = await outcome(pt, fac, data["id"])
    assert ev.kind == "request_fulfilled" and ev.data["delivered"] == ["c2_sub"]


async def test_an_art_7_order_without_the_required_notification_is_not_executed(
    join: Join,
) -> None:
    pt, fac = await join("PT/prosecutor"), await join("facilitator")
    order = ask("subscriber_order", "kolkhida", ["email_sub"], "direct", notification=False)
    data = await pt.ok("request.submit", order)
    ev = await outcome(pt, fac, data["id"])
    assert (ev.kind, ev.data["ground"]) == ("request_refused", "notification_missing")


async def test_a_provider_without_a_voluntary_policy_declines(join: Join) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    data = await pt.ok("request.submit", ask("voluntary_request", "bosphorus", ["kyc"], "direct"))
    ev = await outcome(pt, fac, data["id"])
    assert (ev.kind, ev.data["ground"]) == ("request_refused", "declined")


async def test_spontaneous_information_reaches_the_receivers_seats(join: Join) -> None:
    pt, ro, fac = await join("PT/poc"), await join("RO/investigator"), await join("facilitator")
    facts = "A Cluj clinic beacons to your C2 203.0.113.45"
    info = ask("spontaneous_info", "RO/poc", ["c2_sub"], "network_24_7", facts=facts)
    await pt.ok("request.submit", info)
    for _ in range(5):
        if any(e.kind == "lead" for e in ro.events):
            break
        await a_day_later(fac, ro)
    lead = next(e for e in ro.events if e.kind == "lead")
    assert lead.data["text"] == facts and lead.data["from"] == "PT"
    assert any(e.kind == "evidence_known" and e.data["id"] == "c2_sub" for e in ro.events)


async def test_a_jit_with_a_non_eu_state_rests_on_ets_182(join: Join) -> None:
    pt, fac = await join("PT/prosecutor"), await join("facilitator")
    data = await pt.ok("request.submit", ask("jit_agreement", "GE/prosecutor", [], "mla"))
    ev = await outcome(pt, fac, data["id"])
    assert ev.kind == "request_fulfilled"
    agreed = next(e for e in pt.events if e.kind == "jit_agreed")
    assert agreed.data["basis"] == "ETS 182 Art 20"


async def test_an_emergency_request_for_data_unrelated_to_the_threat_is_refused(
    join: Join,
) -> None:
    pt, fac = await join("PT/poc"), await join("facilitator")
    await fac.ok("emergency.declare", {"emergency": True, "reason": "Hospital hit"})
    req = ask("emergency_disclosure", "carpathia", ["c2_billing"], "network_24_7")
    data = await pt.ok("request.submit", req)
    ev = await outcome(pt, fac, data["id"])
    assert (ev.kind, ev.data["ground"]) == ("request_refused", "no_emergency")


async def test_a_requested_party_postpones_execution_citing_the_treaty_in_force(
    join: Join,
) -> None:
    pt, fac = await join("PT/investigator"), await join("facilitator")
    req = ask("mla_stored_data", "kolkhida", ["email_sub"], "mla")
    data = await pt.ok("request.submit", req)
    ev = await outcome(pt, fac, data["id"])
    assert ev.kind == "request_fulfilled"
    postponed = next(e for e in pt.events if e.kind == "request_forwarded" and e.data.get("ground"))
    assert postponed.data["ground"] == "postponed"
    assert "ETS 182 Art 7" in postponed.data["message"]

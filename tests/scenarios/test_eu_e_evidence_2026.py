"""EU e-Evidence 2026: EPOC-PR and EPOC to a provider's establishment, the EIO, Denmark and
Ireland outside it, BC Art 29 and the 2AP with a non-EU Party, an emergency branch."""

from __future__ import annotations

import ipaddress
import re

import msgspec

from tte.core.policies import Golden
from tte.core.rules.law import E_EVIDENCE_APPLIES_FROM
from tte.core.simulate import run

from .conftest import DAY, HOUR, briefing_gaps, load_scenario, met, problems, started, submit

NAME = "eu-e-evidence-2026"
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def test_loads_and_validates_clean() -> None:
    assert problems(NAME) == []
    sc = load_scenario(NAME)
    assert sc.start_datetime().date() > E_EVIDENCE_APPLIES_FROM
    by = {c.code: c for c in sc.countries}
    assert len(by) >= 5
    eu = {code for code, c in by.items() if c.eu}
    assert len(eu) >= 3
    # a member state bound by neither the EIO Directive nor the Regulation (Denmark)
    assert not by["DK"].eio and not by["DK"].e_evidence and by["DK"].eu
    # a non-EU Budapest Party and a State that is not a Budapest Party
    assert by["RS"].budapest and not by["RS"].eu
    assert not by["IE"].budapest and "ets30" in by["IE"].treaties
    assert not sc.exercise.uncc_in_force
    assert by["RS"].notification and by["RS"].declarations == ["art9_1b"]
    assert any(g.ground == "postponed" for g in by["NL"].grounds)
    assert all(c.police_intel for code, c in by.items() if code != "AT" and code != "DK")
    assert any(o.eu_representative for o in sc.organisations)
    assert briefing_gaps(sc) == []
    assert all(i.expected and i.notes for i in sc.injects)
    assert any(i.effects.emergency for i in sc.injects)
    assert sum(o.weight for o in sc.objectives) == 100
    assert sc.survey


def test_only_documentation_addresses() -> None:
    sc = load_scenario(NAME)
    text = (
        " ".join(" ".join(e.identifiers) for e in sc.evidence)
        + sc.exercise.briefing
        + " ".join(i.text for i in sc.injects)
    )
    for ip in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text):
        assert any(ipaddress.ip_address(ip) in n for n in DOC_NETS), ip
    for dom in re.findall(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|eu|at|ie|nl|dk|rs)\b", text):
        raise AssertionError(f"non-reserved domain {dom}")


def test_golden_playthrough_meets_every_objective() -> None:
    eng, out = run(load_scenario(NAME), "golden")
    assert out["score"] == 100
    assert out["evidence"]["lost"] == 0
    got = {e: it.obtained["AT"] for e, it in eng.state.items.items() if not e.startswith("x_")}
    assert all(o["admissible"] for o in got.values())
    # the fast lane: EPOC-PR then EPOC to Glenmail's Dublin establishment
    for e in ("mail_logs", "mail_sub", "mail_content"):
        assert got[e]["via"] == "epoc"
    assert got["portal_logs"]["via"] == "epoc"
    # the slow lane between bound member states; Denmark and Ireland outside it
    assert got["mule_nl"]["via"] == "eio"
    assert got["exchange_kyc"]["via"] == "mla_stored_data"
    assert got["mule_ie"]["via"] == "mla_stored_data"
    # Serbia: 2AP Art 9 in the emergency, Art 7 with notification
    assert got["vps_logs"]["via"] == "emergency_disclosure"
    assert got["mobile_sub"]["via"] == "subscriber_order"
    reqs = list(eng.state.requests.values())
    pres = {r.evidence[0]: r.template for r in reqs if r.template in ("preservation", "epoc_pr")}
    assert pres["mail_logs"] == "epoc_pr"  # Ireland is no BC Party: no Art 29
    assert pres["portal_logs"] == "preservation"  # the Netherlands: BC Art 29 works
    # the Dutch executing authority postponed the EIO, then executed it
    eio = next(r for r in reqs if r.template == "eio")
    assert any("Art 15(1)(a)" in h.get("message", "") for h in eio.history)
    assert eio.answered_at is not None and eio.answered_at > 14 * DAY


def test_careless_loses_the_volatile_logs() -> None:
    eng, out = run(load_scenario(NAME), "careless")
    items = eng.state.items
    for e in ("mail_logs", "portal_logs"):
        assert items[e].deleted and items[e].delete_reason == "retention"
    assert all(not it.obtained for e, it in items.items() if not e.startswith("x_"))
    assert out["evidence"]["admissible"] == 0
    assert out["score"] <= 5


def test_bc_preservation_to_ireland_is_not_in_force() -> None:
    """Ireland signed but did not ratify the Budapest Convention: no BC Art 29 there."""
    eng = started(load_scenario(NAME))
    rid = submit(eng, "AT/investigator", "preservation", "glenmail", ["mail_logs"], 0.0)
    eng.advance_to(3 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "instrument_not_in_force"


def test_bc_mla_to_the_netherlands_is_returned_use_an_eio() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "AT/investigator", "mla_stored_data", "polderbank", ["mule_nl"], 0.0)
    eng.advance_to(30 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and r.ground == "wrong_instrument"
    assert "European Investigation Order" in r.message


def test_eio_to_denmark_is_not_in_force() -> None:
    sc = load_scenario(NAME)
    eng, _ = run(sc, "golden", until=2.2 * DAY)
    assert "AT" in eng.state.items["exchange_kyc"].known
    now = eng.state.now
    rid = submit(eng, "AT/investigator", "eio", "nordkrone", ["exchange_kyc"], now)
    eng.advance_to(now + 10 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "instrument_not_in_force"


def test_epoc_before_18_august_2026_is_not_in_force() -> None:
    """The same case in July 2026: the Regulation does not apply yet (Art 34)."""
    sc = load_scenario(NAME)
    july = msgspec.structs.replace(sc.exercise, start="2026-07-14T09:00:00")
    eng = started(msgspec.structs.replace(sc, exercise=july))
    rid = submit(eng, "AT/investigator", "epoc_pr", "glenmail", ["mail_logs"], 0.0)
    eng.advance_to(3 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "instrument_not_in_force"


class LateEpoc(Golden):
    """Freezes the Glenmail log-ins at once, but orders them only after 65 days."""

    def _keep_preserved(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return []

    def _produce(self, st, lead, item, where, org):  # type: ignore[no-untyped-def]
        if item.id == "mail_logs" and st.now < 65 * DAY:
            self._wakes.append(65 * DAY)
            return []
        return super()._produce(st, lead, item, where, org)


def test_epoc_pr_lapses_after_sixty_days_without_an_order() -> None:
    """Regulation (EU) 2023/1543 Art 11: 60 days, unless extended or an order follows."""
    eng, out = run(load_scenario(NAME), LateEpoc())
    it = eng.state.items["mail_logs"]
    assert it.deleted and it.delete_reason == "preservation_lapsed"
    assert it.deleted_at is not None and 60 * DAY < it.deleted_at < 64 * DAY
    assert not met(eng, "mail_logs")
    # the chain is cut: the Serbian VPS the log-ins pointed to was never found in time
    assert eng.state.items["vps_logs"].deleted and "AT" not in eng.state.items["vps_logs"].known
    assert out["score"] < 100


def test_art7_order_without_time_zone_is_returned() -> None:
    """Carrier-grade NAT: date, time, time zone and source port, or no one is identified."""
    eng, _ = run(load_scenario(NAME), "golden", until=4 * DAY)
    assert "AT" in eng.state.items["mobile_sub"].known  # BC Art 30 on the portal logs
    now = eng.state.now
    rid = submit(
        eng,
        "AT/prosecutor",
        "subscriber_order",
        "dunavmobil",
        ["mobile_sub"],
        now,
        fields={"time_zone": ""},
    )
    eng.advance_to(now + 7 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and "time_zone" in r.missing


def test_art9_for_subscriber_data_only_meets_serbias_declaration() -> None:
    eng, _ = run(load_scenario(NAME), "golden", until=4 * DAY)
    assert eng.state.emergency
    now = eng.state.now
    rid = submit(eng, "AT/poc", "emergency_disclosure", "dunavmobil", ["mobile_sub"], now)
    eng.advance_to(now + 1 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "reservation"


def test_art9_is_answered_within_hours_but_only_while_the_emergency_lasts() -> None:
    eng, _ = run(load_scenario(NAME), "golden", until=4 * DAY)
    t = eng.state.now
    assert eng.state.emergency and "AT" in eng.state.items["vps_logs"].known
    during = submit(eng, "AT/poc", "emergency_disclosure", "savahost", ["vps_logs"], t)
    after = submit(eng, "AT/poc", "emergency_disclosure", "savahost", ["vps_logs"], 5.5 * DAY)
    eng.advance_to(8 * DAY)
    reqs = eng.state.requests
    assert reqs[during].status == "fulfilled"
    assert reqs[during].answered_at is not None
    assert reqs[during].answered_at - t < 24 * HOUR
    assert reqs[after].status == "refused" and reqs[after].ground == "no_emergency"


def test_an_eio_is_lawful_for_the_dutch_host_but_too_slow_for_its_logs() -> None:
    """The slow lane: recognised and executed in weeks (Directive Art 12); the EPOC sent at
    the same moment is answered in a day or two (Regulation Art 10)."""
    eng = started(load_scenario(NAME))
    eio = submit(eng, "AT/investigator", "eio", "polderhost", ["portal_logs"], 0.0)
    epoc = submit(eng, "AT/investigator", "epoc", "polderhost", ["portal_logs"], 0.0)
    eng.advance_to(60 * DAY)
    reqs = eng.state.requests
    assert reqs[epoc].status == "fulfilled"
    assert reqs[epoc].answered_at is not None and reqs[epoc].answered_at < 5 * DAY
    assert reqs[eio].status == "refused" and reqs[eio].ground == "data_unavailable"

"""Bucharest 2019: BC Art 29/30 preservation, Art 31 MLA, police leads, Eurojust, incoming."""

from __future__ import annotations

from tte.core.policies import Golden
from tte.core.rules import jit_basis, mla_basis
from tte.core.simulate import run

from .conftest import DAY, briefing_gaps, load_scenario, met, problems, started, submit

NAME = "bucharest-preservation-mla"


def test_loads_and_validates_clean() -> None:
    assert problems(NAME) == []
    sc = load_scenario(NAME)
    assert len(sc.countries) >= 3
    for c in sc.countries:
        assert set(c.humans) == {"investigator", "poc", "central_authority", "prosecutor"}
        assert not c.second_protocol  # May 2019: the 2AP does not exist yet
        assert "ets30" in c.treaties
    assert briefing_gaps(sc) == []
    assert all(i.expected and i.notes for i in sc.injects)
    assert sc.exercise.debrief and sc.survey
    assert sum(o.weight for o in sc.objectives) == 100
    # the seed exercise's four objectives, each weighted
    seeds = {o.title.split(".", 1)[0] for o in sc.objectives}
    assert seeds == {"1", "2", "3", "4"}


def test_golden_playthrough_meets_every_objective() -> None:
    eng, out = run(load_scenario(NAME), "golden")
    assert out["score"] == 100
    assert all(o["met"] for o in out["objectives"])
    assert out["evidence"]["lost"] == 0
    items = eng.state.items
    # The key evidence is admissible, each through a formal path.
    assert items["phish_logs"].obtained["RO"]["via"] == "mla_stored_data"
    assert items["phish_logs"].obtained["RO"]["admissible"]
    assert items["admin_sub"].obtained["RO"]["admissible"]
    assert items["mule_account"].obtained["RO"]["via"] == "jit"
    # The incoming Serbian request was executed in Romania.
    incoming = items["drop_mailbox"].obtained["RS"]
    assert incoming["via"] == "mla_stored_data" and incoming["admissible"]
    reqs = list(eng.state.requests.values())
    # Europol for Serbia (an operational partner), INTERPOL for Türkiye, Eurojust for the JIT.
    police = {r.target["ref"] for r in reqs if r.template == "police_info" and r.country == "RO"}
    assert police == {"europol", "interpol"}
    jit = next(r for r in reqs if r.template == "jit_agreement")
    assert jit.channel == "eurojust" and jit.status == "fulfilled"
    # Art 30 found the Turkish link. The MLA request reached Serbia within days, so the logs
    # stayed preserved pending its execution (BC Art 29(7)): no extension was needed.
    assert any(r.template == "traffic_disclosure" and r.status == "fulfilled" for r in reqs)
    pres = [r for r in reqs if r.template == "preservation" and "phish_logs" in r.evidence]
    assert len(pres) == 1 and pres[0].status == "fulfilled"
    logs = eng.state.items["phish_logs"]
    assert logs.deleted_at is None or logs.deleted_at > logs.obtained["RO"]["t"]


def test_late_preservation_loses_the_server_logs() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "RO/investigator", "preservation", "beooblak", ["phish_logs"], 6 * DAY)
    eng.advance_to(12 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "data_unavailable"
    it = eng.state.items["phish_logs"]
    assert it.deleted and it.delete_reason == "retention"
    assert eng.state.injects["s04_logs_gone"] == "released"
    assert not met(eng, "preserve_logs")


def test_police_channel_gives_leads_but_never_a_providers_data() -> None:
    """Police cooperation shares what the police hold; only an order in the provider's State
    compels the provider (BC Arts 29-31)."""
    eng, out = run(load_scenario(NAME), "careless")
    assert all(not it.obtained for e, it in eng.state.items.items() if not e.startswith("x_"))
    leads = [
        r
        for r in eng.state.requests.values()
        if r.template == "police_info" and r.country in eng.scenario.lead_countries
    ]
    assert leads and all(r.status == "fulfilled" and r.delivered == [] for r in leads)
    assert not met(eng, "admin_admissible")
    assert eng.state.items["phish_logs"].deleted  # nobody preserved it
    assert out["evidence"]["admissible"] == 0
    assert out["score"] <= 10


class LateMla(Golden):
    """Preserves at once, but sends the MLA request for the logs only after 62 days, and
    never asks to extend the preservation."""

    def _keep_preserved(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return []

    def _produce(self, st, lead, item, where, org):  # type: ignore[no-untyped-def]
        if item.id == "phish_logs" and st.now < 62 * DAY:
            self._wakes.append(62 * DAY)
            return []
        return super()._produce(st, lead, item, where, org)


def test_mla_sent_after_sixty_days_finds_the_logs_deleted_without_extension() -> None:
    """BC Art 29(7): preservation lasts at least 60 days; only a request received in that
    time (or an extension) keeps the data."""
    eng, out = run(load_scenario(NAME), LateMla())
    it = eng.state.items["phish_logs"]
    assert it.deleted and it.delete_reason == "preservation_lapsed"
    assert it.deleted_at is not None and 60 * DAY < it.deleted_at < 66 * DAY
    assert not met(eng, "logs_admissible")
    assert out["evidence"]["lost"] == 1


def test_mla_through_the_24_7_network_is_not_a_valid_request() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(
        eng,
        "RO/investigator",
        "mla_stored_data",
        "beooblak",
        ["phish_sub"],
        0.0,
        channel="network_24_7",
    )
    eng.advance_to(5 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "invalid_channel"


def test_bc_art31_to_bulgaria_is_returned_use_an_eio() -> None:
    """May 2019: Romania and Bulgaria are both bound by Directive 2014/41/EU (Art 34)."""
    eng, _ = run(load_scenario(NAME), "golden", until=2.5 * DAY)
    assert "RO" in eng.state.items["mule_account"].known
    now = eng.state.now
    rid = submit(eng, "RO/investigator", "mla_stored_data", "balkantrust", ["mule_account"], now)
    eng.advance_to(now + 20 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and r.ground == "wrong_instrument"


def test_no_2ap_order_and_no_e_evidence_order_in_2019() -> None:
    eng = started(load_scenario(NAME))
    art7 = submit(eng, "RO/prosecutor", "subscriber_order", "beooblak", ["phish_sub"], 0.0)
    epoc = submit(eng, "RO/prosecutor", "epoc_pr", "beooblak", ["phish_logs"], 0.0)
    eng.advance_to(3 * DAY)
    for rid in (art7, epoc):
        r = eng.state.requests[rid]
        assert r.status == "refused" and r.ground == "instrument_not_in_force"


def test_mla_to_turkiye_without_time_zone_is_returned() -> None:
    """Carrier-grade NAT: BeoOblak logs in UTC, Anadolu Net in Istanbul time."""
    eng, _ = run(load_scenario(NAME), "golden", until=4 * DAY)
    assert "RO" in eng.state.items["admin_sub"].known  # found by BC Art 30
    now = eng.state.now
    rid = submit(
        eng,
        "RO/investigator",
        "mla_stored_data",
        "anadolunet",
        ["admin_sub"],
        now,
        fields={"time_zone": ""},
    )
    eng.advance_to(now + 20 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and "time_zone" in r.missing


def test_mla_to_serbia_rests_on_the_1959_convention() -> None:
    eng = started(load_scenario(NAME))
    st = eng.state
    assert mla_basis(st, "RO", "RS") == "1959 Convention (ETS 30)"
    assert jit_basis(st, "RO", "BG") is not None and jit_basis(st, "RO", "RS") is None


class WrongOffset(Golden):
    """Plays golden, but quotes the admin log-in in Istanbul time marked as UTC."""

    def _ask(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        moves = super()._ask(*args, **kwargs)
        for _actor, _op, req in moves:
            if "admin_sub" in req["evidence"] and "moment" in req["fields"]:
                req["fields"]["moment"] = "2019-05-07T00:14:09+00:00"
        return moves


def test_istanbul_time_given_as_utc_brings_back_another_customer_months_later() -> None:
    """The seed's lesson: Anadolu Net logs in UTC; a request quoting the Istanbul log-in
    time as UTC names whoever had the address and port three hours later, and the answer
    says so only when it comes back from Türkiye."""
    eng, out = run(load_scenario(NAME), WrongOffset())
    r = next(r for r in eng.state.requests.values() if r.evidence == ["admin_sub"])
    assert (r.status, r.delivered) == ("fulfilled", ["admin_decoy"])
    assert r.answered_at - r.created > 30 * DAY
    assert "hours off the holder's logs" in r.message
    assert not met(eng, "admin_admissible") and out["score"] < 100


def test_the_preservation_race_is_real_at_human_speed() -> None:
    """Five wall minutes per form, one per decision: a team that starts at once freezes the
    phishing logs; one that starts 25 wall minutes late finds them rotated (the scenario
    once forgave 45 minutes of delay, so the race taught nothing)."""
    from tte.core.simulate import Pace

    sc = load_scenario(NAME)
    eng, out = run(sc, "golden", pace=Pace.wall(sc, drafting=5, deciding=1))
    assert out["score"] == 100
    assert eng.state.items["phish_logs"].preserved_at is not None
    eng, out = run(sc, "golden", pace=Pace.wall(sc, drafting=5, deciding=1, idle=25))
    assert eng.state.items["phish_logs"].deleted
    assert out["score"] < 60

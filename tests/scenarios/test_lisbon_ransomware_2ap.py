"""Lisbon (February 2026, after the 2023 training): ransomware across six countries with the
Second Additional Protocol."""

from __future__ import annotations

from tte.core.policies import Golden
from tte.core.rules import jit_basis
from tte.core.rules.law import E_EVIDENCE_APPLIES_FROM
from tte.core.simulate import run

from .conftest import DAY, HOUR, briefing_gaps, load_scenario, met, problems, started, submit

NAME = "lisbon-ransomware-2ap"


def test_loads_and_validates_clean() -> None:
    assert problems(NAME) == []
    sc = load_scenario(NAME)
    assert len(sc.countries) >= 5
    by = {c.code: c for c in sc.countries}
    assert {c for c, x in by.items() if x.second_protocol} == {"PT", "RO", "GE", "RS"}
    assert by["RS"].reservations == ["art7_9a"] and by["GE"].notification
    assert {o.kind for o in sc.organisations} >= {"hosting", "email", "registrar", "exchange"}
    assert briefing_gaps(sc) == []
    assert all(i.expected and i.notes for i in sc.injects)
    assert any(i.effects.emergency for i in sc.injects)
    assert sum(o.weight for o in sc.objectives) == 100


def test_golden_playthrough_meets_every_objective() -> None:
    eng, out = run(load_scenario(NAME), "golden")
    assert out["score"] == 100
    assert all(o["met"] for o in out["objectives"])
    assert out["evidence"]["lost"] == 0
    got = {e: it.obtained["PT"] for e, it in eng.state.items.items() if not e.startswith("x_")}
    assert all(o["admissible"] for o in got.values())
    assert got["c2_sub"]["via"] == "subscriber_order"  # 2AP Art 7, Romania
    assert got["domain_reg"]["via"] == "domain_registration"  # 2AP Art 6, Serbia
    assert got["registrar_account"]["via"] == "giving_effect"  # Art 7 reserved → Art 8
    assert got["email_sub"]["via"] == "giving_effect"  # silent provider → Art 8
    assert got["c2_logs"]["via"] == "emergency_disclosure"  # the hospital: 2AP Art 9
    assert got["upstream_logs"]["via"] == "mla_stored_data"  # Moldova: no 2AP
    assert got["exchange_kyc"]["via"] == "mla_stored_data"  # Türkiye: no 2AP
    reqs = list(eng.state.requests.values())
    art7 = next(
        r for r in reqs if r.template == "subscriber_order" and r.target["ref"] == "kolkhida"
    )
    assert art7.status == "expired"
    jit = next(r for r in reqs if r.template == "jit_agreement")
    assert jit.channel == "eurojust" and jit.target["country"] == "RO"
    assert any(r.template == "traffic_disclosure" and r.status == "fulfilled" for r in reqs)
    # no 2AP instrument was ever sent to a Party that does not apply it
    for r in reqs:
        if r.template in ("subscriber_order", "giving_effect", "emergency_disclosure"):
            assert r.target["country"] in ("RO", "GE", "RS")


def test_art7_order_to_a_party_that_reserved_art7_is_refused() -> None:
    eng, _ = run(load_scenario(NAME), "golden", until=7 * DAY)
    assert "PT" in eng.state.items["registrar_account"].known  # revealed by the Art 6 answer
    now = eng.state.now
    rid = submit(eng, "PT/prosecutor", "subscriber_order", "sava", ["registrar_account"], now)
    eng.advance_to(now + 7 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "reservation"


def test_art7_order_to_a_party_without_the_2ap_is_refused() -> None:
    eng, _ = run(load_scenario(NAME), "golden", until=3 * DAY)
    now = eng.state.now
    rid = submit(eng, "PT/prosecutor", "subscriber_order", "nistru", ["upstream_sub"], now)
    eng.advance_to(now + 7 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "instrument_not_in_force"


def test_late_preservation_loses_the_c2_logs() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "PT/investigator", "preservation", "carpathia", ["c2_logs"], 4 * DAY)
    eng.advance_to(8 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "data_unavailable"
    assert eng.state.items["c2_logs"].deleted
    assert eng.state.injects["l04_logs_gone"] == "released"
    assert not met(eng, "preserve_c2") and not met(eng, "c2_logs")


def test_police_channel_gives_leads_but_never_a_providers_data() -> None:
    """Europol answers with what the police hold; Türkiye's police (a strategic partner
    only) cannot be asked through it; no provider's item is ever handed over."""
    eng, out = run(load_scenario(NAME), "careless")
    assert all(not it.obtained for e, it in eng.state.items.items() if not e.startswith("x_"))
    kyc = next(r for r in eng.state.requests.values() if r.evidence == ["exchange_kyc"])
    assert kyc.target["ref"] == "europol" and kyc.delivered == []
    assert eng.state.items["c2_logs"].deleted
    assert out["score"] == 0 and out["evidence"]["admissible"] == 0


def test_emergency_disclosure_only_while_lives_are_at_risk() -> None:
    eng = started(load_scenario(NAME))
    before = submit(eng, "PT/poc", "emergency_disclosure", "carpathia", ["c2_image"], 1 * HOUR)
    during = submit(eng, "PT/poc", "emergency_disclosure", "carpathia", ["c2_image"], 2.6 * DAY)
    after = submit(eng, "PT/poc", "emergency_disclosure", "carpathia", ["c2_sub"], 5.5 * DAY)
    eng.advance_to(8 * DAY)
    reqs = eng.state.requests
    assert reqs[before].status == "refused" and reqs[before].ground == "no_emergency"
    assert reqs[during].status == "fulfilled"
    assert reqs[after].status == "refused" and reqs[after].ground == "no_emergency"


class LateMla(Golden):
    """Preserves at once, but asks for the upstream logs only after 75 days, and never asks to
    extend the preservation."""

    def _keep_preserved(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return []

    def _produce(self, st, lead, item, where, org):  # type: ignore[no-untyped-def]
        if item.id == "upstream_logs" and st.now < 75 * DAY:
            self._wakes.append(75 * DAY)
            return []
        return super()._produce(st, lead, item, where, org)


def test_sixty_day_preservation_runs_out_when_the_mla_is_late() -> None:
    """BC Art 29(7): a request for the data received within the 60 days keeps it frozen;
    one sent later finds it deleted."""
    eng, out = run(load_scenario(NAME), LateMla())
    it = eng.state.items["upstream_logs"]
    assert it.deleted and it.delete_reason == "preservation_lapsed"
    assert not met(eng, "upstream_logs")
    assert out["evidence"]["lost"] == 1


def test_bc_art31_between_portugal_and_romania_is_returned_use_an_eio() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "PT/investigator", "mla_stored_data", "carpathia", ["c2_sub"], 0.0)
    eng.advance_to(20 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and r.ground == "wrong_instrument"


def test_mla_to_moldova_without_time_zone_is_returned() -> None:
    eng, _ = run(load_scenario(NAME), "golden", until=4 * DAY)
    assert "PT" in eng.state.items["upstream_sub"].known  # found by BC Art 30
    now = eng.state.now
    rid = submit(
        eng,
        "PT/investigator",
        "mla_stored_data",
        "nistru",
        ["upstream_sub"],
        now,
        fields={"time_zone": ""},
    )
    eng.advance_to(now + 20 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and "time_zone" in r.missing


def test_february_2026_law_no_e_evidence_and_the_jit_on_eu_rules() -> None:
    sc = load_scenario(NAME)
    assert sc.start_datetime().date() < E_EVIDENCE_APPLIES_FROM
    eng = started(sc)
    rid = submit(eng, "PT/prosecutor", "epoc", "carpathia", ["c2_sub"], 0.0)
    eng.advance_to(3 * DAY)
    assert eng.state.requests[rid].ground == "instrument_not_in_force"
    assert jit_basis(eng.state, "PT", "RO") == "EU rules (Framework Decision 2002/465/JHA)"
    assert "exercise assumption" in sc.exercise.briefing


def test_a_budapest_only_team_scores_well_below_golden_in_the_2ap_scenario() -> None:
    """Objectives titled 2AP Art 6/7/8/9 count only those instruments: a team that gets the
    same data by Budapest Convention MLA learns nothing of the Protocol and scores little."""
    _eng, golden = run(load_scenario(NAME), "golden")
    _eng, bc_only = run(load_scenario(NAME), "budapest_only")
    assert golden["score"] == 100
    assert bc_only["score"] <= golden["score"] - 40
    missed = {o["id"] for o in bc_only["objectives"] if not o["met"]}
    assert missed == {"c2_sub", "email_sub", "domain_reg", "registrar_account", "emergency"}


def test_at_human_speed_the_work_spreads_over_the_seats_in_the_first_hour() -> None:
    """Portugal's cell no longer works alone while the others wait: at five wall minutes per
    form, the requested countries' 24/7 points and central authorities decide within the
    first wall hour, and Portugal takes under half of the first half hour's decisions."""
    from tte.core.simulate import Pace

    from .conftest import decisions_by_wall_minute

    sc = load_scenario(NAME)
    log: list[object] = []
    _eng, out = run(sc, "golden", on_events=log.extend, pace=Pace.wall(sc, 5, 1))
    assert out["score"] == 100
    moments = decisions_by_wall_minute(sc, log)
    first_hour = {seat for minute, seat in moments if minute <= 60}
    requested = [s for s in sc.human_seats() if not s.startswith("PT/")]
    idle = [s for s in requested if s not in first_hour]
    assert len(idle) <= 1, idle
    early = [seat for minute, seat in moments if minute <= 30]
    assert sum(s.startswith("PT/") for s in early) < len(early) / 2

"""Bucharest 2019: BC Art 29/30 preservation, Art 31 MLA, police leads, Eurojust, incoming."""

from __future__ import annotations

from tte.core.policies import Golden
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
    assert briefing_gaps(sc) == []
    assert all(i.expected and i.notes for i in sc.injects)
    assert sc.exercise.debrief and sc.survey
    assert sum(o.weight for o in sc.objectives) == 100


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
    # Art 30 found the Turkish link; the preservation was extended before the 60 days ran out.
    assert any(r.template == "traffic_disclosure" and r.status == "fulfilled" for r in reqs)
    pres = [r for r in reqs if r.template == "preservation" and "phish_logs" in r.evidence]
    assert len(pres) == 2 and all(r.status == "fulfilled" for r in pres)


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


def test_police_channel_evidence_is_inadmissible_at_trial() -> None:
    eng, out = run(load_scenario(NAME), "careless")
    admin = eng.state.items["admin_sub"].obtained["RO"]
    assert admin["via"] == "police_info" and admin["admissible"] is False
    assert not met(eng, "admin_admissible")
    assert eng.state.items["phish_logs"].deleted  # nobody preserved it
    assert out["evidence"]["admissible"] == 0
    assert out["score"] <= 10


class NoExtension(Golden):
    """Does everything right except asking to extend the preservation."""

    def _keep_preserved(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return []


def test_mla_later_than_sixty_days_loses_the_logs_without_extension() -> None:
    eng, out = run(load_scenario(NAME), NoExtension())
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

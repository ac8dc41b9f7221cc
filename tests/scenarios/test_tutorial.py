"""Tutorial (RO -> NL, March 2026): preservation through the 24/7 network, then an EIO."""

from __future__ import annotations

from tte.core.events import Event
from tte.core.policies import Golden
from tte.core.simulate import Pace, run

from .conftest import DAY, briefing_gaps, load_scenario, met, problems, started, submit

NAME = "tutorial"


def test_loads_and_validates_clean() -> None:
    assert problems(NAME) == []
    sc = load_scenario(NAME)
    assert briefing_gaps(sc) == []
    assert all(i.expected and i.notes for i in sc.injects)
    assert sum(o.weight for o in sc.objectives) == 100
    assert "CERT-RO" not in " ".join(i.text for i in sc.injects)  # DNSC since 2021


def test_golden_preserves_then_issues_an_eio() -> None:
    eng, out = run(load_scenario(NAME), "golden")
    assert out["score"] == 100
    got = eng.state.items["c2_logs"].obtained["RO"]
    assert got["via"] == "eio" and got["admissible"]
    reqs = list(eng.state.requests.values())
    assert reqs[0].template == "preservation" and reqs[0].channel == "network_24_7"
    assert not any(r.template == "mla_stored_data" for r in reqs)


def test_careless_loses_the_logs() -> None:
    eng, out = run(load_scenario(NAME), "careless")
    assert eng.state.items["c2_logs"].deleted
    assert out["score"] == 0


def _at_human_speed(
    policy: str, drafting: float = 5, deciding: float = 1
) -> tuple[dict[str, object], list[Event], float]:
    """A team writing each form in `drafting` wall minutes (one at a time per seat) and
    taking `deciding` wall minutes for each decision; returns the outcome, the log and the
    scenario's speed (game seconds per wall second)."""
    sc = load_scenario(NAME)
    log: list[Event] = []
    _eng, out = run(sc, policy, on_events=log.extend, pace=Pace.wall(sc, drafting, deciding))
    return out, log, float(sc.exercise.speed)


def test_a_correct_unhurried_team_wins_the_tutorial_at_human_speed() -> None:
    # Five wall minutes per form, one per decision: the preservation leaves five wall
    # minutes in and the logs are frozen before Polderhost rotates them.
    out, log, speed = _at_human_speed("golden")
    assert out["score"] == 100
    sent = [e for e in log if e.kind == "request_submitted" and not e.data.get("inject")]
    assert sent[0].data["request"]["template"] == "preservation"
    assert sent[0].t / speed >= 5 * 60  # the drafting delay was really played
    preserved = next(e for e in log if e.kind == "evidence_preserved")
    deleted_at = 4 * DAY
    assert preserved.t < deleted_at
    # the reminder is for a team that sent nothing: this one never hears it
    assert not any(e.kind == "inject" and e.data.get("id") == "reminder" for e in log)


def test_a_slower_team_still_wins_with_seven_minutes_per_form() -> None:
    out, _log, _speed = _at_human_speed("golden", drafting=7, deciding=1)
    assert out["score"] == 100


def test_a_careless_team_at_human_speed_loses_the_logs_after_the_reminder() -> None:
    out, log, speed = _at_human_speed("careless")
    lost = next(e for e in log if e.kind == "evidence_deleted" and e.data["id"] == "c2_logs")
    reminder = next(e for e in log if e.kind == "inject" and e.data.get("id") == "reminder")
    assert reminder.t < lost.t
    assert out["score"] == 0
    # The nudge comes early enough to act on: a team that starts drafting only when it
    # lands, at five wall minutes per form, still freezes the logs.
    sc = load_scenario(NAME)
    nudged = Pace.wall(sc, drafting=5, deciding=1, idle=reminder.t / speed / 60)
    eng, _out = run(sc, "golden", pace=nudged)
    assert eng.state.items["c2_logs"].preserved_at is not None


def test_the_reminder_fires_only_when_nothing_was_sent_to_freeze_the_logs() -> None:
    eng = started(load_scenario(NAME))
    submit(eng, "RO/investigator", "preservation", "polderhost", ["c2_logs"], 6 * 3600.0)
    eng.advance_to(2 * DAY)
    assert eng.state.injects.get("reminder") != "released"
    eng = started(load_scenario(NAME))
    eng.advance_to(2 * DAY)
    assert eng.state.injects.get("reminder") == "released"


def test_bc_art31_between_two_eio_bound_member_states_is_returned() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "RO/investigator", "mla_stored_data", "polderhost", ["c2_subscriber"], 0.0)
    eng.advance_to(12 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and r.ground == "wrong_instrument"


def test_an_epoc_in_march_2026_is_not_in_force() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "RO/investigator", "epoc_pr", "polderhost", ["c2_logs"], 0.0)
    eng.advance_to(3 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "instrument_not_in_force"


def test_late_preservation_finds_the_logs_rotated() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(eng, "RO/investigator", "preservation", "polderhost", ["c2_logs"], 3.5 * DAY)
    eng.advance_to(6 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "refused" and r.ground == "data_unavailable"
    assert not met(eng, "preserve_logs")


def test_eio_without_time_zone_is_returned() -> None:
    eng = started(load_scenario(NAME))
    rid = submit(
        eng,
        "RO/investigator",
        "eio",
        "polderhost",
        ["c2_subscriber"],
        0.0,
        fields={"time_zone": ""},
    )
    eng.advance_to(6 * DAY)
    r = eng.state.requests[rid]
    assert r.status == "returned" and "time_zone" in r.missing


class LateEio(Golden):
    """Preserves at once, but issues the EIO for the logs only after 65 days, never
    extending the preservation."""

    def _keep_preserved(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return []

    def _produce(self, st, lead, item, where, org):  # type: ignore[no-untyped-def]
        if item.id == "c2_logs" and st.now < 65 * DAY:
            self._wakes.append(65 * DAY)
            return []
        return super()._produce(st, lead, item, where, org)


def test_preservation_lapses_when_the_eio_comes_after_sixty_days() -> None:
    """BC Art 29(7): frozen for at least 60 days, then gone unless a request was received."""
    eng, _ = run(load_scenario(NAME), LateEio(), until=80 * DAY)
    it = eng.state.items["c2_logs"]
    assert it.deleted and it.delete_reason == "preservation_lapsed"
    assert "RO" not in it.obtained
    assert not met(eng, "logs_admissible")

"""The report's numbers match the events they come from."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sample_requests import PRESERVATION

from tte.core.engine import Engine
from tte.core.events import Event
from tte.core.scenario import Scenario
from tte.core.scoring import outcome
from tte.report.figures import compute

from .conftest import Run

TERMINAL = {"request_fulfilled", "request_refused", "request_expired", "request_withdrawn"}


def _first(events: list[Event], rid: str, test: Callable[[Event], bool]) -> Event | None:
    """The first request event of `rid` that passes `test`."""
    for e in events:
        if e.kind.startswith("request_") and e.data["request"]["id"] == rid and test(e):
            return e
    return None


def _check_requests_match_events(run: Run) -> None:
    rep = compute(run.scenario, run.events)
    submitted = [e for e in run.events if e.kind == "request_submitted"]
    assert len(rep.requests) == len(submitted) == rep.summary.requests
    for r in rep.requests:
        sub = _first(run.events, r.id, lambda e: e.kind == "request_submitted")
        end = _first(run.events, r.id, lambda e: e.kind in TERMINAL)
        assert sub is not None and r.created == sub.t
        if end is None:
            assert r.answered is None and r.response is None
        else:
            assert r.answered == end.t
            if end.kind in ("request_fulfilled", "request_refused"):
                assert r.response == end.t - sub.t
        left = _first(run.events, r.id, lambda e: e.data["request"].get("sent_at") is not None)
        assert r.sent == (left.t if left else None)
        got = _first(run.events, r.id, lambda e: e.data["request"].get("received_at") is not None)
        assert r.received == (got.t if got else None)
    # Per-type statistics are those of the rows.
    for s in rep.by_type:
        rows = [r for r in rep.requests if (r.template, r.channel) == s.key]
        times = sorted(r.response for r in rows if r.response is not None)
        assert s.count == len(rows) and s.answered == len(times)
        assert s.worst == (times[-1] if times else None)


def _lost_from_events(run: Run) -> set[str]:
    deleted = {e.data["id"] for e in run.events if e.kind == "evidence_deleted"}
    admissible = {
        e.data["id"]
        for e in run.events
        if e.kind == "evidence_obtained" and e.data["admissible"] and e.data["country"] in ("RO",)
    }
    return deleted - admissible


def test_golden_figures(golden: Run) -> None:
    _check_requests_match_events(golden)
    rep = compute(golden.scenario, golden.events)
    st = Engine.replay(golden.scenario, golden.events).state
    assert rep.summary.score == outcome(st, len(golden.events))["score"] == 100
    assert rep.summary.objectives_met == len(golden.scenario.objectives)
    assert _lost_from_events(golden) == set() and not any(e.lost for e in rep.evidence)
    logs = next(e for e in rep.evidence if e.id == "c2_logs")
    preserved = next(e for e in golden.events if e.kind == "evidence_preserved")
    assert logs.preserved_at == preserved.t
    assert logs.margin == 4 * 86400 - preserved.t  # retention 4d in the scenario
    assert logs.admissible and logs.why_not == ""
    assert not rep.mistakes
    assert rep.summary.humans == 0 and rep.summary.desks == 8
    assert rep.plan  # at least the "nothing went wrong" row


def test_careless_figures(careless: Run) -> None:
    _check_requests_match_events(careless)
    rep = compute(careless.scenario, careless.events)
    lost = {e.id for e in rep.evidence if e.lost}
    assert lost == _lost_from_events(careless) == {"c2_logs"}
    assert rep.summary.evidence["lost"] == 1 and rep.summary.score == 0
    logs = next(e for e in rep.evidence if e.id == "c2_logs")
    assert logs.preservation_note == "never asked to preserve"
    # The police channel hands over no provider's data: nothing was ever obtained.
    assert logs.why_not == "deleted (retention) before it was obtained"
    assert logs.obtained == []
    plan = {(p.finding, p.recommendation, p.owner) for p in rep.plan}
    assert any(
        rec.startswith("Ask the own 24/7 point of contact for a preservation")
        and "Investigator" in owner
        and "24/7 point of contact" in owner
        for _f, rec, owner in plan
    )


def test_hotwash_figures(hotwash: Run) -> None:
    _check_requests_match_events(hotwash)
    rep = compute(hotwash.scenario, hotwash.events)
    kinds = [m.kind for m in rep.mistakes]
    assert kinds.count("refused") == 1 and kinds.count("returned") == 1
    assert kinds.count("wrong_channel") == 1
    refused = next(m for m in rep.mistakes if m.kind == "refused")
    assert refused.ground == "invalid_channel"
    returned = next(m for m in rep.mistakes if m.kind == "returned")
    assert "Requesting authority" in returned.missing
    # Humans from presence events; the human seat's submissions count as human actions.
    seats = {s.seat: s for s in rep.summary.seats}
    assert seats["RO/investigator"].played_by == "human and desk"
    assert seats["RO/investigator"].human_actions == 2
    # The EIO goes to the Dutch prosecutor; the central authority has the Dutch case's own
    # spontaneous information to pass on (issue 22: every seat has decisions).
    assert seats["NL/central_authority"].played_by == "human and desk"
    assert seats["RO/investigator"].human_time == 1214821.0 - 782641.0
    assert rep.summary.humans == 2
    # Survey and ratings.
    sv = rep.survey
    assert sv.respondents == 3 and sv.submissions == 3
    q = {x.id: x for x in sv.questions}
    assert q["useful"].counts == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert q["useful"].mean == (5 + 4 + 2) / 3
    assert q["channel"].counts["24/7 network"] == 2 and q["channel"].counts["MLA"] == 1
    assert len(q["comments"].texts) == 2
    assert [r.rating for r in rep.ratings] == [1, 3, 2]
    assert rep.ratings[1].label == "Performed with major challenges"
    recs = [p.recommendation for p in rep.plan]
    assert "Send mutual assistance requests only through the central authorities" in recs
    assert any(p.finding.startswith("Evaluator (observer)") for p in rep.plan)


def test_handling_times_come_from_arrival_and_decision(golden: Run) -> None:
    rep = compute(golden.scenario, golden.events)
    assert rep.handling
    for h in rep.handling:
        arrived = [
            e
            for e in golden.events
            if e.kind == "request_arrived" and e.data["id"] == h.request and e.t == h.arrived
        ]
        assert arrived and arrived[0].data["at"] == h.seat
        assert h.took >= 0 and h.by == "desk"


def test_a_facilitator_answering_for_a_seat_is_not_counted_as_a_desk_action(
    tutorial: Scenario,
) -> None:
    """RO/poc is played by a person; the facilitator forwards a request in its place. The
    seats table still says "human", with no desk action."""
    eng = Engine(tutorial)
    events = eng.start()
    events += eng.set_presence("RO/poc", True, 0.0)
    more, _ = eng.handle("RO/investigator", "request.submit", PRESERVATION, 60.0)
    events += more
    events += eng.advance_to(3600.0)
    assert eng.state.requests["R1"].at()["ref"] == "RO/poc"
    more, _ = eng.handle(
        "facilitator", "request.respond", {"id": "R1", "decision": "forward"}, 3600.0
    )
    events += more
    rep = compute(tutorial, events)
    handled = [h for h in rep.handling if h.seat == "RO/poc"]
    assert [h.by for h in handled] == ["facilitator"]
    poc = next(s for s in rep.summary.seats if s.seat == "RO/poc")
    assert (poc.played_by, poc.human_actions, poc.desk_actions) == ("human", 0, 0)


def test_a_legal_limit_is_timed_from_receipt_not_from_drafting() -> None:
    """The requested Party is not charged with the sender's own delay: a request drafted
    long before it reached the requested Party is over its limit only if the requested
    Party took longer than the limit after receipt."""
    from tte.report.figures import RequestRow

    row = RequestRow(
        id="R1", template="subscriber_order", title="", basis="2AP Art 7", channel="direct",
        intended_channel="direct", wrong_channel=False, sender="AA/prosecutor", country="AA",
        role="prosecutor", target="host", target_country="BB", evidence=[], status="fulfilled",
        ground=None, message="", created=0.0, sent=20 * 86400.0, received=21 * 86400.0,
        answered=40 * 86400.0, limit=30 * 86400.0, returns=0, sender_human=True,
    )  # fmt: skip
    assert row.over_limit(end=100 * 86400.0) is False  # 19 days after receipt
    late = dataclasses.replace(row, answered=52 * 86400.0)
    assert late.over_limit(end=100 * 86400.0) is True  # 31 days after receipt
    never = dataclasses.replace(row, received=None, answered=None, status="draft")
    assert never.over_limit(end=100 * 86400.0) is False


def test_debrief_is_chosen_by_what_happened(golden: Run, careless: Run) -> None:
    """The golden run hears about the logs it saved, the careless run about the logs it
    lost (the tutorial's debrief entries with conditions)."""
    good = {d.title for d in compute(golden.scenario, golden.events).debrief}
    bad = {d.title for d in compute(careless.scenario, careless.events).debrief}
    assert "The logs were preserved in time" in good and "The logs were lost" not in good
    assert "The logs were lost" in bad and "The logs were preserved in time" not in bad


def test_the_inject_timeline_shows_which_branches_fired(golden: Run, careless: Run) -> None:
    good = {b.inject: b for b in compute(golden.scenario, golden.events).branches}
    bad = {b.inject: b for b in compute(careless.scenario, careless.events).branches}
    assert good["start"].by == "schedule" and not good["start"].branch
    assert good["preserved"].branch and good["preserved"].by == "trigger"
    assert "preserved" not in bad  # the branch a careless team never reaches


def test_request_texts_show_what_the_players_wrote_and_what_was_missing(hotwash: Run) -> None:
    rep = compute(hotwash.scenario, hotwash.events)
    returned = [t for t in rep.texts if t.missing]
    assert returned and "Requesting authority" in returned[0].missing
    written = dict(returned[0].fields)
    assert written["Requesting authority"] == ""
    assert not any(t.id in {r.id for r in rep.requests if r.inject} for t in rep.texts)

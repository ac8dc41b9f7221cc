"""The report leads a hot wash (issue 22): on golden and careless runs of every shipped
scenario it times legal limits from receipt, gives every learning point its section, puts
the wall clock beside game time, and plans improvements once each, with the right owners.

Runs are played in process once per module (engine, figures, document); no server."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tte.core.events import Event
from tte.core.scenario import load
from tte.core.simulate import run
from tte.report.document import Bullets, Document, Section, Table, build
from tte.report.figures import Report, compute
from tte.report.learning import format_wall, wall_clock
from tte.report.render_md import render

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
POLICIES = ("golden", "careless")
CASES = [(p, pol) for p in SCENARIOS for pol in POLICIES]
IDS = [f"{p.stem}-{pol}" for p, pol in CASES]
H_MM = re.compile(r"^\d+:\d\d$")
Played = dict[tuple[str, str], tuple[Report, Document]]


@pytest.fixture(scope="module")
def played() -> Played:
    out = {}
    for path, policy in CASES:
        sc = load(path)
        events: list[Event] = []
        run(sc, policy, on_events=events.extend)
        rep = compute(sc, events)
        out[(path.stem, policy)] = (rep, build(rep, set()))
    return out


def _case(played: Played, path: Path, policy: str) -> tuple[Report, Document]:
    return played[(path.stem, policy)]


def _section(doc: Document, anchor: str) -> Section:
    return next(s for s in doc.sections if s.anchor == anchor)


def _tables(sec: Section) -> list[Table]:
    return [b for b in sec.blocks if isinstance(b, Table)]


@pytest.mark.parametrize(("path", "policy"), CASES, ids=IDS)
def test_every_learning_point_has_its_section_with_what_when_and_article(
    played: Played, path: Path, policy: str
) -> None:
    rep, doc = _case(played, path, policy)
    anchors = [s.anchor for s in doc.sections]
    for ob in rep.scenario.objectives:
        assert f"learning-{ob.id}" in anchors, ob.id
        sec = _section(doc, f"learning-{ob.id}")
        facts = dict((str(r[0]), str(r[1])) for r in _tables(sec)[0].rows)
        assert facts["Article"] not in ("", "—"), ob.title
        met = "not met" not in facts["Outcome"]
        assert met == next(o.met for o in rep.summary.objectives if o.id == ob.id)
        # what happened and when: a timed table, or the plain statement that nothing did
        timed = [t for t in _tables(sec) if t.headers[:2] == ["When", "Wall"]]
        if timed:
            assert all(H_MM.match(str(row[1])) for row in timed[0].rows)
        else:
            assert any("nothing" in getattr(b, "text", "") for b in sec.blocks)
    # golden: every point is met, and its section says how
    if policy == "golden":
        for lp in rep.learning:
            assert lp.met and lp.moments, lp.id


@pytest.mark.parametrize(("path", "policy"), CASES, ids=IDS)
def test_a_wall_clock_column_stands_beside_game_time_where_events_are_listed(
    played: Played, path: Path, policy: str
) -> None:
    rep, doc = _case(played, path, policy)
    speed = float(rep.scenario.exercise.speed)
    requests = _tables(_section(doc, "requests"))[0]
    i = requests.headers.index("Sent")
    assert requests.headers[i + 1] == "Wall"
    for sec in ("swimlanes", "branches", "mistakes"):
        for t in _tables(_section(doc, sec)):
            if "When" in t.headers:
                assert t.headers[t.headers.index("When") + 1] == "Wall", sec
                walls = [str(r[1]) for r in t.rows]
                assert all(H_MM.match(w) for w in walls), sec
    # a headless run is read at the scenario's speed: wall = game / speed
    for b in rep.branches:
        assert format_wall(rep.wall(b.t)) == format_wall(b.t / speed)
    text = render(doc, {})
    assert "| When | Wall |" in text


@pytest.mark.parametrize(("path", "policy"), CASES, ids=IDS)
def test_legal_limits_are_timed_from_receipt_by_the_party_that_must_act(
    played: Played, path: Path, policy: str
) -> None:
    rep, _doc = _case(played, path, policy)
    for r in rep.requests:
        if r.limit is None or r.status == "expired":
            continue
        if r.received is None:
            assert r.over_limit(rep.end) is False  # never reached the party that must act
            continue
        stop = r.answered if r.answered is not None else rep.end
        assert r.over_limit(rep.end) == (stop - r.received > r.limit), r.id
        # the sender's own drafting and transit are never charged to the requested Party
        assert r.received >= r.created
    for s in rep.by_type:
        if s.limit:
            rows = [r for r in rep.requests if (r.template, r.channel) == s.key]
            assert s.over_limit == sum(1 for r in rows if r.over_limit(rep.end)), s.key


def test_an_answer_within_the_limit_after_a_slow_draft_is_not_over_it() -> None:
    """Drafted and approved slowly at home, answered at once abroad: not over the limit."""
    sc = load(SCENARIOS[[p.stem for p in SCENARIOS].index("lisbon-ransomware-2ap")])
    events: list[Event] = []
    run(sc, "golden", on_events=events.extend)
    rep = compute(sc, events)
    timed = [
        r
        for r in rep.requests
        if r.limit and r.received is not None and r.answered and r.status != "expired"
    ]
    assert timed
    for r in timed:
        r.created -= 10 * r.limit  # ten limits spent before it left the sender's country
        assert r.over_limit(rep.end) == (r.answered - r.received > r.limit)


OWNERS = {
    "24/7 point of contact": ("preservation", "24/7"),
    "Central authority (MLA)": ("MLA", "mutual", "Art 8", "60 days"),
}


@pytest.mark.parametrize(("path", "policy"), CASES, ids=IDS)
def test_the_plan_is_prioritised_says_each_line_once_and_names_the_right_owners(
    played: Played, path: Path, policy: str
) -> None:
    rep, _doc = _case(played, path, policy)
    recs = [p.recommendation for p in rep.plan]
    assert len(recs) == len(set(recs)), Counter(recs).most_common(2)
    assert len({p.finding for p in rep.plan}) == len(rep.plan)
    assert [p.priority for p in rep.plan] == sorted(p.priority for p in rep.plan)
    assert sum("confidentiality" in r.lower() for r in recs) <= 1
    for p in rep.plan:
        assert p.owner and p.finding and p.recommendation
        low = p.recommendation.lower()
        if "epoc-pr" in low or "european preservation order" in low:
            assert "Prosecutor" in p.owner  # an order is issued by a judicial authority
        elif "preservation" in low and "24/7" in low:
            assert p.owner.startswith("24/7 point of contact")
        if p.recommendation.startswith("Send the request for the data"):
            assert "Central authority (MLA)" in p.owner
    if policy == "careless":
        # police for everything, evidence lost: the mistakes are listed and lead the plan
        kinds = {m.kind for m in rep.mistakes}
        assert {"lost", "police_only"} <= kinds
        assert rep.plan[0].priority == 1
        mistakes = _section(_doc, "mistakes")
        summary = next(b for b in mistakes.blocks if isinstance(b, Bullets))
        assert any(
            i.startswith("Evidence asked for only through the police") for i in summary.items
        )
        assert not any("_" in str(row[2]) for row in _tables(mistakes)[0].rows)  # titled kinds
    # a lapse after the item was obtained admissibly is no mistake
    obtained = {e.id for e in rep.evidence if e.admissible}
    for m in rep.mistakes:
        if m.kind == "lapsed":
            assert not any(i in m.detail for i in obtained)


def test_preservation_advice_follows_the_law_between_the_pair() -> None:
    """Ireland is no Budapest Party: between member states in September 2026 the way to
    freeze Glenmail's records is an EPOC-PR, never 'through the 24/7 network'."""
    sc = load(SCENARIOS[[p.stem for p in SCENARIOS].index("eu-e-evidence-2026")])
    events: list[Event] = []
    run(sc, "careless", on_events=events.extend)
    rep = compute(sc, events)
    row = next(p for p in rep.plan if "glenmail" in p.finding.lower() and p.priority == 1)
    assert "EPOC-PR" in row.recommendation and "24/7" not in row.recommendation
    assert row.basis == "Regulation (EU) 2023/1543 Art 6"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_debrief_is_chosen_by_what_happened(played: Played, path: Path) -> None:
    golden, _ = played[(path.stem, "golden")]
    careless, _ = played[(path.stem, "careless")]
    assert golden.scenario.debrief, "the scenario has debrief entries with conditions"
    good = {d.title for d in golden.debrief}
    bad = {d.title for d in careless.debrief}
    assert good and bad and not good & bad
    assert any("lost" in t.lower() for t in bad)
    assert not any("lost" in t.lower() for t in good)
    # a point chosen by an objective sits in that learning point's section
    for d in careless.debrief:
        if d.objective:
            assert d.objective in {o.id for o in careless.scenario.objectives}


def test_the_wall_clock_of_a_live_session_skips_pauses_and_jumps() -> None:
    sc = load(SCENARIOS[[p.stem for p in SCENARIOS].index("tutorial")])
    speed = float(sc.exercise.speed)

    def clock(seq: int, t: float, **data: object) -> Event:
        return Event(seq, "clock", t, {"speed": speed, "paused": False, **data})

    evs = [
        Event(1, "clock", 0.0, {"speed": speed, "paused": True}),
        clock(2, 0.0),  # resumed: the session starts
        clock(3, 600 * speed, paused=True),  # ten wall minutes later, a pause
        clock(4, 600 * speed),  # resumed: the pause took no game time and counts none
        clock(5, 900 * speed, jump=86400.0),  # five more minutes, then a day's jump
        clock(6, 900 * speed + 86400.0, speed=2 * speed),  # double speed from here
    ]
    wall = wall_clock(sc, evs)
    assert wall(300 * speed) == pytest.approx(300)
    assert wall(600 * speed) == pytest.approx(600)
    assert wall(900 * speed + 86400.0) == pytest.approx(900)  # the jump took no wall time
    assert wall(900 * speed + 86400.0 + 120 * speed) == pytest.approx(960)
    assert format_wall(3725) == "1:02"

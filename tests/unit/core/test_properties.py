"""Properties of the reducer under random play (legal and illegal moves alike).

- folding the emitted events again (Engine.replay) gives the same state;
- a refused command (CommandError) changes nothing and emits nothing;
- timers fire in order: event times never go back, sequence numbers rise by one.
"""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from tte.core.engine import Engine
from tte.core.events import CommandError, Event

from .kit import DAY, HOUR, canon, complete, scenario

# The providers and evidence random play runs against (also tests/unit/core/test_indexes.py).
ORGANISATIONS = """
- {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d, tips_off: true}
- {id: local, name: Local ISP, country: AA, kind: isp, answer_delay: 1d}
"""
EVIDENCE = """
- {id: logs, title: Logs, kind: traffic, holder: host, deleted_at: 4d, known_to: [AA],
   wiped_on_tipoff: true, reveals: {evidence: [up], leads: [a lead]}}
- {id: sub, title: Sub, kind: subscriber, holder: host, known_to: [AA, BB],
   needs_timezone: true}
- {id: up, title: Upstream, kind: traffic, holder: host, deleted_at: 9d}
- {id: isp, title: ISP, kind: subscriber, holder: local, known_to: [AA]}
"""

SC = scenario(
    organisations=ORGANISATIONS,
    evidence=EVIDENCE,
    injects="""
    - {id: a, title: A, at: 6h, to: [AA]}
    - {id: b, title: B, when: {evidence_preserved: logs}, delay: 2h, to: [AA/investigator]}
    - {id: c, title: C, manual: true, effects: {emergency: true, reveal: [up]}}
    """,
    objectives="""
    - {id: o1, title: O, evidence_preserved: logs}
    - {id: o2, title: O, evidence_admissible: sub}
    """,
    survey="[{id: q, text: Q}]",
    channels="{mla: 5d, eurojust: 1d}",
)
SEATS = SC.seats()
ACTORS = [*SEATS, "facilitator", "observer", "ZZ/poc"]
TEMPLATES = [
    ("preservation", "host", "network_24_7"),
    ("preservation", "host", "mla"),
    ("mla_stored_data", "host", "mla"),
    ("mla_stored_data", "host", "network_24_7"),
    ("mla_stored_data", "host", "jit"),
    ("subscriber_order", "host", "direct"),
    ("giving_effect", "host", "mla"),
    ("emergency_disclosure", "host", "network_24_7"),
    ("emergency_mla", "host", "mla"),
    ("police_info", "europol", "police"),
    ("police_info", "BB/investigator", "police"),
    ("traffic_disclosure", "host", "network_24_7"),
    ("spontaneous_info", "BB/poc", "network_24_7"),
    ("jit_agreement", "BB/prosecutor", "eurojust"),
    ("domestic_order", "local", "domestic"),
    ("domestic_order", "host", "domestic"),
]
rids = st.sampled_from(["R1", "R2", "R3", "R4", "R5", "R9", "", 7])
junk = st.one_of(
    st.none(), st.integers(-5, 5), st.text(max_size=5), st.lists(st.integers(), max_size=2)
)


@st.composite
def submit(draw):
    tid, to, ch = draw(st.sampled_from(TEMPLATES))
    fields = complete(tid)
    for name in draw(st.lists(st.sampled_from(sorted(fields) or ["x"]), max_size=2)):
        fields.pop(name, None)
    if draw(st.booleans()):
        fields["data_sought"] = "All data on the account"
    from tte.core.templates import TEMPLATES as ALL

    senders = [f"AA/{r}" for r in ALL[tid].senders]
    held = ["isp"] if to == "local" else ["logs", "sub"] if to == "host" else ["sub"]
    evidence = draw(
        st.lists(st.sampled_from(held), min_size=1, max_size=2)
        | st.lists(st.sampled_from(["logs", "sub", "up", "isp", "x"]), max_size=2)
    )
    actor = draw(st.sampled_from(senders) | st.sampled_from(ACTORS))
    args = {"template": tid, "to": to, "channel": ch, "evidence": evidence, "fields": fields}
    return actor, "request.submit", args


@st.composite
def respond(draw):
    op = draw(
        st.sampled_from(
            [
                "request.forward",
                "request.answer",
                "request.return",
                "request.refuse",
                "request.respond",
                "request.withdraw",
                "request.amend",
            ]
        )
    )
    args = {"id": draw(rids)}
    if op == "request.refuse":
        args["ground"] = draw(st.sampled_from(["political_offence", "other", "nope"]) | junk)
    if op == "request.return":
        args["missing"] = draw(st.sampled_from([["offence"], [], ["bogus"]]) | junk)
    if op == "request.respond":
        args["decision"] = draw(st.sampled_from(["fulfil", "forward", "answer", "maybe"]) | junk)
    if op == "request.amend":
        args["fields"] = draw(st.sampled_from([{}, {"offence": "x"}, {"nope": 1}]) | junk)
    return draw(st.sampled_from(ACTORS)), op, args


@st.composite
def staff(draw):
    op, args = draw(
        st.sampled_from(
            [
                ("inject.release", {"id": "c"}),
                ("inject.release", {"id": "b"}),
                ("inject.skip", {"id": "a"}),
                ("inject.move", {"id": "b", "at": 3 * DAY}),
                ("inject.move", {"id": "a", "at": -1}),
                ("inject.send", {"title": "Hi", "to": ["BB"]}),
                ("inject.send", {"title": "Hi", "to": []}),
                ("clock.pause", {}),
                ("clock.resume", {}),
                ("clock.set_speed", {"speed": 120}),
                ("clock.set_speed", {"speed": 0}),
                ("clock.advance", {"seconds": 2 * DAY}),
                ("clock.advance", {"seconds": -1}),
                ("emergency.declare", {"emergency": True}),
                ("emergency.declare", {"emergency": "yes"}),
                ("survey.open", {}),
                ("survey.answer", {"answers": {"q": 3}}),
                ("survey.answer", {"answers": {"q": 9}}),
                ("rating.submit", {"objective": "o1", "rating": 2}),
                ("rating.submit", {"objective": "o1", "rating": [2]}),
                ("no.such.op", {}),
            ]
        )
    )
    return draw(st.sampled_from(ACTORS)), op, copy.deepcopy(args)


# A legal move most of the time: act where a request waits (resolved during play).
act = st.tuples(
    st.just("act"),
    st.integers(0, 5),
    st.sampled_from(["forward", "answer", "return", "refuse", "fulfil", "amend", "withdraw"]),
)

moves = st.lists(
    st.one_of(
        submit(),
        submit(),
        act,
        act,
        respond(),
        staff(),
        st.tuples(st.just("advance"), st.floats(0, 3 * DAY)),
        st.tuples(st.just("presence"), st.sampled_from(SEATS), st.booleans()),
    ),
    max_size=25,
)


def resolve(eng, mv):
    """Turn ("act", n, decision) into a command by whoever may take it now."""
    _, n, decision = mv
    reqs = list(eng.state.requests.values())
    if not reqs:
        return "AA/investigator", "request.forward", {"id": "R1"}
    r = reqs[n % len(reqs)]
    if decision == "amend":
        return r.sender, "request.amend", {"id": r.id, "fields": complete(r.template)}
    if decision == "withdraw":
        return r.sender, "request.withdraw", {"id": r.id}
    stop = r.at()
    actor = stop["ref"] if stop["kind"] == "seat" else "facilitator"
    args = {"id": r.id, "decision": decision, "ground": "other", "missing": ["offence"]}
    return actor, "request.respond", args


def play(move_list):
    """Run the moves; check the no-change property on every refusal; return the log."""
    eng = Engine(SC)
    events: list[Event] = list(eng.start(0.0))
    now = 0.0
    for mv in move_list:
        if mv[0] == "advance":
            now += mv[1]
            events += eng.advance_to(now)
        elif mv[0] == "presence":
            events += eng.set_presence(mv[1], mv[2], now)
        else:
            actor, op, args = resolve(eng, mv) if mv[0] == "act" else mv
            events += eng.advance_to(now)
            before = canon(eng.state)
            try:
                evs, _ = eng.handle(actor, op, copy.deepcopy(args), now)
            except CommandError:
                assert canon(eng.state) == before, (actor, op, args)
                continue
            events += evs
    events += eng.advance_to(now + 120 * DAY)  # let everything run out
    return eng, events


@settings(max_examples=150)
@given(moves)
def test_replaying_the_log_gives_the_same_state(move_list):
    eng, events = play(move_list)
    records = [copy.deepcopy(e.to_record()) for e in events]
    again = Engine.replay(SC, [Event.from_record(r) for r in records])
    assert canon(again.state) == canon(eng.state)


@settings(max_examples=150)
@given(moves)
def test_timers_fire_in_order_and_nothing_is_dropped(move_list):
    eng, events = play(move_list)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    ts = [e.t for e in events]
    assert ts == sorted(ts)
    assert eng.state.seq == len(events)
    assert all(t.due > eng.state.now for t in eng.state.timers.values())  # none overdue
    fired = [e.timer for e in events if e.timer is not None]
    assert len(fired) == len(set(fired))  # each timer fires once


@settings(max_examples=150)
@given(moves, st.one_of(submit(), respond(), staff()))
def test_a_refused_command_changes_nothing(move_list, last):
    eng, _ = play(move_list)
    before = canon(eng.state)
    actor, op, args = last
    try:
        evs, _ = eng.handle(actor, op, args, eng.state.now)
    except CommandError:
        assert canon(eng.state) == before
    else:
        assert evs and evs[0].seq == before["seq"] + 1


def test_timers_due_at_the_same_time_fire_in_creation_order(game):
    sc = scenario(injects="[{id: x, title: X, at: 1h}, {id: y, title: Y, at: 1h}]")
    g = game(sc)
    evs = g.advance(HOUR)
    assert [e.data["id"] for e in evs] == ["x", "y"]

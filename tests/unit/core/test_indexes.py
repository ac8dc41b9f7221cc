"""The fold's indexes and the engine's incremental reactions (issue 19: per-event work
does not grow with the number of requests).

- after any play, every index equals what a scan of the requests and timers gives, and a
  replay rebuilds the same indexes;
- reacting on the changed requests only emits exactly the events that testing every
  request after every change emits (conditional injects, objectives met by requests and
  hint cards falling due).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings

from tte.core.engine import Engine
from tte.core.events import CommandError, Event
from tte.core.state import TERMINAL, State

from .kit import DAY, scenario
from .test_properties import EVIDENCE, ORGANISATIONS, moves, resolve

SC = scenario(
    organisations=ORGANISATIONS,
    evidence=EVIDENCE,
    injects="""
    - {id: refused, title: R, when: {request_refused: any}, to: [AA]}
    - {id: returned, title: R, when: {request_returned: preservation, to: BB}, to: [AA]}
    - {id: expired, title: E, when: {request_expired: any}, delay: 2h, to: [AA]}
    - {id: sent, title: S, when: {request_sent: mla_stored_data, item: sub}, to: [AA]}
    - {id: tip, title: T, when: {tip_off: host, country: AA}, to: [AA]}
    """,
    objectives="""
    - {id: o1, title: O, request_sent: preservation, outcome: fulfilled}
    - {id: o2, title: O, request_sent: mla_stored_data, outcome: first_time, by: 3d}
    - {id: o3, title: O, request_sent: mla_stored_data, fields_filled: [data_sought]}
    - {id: o4, title: O, evidence_preserved: logs}
    """,
    hints="""
    - {id: h_refused, title: H, text: t, to: [AA], when: {request_refused: any}}
    - {id: h_sent, title: H, text: t, to: [AA], when: {request_sent: mla_stored_data}}
    - {id: h_late, title: H, text: t, to: [AA], when: {not_sent: preservation, by: 1d}}
    """,
    channels="{mla: 5d, eurojust: 1d}",
)


class EveryRequestEngine(Engine):
    """The reference: every condition tested on every request after every change."""

    incremental = False


def play(cls: type[Engine], move_list: list) -> tuple[Engine, list[Event]]:
    eng = cls(SC)
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
            try:
                evs, _ = eng.handle(actor, op, copy.deepcopy(args), now)
            except CommandError:
                continue
            events += evs
    events += eng.advance_to(now + 120 * DAY)
    return eng, events


def scanned(st: State) -> dict[str, object]:
    """The indexes as a scan of every request and timer computes them."""
    open_sent: dict[str, int] = {}
    held: dict[str, list[str]] = {}
    about: dict[str, list[str]] = {}
    for r in st.requests.values():
        if r.status not in TERMINAL:
            open_sent[r.sender] = open_sent.get(r.sender, 0) + 1
            held.setdefault(r.at()["ref"], []).append(r.id)
            for eid in dict.fromkeys(r.evidence):
                about.setdefault(eid, []).append(r.id)
    timers: dict[str, list[int]] = {}
    for t in st.timers.values():
        timers.setdefault(t.ref, []).append(t.id)
    return {
        "open_sent": open_sent,
        "held": {k: sorted(v) for k, v in held.items()},
        "timers_of": {k: sorted(v) for k, v in timers.items()},
        "open_about": {k: sorted(v) for k, v in about.items()},
    }


def indexed(st: State) -> dict[str, object]:
    return {
        "open_sent": dict(st.open_sent),
        "held": {k: sorted(v) for k, v in st.held.items()},
        "timers_of": {k: sorted(v) for k, v in st.timers_of.items()},
        "open_about": {k: sorted(v) for k, v in st.open_about.items()},
    }


@settings(max_examples=80)
@given(moves)
def test_the_indexes_match_a_scan_and_replay_rebuilds_them(move_list):
    eng, events = play(Engine, move_list)
    assert indexed(eng.state) == scanned(eng.state)
    again = Engine.replay(SC, [Event.from_record(copy.deepcopy(e.to_record())) for e in events])
    assert indexed(again.state) == indexed(eng.state)
    assert list(again.state.touched.items()) == list(eng.state.touched.items())
    assert again.state.tips_of == eng.state.tips_of


@settings(max_examples=80)
@given(moves)
def test_reacting_on_changed_requests_only_emits_what_testing_every_request_emits(move_list):
    _, fast = play(Engine, move_list)
    _, full = play(EveryRequestEngine, move_list)
    assert [e.to_record() for e in fast] == [e.to_record() for e in full]


def test_a_request_condition_met_long_after_many_requests_still_fires(game):
    """Many unrelated requests first; the one that meets the condition comes last."""
    g = game(SC, humans=("AA/investigator", "AA/poc", "BB/poc"))
    for _ in range(30):
        g.do("AA/investigator", "request.submit", **_preservation())
    assert "sent" not in {e.data.get("id") for e in g.events if e.kind == "inject"}
    rid = g.do("AA/investigator", "request.submit", **_mla())["id"]
    assert rid == "R31"
    assert g.st.injects["sent"] == "released"
    assert g.st.open_requests_of("AA/investigator") == 31


def _preservation() -> dict[str, Any]:
    from .kit import complete

    return {
        "template": "preservation",
        "to": "host",
        "channel": "network_24_7",
        "evidence": ["logs"],
        "fields": complete("preservation"),
    }


def _mla() -> dict[str, Any]:
    from .kit import complete

    return {
        "template": "mla_stored_data",
        "to": "host",
        "channel": "mla",
        "evidence": ["sub"],
        "fields": complete("mla_stored_data"),
    }

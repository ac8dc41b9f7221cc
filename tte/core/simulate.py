"""Headless runs at full speed: a policy plays every seat's initiative, desks the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .duration import parse_duration
from .engine import Engine
from .events import CommandError, Event
from .policies import POLICIES, Policy
from .scenario import Scenario
from .scoring import outcome


def run(
    scenario: Scenario,
    policy: str | Policy = "golden",
    on_events: Callable[[list[Event]], None] | None = None,
    until: float | None = None,
) -> tuple[Engine, dict[str, Any]]:
    """Play the whole exercise; returns the engine and the outcome (see scoring.outcome)."""
    pol = POLICIES[policy]() if isinstance(policy, str) else policy
    eng = Engine(scenario)
    end = until if until is not None else parse_duration(scenario.exercise.duration)
    count = 0

    def take(evs: list[Event]) -> None:
        nonlocal count
        count += len(evs)
        if on_events is not None and evs:
            on_events(evs)

    take(eng.start(0.0))
    now = 0.0
    for _ in range(1_000_000):  # a bound, not a budget: every step consumes a timer
        for _round in range(20):
            moves = pol.moves(eng, now)
            if not moves:
                break
            for actor, op, args in moves:
                key = args.pop("_key", None) or args.pop("_amend", None)
                try:
                    evs, data = eng.handle(actor, op, args, now)
                except CommandError:
                    continue
                take(evs)
                if key is not None and op == "request.submit":
                    pol.record(key, data)
        due = eng.next_due()
        wake = pol.wake_at(now)
        nxt = min(x for x in (due, wake, end) if x is not None)
        if nxt > end or (nxt == now and due is None):
            break
        if nxt <= now and due is not None and due <= now:
            nxt = now
        now = max(now, nxt)
        take(eng.advance_to(now))
        if now >= end and (eng.next_due() is None or eng.next_due() > end):  # type: ignore[operator]
            break
    return eng, outcome(eng.state, count)


# Request events that record what the seat holding a request decided (`by`: the seat, or
# "desk:SEAT" when its desk answered by rule).
_DECIDED = frozenset(
    {
        "request_forwarded",
        "request_returned",
        "request_refused",
        "request_fulfilled",
        "request_amended",
        "request_withdrawn",
    }
)


def seat_decisions(scenario: Scenario, events: list[Event]) -> dict[str, int]:
    """How many decisions each seat had in a run, read from its log: requests it sent and
    requests it forwarded, returned, refused, executed, amended or withdrew (whoever played
    it, a person or its desk); a request a scenario inject started is not its sender's
    decision. Every seat appears, with 0 when it had nothing to do."""
    out = dict.fromkeys(scenario.seats(), 0)
    for ev in events:
        if ev.kind == "request_submitted":
            if ev.data.get("inject"):  # a scenario started it: the seat decided nothing
                continue
            seat = ev.data["request"]["sender"]
        elif ev.kind in _DECIDED:
            seat = str(ev.data.get("by", "")).removeprefix("desk:")
        else:
            continue
        if seat in out:
            out[seat] += 1
    return out


def idle_seats(scenario: Scenario, policy: str = "golden", least: int = 2) -> list[str]:
    """The seats a person may take that have fewer than `least` decisions in a run of
    `policy` (the pedagogy check: a seat with nothing to decide teaches nothing)."""
    events: list[Event] = []
    run(scenario, policy, on_events=events.extend)
    counts = seat_decisions(scenario, events)
    return [s for s in scenario.human_seats() if counts[s] < least]

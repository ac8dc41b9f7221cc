"""Headless runs at full speed: a policy plays every seat's initiative, desks the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from .duration import parse_duration
from .engine import Engine
from .events import CommandError, Event
from .policies import POLICIES, Move, Policy
from .scenario import Scenario
from .scoring import outcome
from .templates import ROLES


@dataclass
class Pace:
    """People at work, not a program: a form takes `drafting` game seconds to write (one at
    a time per seat, in the order the seat took them up) and a decision on a request that
    reaches a seat `deciding` (the desks stand in for people at every seat and take that
    long, not their scripted delays: a central authority's five desk days become the
    minutes a person in the room takes).

    ``Pace.wall(scenario, drafting=5)`` gives wall minutes at the scenario's speed: at the
    tutorial's 600 game seconds per wall second, five wall minutes per form are 50 game
    hours, which is what a class spends on a preservation request."""

    drafting: float = 0.0  # game seconds per form (request.submit, request.amend)
    deciding: float = 0.0  # game seconds per decision of a seat (0: the desks' delays)
    idle: float = 0.0  # game seconds before the team starts its first form (a late start)
    busy: dict[str, float] = field(default_factory=dict)  # seat -> drafting until
    ready: dict[object, float] = field(default_factory=dict)  # draft key -> ready at

    @classmethod
    def wall(
        cls, scenario: Scenario, drafting: float = 0.0, deciding: float = 0.0, idle: float = 0.0
    ) -> Pace:
        """Wall minutes converted to game seconds at the scenario's speed."""
        speed = float(scenario.exercise.speed) * 60
        return cls(drafting * speed, deciding * speed, idle * speed)

    def scenario(self, sc: Scenario) -> Scenario:
        """The scenario with every seat deciding at a person's speed."""
        if self.deciding <= 0:
            return sc
        return msgspec.structs.replace(sc, desks=dict.fromkeys(ROLES, self.deciding))

    def filter(self, moves: list[Move], now: float) -> list[Move]:
        """The moves whose form is written by `now`; the others start (or go on) drafting."""
        if self.drafting <= 0 and self.idle <= 0:
            return moves
        out: list[Move] = []
        for actor, op, args in moves:
            if op not in ("request.submit", "request.amend"):
                out.append((actor, op, args))
                continue
            key = (op, actor, repr(args.get("_key") or args.get("_amend") or args.get("id")))
            if key not in self.ready:
                start = max(now, self.idle, self.busy.get(actor, 0.0))
                self.ready[key] = self.busy[actor] = start + self.drafting
            if self.ready[key] <= now:
                del self.ready[key]
                out.append((actor, op, args))
        return out

    def wake_at(self, now: float) -> float | None:
        later = [t for t in self.ready.values() if t > now]
        return min(later) if later else None


def run(
    scenario: Scenario,
    policy: str | Policy = "golden",
    on_events: Callable[[list[Event]], None] | None = None,
    until: float | None = None,
    pace: Pace | None = None,
) -> tuple[Engine, dict[str, Any]]:
    """Play the whole exercise; returns the engine and the outcome (see scoring.outcome).
    With a `pace`, forms take time to draft and desks decide no faster than people."""
    pol = POLICIES[policy]() if isinstance(policy, str) else policy
    pace = pace or Pace()
    eng = Engine(pace.scenario(scenario))
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
            moves = pace.filter(pol.moves(eng, now), now)
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
        drafted = pace.wake_at(now)
        nxt = min(x for x in (due, wake, drafted, end) if x is not None)
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

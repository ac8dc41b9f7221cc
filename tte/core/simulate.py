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

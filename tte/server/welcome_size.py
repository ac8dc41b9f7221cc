"""Does every seat's welcome fit in a frame? (64 KiB, PROTOCOL.md)

A welcome over it closes the connection with 1009 and nobody can ever join that seat, so
a scenario too big for it is refused when it is checked (`tte validate`) and when it is
hosted (the facilitator's welcome, the largest: it holds the MSEL, every item and every
objective). The translations travel apart (tte.core.languages.TextIndex), each in frames
of their own, so only the welcome itself counts.
"""

from __future__ import annotations

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.events import FACILITATOR, OBSERVER
from tte.core.scenario import Scenario

_CLOCK = p.ClockState(game_time="2026-01-01T00:00:00+00:00", elapsed=0.0, speed=1.0, paused=True)


def welcome_bytes(engine: Engine, seat: str) -> int:
    welcome = p.Welcome(
        seat=p.seat_of(seat), seq=0, clock=_CLOCK, exercise=engine.welcome_info(seat)
    )
    return len(p.encode(welcome))


def oversized(sc: Scenario, seats: list[str] | None = None) -> dict[str, int]:
    """seat -> size in bytes of each welcome over the frame limit (every seat by default)."""
    engine = Engine(sc)
    engine.start()
    every = [FACILITATOR, OBSERVER, *engine.seats()] if seats is None else seats
    sizes = {seat: welcome_bytes(engine, seat) for seat in every}
    return {seat: n for seat, n in sizes.items() if n > p.MAX_FRAME}

"""Can every seat's welcome be sent? (frames of at most 64 KiB, PROTOCOL.md)

A welcome over one frame is sent in parts (`protocol.welcome_frames`: its largest
entries, lists and maps split across "welcome_part" frames), so an exercise of 50
countries joins like a small one. What cannot be split is a single text over a frame (a
briefing of 70 kB): that seat could never join, so such a scenario is refused when it is
checked (`tte validate`, every seat) and when it is hosted (the facilitator, who is sent
the most).
"""

from __future__ import annotations

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.events import FACILITATOR, OBSERVER
from tte.core.languages import TextIndex
from tte.core.scenario import Scenario

_CLOCK = p.ClockState(game_time="2026-01-01T00:00:00+00:00", elapsed=0.0, speed=1.0, paused=True)


def frames_for(engine: Engine, seat: str) -> list[bytes]:
    """The frames `seat`'s welcome goes out in (raises protocol.TooBig)."""
    info = engine.welcome_info(seat)
    welcome = p.Welcome(seat=p.seat_of(seat), seq=0, clock=_CLOCK, exercise=info)
    return p.welcome_frames(welcome, TextIndex(engine.scenario.translations).texts_in(info))


def problem(engine: Engine, seat: str) -> str | None:
    """Why `seat`'s welcome cannot be sent, or None."""
    try:
        frames_for(engine, seat)
    except p.TooBig as e:
        return str(e)
    return None


def unsendable(sc: Scenario) -> dict[str, str]:
    """seat -> why its welcome cannot be sent, for every seat that has one."""
    engine = Engine(sc)
    engine.start()
    found = {s: problem(engine, s) for s in [FACILITATOR, OBSERVER, *engine.seats()]}
    return {seat: why for seat, why in found.items() if why}

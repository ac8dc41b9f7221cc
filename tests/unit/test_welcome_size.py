"""Every seat's welcome of every shipped scenario fits in one frame (MAX_FRAME, 64 KiB):
a larger one closes the connection with 1009 and nobody can join that seat."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.scenario import load

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
CLOCK = p.ClockState(game_time="2026-09-14T09:00:00+02:00", elapsed=0.0, speed=1.0, paused=True)
# The welcome carries the scenario's `translations` whole (tte.core.welcome): with its French
# the e-Evidence scenario's welcomes are 67-116 KB (the facilitator's English alone is 59 KB).
# The transport must send them apart (or the frame grow) before the French can ship.
TOO_BIG = {"eu-e-evidence-2026"}


def _params() -> list[object]:
    out: list[object] = []
    for s in SCENARIOS:
        marks = (
            [pytest.mark.xfail(strict=True, reason="welcome over MAX_FRAME with translations")]
            if s.stem in TOO_BIG
            else []
        )
        out.append(pytest.param(s, id=s.stem, marks=marks))
    return out


@pytest.mark.parametrize("path", _params())
def test_every_seats_welcome_fits_in_one_frame(path: Path) -> None:
    eng = Engine(load(path))
    sizes = {}
    for seat in ["facilitator", "observer", *eng.seats()]:
        welcome = p.Welcome(
            seat=p.seat_of(seat), seq=0, clock=CLOCK, exercise=eng.welcome_info(seat)
        )
        sizes[seat] = len(p.encode(welcome))
    over = {seat: n for seat, n in sizes.items() if n > p.MAX_FRAME}
    assert not over, f"welcome over {p.MAX_FRAME} bytes: {over}"

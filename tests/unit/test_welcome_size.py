"""Every seat's welcome of every shipped scenario, and the "texts" frames after it, fit in
one frame each (MAX_FRAME, 64 KiB): a larger one closes the connection with 1009 and
nobody can join that seat (tte/server/welcome_size.py refuses such a scenario)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.scenario import load
from tte.server.welcome_size import frames_for

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_every_seats_welcome_goes_out_in_frames_of_at_most_64_kib(path: Path) -> None:
    eng = Engine(load(path))
    for seat in ["facilitator", "observer", *eng.seats()]:
        frames = frames_for(eng, seat)
        if eng.scenario.translations:
            assert len(frames) > 1, f"{seat} gets no translation"
        assert max(len(f) for f in frames) <= p.MAX_FRAME, seat

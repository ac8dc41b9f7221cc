"""Every seat's welcome of every shipped scenario, and the "texts" frames after it, fit in
one frame each (MAX_FRAME, 64 KiB): a larger one closes the connection with 1009 and
nobody can join that seat (tte/server/welcome_size.py refuses such a scenario)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.languages import TextIndex
from tte.core.scenario import load

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
CLOCK = p.ClockState(game_time="2026-09-14T09:00:00+02:00", elapsed=0.0, speed=1.0, paused=True)


@pytest.mark.parametrize("path", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_every_seats_welcome_and_its_texts_fit_in_frames(path: Path) -> None:
    eng = Engine(load(path))
    texts = TextIndex(eng.scenario.translations)
    over: dict[str, int] = {}
    for seat in ["facilitator", "observer", *eng.seats()]:
        info = eng.welcome_info(seat)
        welcome = p.Welcome(seat=p.seat_of(seat), seq=0, clock=CLOCK, exercise=info)
        frames = [p.encode(welcome), *p.texts_frames(texts.texts_in(info))]
        if eng.scenario.translations:
            assert len(frames) > 1, f"{seat} gets no translation"
        biggest = max(len(f) for f in frames)
        if biggest > p.MAX_FRAME:
            over[seat] = biggest
    assert not over, f"frames over {p.MAX_FRAME} bytes: {over}"

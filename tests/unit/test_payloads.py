"""The typed payloads of tte.protocol describe exactly what the engine sends: every request
snapshot, item and welcome of whole simulated runs reads as its struct and writes back
unchanged, so a key that drifts fails here rather than on a player's screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from tte import protocol as p
from tte.core.events import Event
from tte.core.scenario import load
from tte.core.simulate import run

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def _events(path: Path, policy: str) -> tuple[Any, list[Event]]:
    events: list[Event] = []
    eng, _ = run(load(path), policy, on_events=events.extend)
    return eng, events


@pytest.mark.parametrize("policy", ["golden", "careless"])
@pytest.mark.parametrize("path", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_every_snapshot_and_item_of_a_run_is_exactly_its_struct(path: Path, policy: str) -> None:
    _, events = _events(path, policy)
    seen = {"request": 0, "item": 0}
    for ev in events:
        for key, kind in (("request", p.RequestSnapshot), ("item", p.ItemView)):
            raw = ev.data.get(key)
            if isinstance(raw, dict):
                typed = p.payload(kind, raw)
                assert msgspec.to_builtins(typed) == raw, (ev.kind, key)
                seen[key] += 1
    assert seen["request"] and seen["item"]


@pytest.mark.parametrize("path", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_the_welcome_reads_as_its_struct_for_every_seat(path: Path) -> None:
    eng, _ = _events(path, "golden")
    for seat in [*eng.seats(), "facilitator", "observer"]:
        info = eng.welcome_info(seat)
        typed = msgspec.to_builtins(p.payload(p.WelcomeInfo, info))
        assert typed == {k: info[k] for k in typed}, seat


def test_a_ground_outside_the_table_is_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown ground"):
        p.payload(p.RequestSnapshot, {"id": "R1", "ground": "because"})
    for ground in ("incomplete", "overbroad", "instrument_not_in_force"):
        assert p.payload(p.RequestSnapshot, {"id": "R1", "ground": ground}).ground == ground

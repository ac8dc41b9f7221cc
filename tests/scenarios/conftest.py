"""Helpers for the shipped-scenario tests: load a scenario, drive the engine by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tte.core.engine import Engine
from tte.core.policies import fill_fields
from tte.core.scenario import Scenario, load, parse
from tte.core.scoring import objective_met
from tte.core.templates import ROLES

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DAY = 86400.0
HOUR = 3600.0


def load_scenario(name: str) -> Scenario:
    return load(SCENARIOS / f"{name}.yaml")


def problems(name: str) -> list[str]:
    _sc, found = parse((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    return [f"{p.path}: {p.message}" for p in found]


def started(sc: Scenario) -> Engine:
    eng = Engine(sc)
    eng.start(0.0)
    return eng


def submit(
    eng: Engine, seat: str, template: str, to: str, evidence: list[str], now: float, **kw: Any
) -> str:
    """Submit a diligently filled request at `now` (firing due timers first)."""
    eng.advance_to(now)
    items = [i for e in evidence if (i := eng.scenario.item(e))]
    fields = {**fill_fields(template, items), **kw.pop("fields", {})}
    args = {"template": template, "to": to, "evidence": evidence, "fields": fields, **kw}
    _evs, data = eng.handle(seat, "request.submit", args, now)
    return str(data["id"])


def briefing_gaps(sc: Scenario) -> list[str]:
    """Seats humans may play that have no briefing."""
    return [
        f"{c.code}/{r}"
        for c in sc.countries
        for r in ROLES
        if r in c.humans and not c.briefings.get(r, "").strip()
    ]


def met(eng: Engine, oid: str) -> bool:
    """Is objective `oid` met in the engine's state?"""
    ob = next(o for o in eng.scenario.objectives if o.id == oid)
    return objective_met(eng.state, ob)


def decisions_by_wall_minute(sc: Scenario, events: list[Any]) -> list[tuple[float, str]]:
    """(wall minute, seat) of every decision a person could take (simulate.seat_decisions'
    rule), at the scenario's speed: when in the session each seat had something to do."""
    from tte.core.simulate import seat_decisions

    speed = float(sc.exercise.speed) * 60
    humans = set(sc.human_seats())
    out: list[tuple[float, str]] = []
    for ev in events:
        for seat, n in seat_decisions(sc, [ev]).items():
            if n and seat in humans:
                out.append((ev.t / speed, seat))
    return out

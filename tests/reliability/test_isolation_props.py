"""Isolation as a property of whole exercises.

An oracle independent of the engine's visibility lists, written from the wire data a
seat receives: a country seat never receives a staff-only kind, and receives a request's
event only if it sent the request or the request has reached it on its route (the
snapshot in the event says where it is). Spoofed sender keys in args are ignored.

- Through the engine (many examples): hypothesis picks the scenario, a policy, a seed and
  random legal moves by every seat (answers, forwards, returns, refusals, new requests);
  for every event and every seat that Event.visible_to admits, the oracle must agree.
- Through a real server (a few examples): scripted clients play random legal moves from
  their own view; every event each seat was delivered is visible to it and passes the
  oracle, and every request's sender is the seat of the connection that submitted it.
- Observers: every state-changing operation is refused and changes nothing.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tte.core.engine import _OPS, RESPOND_ALIASES, Engine
from tte.core.events import CommandError, Event
from tte.core.policies import POLICIES, fill_fields
from tte.core.scenario import Scenario, load
from tte.core.state import TERMINAL
from tte.server import ExerciseServer
from tte.server.log import read_events

from .conftest import SOAK
from .support import ROOT, SPOOF_KEYS, Bot, until, write_figures

SCENARIOS = {
    name: load(ROOT / "scenarios" / f"{name}.yaml")
    for name in ("tutorial", "bucharest-preservation-mla", "lisbon-ransomware-2ap")
}
STAFF_ONLY_KINDS = frozenset(
    {"presence", "tip_off", "note", "objective_met", "retention_passed", "timer_skipped",
     "survey_answer", "rating", "inject_scheduled", "inject_skipped"}
)  # fmt: skip
STAFF = ("facilitator", "observer")


def oracle(seat: str, kind: str, data: dict[str, Any]) -> str | None:
    """Why `seat` must not receive this event, or None if it may."""
    if seat in STAFF:
        return None
    if kind in STAFF_ONLY_KINDS:
        return f"staff-only {kind}"
    req = data.get("request")
    if isinstance(req, dict):
        reached = int(req["stop"]) - (1 if req.get("in_transit") else 0)
        on_route = [s["ref"] for s in req["route"][: reached + 1] if s["kind"] == "seat"]
        if seat != req["sender"] and seat not in on_route:
            return f"{kind} of {req['id']} ({req['sender']} -> {on_route}) is not for {seat}"
    return None


# ---- through the engine -----------------------------------------------------------------


Move = tuple[str, str, dict[str, Any]]


def random_moves(eng: Engine, rng: random.Random, seats: list[str]) -> list[Move]:
    st_ = eng.state
    moves: list[Move] = []
    for r in list(st_.requests.values()):
        if r.status in TERMINAL or r.status == "returned" or r.in_transit or r.stop == 0:
            continue
        at = r.at()
        if at["kind"] != "seat" or rng.random() < 0.3:
            continue
        decision = rng.choice(["forward", "forward", "answer", "return", "refuse"])
        args: dict[str, Any] = {"id": r.id, "decision": decision, "message": "m"}
        if decision == "return":
            args["missing"] = [rng.choice(list(r.fields) or ["offence"])]
        if decision == "refuse":
            args["ground"] = rng.choice(["other", "political_offence", "sovereignty"])
        moves.append((at["ref"], "request.respond", args))
    sc = eng.scenario
    for _ in range(rng.randint(0, 3)):
        actor = rng.choice(seats)
        country = actor.split("/")[0]
        tpls = eng.welcome_info(actor).get("templates", [])
        if not tpls:
            continue
        t = rng.choice(tpls)
        target = t.get("target", "org")
        if target == "org":
            domestic = t["id"] == "domestic_order"
            to = rng.choice([o.id for o in sc.organisations if (o.country == country) == domestic]
                            or ["none"])  # fmt: skip
        elif target == "body":
            to = rng.choice(["europol", "interpol"])
        else:
            to = rng.choice([s for s in seats if not s.startswith(country + "/")] or seats)
        known = [e.id for e in sc.evidence
                 if country in st_.items[e.id].known and e.holder == to]  # fmt: skip
        args = {"template": t["id"], "to": to, "channel": rng.choice(t["channels"] or ["mla"]),
                "fields": fill_fields(t["id"], []),
                "evidence": rng.sample(known, min(len(known), 1))}  # fmt: skip
        moves.append((actor, "request.submit", args))
    for _actor, _op, args in moves:  # spoofing: another seat named in every way we can
        if rng.random() < 0.5:
            for k in SPOOF_KEYS:
                args[k] = rng.choice(seats)
    return moves


def play(sc: Scenario, policy: str, seed: int, steps: int) -> tuple[list[Event], dict[str, str]]:
    rng = random.Random(seed)
    eng = Engine(sc)
    events = eng.start()
    pol = POLICIES[policy]() if policy != "random" else None
    seats = sc.seats()
    senders: dict[str, str] = {}
    now = 0.0
    for _ in range(steps):
        moves = pol.moves(eng, now) if pol else []
        moves = rng.sample(moves, len(moves)) + random_moves(eng, rng, seats)
        for actor, op, args in moves:
            key = args.pop("_key", None) or args.pop("_amend", None)
            try:
                evs, data = eng.handle(actor, op, args, now)
            except CommandError:
                continue
            events += evs
            if op == "request.submit":
                senders[data["id"]] = actor
                if pol and key is not None:
                    pol.record(key, data)
        now += rng.choice([60.0, 900.0, 3600.0, 6 * 3600.0, 86400.0])
        events += eng.advance_to(now)
    return events, senders


def check_events(events: list[Event], seats: list[str], senders: dict[str, str]) -> int:
    checked = 0
    for ev in events:
        for seat in [*seats, *STAFF]:
            if ev.visible_to(seat):
                checked += 1
                why = oracle(seat, ev.kind, ev.data)
                assert why is None, f"seq {ev.seq}: {why}"
        req = ev.data.get("request")
        if ev.kind == "request_submitted" and isinstance(req, dict):
            # a request a scenario inject started was sent by no command
            if not ev.data.get("inject"):
                assert req["sender"] == senders[req["id"]], "a command named another sender"
            assert ev.visible_to(req["sender"])  # the sender always sees its own request
    return checked


def test_every_delivery_is_allowed_in_simulated_exercises() -> None:
    runs = deliveries = events_total = 0

    @settings(max_examples=100 if not SOAK else 3000, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(sorted(SCENARIOS)), st.sampled_from(["golden", "careless", "random"]),
           st.integers(0, 2**32), st.integers(5, 40))  # fmt: skip
    def run(name: str, policy: str, seed: int, steps: int) -> None:
        nonlocal runs, deliveries, events_total
        sc = SCENARIOS[name]
        events, senders = play(sc, policy, seed, steps)
        deliveries += check_events(events, sc.seats(), senders)
        runs += 1
        events_total += len(events)

    run()
    write_figures("isolation_engine", {"exercises": runs, "events": events_total,
                                       "seat_deliveries_checked": deliveries})  # fmt: skip


# ---- through a real server --------------------------------------------------------------


async def _server_run(seed: int) -> tuple[int, int]:
    sc = SCENARIOS["tutorial"]
    with tempfile.TemporaryDirectory() as d:
        srv = ExerciseServer(sc, Path(d) / "data")
        await srv.start("127.0.0.1", 0)
        url = f"ws://127.0.0.1:{srv.port}/"
        codes = srv.roster.codes()
        humans = sc.human_seats()
        rng = random.Random(seed)
        bots = [
            Bot(f"b{i}", url, codes[s], random.Random(rng.random()), pace=(0.0, 0.02),
                spoof_as=[x for x in humans if x != s])
            for i, s in enumerate([*humans, rng.choice(humans)])
        ]  # fmt: skip
        fac = Bot("fac", url, codes["facilitator"], random.Random(seed), pace=(0.05, 0.1))
        obs = Bot("obs", url, codes["observer"], random.Random(seed + 1), pace=(0.05, 0.1))
        everyone = [*bots, fac, obs]
        try:
            for b in everyone:
                await b.start(play=False)
            await fac.do("clock.set_speed", {"speed": 7200.0}, "s")
            await fac.do("clock.resume", {}, "r")
            for b in everyone:
                b.play()
            await until(lambda: sum(b.stats.ok for b in bots) >= 60, 60, "moves")
            for b in everyone:
                await b.halt()
            await fac.do("clock.pause", {}, "p")
            barrier = fac.token()
            await fac.do("inject.send", {"title": barrier, "text": "", "to": ["all"]}, barrier)
            upto = fac.link.last_seq
            for b in everyone:
                await until(lambda b=b: b.link.last_seq >= upto, what="barrier")  # type: ignore[misc]
            log = {e.seq: e for e in read_events(srv.log.path)}
            delivered = 0
            for b in everyone:
                assert not b.stats.failures, b.stats.failures[:3]
                assert not b.link.delivery_problems()
                for s in b.link.delivered():
                    ev = log[s]
                    assert ev.visible_to(b.seat), f"{b.seat} got seq {s}"
                    why = oracle(b.seat, ev.kind, ev.data)
                    assert why is None, why
                    delivered += 1
            submitted_by = {rid: b.seat for b in bots for rid in b.stats.submitted}
            n = 0
            for ev in log.values():
                if ev.kind == "request_submitted" and ev.data["request"]["id"] in submitted_by:
                    assert ev.data["request"]["sender"] == submitted_by[ev.data["request"]["id"]]
                    n += 1
            assert n == len(submitted_by)
            return delivered, n
        finally:
            for b in everyone:
                await b.close()
            await srv.stop()


def test_every_delivery_is_allowed_through_a_real_server() -> None:
    totals = {"runs": 0, "frames_checked": 0, "requests_checked": 0}

    @settings(max_examples=3 if not SOAK else 30, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.reuse, Phase.generate])  # fmt: skip
    @given(st.integers(0, 2**32))
    def run(seed: int) -> None:
        delivered, n = asyncio.run(_server_run(seed))
        totals["runs"] += 1
        totals["frames_checked"] += delivered
        totals["requests_checked"] += n

    run()
    write_figures("isolation_server", totals)


# ---- observers ----------------------------------------------------------------------------


async def test_observers_cannot_change_anything(tmp_path: Path) -> None:
    sc = SCENARIOS["tutorial"]
    srv = ExerciseServer(sc, tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    obs = Bot("o", f"ws://127.0.0.1:{srv.port}/", srv.roster.observer, random.Random(0))
    inv = Bot("i", f"ws://127.0.0.1:{srv.port}/", srv.roster.codes()["RO/investigator"],
              random.Random(1))  # fmt: skip
    try:
        await obs.start(play=False)
        await inv.start(play=False)
        args = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
                "fields": fill_fields("preservation", [])}  # fmt: skip
        assert (await inv.do("request.submit", args, "x")).ok
        before = srv.engine.state.seq
        plausible: dict[str, dict[str, Any]] = {
            "request.submit": args,
            "request.respond": {"id": "R1", "decision": "forward"},
            "request.amend": {"id": "R1", "fields": {}},
            "request.withdraw": {"id": "R1"},
            "inject.release": {"id": sc.injects[0].id if sc.injects else "x"},
            "inject.send": {"title": "t", "text": "x", "to": ["all"]},
            "clock.advance": {"seconds": 60, "reason": "r"},
            "clock.set_speed": {"speed": 10.0},
            "survey.answer": {"answers": {}},
            "emergency.declare": {"emergency": True},
        }
        ops = sorted({*_OPS, *RESPOND_ALIASES, "clock.pause", "clock.resume", "clock.set_speed",
                      "clock.advance"} - {"rating.submit"})  # fmt: skip
        for op in ops:
            res = await obs.do(op, {**plausible.get(op, {}), "actor": "facilitator"}, op)
            assert not res.ok and res.error and res.error.code == "forbidden", (op, res)
        assert srv.engine.state.seq == before
    finally:
        await obs.close()
        await inv.close()
        await srv.stop()

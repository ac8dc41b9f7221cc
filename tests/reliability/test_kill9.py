"""kill -9 of the server subprocess in the middle of a busy exercise.

Several seats (two of them with two connections), the facilitator and an observer play
random legal moves by script through tte.client.net's reconnecting link while the clock
runs at one game hour per wall second, so desks act and timers fire. Then SIGKILL, restart
on the same port, and:

- every command that got ok:true is in the log (found by its unique token);
- no client had seen an event that the log lost;
- game time never went back: the restart resumes at or after every clock a client saw;
- the restart's first turn fires exactly the timers an uninterrupted engine fires at that
  game time, in order (replaying the pre-kill log and advancing it is the reference);
- every client reconnected by itself, nothing was delivered twice or out of order, and
  its model equals a model built by a fresh connection from last_seq 0.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

from tte.core.engine import Engine
from tte.core.scenario import load
from tte.server.log import read_events

from .conftest import SOAK
from .support import (
    TUTORIAL,
    Bot,
    BotStats,
    diff_states,
    fresh_model,
    last_visible,
    model_state,
    proven,
    start_server_proc,
    until,
    write_figures,
)

SEATS = [
    "RO/investigator",
    "RO/investigator",
    "RO/poc",
    "RO/central_authority",
    "RO/prosecutor",
    "NL/poc",
    "NL/poc",
    "NL/central_authority",
]
ACKED_BEFORE_KILL = 150  # per cycle
KILLS = 5 if SOAK else 2
ACKED_AFTER_RESTART = 60


async def test_kill_9_in_a_busy_exercise(tmp_path: Path) -> None:
    data = tmp_path / "ex"
    srv = await start_server_proc(data)
    roster = json.loads((data / "roster.json").read_text())
    codes = {f"{s['country']}/{s['role']}": s["code"] for s in roster["seats"]}
    codes["facilitator"] = roster["facilitator"]
    codes["observer"] = roster["observer"]
    rng = random.Random(20240610)
    players = sorted(set(SEATS))
    bots = [
        Bot(f"s{i}", srv.url, codes[seat], random.Random(rng.random()), pace=(0.01, 0.08),
            spoof_as=[s for s in players if s != seat])
        for i, seat in enumerate(SEATS)
    ]  # fmt: skip
    fac = Bot("fac", srv.url, codes["facilitator"], random.Random(1), pace=(0.2, 0.5))
    obs = Bot("obs", srv.url, codes["observer"], random.Random(2), pace=(0.2, 0.5))
    everyone = [*bots, fac, obs]
    try:
        for b in everyone:
            await b.start(play=False)
        assert (await fac.do("clock.set_speed", {"speed": 3600.0}, "speed")).ok
        assert (await fac.do("clock.resume", {}, "resume")).ok
        for b in everyone:
            b.play()

        def acked() -> int:
            return sum(len(b.stats.acked) for b in everyone)

        sc = load(TUTORIAL)
        cycles: list[dict[str, object]] = []
        for cycle in range(KILLS):
            target = acked() + ACKED_BEFORE_KILL
            await until(lambda t=target: acked() >= t, 60, "commands acknowledged")  # type: ignore[misc]
            await srv.kill9()
            at_kill = BotStats()
            for b in everyone:
                at_kill.merge(b.stats)
            at_kill = copy.deepcopy(at_kill)
            seen_at_kill = {b.name: set(b.link.delivered()) for b in everyone}
            clock_seen = max(b.model.clock.elapsed for b in everyone)

            prefix = read_events(data / "events.sqlite")
            prefix_end = prefix[-1].seq
            assert [e.seq for e in prefix] == list(range(1, prefix_end + 1))
            found = proven(prefix, at_kill)
            missing = {t: at_kill.acked[t] for t in set(at_kill.acked) - found}
            assert not missing, f"cycle {cycle}: {len(missing)} acknowledged commands lost: " + (
                str(sorted(missing.items())[:8])
            )
            for name, seen in seen_at_kill.items():
                assert seen <= {e.seq for e in prefix}, f"{name} saw events the log lost"

            # Restart on the same port: the links reconnect by themselves.
            srv = await start_server_proc(data, port=srv.port)
            need, more = cycle + 2, len(at_kill.acked) + ACKED_AFTER_RESTART

            def back(need: int = need) -> bool:
                return all(b.link.welcomes >= need and b.link.status.online for b in everyone)

            await until(back, 60, "every client to reconnect")
            await until(lambda more=more: acked() >= more, 60, "more commands")  # type: ignore[misc]
            # The restart turn: what an uninterrupted engine does at the resumed game time.
            log = read_events(data / "events.sqlite")
            post = [e for e in log if e.seq > prefix_end]
            first_presence = next(i for i, e in enumerate(post) if e.kind == "presence")
            t_restart = post[first_presence].t
            assert t_restart >= clock_seen - 1e-6, "the clock went back over the crash"
            assert t_restart >= prefix[-1].t
            ref = Engine.replay(sc, prefix)
            pending = sorted((t.due, t.id) for t in ref.state.timers.values())
            expected = ref.advance_to(t_restart)
            actual = post[:first_presence]
            assert [(e.seq, e.kind, e.t, e.timer, e.data) for e in actual] == [
                (e.seq, e.kind, e.t, e.timer, e.data) for e in expected
            ]
            fired_t = [e.t for e in actual if e.timer is not None]
            assert fired_t == sorted(fired_t) and all(t <= t_restart for t in fired_t)
            cycles.append(
                {
                    "acked_before_kill": len(at_kill.acked),
                    "found_after_kill": len(found & set(at_kill.acked)),
                    "events_at_kill": prefix_end,
                    "timers_pending_at_kill": len(pending),
                    "timers_due_at_restart": sum(1 for due, _ in pending if due <= t_restart),
                    "unknown_outcome_so_far": at_kill.unknown,
                }
            )

        for b in everyone:
            await b.halt()
        assert (await fac.do("clock.pause", {}, "pause")).ok
        barrier = fac.token()
        res = await fac.do("inject.send", {"title": barrier, "text": "", "to": ["all"]}, barrier)
        assert res.ok
        upto = fac.link.last_seq

        log = read_events(data / "events.sqlite")
        assert [e.seq for e in log] == list(range(1, len(log) + 1)), "seq has gaps"
        assert log[-1].seq == upto, "nothing happens with the clock paused and nobody playing"
        total = BotStats()
        for b in everyone:
            total.merge(b.stats)
        all_acked = set(total.acked)
        assert not all_acked - proven(log, total)
        times = [e.t for e in log]
        assert times == sorted(times), "game time went back"
        # Across every crash, each timer fired once, in due order, and none is left behind.
        fired = [e.timer for e in log if e.timer is not None]
        assert len(fired) == len(set(fired)), "a timer fired twice"
        final = Engine.replay(sc, log)
        stuck = [t for t in final.state.timers.values() if t.due <= log[-1].t]
        assert not stuck, f"timers due but never fired: {stuck[:5]}"

        # Every client: nothing twice, nothing out of order, everything it may see, and
        # the same screens as a fresh connection.
        failures = [f for b in everyone for f in b.stats.failures]
        assert not failures, failures[:5]
        for b in everyone:
            assert not b.link.delivery_problems(), b.link.delivery_problems()[:5]
            seat = b.seat
            want = last_visible(log, seat, upto)
            await until(lambda b=b, w=want: b.model.last_seq >= w, what=f"{b.name} caught up")  # type: ignore[misc]
            visible = [e.seq for e in log if e.seq <= upto and e.visible_to(seat)]
            assert sorted(set(b.link.delivered())) == visible, f"{b.name} ({seat})"
            assert all(log[s - 1].visible_to(seat) for s in b.link.delivered())
            fresh = await fresh_model(srv.url, codes[seat], want)
            live, new = model_state(b.model), model_state(fresh)
            assert live == new, diff_states(live, new)

        _write_figures(
            "kill9",
            {
                "kills": KILLS,
                "timers_fired": len(fired),
                "cycles": cycles,
                "acked_total": len(all_acked),
                "found_total": len(proven(log, total)),
                "events_total": len(log),
                "unknown_outcome": total.unknown,
                "refused": dict(total.refused),
                "clients": len(everyone),
                "reconnects": sum(b.link.welcomes - 1 for b in everyone),
            },
        )
    finally:
        for b in everyone:
            await b.close()
        await srv.stop()


def _write_figures(key: str, values: dict[str, object]) -> None:
    write_figures(key, values)

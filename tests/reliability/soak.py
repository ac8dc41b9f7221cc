"""The soak: many scripted clients play random legal moves against a real server process.

``python -m bench.soak --clients 500 --minutes 10`` (``make soak``) runs the long version;
``tests/reliability/test_soak.py`` runs a short one in ``make test``.

A ``tte serve`` subprocess holds the tutorial exercise with the clock running; client
worker processes each run a share of the bots (:class:`tests.reliability.support.Bot`:
humans by script over tte.client.net's reconnecting link, seats spread over every human
seat; empty seats, providers and bodies are played by the server's desks). Worker 0 also
runs the facilitator (injects to everyone) and an observer (ratings). The server's RSS is
sampled every few seconds.

At the end: the clock is paused, a barrier inject goes to all, every bot waits for it, and
each checks what the server delivered to it against the event log: every event its seat
may see, none it may not, none twice, none out of order. Any ``internal``/``bad_frame``
result, unexpected refusal code or unexpected reconnect is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tte.server.log import read_events

from .support import Bot, BotStats, hwm_kib, start_server_proc, until


def _plan(clients: int, workers: int, seats: list[str]) -> list[list[str]]:
    """Seats for each worker's bots, round-robin over the human seats."""
    all_seats = [seats[i % len(seats)] for i in range(clients)]
    return [all_seats[w::workers] for w in range(workers)]


async def _worker(
    url: str,
    codes: dict[str, str],
    seats: list[str],
    seconds: float,
    index: int,
    barrier_file: Path,
    log_path: Path,
    pace: tuple[float, float],
    submit_p: float,
    survey_p: float,
) -> dict[str, Any]:
    rng = random.Random(1000 + index)
    bots = [
        Bot(f"w{index}n{i}", url, codes[s], random.Random(rng.random()), pace=pace,
            submit_p=submit_p, survey_p=survey_p, spoof_as=[x for x in set(seats) if x != s])
        for i, s in enumerate(seats)
    ]  # fmt: skip
    fac = obs = None
    if index == 0:
        fac = Bot("fac", url, codes["facilitator"], random.Random(1), pace=(1.0, 3.0))
        obs = Bot("obs", url, codes["observer"], random.Random(2), pace=(2.0, 5.0))
        bots += [fac, obs]
    # Join in small groups, as a classroom does.
    for i in range(0, len(bots), 25):
        await asyncio.gather(*(b.start(play=False) for b in bots[i : i + 25]))
    if fac is not None:
        await fac.do("clock.set_speed", {"speed": 600.0}, "speed")
        await fac.do("clock.resume", {}, "resume")
        await fac.do("survey.open", {"open": True}, "survey")
    else:  # the other workers' bots answer once the survey is open
        await until(lambda: bots[0].model.exercise.get("survey") is not None, 30, "welcome")
    for b in bots:
        b.play()
    t_end = time.monotonic() + seconds
    await until(lambda: time.monotonic() >= t_end, seconds + 60, "the soak to run")
    for b in bots:
        await b.halt()
    # The barrier: worker 0's facilitator pauses and sends an inject to all.
    if fac is not None:
        assert (await fac.do("clock.pause", {}, "pause")).ok
        tok = fac.token()
        assert (await fac.do("inject.send", {"title": tok, "text": "", "to": ["all"]}, tok)).ok
        barrier_file.write_text(str(fac.link.last_seq))
    await until(lambda: barrier_file.exists() and barrier_file.read_text(), 120, "barrier")
    upto = int(barrier_file.read_text())
    await until(lambda: all(b.link.last_seq >= upto for b in bots), 300, "bots at the barrier")
    events = read_events(log_path)
    visible: dict[str, list[int]] = {}
    problems: list[str] = []
    for b in bots:
        seat = b.seat
        if seat not in visible:
            visible[seat] = [e.seq for e in events if e.seq <= upto and e.visible_to(seat)]
        got = sorted(s for s in set(b.link.delivered()) if s <= upto)
        if got != visible[seat]:
            missing = sorted(set(visible[seat]) - set(got))[:5]
            extra = sorted(set(got) - set(visible[seat]))[:5]
            problems.append(f"{b.name} ({seat}): missing {missing} extra {extra}")
        problems += [f"{b.name}: {x}" for x in b.link.delivery_problems()[:3]]
        problems += b.stats.failures[:3]
    total = BotStats()
    for b in bots:
        total.merge(b.stats)
    reconnects = sum(max(0, b.link.welcomes - 1) for b in bots)
    delivered = sum(len(b.link.delivered()) for b in bots)
    for b in bots:
        await b.close()
    return {
        "bots": len(bots),
        "sent": total.sent,
        "ok": total.ok,
        "refused": dict(total.refused),
        "unknown": total.unknown,
        "failures": len(total.failures),
        "reconnects": reconnects,
        "events_delivered": delivered,
        "problems": problems[:20],
        "upto": upto,
    }


def _worker_main(args: tuple[Any, ...], out: Any) -> None:
    try:
        out.put(asyncio.run(_worker(*args)))
    except BaseException as e:  # report, never hang the parent
        out.put({"error": f"{type(e).__name__}: {e}"})


async def run_soak(
    clients: int,
    seconds: float,
    workers: int = 1,
    *,
    pace: tuple[float, float] = (2.0, 8.0),
    submit_p: float = 0.02,
    survey_p: float = 0.3,
    sample_every: float = 5.0,
    data_root: Path | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Run the soak; returns the figures (``errors`` lists everything that went wrong)."""
    tmp = Path(data_root or tempfile.mkdtemp(prefix="tte-soak-"))
    data = tmp / "ex"
    srv = await start_server_proc(data)
    try:
        roster = json.loads((data / "roster.json").read_text())
        codes = {f"{s['country']}/{s['role']}": s["code"] for s in roster["seats"]}
        seats = sorted(codes)
        codes |= {"facilitator": roster["facilitator"], "observer": roster["observer"]}
        plan = _plan(clients, workers, seats)
        barrier = tmp / "barrier"
        t0 = time.monotonic()
        samples: list[tuple[float, int]] = []
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        procs = [
            ctx.Process(
                target=_worker_main,
                args=((srv.url, codes, plan[w], seconds, w, barrier, data / "events.sqlite",
                       pace, submit_p, survey_p), out),
                daemon=True,
            )
            for w in range(workers)
        ]  # fmt: skip
        for pr in procs:
            pr.start()
        results: list[dict[str, Any]] = []
        while len(results) < workers:
            samples.append((time.monotonic() - t0, srv.rss_kib()))
            if progress:
                print(f"  t={samples[-1][0]:6.0f}s server RSS {samples[-1][1] / 1024:.1f} MiB",
                      file=sys.stderr, flush=True)  # fmt: skip
            got = await asyncio.to_thread(_get, out, sample_every)
            if got is not None:
                results.append(got)
            if time.monotonic() - t0 > seconds + 900:
                results.append({"error": "workers did not finish in time"})
                break
        for pr in procs:
            pr.join(10)
        alive = srv.proc.returncode is None
        peak = hwm_kib(srv.pid) if alive else 0
        events = len(read_events(data / "events.sqlite"))
        server_errors = [ln for ln in srv.log_text().splitlines()
                         if " ERROR " in ln or " CRITICAL " in ln or "Traceback" in ln]  # fmt: skip
    finally:
        await srv.stop()
    errors = [r["error"] for r in results if "error" in r]
    for r in results:
        errors += r.get("problems", [])
        if r.get("failures"):
            errors.append(f"{r['failures']} failed commands")
        if r.get("reconnects"):
            errors.append(f"{r['reconnects']} unexpected reconnects")
    if not alive:
        errors.append("the server died")
    errors += server_errors[:10]

    def rss_at(t: float) -> int:
        return min(samples, key=lambda s: abs(s[0] - t))[1]

    m2 = rss_at(min(120.0, seconds / 2))
    end = samples[-1][1]
    figures = {
        "clients": clients + 2,
        "workers": workers,
        "seconds": seconds,
        "commands_sent": sum(r.get("sent", 0) for r in results),
        "commands_ok": sum(r.get("ok", 0) for r in results),
        "refused": _sum_dicts([r.get("refused", {}) for r in results]),
        "unknown_outcome": sum(r.get("unknown", 0) for r in results),
        "events": events,
        "events_delivered": sum(r.get("events_delivered", 0) for r in results),
        "rss_baseline_kib": m2,
        "rss_end_kib": end,
        "rss_growth": round((end - m2) / m2, 4) if m2 else None,
        "peak_rss_kib": peak,
        "rss_samples": samples[:: max(1, len(samples) // 60)],
        "errors": errors,
    }
    return figures


def _get(q: Any, timeout: float) -> dict[str, Any] | None:
    try:
        return q.get(timeout=timeout)  # type: ignore[no-any-return]
    except Exception:
        return None


def _sum_dicts(ds: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in ds:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2, help="client processes")
    ap.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    figs = asyncio.run(
        run_soak(args.clients, args.minutes * 60, args.workers, sample_every=10.0, progress=True)
    )
    if figs["rss_growth"] is not None and figs["seconds"] >= 240 and figs["rss_growth"] > 0.10:
        figs["errors"].append(f"server RSS grew {figs['rss_growth']:.1%} after minute 2")
    text = json.dumps(figs, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    print("soak: OK" if not figs["errors"] else f"soak: {len(figs['errors'])} errors")
    return 0 if not figs["errors"] else 1

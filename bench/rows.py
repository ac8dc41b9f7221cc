"""The rows of the benchmark table (issue 9). Each row function starts its own servers in
subprocesses, runs the load generator (a separate process), stops everything it started,
and returns its lines for the table."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import procs
from bench.loadgen import hello
from bench.rawws import RawClient

SEATS_COUNTRIES = 50  # 200 player seats


@dataclass
class Line:
    """One line of the results table."""

    what: str
    tte: str
    baseline: str
    ratio: float | None
    target: str
    passed: bool | None  # None: informative, no target
    note: str = ""


@dataclass
class Ctx:
    quick: bool
    profile_dir: Path | None
    keep: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # raw figures for results.md
    row_load: dict[str, str] = field(default_factory=dict)  # 1-min load avg per row
    log: list[str] = field(default_factory=list)

    def say(self, msg: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        self.log.append(line)
        print(line, file=sys.stderr, flush=True)

    def profile(self, name: str) -> Path | None:
        if self.profile_dir is None:
            return None
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        return self.profile_dir / f"{name}.prof"

    def cleanup(self, path: Path) -> None:
        if not self.keep:
            shutil.rmtree(path, ignore_errors=True)


def ms(us: float) -> str:
    return f"{us / 1000:.2f} ms"


def seat_clients(roster: dict[str, Any], n: int) -> list[str]:
    """n join codes, round-robin over the player seats (several connections per seat)."""
    codes = [s["code"] for s in roster["seats"]]
    return [codes[i % len(codes)] for i in range(n)]


def seq_now(srv: procs.ServerProc) -> int:
    """The server's latest seq: clients join with it as last_seq (steady state, no
    backlog to replay; joining with 0 is what the resume row and the tests cover)."""
    return int(srv.metrics().get("tte_events_total", 0))


# The command rows measure what the engine and the log sustain, so the per-seat budgets
# that stop one abusive seat (20 commands/s, 50 open requests: docs/operations.md) are
# lifted there: 200 seats × 10 submits/s open 50 requests each within 5 s. The flood row
# (bench/flood.py) measures the budgets themselves.
UNBUDGETED = {"cmd_rate": 1e6, "cmd_burst": 1e6, "open_requests": 1e7}


def start_tte_bench(
    ctx: Ctx, name: str, budgets: dict[str, float] | None = None
) -> tuple[procs.ServerProc, Path]:
    work = procs.workdir(name)
    scenario = procs.bench_scenario(work / "scenario.yaml", SEATS_COUNTRIES)
    srv = procs.start_tte(scenario, work / "data", ctx.profile(name), budgets=budgets)
    return srv, work


# ---- inject fan-out and slow client -------------------------------------------------------


def _target(
    name: str, srv: procs.ServerProc, roster: dict[str, Any], n: int, kind: str, **kw: Any
) -> dict[str, Any]:
    spec = {
        "name": name,
        "kind": kind,
        "port": srv.port,
        "server_pid": srv.pid,
        "codes": seat_clients(roster, n),
        "trigger_code": roster["facilitator"],
        "last_seq": seq_now(srv) if kind == "tte" else 0,
    }
    spec.update(kw)
    return spec


def _fanout(targets: list[dict[str, Any]], reps: int, text_bytes: int = 200) -> dict[str, Any]:
    spec = {
        "mode": "fanout",
        "host": procs.HOST,
        "targets": targets,
        "reps": reps,
        "gap": 0.03,
        "timeout": 10.0,
        "text_bytes": text_bytes,
    }
    out = procs.run_loadgen(spec, 600)
    for d in out.values():
        if isinstance(d, dict):
            d.pop("frame_hex", None)
    return out


def row_fanout(ctx: Ctx) -> list[Line]:
    """tte, bare broadcast and bare durable broadcast run side by side; the load generator
    triggers them in turn, one inject each per repetition (paired samples)."""
    sizes = [200, 1000] if ctx.quick else [200, 1000, 2000]
    reps = 10 if ctx.quick else 60
    srv, work = start_tte_bench(ctx, "fanout")
    bare = procs.start_baseline("broadcast", work / "bare")
    durable = procs.start_baseline("broadcast-durable", work / "bare-durable")
    res: dict[int, dict[str, Any]] = {}
    try:
        roster = srv.roster()
        for n in sizes:
            ctx.say(f"fan-out: N={n}, {reps} injects each to tte, bare, bare+fsync in turn")
            res[n] = _fanout(
                [
                    _target("tte", srv, roster, n, "tte"),
                    _target("bare", bare, roster, n, "bare"),
                    _target("durable", durable, roster, n, "bare"),
                ],
                reps,
            )
    finally:
        for proc in (srv, bare, durable):
            proc.stop()
    ctx.cleanup(work)
    ctx.details["fanout"] = res
    lines = []
    for n in sizes:
        t, bb, du = res[n]["tte"], res[n]["bare"], res[n]["durable"]
        ratio = t["last_median_us"] / bb["last_median_us"]
        lines.append(
            Line(
                f"inject fan-out N={n}: median time until the last client has it",
                ms(t["last_median_us"]),
                ms(bb["last_median_us"]),
                ratio,
                "≤ 1.5 × bare",
                ratio <= 1.5 and t["missing"] == 0,
                f"{reps} injects of {t['frame_bytes']} B; per-recipient p50 "
                f"{ms(t['recipient_p50_us'])} (bare {ms(bb['recipient_p50_us'])}); server CPU "
                f"{t['server_cpu_us_per_recipient']:.1f} µs/recipient "
                f"(bare {bb['server_cpu_us_per_recipient']:.1f}); missing {t['missing']}; "
                f"bare broadcast after an fsync'd SQLite commit: {ms(du['last_median_us'])} "
                f"(tte {t['last_median_us'] / du['last_median_us']:.2f}× that)",
            )
        )
        if n == sizes[0]:
            # Where the fsync dominates, show the floor for durable delivery in the table.
            lines.append(
                Line(
                    f"inject fan-out N={n}, against a bare broadcast that first commits "
                    "the frame to SQLite (fsync), as tte must",
                    ms(t["last_median_us"]),
                    ms(du["last_median_us"]),
                    t["last_median_us"] / du["last_median_us"],
                    "— (information)",
                    None,
                    f"bare durable / bare = {du['last_median_us'] / bb['last_median_us']:.2f}×: "
                    "the fsync alone; see bench/README.md",
                )
            )
    n = 1000
    t, bb = res[n]["tte"], res[n]["bare"]
    lines.append(
        Line(
            f"inject fan-out N={n}: p99 time until the last client has it",
            ms(t["last_p99_us"]),
            ms(bb["last_p99_us"]),
            t["last_p99_us"] / bb["last_p99_us"],
            "≤ 25 ms",
            t["last_p99_us"] <= 25_000,
            f"p99 over {reps} injects of the slowest recipient's latency; per-recipient "
            f"p99 {ms(t['recipient_p99_us'])} (bare {ms(bb['recipient_p99_us'])})",
        )
    )
    return lines


def row_slow(ctx: Ctx) -> list[Line]:
    """Two identical tte servers side by side, triggered in turn; on one of them a client
    stops reading after its welcome (small receive buffer, ~8 kB injects), so its send
    queue and buffers back up while the others are measured."""
    n = 500 if ctx.quick else 1000
    reps = 10 if ctx.quick else 60
    text = 8000
    srv, work = start_tte_bench(ctx, "slow")
    ctl, work2 = start_tte_bench(ctx, "slow-control")
    try:
        ctx.say(f"slow client: N={n} on two tte servers, one with a client that stops reading")
        roster = srv.roster()
        # The stalled client has a seat of its own, so its buffers can be filled first with
        # big injects addressed to it alone (~5 MB: more than the kernel's 4 MB send
        # buffer), and its server's queue for it grows during the measurement.
        own = roster["seats"][0]
        others = {**roster, "seats": roster["seats"][1:]}
        slow = _target("slow", srv, others, n, "tte", slow=[n])
        slow["codes"].append(own["code"])
        slow.update(
            prefill_to=f"{own['country']}/{own['role']}", prefill_count=280, prefill_text=19_000
        )
        res = _fanout([slow, _target("control", ctl, ctl.roster(), n, "tte")], reps, text)
    finally:
        srv.stop()
        ctl.stop()
    ctx.cleanup(work)
    ctx.cleanup(work2)
    ctx.details["slow"] = res
    s, c = res["slow"], res["control"]
    ratio = s["recipient_p99_us"] / c["recipient_p99_us"]
    ratio_last = s["last_median_us"] / c["last_median_us"]
    m = s.get("metrics", {})
    return [
        Line(
            f"slow client: others' p99 delivery, N={n}, one client stops reading",
            ms(s["recipient_p99_us"]),
            ms(c["recipient_p99_us"]) + " (same server, nobody stalls)",
            ratio,
            "≤ 1.10 × without",
            ratio <= 1.10 and s["missing"] == 0,
            f"{reps} injects of {s['frame_bytes']} B; median time-until-last "
            f"{ms(s['last_median_us'])} vs {ms(c['last_median_us'])} ({ratio_last:.2f}×); "
            f"stalled client read {s['slow_frames_read']} frames after its welcome; at the end its "
            f"server had {int(m.get('tte_send_queue_depth_max', 0))} frames queued for it, dropped "
            f"{int(m.get('tte_clients_dropped_total', 0))} clients",
        )
    ]


# ---- command round trip -----------------------------------------------------------------


def command_args(roster: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """One client per player seat; each sends spontaneous information (BC Art 26) by
    police channel to the 24/7 point of contact of the next country."""
    seats = roster["seats"]
    countries: list[str] = []
    for s in seats:
        if s["country"] not in countries:
            countries.append(s["country"])
    nxt = {c: countries[(i + 1) % len(countries)] for i, c in enumerate(countries)}
    args = [
        {
            "template": "spontaneous_info",
            "to": f"{nxt[s['country']]}/poc",
            "channel": "police",
            "fields": {"facts": "Server 185.220.101.47 seen in our case; logs attached."},
        }
        for s in seats
    ]
    return [s["code"] for s in seats], args


def row_commands(ctx: Ctx) -> list[Line]:
    duration, warmup = (3.0, 1.0) if ctx.quick else (12.0, 2.0)
    sat_duration = 2.0 if ctx.quick else 8.0
    window = 8
    srv, work = start_tte_bench(ctx, "commands", UNBUDGETED)
    res: dict[str, Any] = {}
    try:
        codes, args = command_args(srv.roster())
        base = {"mode": "commands", "host": procs.HOST, "codes": codes, "args": args}
        base["last_seq"] = seq_now(srv)
        ctx.say(f"commands: tte, {len(codes)} clients × 10/s for {duration:.0f} s")
        m0, cpu0 = srv.metrics(), srv.cpu()
        res["tte"] = procs.run_loadgen(
            {
                **base,
                "port": srv.port,
                "kind": "tte",
                "rate": 10.0,
                "duration": duration,
                "warmup": warmup,
            },
            120,
        )
        m1 = srv.metrics()
        res["tte"]["server_cpu_s"] = srv.cpu() - cpu0
        res["tte"]["commits"] = m1["tte_commits_total"] - m0["tte_commits_total"]
        gc_key = "tte_gc_full_collections_total"
        res["tte"]["gc_full"] = m1.get(gc_key, 0) - m0.get(gc_key, 0)
        res["tte"]["gc_full_max_ms"] = m1.get("tte_gc_full_seconds_max", 0) * 1000
        ctx.say(f"commands: tte saturation, {window} in flight per client")
        res["tte_sat"] = procs.run_loadgen(
            {
                **base,
                "last_seq": seq_now(srv),
                "port": srv.port,
                "kind": "tte",
                "window": window,
                "duration": sat_duration,
                "warmup": 1.0,
            },
            120,
        )
        m2 = srv.metrics()
        res["tte_sat"]["commits"] = m2["tte_commits_total"] - m1["tte_commits_total"]
    finally:
        srv.stop()
    for mode in ("echo", "echo-sqlite"):
        b = procs.start_baseline(mode, work / f"bare-{mode}")
        try:
            bport = b.port
            if mode == "echo":
                ctx.say("commands: bare echo, same load")
                res["echo"] = procs.run_loadgen(
                    {
                        **base,
                        "port": bport,
                        "kind": "echo",
                        "rate": 10.0,
                        "duration": duration,
                        "warmup": warmup,
                    },
                    120,
                )
            ctx.say(f"commands: bare {mode} saturation")
            res[f"{mode}_sat"] = procs.run_loadgen(
                {
                    **base,
                    "port": bport,
                    "kind": "echo",
                    "window": window,
                    "duration": sat_duration,
                    "warmup": 1.0,
                },
                120,
            )
        finally:
            b.stop()
    ctx.cleanup(work)
    ctx.details["commands"] = res
    t, e = res["tte"], res["echo"]
    sat, sq, es = res["tte_sat"], res["echo-sqlite_sat"], res["echo_sat"]
    batch = t["ok"] / t["commits"] if t["commits"] else float("nan")
    sat_batch = sat["ok"] / sat["commits"] if sat["commits"] else float("nan")
    return [
        Line(
            "command round trip: p99, 200 clients × 10 request.submit/s",
            ms(t["p99_us"]),
            ms(e["p99_us"]) + " (bare echo)",
            t["p99_us"] / e["p99_us"],
            "≤ 25 ms",
            t["p99_us"] <= 25_000 and t["errors"] == 0,
            f"p50 {ms(t['p50_us'])} (echo {ms(e['p50_us'])}); {t['errors']} refused; "
            f"{t['commits']:.0f} group commits, {batch:.1f} commands each; "
            f"server CPU {t['server_cpu_s'] / t['elapsed_s'] * 100:.0f}% of a core; "
            f"full GC passes in the row: {t['gc_full']:.0f} (longest of the server's life "
            f"{t['gc_full_max_ms']:.0f} ms; made at quiet moments or once a minute, "
            "tte/server/collector.py)",
        ),
        Line(
            "command round trip: sustained accepted commands/s at 2,000/s offered",
            f"{t['accepted_per_s']:.0f}/s",
            f"{e['accepted_per_s']:.0f}/s (bare echo)",
            t["accepted_per_s"] / e["accepted_per_s"],
            "≥ 2,000/s",
            t["accepted_per_s"] >= 0.99 * 2000 and sat["accepted_per_s"] >= 2000,
            f"offered {t['offered_per_s']:.0f}/s; every result after its durable commit",
        ),
        Line(
            f"command saturation: max durable commands/s ({window} in flight per client)",
            f"{sat['accepted_per_s']:.0f}/s",
            f"{sq['accepted_per_s']:.0f}/s (bare echo + SQLite fsync per command)",
            sat["accepted_per_s"] / sq["accepted_per_s"],
            "≥ 2,000/s",
            sat["accepted_per_s"] >= 2000,
            f"group commit: {sat['commits']:.0f} commits, {sat_batch:.0f} commands each, "
            f"p50 {ms(sat['p50_us'])}; bare echo without SQLite: "
            f"{es['accepted_per_s']:.0f}/s",
        ),
    ]


# ---- memory -----------------------------------------------------------------------------


def _idle_rss(
    ctx: Ctx, srv: procs.ServerProc, codes: list[str], tte: bool = True
) -> tuple[int, int, float]:
    """(RSS before, RSS with len(codes) idle clients, connect seconds)."""
    time.sleep(0.5)
    before = srv.rss_kb()
    env = dict(os.environ, PYTHONPATH=str(procs.ROOT), PYTHONDONTWRITEBYTECODE="1")
    spec = {
        "mode": "idle",
        "host": procs.HOST,
        "port": srv.port,
        "codes": codes,
        "hold": 120,
        "last_seq": seq_now(srv) if tte else 0,
    }
    lg = subprocess.Popen(
        [procs.PY, "-m", "bench.loadgen"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=procs.ROOT,
        env=env,
    )
    assert lg.stdin is not None and lg.stdout is not None
    try:
        lg.stdin.write((json.dumps(spec) + "\n").encode())
        lg.stdin.flush()
        ready = json.loads(lg.stdout.readline() or b"{}")
        if ready.get("ready") != len(codes):
            raise RuntimeError(f"idle clients not ready: {ready}")
        time.sleep(1.0)  # let the server settle (presence events, welcome buffers freed)
        after = srv.rss_kb()
        lg.stdin.write(b"stop\n")
        lg.stdin.flush()
        lg.wait(30)
    finally:
        if lg.poll() is None:
            lg.kill()
            lg.wait(5)
    return before, after, float(ready.get("connect_s", 0.0))


def row_memory(ctx: Ctx) -> list[Line]:
    n = 1000 if ctx.quick else 2000
    srv, work = start_tte_bench(ctx, "memory")
    try:
        codes = seat_clients(srv.roster(), n)
        # One warm-up round so one-off allocations (imports, caches) are not counted.
        _idle_rss(ctx, srv, codes[:50])
        ctx.say(f"memory: tte, {n} idle clients")
        t0, t1, tc = _idle_rss(ctx, srv, codes)
    finally:
        srv.stop()
    b = procs.start_baseline("idle", work / "bare")
    try:
        _idle_rss(ctx, b, codes[:50], tte=False)
        ctx.say(f"memory: bare websockets, {n} idle clients")
        b0, b1, bc = _idle_rss(ctx, b, codes, tte=False)
    finally:
        b.stop()
    ctx.cleanup(work)
    per_t, per_b = (t1 - t0) / n, (b1 - b0) / n
    ctx.details["memory"] = {"tte_kb": [t0, t1, tc], "bare_kb": [b0, b1, bc]}
    return [
        Line(
            f"memory: server RSS per idle connected client, N={n}",
            f"{per_t:.1f} kB",
            f"{per_b:.1f} kB",
            per_t / per_b if per_b > 0 else None,
            "≤ 40 kB",
            per_t <= 40,
            f"tte RSS {t0 / 1024:.0f} → {t1 / 1024:.0f} MB; bare {b0 / 1024:.0f} → "
            f"{b1 / 1024:.0f} MB; connecting took {tc:.1f} s (bare {bc:.1f} s)",
        )
    ]


# ---- resume -----------------------------------------------------------------------------


def build_log(data: Path, scenario: Path, target: int) -> int:
    """An exercise whose event log holds `target` events, made by the real engine:
    every player seat submits requests, committed in batches of 10,000 with the server's
    own EventLog. Returns the number of events."""
    from tte.core.scenario import load
    from tte.server import ExerciseServer

    server = ExerciseServer(load(scenario), data)
    try:
        engine = server.engine
        codes_args = command_args(server.roster.to_json())[1]
        seats = engine.seats()
        pending: list[Any] = []
        i = 0
        while engine.state.seq < target:
            seat = seats[i % len(seats)]
            args = codes_args[i % len(seats)]
            i += 1
            events, _ = engine.handle(seat, "request.submit", args, 0.0)
            pending += events
            if len(pending) >= 10_000 or engine.state.seq >= target:
                server.log.append_sync(pending, None)
                pending = []
        return engine.state.seq
    finally:
        server.log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((procs.HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _time_to_welcome(cmd: list[str], port: int, code: str, log: Path) -> float:
    """Spawn `cmd`, then connect and say hello until a first frame comes back."""
    env = dict(os.environ, PYTHONPATH=str(procs.ROOT), PYTHONDONTWRITEBYTECODE="1")
    with log.open("ab") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=procs.ROOT, env=env)
    try:
        deadline = t0 + 60
        while time.monotonic() < deadline:
            c = RawClient(procs.HOST, port)
            try:
                c.start_handshake()
                c.finish_handshake()
                c.send(hello(code))
                c.recv_blocking(30)
                return time.monotonic() - t0
            except (ConnectionRefusedError, ConnectionResetError):
                time.sleep(0.005)
            finally:
                c.close()
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: see {log}")
        raise RuntimeError("no welcome within 60 s")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def row_resume(ctx: Ctx) -> list[Line]:
    target = 20_000 if ctx.quick else 100_000
    work = procs.workdir("resume")
    scenario = procs.bench_scenario(work / "scenario.yaml", SEATS_COUNTRIES)
    data = work / "data"
    ctx.say(f"resume: building a log of {target} events")
    t0 = time.monotonic()
    events = build_log(data, scenario, target)
    build_s = time.monotonic() - t0
    size_mb = (data / "events.sqlite").stat().st_size / 1e6
    code = json.loads((data / "roster.json").read_text())["seats"][0]["code"]
    times: list[float] = []
    bare: list[float] = []
    runs = 1 if ctx.quick else 3
    for _ in range(runs):
        port = _free_port()
        prof = ctx.profile("resume")
        cmd = [procs.PY]
        if prof is not None:
            cmd += ["-m", "cProfile", "-o", str(prof)]
        cmd += [
            "-m",
            "tte.server",
            str(scenario),
            "--host",
            procs.HOST,
            "--port",
            str(port),
            "--data",
            str(data),
        ]
        ctx.say("resume: restarting tte")
        times.append(_time_to_welcome(cmd, port, code, work / "tte.stderr"))
        port = _free_port()
        bcmd = [
            procs.PY,
            "-m",
            "bench.baseline",
            "echo",
            "--port",
            str(port),
            "--db",
            str(work / "bare.sqlite"),
        ]
        bare.append(_time_to_welcome(bcmd, port, code, work / "bare.stderr"))
    ctx.cleanup(work)
    best, bbest = min(times), min(bare)
    med, bmed = sorted(times)[len(times) // 2], sorted(bare)[len(bare) // 2]
    ctx.details["resume"] = {
        "events": events,
        "build_s": build_s,
        "tte_s": times,
        "bare_s": bare,
        "log_mb": size_mb,
    }
    return [
        Line(
            f"resume: restart with {events:,} events in the log until the first welcome",
            f"{med:.2f} s",
            f"{bmed:.2f} s (bare websockets start)",
            med / bmed,
            "≤ 2 s",
            med <= 2.0,
            f"median of {runs} restarts (best {best:.2f} s, bare best {bbest:.2f} s); "
            f"log {size_mb:.0f} MB; includes interpreter start and imports",
        )
    ]


def row_replay(ctx: Ctx) -> list[Line]:
    """`tte replay` over a big log: the app's start until its first full screen (under
    tmux, as the player row), then jumps to random seqs in process (the data a jump
    shows: a player seat's model, the facilitator's console view)."""
    import gc
    import random
    import statistics

    from bench.player import BARE_APP, _tmux, compile_tte, time_to_screen
    from tte.client.replay.source import LABEL, ReplayLog

    target = 20_000 if ctx.quick else 100_000
    work = procs.workdir("replay")
    scenario = procs.bench_scenario(work / "scenario.yaml", SEATS_COUNTRIES)
    data = work / "data"
    ctx.say(f"replay: building a log of {target} events")
    events = build_log(data, scenario, target)
    seat = "RO/investigator"
    runs = 2 if ctx.quick else 5
    screen: list[float] = []
    bare: list[float] = []
    if shutil.which("tmux"):
        sock = f"tte-bench-replay-{os.getpid()}"
        tte_bin = Path(procs.PY).with_name("tte")
        (work / "bare_app.py").write_text(BARE_APP)
        env = f"cd {procs.ROOT} && PYTHONPATH={procs.ROOT} TERM=xterm-256color"
        marker = f"{events}/{events} "  # the timeline's first line: event N of N
        compile_tte()
        _tmux(sock, "new-session", "-d", "-s", "keep", "sleep 900")
        try:
            for _ in range(runs):
                ctx.say("replay: tte replay under tmux")
                cmd = f"{env} {tte_bin} replay {data} --seat {seat}"
                screen.append(time_to_screen(sock, cmd, marker, timeout=30))
                bare.append(
                    time_to_screen(sock, f"{env} {procs.PY} {work / 'bare_app.py'}", "online")
                )
        finally:
            _tmux(sock, "kill-server")
    ctx.say("replay: jumps in process")
    # The app's process holds the replay and nothing else: this one also holds what
    # build_log made (the engine of 100,000 events), which a full collection during a
    # jump would walk (seen: one jump of 2.5 s). Those objects are set aside first.
    gc.collect()
    gc.freeze()
    t0 = time.monotonic()
    log = ReplayLog.open(data)
    opened = time.monotonic() - t0
    log.timeline_marks(160 - LABEL)
    log.seat_model(seat, log.last)
    first = time.monotonic() - t0
    t0 = time.monotonic()
    log.load_heads()  # the app does this in a thread once the first screen is painted
    heads = time.monotonic() - t0
    rng = random.Random(7)
    jumps = []
    for _ in range(20):
        t0 = time.monotonic()
        log.seat_model(seat, rng.randint(1, log.last))
        jumps.append(time.monotonic() - t0)
    t0 = time.monotonic()
    log.console_view(log.last)
    staff_first = time.monotonic() - t0
    staff = []
    for _ in range(20):
        t0 = time.monotonic()
        log.console_view(rng.randint(1, log.last))
        staff.append(time.monotonic() - t0)
    gc.unfreeze()
    ctx.cleanup(work)
    jumps.sort()
    staff.sort()
    ctx.details["replay"] = {
        "events": events,
        "screen_s": screen,
        "bare_textual_s": bare,
        "open_s": opened,
        "open_and_seat_s": first,
        "heads_s": heads,
        "seat_jumps_s": jumps,
        "staff_first_s": staff_first,
        "staff_jumps_s": staff,
    }

    def spread(xs: list[float], unit: float, fmt: str) -> str:
        return ", ".join(format(x * unit, fmt) for x in xs)

    lines = []
    what = (
        f"replay: `tte replay` of a {events:,}-event log, start until the first full screen (tmux)"
    )
    if screen:
        med, bmed = statistics.median(screen), statistics.median(bare)
        lines.append(
            Line(
                what,
                f"{med:.2f} s",
                f"{bmed:.2f} s (minimal Textual app)",
                med / bmed,
                "≤ 1 s",
                med <= 1.0,
                f"median of {runs} starts ({spread(screen, 1, '.2f')} s) until the timeline "
                f"shows event {events:,} and the seat's screen is painted; in process the log "
                f"opens in {opened:.2f} s, the timeline's marks and the seat's view at the end "
                f"are ready at {first:.2f} s; every event's head (for the jumps, scrubbing and "
                f"search), read in a thread once the screen is up, takes {heads:.2f} s more",
            )
        )
    else:
        lines += _not_measured(what, "≤ 1 s", "tmux is not installed (`make tools` installs it)")
    sj, fj = jumps[len(jumps) // 2], staff[len(staff) // 2]
    lines += [
        Line(
            "replay: jump to a random seq, a player seat's view",
            f"{sj * 1000:.0f} ms",
            "—",
            None,
            "≤ 200 ms",
            jumps[-1] <= 0.2,
            f"median of 20 jumps, worst {jumps[-1] * 1000:.0f} ms (all: "
            f"{spread(jumps, 1000, '.0f')} ms); the seat's events are matched in SQLite",
        ),
        Line(
            "replay: jump to a random seq, the facilitator's view",
            f"{fj * 1000:.0f} ms",
            "—",
            None,
            "≤ 200 ms",
            staff[-1] <= 0.2,
            f"median of 20 jumps, worst {staff[-1] * 1000:.0f} ms (all: "
            f"{spread(staff, 1000, '.0f')} ms), from the nearest checkpoint (one per 1,000 "
            f"events); the first view folds the whole log once, making them: "
            f"{staff_first:.1f} s",
        ),
    ]
    return lines


# ---- player app and SSH ------------------------------------------------------------------


def _not_measured(what: str, target: str, why: str) -> list[Line]:
    """The row's line when a tool it drives is missing (`make bench` installs them)."""
    return [Line(what, "not measured", "—", None, target, None, why)]


def row_player(ctx: Ctx) -> list[Line]:
    what = "player app: `tte play` start until the first full screen, under tmux"
    if shutil.which("tmux") is None:
        return _not_measured(what, "≤ 1 s", "tmux is not installed (`make tools` installs it)")
    from bench.player import measure_player

    return measure_player(ctx, what)


def _ssh_run(ctx: Ctx, sessions: int, standin: bool) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(procs.ROOT), PYTHONDONTWRITEBYTECODE="1")
    cmd = [procs.PY, str(procs.ROOT / "bench" / "ssh_sessions.py"), "--json"]
    cmd += ["--sessions", str(sessions)] + (["--standin"] if standin else [])
    ctx.say("ssh: " + " ".join(cmd[2:]))
    out = subprocess.run(
        cmd, capture_output=True, cwd=procs.ROOT, env=env, timeout=900, check=False
    )
    lines = out.stdout.decode().strip().splitlines()
    if not lines or not lines[-1].startswith("{"):
        tail = (out.stdout + out.stderr).decode(errors="replace")[-400:].replace("\n", " ")
        raise RuntimeError(f"ssh_sessions.py gave no result (exit {out.returncode}): {tail}")
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def row_ssh(ctx: Ctx) -> list[Line]:
    """Runs bench/ssh_sessions.py (the SSH engineer's) with tte play and with its trivial
    stand-in app (the gateway's own cost: the baseline)."""
    sessions = 5 if ctx.quick else 50
    what = f"SSH session: start and RSS per session at {sessions} concurrent sessions"
    if not shutil.which("ssh"):
        return _not_measured(
            what, "≤ 0.5 s, ≤ 50 MB", "the OpenSSH client is not installed (`make tools`)"
        )
    tte = _ssh_run(ctx, sessions, standin=False)
    bare = _ssh_run(ctx, sessions, standin=True)
    ctx.details["ssh"] = {"tte": tte, "standin": bare}
    nan = float("nan")
    start, bstart = tte.get("loaded_start_s", nan), bare.get("loaded_start_s", nan)
    rss, brss = tte.get("child_rss_mib", nan), bare.get("child_rss_mib", nan)
    all_ready = tte.get("ready") == sessions
    runs = ", ".join(f"{v:.2f}" for v in tte.get("loaded_starts_s", []))
    return [
        Line(
            f"SSH session: start of one more session with {sessions} idle ones running "
            "(ssh to first screen, online)",
            f"{start:.2f} s",
            f"{bstart:.2f} s (gateway + trivial stand-in app)",
            start / bstart if bstart else None,
            "≤ 0.5 s",
            start <= 0.5 and all_ready,
            f"median of {runs} s (the {sessions} used {tte.get('idle_cpu', nan):.2f} CPU idle); "
            f"one session alone: {tte.get('solo_start_s', nan):.2f} s "
            f"(stand-in {bare.get('solo_start_s', nan):.2f} s); "
            f"all {sessions} at once: p50 {tte.get('start_p50_s', nan):.2f} s, "
            f"p95 {tte.get('start_p95_s', nan):.2f} s "
            f"(stand-in p50 {bare.get('start_p50_s', nan):.2f} s); "
            f"{tte.get('ready')}/{sessions} online",
        ),
        Line(
            what.replace("start and ", ""),
            f"{rss:.1f} MiB",
            f"{brss:.1f} MiB (stand-in app)",
            rss / brss if brss else None,
            "≤ 50 MB",
            rss <= 50 * 1e6 / 2**20 and all_ready,
            f"PSS {tte.get('child_pss_mib', nan):.1f} MiB per app process (shared "
            "pages split); gateway+server growth "
            f"{tte.get('gateway_growth_kib_per_session', nan):.0f} KiB per session",
        ),
    ]


ROWS = {
    "fanout": row_fanout,
    "commands": row_commands,
    "memory": row_memory,
    "resume": row_resume,
    "replay": row_replay,
    "slow": row_slow,
    "player": row_player,
    "ssh": row_ssh,
}

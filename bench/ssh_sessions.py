"""SSH gateway benchmark: session start time and memory per session at N concurrent sessions.

    python bench/ssh_sessions.py [--sessions 50] [--standin] [--json]

A real exercise server (tutorial scenario) and the gateway run in this process; N real
OpenSSH clients (`ssh -tt`, each on its own pty) log in with join codes, all at once.

- *start*: from launching `ssh` until the player app says it is online (its header shows
  "online"), i.e. SSH handshake + code check + spawn + Python/Textual start + websocket
  join + first screen. Measured once alone (idle machine), for N at once (a storm), and
  for one more session while the N are running and idle (the start a player sees when
  joining a busy gateway: median of a few, each closed before the next).
- *memory*: per player-app process, RSS and PSS (PSS splits shared pages between the
  processes sharing them, so N × PSS is what N sessions really cost), plus the growth of
  this process (gateway and server) per session.

``--standin`` runs a trivial app instead of ``tte play``: the gateway's own overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tte.core.scenario import load  # noqa: E402
from tte.server import ExerciseServer  # noqa: E402
from tte.ssh.gateway import Gateway, start_gateway  # noqa: E402

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
SSH_OPTS = [
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
]
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
STANDIN = (
    "import os,sys,tty\n"
    "tty.setraw(0)\n"
    "os.write(1,b'online\\r\\n')\n"
    "while (b:=os.read(0,64)) and b'q' not in b: pass\n"
)


@dataclass
class Client:
    """One `ssh -tt` on a pty of ours; `ready` is set when `marker` appears on screen."""

    proc: asyncio.subprocess.Process
    master: int
    marker: bytes
    started: float
    ready_at: float | None = None
    buf: bytearray = field(default_factory=bytearray)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def on_readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
            return
        if self.ready_at is None:
            self.buf += data
            if self.marker in ANSI.sub(b"", bytes(self.buf[-8192:])):
                self.ready_at = time.monotonic()
                self.ready.set()
                self.buf.clear()


async def open_client(gw: Gateway, user: str, marker: bytes) -> Client:
    import fcntl

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.set_blocking(master, False)
    t0 = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        shutil.which("ssh") or "ssh",
        *SSH_OPTS,
        "-tt",
        "-p",
        str(gw.port),
        f"{user}@127.0.0.1",
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    c = Client(proc, master, marker, t0)
    asyncio.get_running_loop().add_reader(master, c.on_readable)
    return c


async def close_clients(
    clients: list[Client], gw: Gateway, timeout: float = 30.0, remaining: int = 0
) -> None:
    """End these clients and wait until the gateway is down to `remaining` sessions."""
    for c in clients:
        if c.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                c.proc.terminate()
    for c in clients:
        await c.proc.wait()
        asyncio.get_running_loop().remove_reader(c.master)
        os.close(c.master)
    deadline = time.monotonic() + timeout
    while len(gw.sessions) > remaining and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _status_kb(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    return _status_kb(pid, "status", "VmRSS:")


def pss_kb(pid: int) -> int:
    return _status_kb(pid, "smaps_rollup", "Pss:")


def cpu_ticks(pids: list[int]) -> int:
    """utime + stime of these processes, in clock ticks."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total


async def settle(pids: list[int], limit: float = 30.0, window: float = 1.0) -> float:
    """Wait until the sessions are idle: their CPU use over a window stops falling (an
    idle app still redraws its clock every second). Returns that use, in CPUs."""
    hz = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + limit
    last = float("inf")
    while True:
        before = cpu_ticks(pids)
        await asyncio.sleep(window)
        use = (cpu_ticks(pids) - before) / hz / window
        if use >= last * 0.8 or use < 0.05 or time.monotonic() > deadline:
            return use
        last = use


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


async def measure(sessions: int, standin: bool, timeout: float, extra: int = 3) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="tte-bench-ssh-"))
    server = ExerciseServer(load(TUTORIAL), tmp / "data")
    port = await server.start("127.0.0.1", 0)
    child = None
    marker = b"online"
    if standin:
        script = tmp / "standin.py"
        script.write_text(STANDIN)
        child = [sys.executable, str(script)]
    gw = await start_gateway(
        f"ws://127.0.0.1:{port}/",
        "127.0.0.1",
        0,
        tmp / "gateway",
        max_sessions=sessions + 10,
        # Every bench session comes from 127.0.0.1: lift the cap per client address (8 in a
        # classroom, GatewayConfig.max_sessions_per_address) to measure N at once.
        max_sessions_per_address=sessions + 10,
        child_command=child,
    )
    seats = [s for s in server.roster.seats]  # player seats; sessions share them round-robin
    codes = [server.roster.seats[s] for s in seats]
    out: dict[str, Any] = {"sessions": sessions, "app": "stand-in" if standin else "tte play"}
    try:
        # One session alone first: the cold start on an idle machine.
        solo = await open_client(gw, codes[0], marker)
        await asyncio.wait_for(solo.ready.wait(), timeout)
        assert solo.ready_at is not None
        out["solo_start_s"] = solo.ready_at - solo.started
        await close_clients([solo], gw)

        base_rss = rss_kb(os.getpid())
        clients = [await open_client(gw, codes[i % len(codes)], marker) for i in range(sessions)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), timeout * 4)
        started = [c.ready_at - c.started for c in clients if c.ready_at is not None]
        out["ready"] = len(started)
        if started:
            out["start_p50_s"] = statistics.median(started)
            out["start_p95_s"] = pct(started, 0.95)
            out["start_max_s"] = max(started)
        pids = [s.child.pid for s in gw.sessions if s.child is not None]
        out["idle_cpu"] = await settle(pids)  # the storm is over: N sessions, idle
        rss = [rss_kb(p) for p in pids]
        pss = [pss_kb(p) for p in pids]
        out["children"] = len(pids)
        out["child_rss_mib"] = statistics.mean(rss) / 1024 if rss else 0.0
        out["child_pss_mib"] = statistics.mean(pss) / 1024 if pss else 0.0
        out["gateway_growth_kib_per_session"] = (rss_kb(os.getpid()) - base_rss) / sessions
        # One more session joining while the N run idle, a few times (each closed, and
        # the N idle again, before the next).
        loaded: list[float] = []
        for i in range(extra):
            one = await open_client(gw, codes[(sessions + i) % len(codes)], marker)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(one.ready.wait(), timeout)
            if one.ready_at is not None:
                loaded.append(one.ready_at - one.started)
            await close_clients([one], gw, remaining=len(pids))
            await settle(pids)
        out["loaded_starts_s"] = loaded
        if loaded:
            out["loaded_start_s"] = statistics.median(loaded)
        t0 = time.monotonic()
        await close_clients(clients, gw)
        out["teardown_s"] = time.monotonic() - t0
        out["leftover_sessions"] = len(gw.sessions)
    finally:
        await gw.stop()
        await server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def render(r: dict[str, Any]) -> str:
    rows = [
        ("app in each session", r["app"]),
        ("start, one session alone", f"{r['solo_start_s']:.2f} s"),
        (f"sessions online (of {r['sessions']})", str(r["ready"])),
    ]
    if r.get("ready"):
        rows += [
            (
                f"start with {r['sessions']} at once: p50 / p95 / max",
                f"{r['start_p50_s']:.2f} / {r['start_p95_s']:.2f} / {r['start_max_s']:.2f} s",
            ),
        ]
    if r.get("loaded_start_s") is not None:
        rows.append(
            (
                f"start of one more with {r['sessions']} idle: median",
                f"{r['loaded_start_s']:.2f} s  ("
                + ", ".join(f"{v:.2f}" for v in r["loaded_starts_s"])
                + f"; idle sessions used {r['idle_cpu']:.2f} CPU)",
            )
        )
    rows += [
        ("app process RSS, mean", f"{r['child_rss_mib']:.1f} MiB"),
        ("app process PSS, mean (real cost each)", f"{r['child_pss_mib']:.1f} MiB"),
        ("gateway+server growth per session", f"{r['gateway_growth_kib_per_session']:.0f} KiB"),
        ("all sessions closed after", f"{r['teardown_s']:.2f} s"),
    ]
    width = max(len(a) for a, _ in rows)
    lines = [f"SSH gateway, {r['sessions']} concurrent sessions ({os.cpu_count()} CPUs)"]
    lines += [f"  {a:<{width}}  {b}" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--standin", action="store_true", help="a trivial app instead of tte play")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds for one session start")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("ssh") is None:
        print("ssh_sessions: needs the OpenSSH client (apt-get install -y openssh-client)")
        return 2
    result = asyncio.run(measure(args.sessions, args.standin, args.timeout))
    print(json.dumps(result) if args.json else render(result))
    return 0 if result.get("ready") == args.sessions else 1


if __name__ == "__main__":
    sys.exit(main())

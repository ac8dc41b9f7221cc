"""An honest player's latency while one seat floods at full speed (issue 19).

``python -m bench.flood [--runs 3] [--samples 100] [--seconds 12] [--profile DIR]``

Three processes, as in `make bench`: the real server (``python -m tte.server`` on
127.0.0.1 with the default budgets), the flooder (``python -m bench.flood --flooder``: the
RO investigator's code on a raw socket, `request.submit` frames written as fast as the
socket takes them, replies drained without looking) and the honest player here (the RO
24/7 point of contact, on the route of the flooder's requests: `request.check` of a
preservation, waiting for each result, 10 commands a second, inside the budget). Each
run: honest samples without the flood, then the same number while the flood runs, then
again once it stopped; a fresh server per run. Prints p50/p99 per phase and per run,
what the flood got, and the server's CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import msgspec

from tte import protocol as p

from .procs import PY, ROOT, TUTORIAL, start_tte, workdir
from .rawws import RawClient

sys.path.insert(0, str(ROOT / "tests"))
from sample_requests import PRESERVATION

HOST = "127.0.0.1"


# ---- the flooder (its own process) ---------------------------------------------------------


def flooder(port: int, code: str, seconds: float) -> dict[str, Any]:
    c = RawClient(HOST, port)
    c.start_handshake()
    c.finish_handshake()
    c.send(p.encode(p.Hello(v=p.VERSION, code=code, last_seq=0, client="bench-flood")))
    c.recv_blocking()
    c.set_blocking(False)
    # Joined: say so, and start when told (the process's start-up is not the flood's).
    print("ready", flush=True)
    sys.stdin.readline()
    ids = itertools.count(1)
    codes: dict[str, int] = {}
    sent = 0
    blocked = 0.0
    decoder = msgspec.msgpack.Decoder()
    stop = time.monotonic() + seconds
    while time.monotonic() < stop and not c.closed:
        # 64 commands a write, as fast as the socket takes them (its buffer full: we wait).
        batch = b"".join(
            _frame(p.encode(p.Cmd(id=f"f{next(ids)}", op="request.submit", args=PRESERVATION)))
            for _ in range(64)
        )
        t0 = time.monotonic()
        try:
            c.sock.setblocking(True)
            c.sock.settimeout(0.2)
            c.sock.sendall(batch)
            sent += 64
        except TimeoutError:
            pass
        except OSError:
            break
        finally:
            c.sock.setblocking(False)
        blocked += time.monotonic() - t0
        _drain(c, decoder, codes)
    end = time.monotonic() + 2.0
    while time.monotonic() < end and not c.closed:
        if not _drain(c, decoder, codes):
            time.sleep(0.01)
    c.close()
    return {"sent": sent, "answered": codes, "blocked_s": round(blocked, 2)}


def _frame(payload: bytes) -> bytes:
    from .rawws import frame

    return frame(payload)


def _drain(c: RawClient, decoder: msgspec.msgpack.Decoder, codes: dict[str, int]) -> int:
    _ts, frames = c.feed()
    for f in frames:
        m = decoder.decode(f)
        if isinstance(m, dict) and m.get("t") == "result":
            k = "ok" if m.get("ok") else str((m.get("error") or {}).get("code"))
            codes[k] = codes.get(k, 0) + 1
    return len(frames)


# ---- the honest player (here) --------------------------------------------------------------


async def honest_latencies(c: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = await c.cmd("request.check", PRESERVATION)
        out.append(time.perf_counter() - t0)
        assert r.ok, r
        await asyncio.sleep(0.1)  # a brisk human: 10 commands a second, inside the budget
    return out


def p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[98] * 1000


def p50(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


async def one_run(samples: int, seconds: float, profile: Path | None) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from wsclient import Client

    data = workdir("flood")
    srv = start_tte(TUTORIAL, data / "data", profile)
    try:
        roster = json.loads((data / "data" / "roster.json").read_text())
        codes = {f"{s['country']}/{s['role']}": s["code"] for s in roster["seats"]}
        url = f"ws://{HOST}:{srv.port}/"
        honest = await Client.open(url)
        assert isinstance(await honest.hello(codes["RO/poc"]), p.Welcome)
        cpu0 = srv.cpu()
        before = await honest_latencies(honest, samples)
        cpu1 = srv.cpu()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        flood_cmd = ["bench.flood", "--flooder", str(srv.port), codes["RO/investigator"]]
        proc = subprocess.Popen(
            [PY, "-m", *flood_cmd, "--seconds", str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        assert proc.stdin is not None and proc.stdout is not None
        ready = await asyncio.to_thread(proc.stdout.readline)
        assert ready.strip() == b"ready", ready
        await asyncio.sleep(1.0)  # its start-up's CPU is spent
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
        during = await honest_latencies(honest, samples)
        cpu2 = srv.cpu()
        out = await asyncio.to_thread(proc.stdout.read)
        proc.wait(30)
        flood = json.loads(out)
        after = await honest_latencies(honest, samples)
        await honest.close()
        return {
            "before": before,
            "during": during,
            "after": after,
            "flood": flood,
            "server_cpu_s": {"before": round(cpu1 - cpu0, 2), "during": round(cpu2 - cpu1, 2)},
            "sample_s": round(samples * 0.1, 1),
        }
    finally:
        srv.stop()


def _fmt(xs: list[float]) -> str:
    return f"p50 {p50(xs):5.1f} / p99 {p99(xs):6.1f} ms"


async def main(runs: int, samples: int, seconds: float, profile: Path | None) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    ratios = []
    for i in range(runs):
        prof = profile / f"flood-{i + 1}.prof" if profile else None
        r = await one_run(samples, seconds, prof)
        base = r["before"] + r["after"]
        ratio = p99(r["during"]) / p99(base)
        ratios.append(ratio)
        print(
            f"run {i + 1}: without flood {_fmt(base)} | with flood {_fmt(r['during'])} | "
            f"p99 ratio {ratio:.2f} | flood {r['flood']} | server CPU s {r['server_cpu_s']} "
            f"in {r['sample_s']} s"
        )
        worst = sorted(enumerate(r["during"]), key=lambda x: -x[1])[:5]
        print("  slowest with flood (sample #, ms):", [(i, round(x * 1000, 1)) for i, x in worst])
    print(f"p99 ratio with/without, per run: {', '.join(f'{x:.2f}' for x in ratios)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(prog="python -m bench.flood")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--profile", type=Path, help="run the server under cProfile, into DIR")
    ap.add_argument("--flooder", nargs=2, metavar=("PORT", "CODE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.flooder:
        print(json.dumps(flooder(int(a.flooder[0]), a.flooder[1], a.seconds)))
    else:
        if a.profile:
            a.profile.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(a.runs, a.samples, a.seconds, a.profile))

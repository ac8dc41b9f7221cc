"""The load generator: one process, many raw WebSocket clients on one selectors loop.

``python -m bench.loadgen`` reads one JSON spec line on stdin and prints one JSON result
line on stdout. Modes:

- ``fanout``: N receivers plus one trigger connection. Each repetition the trigger sends
  a frame carrying a fresh token (tte: ``inject.send`` to ``all`` from the facilitator;
  bare: the very event frame tte sent, token swapped, which the bare server broadcasts);
  the latency of a receiver is the kernel receive time of the frame with the token minus
  the time the trigger was written. ``slow`` receivers never read after their welcome.
- ``commands``: each client sends ``cmd`` frames, open loop at ``rate`` per second
  (phases staggered), or closed loop with ``window`` commands in flight; the latency of a
  command is the kernel receive time of its result minus its send time.
- ``idle``: N connections said hello and got their welcome; prints ``{"ready": ...}`` and
  holds them (answering pings) until a line on stdin or ``hold`` seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import socket
import sys
import time
from typing import Any

import msgspec

from bench.rawws import RawClient, close_all, open_many
from tte import protocol as p

TOKEN_FMT = "BENCHTOKEN{:08d}"
PLACEHOLDER = TOKEN_FMT.format(0).encode()
RESULT_PREFIX = b"\xa1t\xa6result"  # a Result struct: tag field first
ECHO_PREFIX = b"\xa1t\xa3cmd"
_decode = msgspec.msgpack.Decoder(dict[str, Any]).decode


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values; nan if empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(q / 100.0 * len(s) + 0.5) - 1))
    return s[k]


def hello(code: str, last_seq: int = 0) -> bytes:
    return p.encode(p.Hello(v=p.VERSION, code=code, last_seq=last_seq, client="tte-bench/1"))


def drain_quiet(sel: selectors.BaseSelector, quiet: float = 0.3, limit: float = 15.0) -> int:
    """Read everything until nothing arrives for `quiet` seconds (bounded by `limit`)."""
    end = time.monotonic() + limit
    n = 0
    while time.monotonic() < end:
        events = sel.select(quiet)
        if not events:
            break
        for key, _ in events:
            c: RawClient = key.data
            _ts, frames = c.feed()
            n += len(frames)
            if c.closed:
                sel.unregister(c.sock)
    return n


# ---- fan-out ----------------------------------------------------------------------------


class _Target:
    """One server of a fan-out comparison: its receivers, its trigger and its figures."""

    def __init__(self, spec: dict[str, Any], host: str) -> None:
        self.name: str = spec["name"]
        self.kind: str = spec["kind"]
        self.template = bytes.fromhex(spec.get("frame_hex", ""))
        self.slow = set(spec.get("slow", []))
        last_seq = int(spec.get("last_seq", 0))
        rcvbuf = {i: int(spec.get("slow_rcvbuf", 4096)) for i in self.slow}
        codes: list[str] = spec["codes"]
        t0 = time.monotonic()
        self.clients = open_many(
            host, spec["port"], [hello(c, last_seq) for c in codes], rcvbuf=rcvbuf
        )
        self.trigger = open_many(host, spec["port"], [hello(spec["trigger_code"], last_seq)])[0]
        self.connect_s = time.monotonic() - t0
        self.readers = [c for c in self.clients if c.tag not in self.slow]
        self.clients_set = set(self.clients)
        self.server_pid = int(spec.get("server_pid", 0))
        self.port = int(spec["port"])
        self.cpu_s = 0.0
        self.per_rep_max: list[float] = []
        self.per_rep_med: list[float] = []
        self.pooled: list[float] = []
        self.missing = 0
        self.captured = b""

    def prefill(self, sel: selectors.BaseSelector, spec: dict[str, Any]) -> None:
        """Fill the stalled client's buffers: big injects addressed to its seat only."""
        seat, count = spec.get("prefill_to"), int(spec.get("prefill_count", 0))
        text = "y" * int(spec.get("prefill_text", 19_000))
        for k in range(count if seat else 0):
            args = {"title": f"prefill {k}", "text": text, "to": [seat]}
            self.trigger.set_blocking(True)
            self.trigger.send(p.encode(p.Cmd(id=f"f{k}", op="inject.send", args=args)))
            self.trigger.set_blocking(False)
            _pump(sel, 0.005)

    def register(self, sel: selectors.BaseSelector) -> None:
        for c in self.readers:
            sel.register(c.sock, selectors.EVENT_READ, c)
        sel.register(self.trigger.sock, selectors.EVENT_READ, self.trigger)

    def payload(self, token: bytes, text: str, rep: int, template: bytes) -> bytes:
        if self.kind == "tte":
            args = {"title": token.decode(), "text": text, "to": ["all"]}
            return p.encode(p.Cmd(id=f"i{rep}", op="inject.send", args=args))
        return template.replace(PLACEHOLDER, token)

    def result(self, reps: int) -> dict[str, Any]:
        return {
            "name": self.name,
            "n": len(self.readers),
            "reps": reps,
            "connect_s": self.connect_s,
            "last_us": self.per_rep_max,
            "last_median_us": pct(self.per_rep_max, 50),
            "last_p99_us": pct(self.per_rep_max, 99),
            "recipient_p50_us": pct(self.pooled, 50),
            "recipient_p99_us": pct(self.pooled, 99),
            "missing": self.missing,
            "closed": sum(1 for c in self.clients if c.closed),
            "slow_frames_read": [c.frames_in for c in self.clients if c.tag in self.slow],
            "server_cpu_us_per_recipient": self.cpu_s * 1e6 / max(1, reps * len(self.readers)),
            "frame_hex": self.captured.hex(),
            "frame_bytes": len(self.captured),
        }


def _cpu(pid: int) -> float:
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _metrics(host: str, port: int) -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return out
    for line in data.partition(b"\r\n\r\n")[2].decode().splitlines():
        name, _, value = line.rpartition(" ")
        if name and "{" not in name:
            with contextlib.suppress(ValueError):
                out[name] = float(value)
    return out


def _pump(sel: selectors.BaseSelector, seconds: float) -> None:
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        for key, _ in sel.select(left):
            c = key.data
            c.feed()
            if c.closed:
                sel.unregister(c.sock)


def run_fanout(spec: dict[str, Any]) -> dict[str, Any]:
    """Targets take turns, one inject each per repetition, so a drift of the machine's
    load hits them alike (paired samples)."""
    host = spec["host"]
    targets = [_Target(t, host) for t in spec["targets"]]
    sel = selectors.DefaultSelector()
    for t in targets:
        t.register(sel)
    for t, tspec in zip(targets, spec["targets"], strict=True):
        t.prefill(sel, tspec)
    drain_quiet(sel)
    text = "x" * int(spec.get("text_bytes", 200))
    reps, gap, rep_timeout = int(spec["reps"]), float(spec["gap"]), float(spec["timeout"])
    warm = int(spec.get("warmup_reps", 2))
    captured = b""  # the first tte event frame: what the bare servers send
    for rep in range(1, reps + warm + 1):
        token = TOKEN_FMT.format(rep).encode()
        for t in targets:
            template = t.template or captured
            if t.kind != "tte" and not template:
                continue
            waiting = {c.tag for c in t.readers}
            got: dict[int, int] = {}
            cpu0 = _cpu(t.server_pid)
            t.trigger.set_blocking(True)
            t_send = t.trigger.send(t.payload(token, text, rep, template))
            t.trigger.set_blocking(False)
            deadline = time.monotonic() + rep_timeout
            while waiting and time.monotonic() < deadline:
                for key, _ in sel.select(0.5):
                    c = key.data
                    ts, frames = c.feed()
                    if c.closed:
                        sel.unregister(c.sock)
                    if c.tag not in waiting or c not in t.clients_set:
                        continue
                    for f in frames:
                        if token in f:
                            got[c.tag] = ts
                            waiting.discard(c.tag)
                            if not t.captured:
                                t.captured = f.replace(token, PLACEHOLDER)
                                if t.kind == "tte" and not captured:
                                    captured = t.captured
                            break
            _pump(sel, gap)
            if rep <= warm:
                continue
            t.cpu_s += _cpu(t.server_pid) - cpu0
            t.missing += len(waiting)
            lat = [(ts - t_send) / 1e3 for ts in got.values()]  # µs
            if lat:
                t.per_rep_max.append(max(lat))
                t.per_rep_med.append(pct(lat, 50))
                t.pooled.extend(lat)
    out = {t.name: t.result(reps) for t in targets}
    for t in targets:  # the server's view while every client is still connected
        if t.kind == "tte":
            out[t.name]["metrics"] = _metrics(host, t.port)
    for t in targets:
        close_all([*t.clients, t.trigger])
    return out


# ---- commands ---------------------------------------------------------------------------


def run_commands(spec: dict[str, Any]) -> dict[str, Any]:
    host, port, _kind = spec["host"], spec["port"], spec["kind"]
    codes: list[str] = spec["codes"]
    args_of: list[dict[str, Any]] = spec["args"]
    op = spec.get("op", "request.submit")
    rate, window = float(spec.get("rate", 10.0)), int(spec.get("window", 0))
    duration, warmup = float(spec["duration"]), float(spec["warmup"])
    clients = open_many(host, port, [hello(c, spec.get("last_seq", 0)) for c in codes])
    sel = selectors.DefaultSelector()
    for c in clients:
        sel.register(c.sock, selectors.EVENT_READ, c)
    drain_quiet(sel)
    n = len(clients)
    sent_at: list[dict[str, int]] = [{} for _ in range(n)]
    counter = [0] * n
    lat_us: list[float] = []
    ok = errors = sent = 0
    ok_in_window = 0
    error_codes: dict[str, int] = {}
    start = time.monotonic()
    start_ns = time.time_ns()
    win_lo = start_ns + int(warmup * 1e9)
    win_hi = start_ns + int(duration * 1e9)
    period = 1.0 / rate if rate > 0 else 0.0
    next_send = [start + (i / n) * period for i in range(n)]
    for c in clients:
        c.set_blocking(True)

    def send(i: int) -> None:
        nonlocal sent
        counter[i] += 1
        cid = f"{i}.{counter[i]}"
        frame = p.encode(p.Cmd(id=cid, op=op, args=args_of[i]))
        c = clients[i]
        c.sock.setblocking(True)
        sent_at[i][cid] = c.send(frame)
        c.sock.setblocking(False)
        sent += 1

    if window:
        for i in range(n):
            for _ in range(window):
                send(i)
    for c in clients:
        c.set_blocking(False)
    end = start + duration
    hard_end = end + 10.0
    while True:
        now = time.monotonic()
        sending = now < end
        if not sending and not any(sent_at):
            break
        if now > hard_end:
            break
        if sending and not window:
            due = [i for i in range(n) if next_send[i] <= now]
            for i in due:
                send(i)
                next_send[i] += period
            timeout = max(0.0, min(min(next_send), end) - time.monotonic())
        else:
            timeout = 0.05
        for key, _ in sel.select(timeout):
            c = key.data
            ts, frames = c.feed()
            if c.closed:
                sel.unregister(c.sock)
            for f in frames:
                head = f[1:10]
                if head != RESULT_PREFIX and f[1:7] != ECHO_PREFIX:
                    continue
                msg = _decode(f)
                cid = msg.get("id")
                t_sent = sent_at[c.tag].pop(cid, None) if isinstance(cid, str) else None
                if t_sent is None:
                    continue
                good = msg.get("ok", True) is True
                if good:
                    ok += 1
                    if win_lo <= t_sent < win_hi:
                        lat_us.append((ts - t_sent) / 1e3)
                        ok_in_window += 1
                else:
                    errors += 1
                    code = str((msg.get("error") or {}).get("code"))
                    error_codes[code] = error_codes.get(code, 0) + 1
                if window and time.monotonic() < end:
                    send(c.tag)
    elapsed = time.monotonic() - start
    outstanding = sum(len(s) for s in sent_at)
    close_all(clients)
    span = max(1e-9, duration - warmup)
    return {
        "clients": n,
        "sent": sent,
        "ok": ok,
        "errors": errors,
        "error_codes": error_codes,
        "outstanding": outstanding,
        "elapsed_s": elapsed,
        "offered_per_s": sent / max(1e-9, min(elapsed, duration)),
        "accepted_per_s": ok_in_window / span,
        "p50_us": pct(lat_us, 50),
        "p99_us": pct(lat_us, 99),
        "max_us": max(lat_us) if lat_us else float("nan"),
    }


# ---- idle -------------------------------------------------------------------------------


def run_idle(spec: dict[str, Any]) -> dict[str, Any]:
    t0 = time.monotonic()
    clients = open_many(
        spec["host"], spec["port"], [hello(c, spec.get("last_seq", 0)) for c in spec["codes"]]
    )
    sel = selectors.DefaultSelector()
    for c in clients:
        sel.register(c.sock, selectors.EVENT_READ, c)
    drain_quiet(sel)
    print(json.dumps({"ready": len(clients), "connect_s": time.monotonic() - t0}), flush=True)
    sel.register(sys.stdin, selectors.EVENT_READ, None)
    end = time.monotonic() + float(spec.get("hold", 60.0))
    done = False
    while not done and time.monotonic() < end:
        for key, _ in sel.select(0.5):
            if key.data is None:
                done = True
                break
            c = key.data
            c.feed()
            if c.closed:
                sel.unregister(c.sock)
    closed = sum(1 for c in clients if c.closed)
    close_all(clients)
    return {"clients": len(clients), "closed": closed}


def main() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(16384, hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(16384, hard), hard))
    spec = json.loads(sys.stdin.readline())
    mode = spec["mode"]
    if mode == "fanout":
        out = run_fanout(spec)
    elif mode == "commands":
        out = run_commands(spec)
    elif mode == "idle":
        out = run_idle(spec)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    out["loadgen_pid"] = os.getpid()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()

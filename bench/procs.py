"""Servers under test, each in its own process: tte (``python -m tte.server``) and the bare
websockets baselines (``python -m bench.baseline``); plus the bench scenario and helpers to
read a process's RSS and the tte server's /metrics."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import resource
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
HOST = "127.0.0.1"
PY = sys.executable


def raise_nofile(want: int = 16384) -> int:
    """Raise the open-files soft limit (inherited by the children we start)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def country_codes(n: int) -> list[str]:
    codes = ["RO", "NL"]
    for a, b, c in itertools.product(string.ascii_uppercase, repeat=3):
        if len(codes) >= n:
            break
        codes.append(a + b + c)
    return codes[:n]


def bench_scenario(path: Path, countries: int = 50) -> Path:
    """The tutorial with `countries` countries (4 seats each): 50 -> 200 player seats, a
    classroom of 200 with one connection per seat (Lisbon had 34 countries x 4 roles)."""
    raw = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    ro, nl = raw["countries"][0], raw["countries"][1]
    out = []
    for _i, code in enumerate(country_codes(countries)):
        c = dict(nl if code == "NL" else ro)
        c.pop("humans", None)  # every seat may be played by a human
        c["code"], c["name"] = code, f"Country {code}"
        out.append(c)
    raw["countries"] = out
    raw["exercise"]["id"] = f"bench{countries}"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_get(port: int, path: str, timeout: float = 5.0) -> str:
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.partition(b"\r\n\r\n")[2].decode()


@dataclass
class ServerProc:
    """A server subprocess listening on 127.0.0.1:port."""

    proc: subprocess.Popen[bytes]
    port: int
    data: Path
    started: float  # time.monotonic() at spawn
    ready: float  # time.monotonic() when it printed that it listens
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_kb(self) -> int:
        return rss_kb(self.proc.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for line in http_get(self.port, "/metrics").splitlines():
            name, _, value = line.rpartition(" ")
            if name and "{" not in name:
                with contextlib.suppress(ValueError):
                    out[name] = float(value)
        return out

    def roster(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.data / "roster.json").read_text())
        return data

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def _spawn(cmd: list[str], data: Path, ready_prefix: bytes, timeout: float) -> ServerProc:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    data.mkdir(parents=True, exist_ok=True)
    err = (data / "server.stderr").open("ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, env=env)
    err.close()
    assert proc.stdout is not None
    deadline = t0 + timeout
    port = 0
    # Read stdout until the "listening" line; a bounded wait (readline blocks, so the
    # deadline is checked between lines and the process is killed if it dies or hangs).
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(ready_prefix):
            port = int(line.strip().rsplit(b":", 1)[-1].split()[-1])
            break
    if not port:
        proc.kill()
        proc.wait(5)
        tail = (data / "server.stderr").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"server did not start: {' '.join(cmd)}\n{tail}")
    proc.stdout.close()  # nothing more is read; the server only logs to stderr
    return ServerProc(proc, port, data, t0, time.monotonic())


def start_tte(
    scenario: Path,
    data: Path,
    profile: Path | None = None,
    timeout: float = 60.0,
    budgets: dict[str, float] | None = None,
) -> ServerProc:
    """`budgets` changes the server's budgets (`tte serve --budget NAME=VALUE`)."""
    cmd = [PY]
    if profile is not None:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "tte.server", str(scenario), "--host", HOST, "--port", "0", "--data", str(data)]
    for name, value in (budgets or {}).items():
        cmd += ["--budget", f"{name}={value:g}"]
    return _spawn(cmd, data, b"tte: listening on", timeout)


def start_baseline(mode: str, data: Path, timeout: float = 30.0) -> ServerProc:
    cmd = [PY, "-m", "bench.baseline", mode, "--port", "0", "--db", str(data / "bare.sqlite")]
    return _spawn(cmd, data, b"bare: listening on", timeout)


def workdir(prefix: str) -> Path:
    """A fresh directory on the disk the repo lives on (fsync must be real, not tmpfs)."""
    base = Path(os.environ.get("TTE_BENCH_TMP", tempfile.gettempdir()))
    return Path(tempfile.mkdtemp(prefix=f"tte-bench-{prefix}-", dir=base))


def run_loadgen(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one load-generator process with `spec`; return the JSON it prints."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        out = subprocess.run(
            [PY, "-m", "bench.loadgen"],
            input=json.dumps(spec).encode(),
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"load generator timed out after {timeout:.0f} s") from e
    if out.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{out.stderr.decode(errors='replace')[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return result

"""Player app row: ``tte play`` start until its first full screen, under tmux.

A tte server (tutorial scenario) runs in a subprocess; ``tte play URL --code CODE`` is
started in a detached tmux session (own tmux socket, 160x48) and the pane is captured
every 10 ms until the header says ``online`` (the app is connected, welcomed and has
painted its first screen). Baseline: the smallest Textual app that paints one line
``online``, started and timed the same way (interpreter + Textual import + first paint).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench import procs

if TYPE_CHECKING:
    from bench.rows import Ctx, Line

BARE_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("online")


Bare().run()
"""


def _tmux(sock: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-L", sock, *args], capture_output=True, text=True, timeout=10, check=False
    )


def compile_tte() -> None:
    """Write tte's bytecode (``__pycache__``) before timing a start, as ``pip install``
    does for an installed tte. Python writes it on first import too, unless
    ``PYTHONDONTWRITEBYTECODE`` is set (as in the sessions that develop tte): then every
    start would compile tte's ~75 modules again (0.1–0.15 s on this VM), which no
    installation does. Textual and the other dependencies are installed, compiled."""
    subprocess.run(
        [procs.PY, "-m", "compileall", "-q", str(procs.ROOT / "tte")],
        check=True,
        capture_output=True,
        timeout=120,
    )


def time_to_screen(sock: str, cmd: str, marker: str, timeout: float = 10.0) -> float:
    """Start `cmd` in a new tmux session; seconds until the pane shows `marker`."""
    name = f"s{time.monotonic_ns()}"
    t0 = time.monotonic()
    started = _tmux(sock, "new-session", "-d", "-s", name, "-x", "160", "-y", "48", cmd)
    if started.returncode != 0:
        raise RuntimeError(f"tmux new-session failed: {started.stderr.strip()}")
    try:
        while time.monotonic() - t0 < timeout:
            pane = _tmux(sock, "capture-pane", "-p", "-t", name).stdout
            if marker in pane:
                return time.monotonic() - t0
            time.sleep(0.01)
        pane = " | ".join(_tmux(sock, "capture-pane", "-p", "-t", name).stdout.split())
        raise TimeoutError(f"{marker!r} not on screen after {timeout:.0f} s: {cmd}: {pane[:300]}")
    finally:
        _tmux(sock, "kill-session", "-t", name)


def measure_player(ctx: Ctx, what: str) -> list[Line]:
    from bench.rows import Line

    runs = 1 if ctx.quick else 5
    work = procs.workdir("player")
    srv = procs.start_tte(procs.TUTORIAL, work / "data")
    sock = f"tte-bench-{os.getpid()}"
    tte_bin = Path(procs.PY).with_name("tte")
    bare_app = work / "bare_app.py"
    bare_app.write_text(BARE_APP)
    env = f"cd {procs.ROOT} && PYTHONPATH={procs.ROOT} TERM=xterm-256color"
    compile_tte()
    tte_t: list[float] = []
    bare_t: list[float] = []
    # A session that outlives the measured ones: killing the last session of a tmux server
    # makes it exit, and a new-session racing that exit fails.
    _tmux(sock, "new-session", "-d", "-s", "keep", "sleep 900")
    try:
        code = srv.roster()["seats"][0]["code"]
        url = f"ws://{procs.HOST}:{srv.port}/"
        for _ in range(runs):
            ctx.say("player: tte play under tmux")
            tte_t.append(
                time_to_screen(sock, f"{env} {tte_bin} play {url} --code {code}", "online")
            )
            bare_t.append(time_to_screen(sock, f"{env} {procs.PY} {bare_app}", "online"))
    finally:
        _tmux(sock, "kill-server")
        srv.stop()
        ctx.cleanup(work)
    med, bmed = statistics.median(tte_t), statistics.median(bare_t)
    ctx.details["player"] = {"tte_s": tte_t, "bare_textual_s": bare_t}
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is missing")
    return [
        Line(
            what,
            f"{med:.2f} s",
            f"{bmed:.2f} s (minimal Textual app)",
            med / bmed,
            "≤ 1 s",
            med <= 1.0,
            f"median of {runs} starts (tte {', '.join(f'{t:.2f}' for t in tte_t)}); "
            "until the header says online, i.e. connected, welcomed and painted",
        )
    ]

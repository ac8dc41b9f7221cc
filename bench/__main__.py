"""`python -m bench [--quick] [--rows a,b] [--out FILE] [--profile DIR]`: run the
benchmark rows of issue 9 and write the results table (default bench/results.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench import procs
from bench.rows import ROWS, Ctx, Line

HERE = Path(__file__).resolve().parent

BASELINES = """\
Baselines, all bare `websockets` 17 servers (`bench/baseline.py`) in their own process, with
tte's transport settings (no compression, 64 KiB max frame), driven by the same load
generator in the same run:

- **fan-out**: the bare server holds the N connections and, when the trigger connection
  sends a frame, calls `websockets.broadcast(all connections, frame)` once. The frame is
  the exact event frame tte delivered in the tte run (token swapped), so sizes match.
- **command round trip / sustained**: bare echo: each `cmd` frame is sent back unchanged
  (`await ws.send`). No decoding, no engine, no disk.
- **command saturation**: bare echo that first INSERTs the frame into SQLite (WAL,
  `synchronous=FULL`) and COMMITs it alone — one fsync per command, on a writer thread —
  then echoes it: durable commands without group commit.
- **memory**: bare server that answers the hello and holds the connection.
- **resume**: starting the bare echo server process until its first answer to a hello
  (interpreter start and `import websockets`; there is nothing to replay).
"""


def machine() -> dict[str, str]:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "websockets": importlib.metadata.version("websockets"),
        "msgspec": importlib.metadata.version("msgspec"),
    }


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "tte"],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (tte/ has uncommitted changes)" if dirty else "")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}×"


def fmt_pass(p: bool | None) -> str:
    return "—" if p is None else ("**pass**" if p else "**FAIL**")


def render(
    lines: list[Line], ctx: Ctx, started: float, rows: list[str], load0: str, errors: list[str]
) -> str:
    info = machine()
    out = [
        "# tte benchmark results",
        "",
        f"`python -m bench{' --quick' if ctx.quick else ''} --rows {','.join(rows)}` "
        f"({'quick' if ctx.quick else 'full'} mode; {time.monotonic() - started:.0f} s)",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Commit: {git_commit()}",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- Load average (1/5/15 min) before: {load0}; after: {loadavg()}",
        "- 1-min load average at the start→end of each row: "
        + ", ".join(f"{k} {v}" for k, v in ctx.row_load.items()),
        "",
        "Ratios are tte / baseline measured in the same run (for throughput rows, "
        "higher is better; for the others, lower is better). See bench/README.md for "
        "what each row measures and what dominates it.",
        "",
        "| what | tte | baseline | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for ln in lines:
        out.append(
            f"| {ln.what} | {ln.tte} | {ln.baseline} | {fmt_ratio(ln.ratio)} | {ln.target} "
            f"| {fmt_pass(ln.passed)} |"
        )
    out += ["", "## Notes per row", ""]
    out += [f"- **{ln.what}**: {ln.note}" for ln in lines if ln.note]
    if errors:
        out += ["", "## Rows that failed to run", ""]
        out += [f"- {e}" for e in errors]
    out += [
        "",
        "## Baselines",
        "",
        BASELINES,
        "## Raw figures",
        "",
        "```json",
        json.dumps(ctx.details, indent=1, default=str)[:60_000],
        "```",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer clients and repetitions (<1 min)")
    ap.add_argument("--rows", default=",".join(ROWS), help=f"comma list of: {', '.join(ROWS)}")
    ap.add_argument("--out", type=Path, default=HERE / "results.md", help="results file")
    ap.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run tte servers under cProfile, writing DIR/<row>.prof",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    args = ap.parse_args(argv)
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        ap.error(f"unknown rows {unknown}; known: {', '.join(ROWS)}")
    nofile = procs.raise_nofile()
    if nofile < 4200 and any(r in rows for r in ("fanout", "memory")):
        print(f"warning: open-files limit is {nofile}; 2000 clients need ~4100", file=sys.stderr)
    ctx = Ctx(quick=args.quick, profile_dir=args.profile, keep=args.keep)
    started, load0 = time.monotonic(), loadavg()
    lines: list[Line] = []
    errors: list[str] = []
    for name in rows:
        load_before = loadavg().split()[0]
        try:
            lines += ROWS[name](ctx)
        except Exception as e:
            traceback.print_exc()
            errors.append(f"{name}: {type(e).__name__}: {e}".replace("\n", " ")[:500])
        ctx.row_load[name] = f"{load_before}→{loadavg().split()[0]}"
    text = render(lines, ctx, started, rows, load0, errors)
    args.out.write_text(text, encoding="utf-8")
    table = text.split("| what |", 1)[1].split("\n\n", 1)[0]
    print("| what |" + table)
    print(f"\nwrote {args.out}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

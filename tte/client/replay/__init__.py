"""``tte replay DIR``: the replay app over an exercise's data directory (read-only)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DIR", help="the exercise's data directory")
    parser.add_argument("--seat", help="whose view to show first (e.g. RO/poc, facilitator)")
    parser.add_argument("--at", type=int, metavar="SEQ", help="event to start at (default: last)")


def main(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from .source import ReplayError, ReplayLog

    # The log is read (SQLite, which lets go of the GIL) while Textual is imported.
    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(ReplayLog.open, Path(args.data))
        from .app import ReplayApp
    try:
        log = opening.result()
    except ReplayError as e:
        raise SystemExit(f"tte replay: {e}") from e
    if args.seat and args.seat not in log.seats():
        raise SystemExit(f"tte replay: no seat {args.seat!r}; seats: {', '.join(log.seats())}")
    ReplayApp(log, seat=args.seat, seq=args.at).run()
    return 0

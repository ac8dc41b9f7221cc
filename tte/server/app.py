"""`tte serve` and `tte roster`: argument parsing and the console around ExerciseServer.

The CLI (``tte/cli.py``) adds these arguments to its sub-parsers and calls ``main_serve``
or ``main_roster``; ``python -m tte.server`` does the same for serve alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import threading
from pathlib import Path

from tte.core.scenario import ScenarioError, find, load
from tte.core.text import inert_line
from tte.datadir import ROSTER_FILE
from tte.i18n import _
from tte.protocol import DEFAULT_PORT

from .auth import Roster
from .budget import Budgets, with_overrides
from .exercise import ExerciseServer, ServerError, Settings, data_dir_default
from .lan import join_urls

log = logging.getLogger("tte.server")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help=_("scenario file or shipped name (e.g. tutorial)"))
    parser.add_argument("--host", default="0.0.0.0", help=_("address to listen on (default: all)"))
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_("TCP port, 0 = any (default {port})").format(port=DEFAULT_PORT),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=_(
            "exercise directory: event log and roster; the same DIR resumes the exercise "
            "(default ./data/<exercise id>)"
        ),
    )
    parser.add_argument("--tls-cert", metavar="FILE", help=_("PEM certificate: serve wss://"))
    parser.add_argument("--tls-key", metavar="FILE", help=_("PEM private key for --tls-cert"))
    parser.add_argument(
        "--budget",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=_(
            "change one budget (repeatable), e.g. open_requests=100; the budgets and their "
            "defaults are in docs/operations.md"
        ),
    )


def add_roster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", help=_("the exercise directory given to `tte serve --data`"))
    parser.add_argument(
        "--json", action="store_true", help=_("print {file} as it is").format(file=ROSTER_FILE)
    )


def tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if not cert and not key:
        return None
    if not (cert and key):
        raise ValueError("--tls-cert and --tls-key go together")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def render_roster(roster: Roster) -> str:
    lines = [f"{roster.title} ({roster.exercise})", "", _("Join at:")]
    lines += [f"  {u}" for u in roster.urls] or [_("  (not listening)")]
    lines += ["", _("Join codes:")]
    lines += [f"  {line}" for line in roster.render().splitlines()]
    return "\n".join(lines)


async def serve(args: argparse.Namespace) -> int:
    """Run `tte serve` until SIGINT/SIGTERM. Returns the exit status."""
    try:
        args.scenario = find(args.scenario)
        scenario = load(args.scenario)
    except ScenarioError as e:
        for problem in e.problems:
            print(problem.render(str(args.scenario)), file=sys.stderr)
        return 2
    try:
        ctx = tls_context(args.tls_cert, args.tls_key)
    except (ValueError, OSError, ssl.SSLError) as e:
        print(_("tte serve: TLS: {error}").format(error=e), file=sys.stderr)
        return 2
    data = Path(args.data) if args.data else data_dir_default(scenario)
    try:
        budgets = with_overrides(Budgets(), getattr(args, "budget", []) or [])
    except ValueError as e:
        print(_("tte serve: {error}").format(error=e), file=sys.stderr)
        return 2
    raise_open_files()
    try:
        server = ExerciseServer(scenario, data, settings=Settings(budgets=budgets))
    except (ServerError, OSError) as e:
        print(_("tte serve: {error}").format(error=e), file=sys.stderr)
        return 1
    try:
        port = await server.start(args.host, args.port, ctx)
    except OSError as e:
        where = f"{args.host}:{args.port}"
        print(
            _("tte serve: cannot listen on {where}: {error}").format(where=where, error=e),
            file=sys.stderr,
        )
        await server.stop()
        return 1
    server.roster.urls = join_urls(args.host, port, tls=ctx is not None)
    server.save_roster()
    print(render_roster(server.roster))
    print()
    print(
        _("Event log and roster in {dir}/ — `tte roster {dir}` prints the codes again.").format(
            dir=data
        )
    )
    print(_("tte: listening on {where}").format(where=f"{args.host}:{port}"), flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # e.g. Windows
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    await stop.wait()
    log.info("stopping: saving the clock and closing connections")
    # Whatever the server is doing, it is gone within STOP_GRACE seconds: an orderly stop
    # if it can, else a hard exit, which loses nothing acknowledged (every answered
    # command was fsynced; the kill -9 tests hold that).
    watchdog = threading.Timer(STOP_GRACE + 0.5, _hard_exit)
    watchdog.daemon = True
    watchdog.start()
    try:
        await asyncio.wait_for(server.stop(), STOP_GRACE)
    except TimeoutError:
        log.warning("could not stop in %.0f s: exiting anyway", STOP_GRACE)
        return 1
    finally:
        watchdog.cancel()
    return 0


STOP_GRACE = 4.0  # seconds for an orderly stop after SIGINT/SIGTERM
OPEN_FILES_WANTED = 8192  # every connection budget together, with room for the log and SSH


def raise_open_files(wanted: int = OPEN_FILES_WANTED) -> int:
    """Raise the soft limit of open files towards `wanted` (never above the hard limit):
    the connection budgets assume ~2,500 sockets, and the usual soft limit of 1024 would
    let a flood of silent connections lock out honest players first. Returns the limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted:
        log.warning(
            "only %d open files allowed (ulimit -n): fewer connections than the budgets "
            "allow will fit; raise it (docs/operations.md)",
            soft,
        )
    return int(soft)


def _hard_exit() -> None:
    log.warning("stop took too long: exiting now")
    logging.shutdown()
    os._exit(1)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class InertFormatter(logging.Formatter):
    """One log line per record, made inert: a message quoting a client (its hello's
    program name, a refused command's text) can neither forge lines nor carry escape
    sequences into a terminal that tails the log. Tracebacks keep their lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = inert_line(record.message, 2000)
        return super().formatMessage(record)


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(InertFormatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    logging.getLogger("websockets").setLevel(logging.WARNING)


def main_serve(args: argparse.Namespace) -> int:
    setup_logging()
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 130


def main_roster(args: argparse.Namespace) -> int:
    path = Path(args.dir) / ROSTER_FILE
    try:
        roster = Roster.load(path)
    except FileNotFoundError:
        print(
            _("tte roster: no {file} in {dir}").format(file=ROSTER_FILE, dir=args.dir),
            file=sys.stderr,
        )
        return 1
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(
            _("tte roster: cannot read {path}: {error}").format(path=path, error=e), file=sys.stderr
        )
        return 1
    if args.json:
        print(json.dumps(roster.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_roster(roster))
    return 0

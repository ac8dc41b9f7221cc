"""``tte host``: the exercise server and the facilitator console in one process.

The server runs on the console's own asyncio loop (started in ``on_mount``) and the
console joins it over loopback with the facilitator's code, exactly as a remote console
would: one code path for both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import logging
import sys
from pathlib import Path
from typing import IO

from tte.core.scenario import Scenario
from tte.protocol import DEFAULT_PORT
from tte.server import ExerciseServer, ServerError, Settings
from tte.server.exercise import EVENTS_FILE
from tte.server.lan import WILDCARDS, join_urls

from .app import ConsoleApp
from .dialogs import ConfirmDialog
from .roster import RosterPane

log = logging.getLogger("tte.console")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help="scenario file or shipped name (default: tutorial)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port, 0 = any (default {DEFAULT_PORT})"
    )
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--ssh", type=int, metavar="PORT", help="also let players join over SSH")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="exercise directory (event log, roster, join sheet); the same DIR resumes the "
        "exercise (default: a per-user data directory)",
    )


def default_data_dir(exercise_id: str) -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tte")) / exercise_id


def ssh_available() -> bool:
    try:
        return importlib.util.find_spec("tte.ssh.gateway") is not None
    except ModuleNotFoundError:
        return False


class HostApp(ConsoleApp):
    TITLE = "tte host"

    def __init__(
        self,
        scenario: Scenario,
        data: Path,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        ssh_port: int | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__("", "", scenario=scenario, ssh_port=ssh_port, sheet_dir=Path(data))
        self.scenario = scenario
        self.data = Path(data)
        self.bind = host
        self.port = port
        self.settings = settings
        self.server: ExerciseServer | None = None
        self.ssh_proc: asyncio.subprocess.Process | None = None
        self._ssh_log: IO[bytes] | None = None
        self.ssh_note = ""

    async def begin(self) -> None:
        self.query_one("#roster-table").focus()
        resumed = (self.data / EVENTS_FILE).exists()
        try:
            self.server = ExerciseServer(self.scenario, self.data, settings=self.settings)
        except (ServerError, OSError) as e:
            self.exit(1, return_code=1, message=f"tte host: {e}")
            return
        try:
            port = await self.server.start(self.bind, self.port)
        except OSError as e:
            await self.server.stop()
            self.server = None
            self.exit(
                1,
                return_code=1,
                message=f"tte host: cannot listen on {self.bind}:{self.port}: {e}",
            )
            return
        self.server.roster.urls = join_urls(self.bind, port)
        self.server.save_roster()
        how = "resumed" if resumed else "new exercise"
        self.data_note = f"Exercise data ({how}): {self.data}"
        if self.ssh_port:
            await self._start_ssh(port)
        here = "127.0.0.1" if self.bind in WILDCARDS else self.bind
        await self.connect(f"ws://{here}:{port}/", self.server.roster.facilitator)

    async def end(self) -> None:
        await super().end()
        if self.ssh_proc is not None and self.ssh_proc.returncode is None:
            self.ssh_proc.terminate()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ssh_proc.wait(), 5)
        if self._ssh_log is not None:
            self._ssh_log.close()
        if self.server is not None:
            await self.server.stop()
            self.server = None

    # ---- what only the host knows ---------------------------------------------------

    def roster_codes(self) -> dict[str, str] | None:
        return self.server.roster.codes() if self.server else None

    async def connection_counts(self) -> dict[str, int] | None:
        if self.server is None:
            return None
        hub = self.server.hub
        return {seat: hub.count(seat) for seat in hub.by_seat}

    def join_urls(self) -> list[str]:
        return list(self.server.roster.urls) if self.server else []

    def roster_info(self) -> list[str]:
        lines = super().roster_info()
        if self.ssh_note:
            lines.append(self.ssh_note)
        return lines

    def action_revoke(self) -> None:
        seat = self.query_one(RosterPane).current_seat
        if self.server is None or seat is None:
            return
        server = self.server

        def go(yes: bool | None) -> None:
            if yes:
                server.revoke(seat)
                self.view.set_codes(server.roster.codes())
                self.notify(f"{seat} has a new code; the old one no longer works")

        self.push_screen(ConfirmDialog(f"Give {seat} a new join code and disconnect it?"), go)

    async def action_quit(self) -> None:
        def go(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(ConfirmDialog("Stop the exercise server? Everyone is disconnected."), go)

    # ---- SSH ------------------------------------------------------------------------

    async def _start_ssh(self, port: int) -> None:
        if not ssh_available():
            self.ssh_note = (
                "[b yellow]SSH gateway not available in this installation "
                "(tte.ssh.gateway is missing)[/]"
            )
            self.ssh_port = None
            return
        # A child process, through the gateway's documented command line: the
        # gateway forks a player process per session anyway.
        self._ssh_log = open(self.data / "ssh-gateway.log", "ab")  # noqa: SIM115
        cmd = [
            sys.executable,
            "-m",
            "tte",
            "ssh-gateway",
            "--server",
            f"ws://127.0.0.1:{port}/",
            "--port",
            str(self.ssh_port),
            "--data",
            str(self.data),
        ]
        self.ssh_proc = await asyncio.create_subprocess_exec(
            *cmd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._ssh_log,
            stderr=self._ssh_log,
        )
        self.ssh_note = f"SSH gateway on port {self.ssh_port} (log: ssh-gateway.log)"
        self.run_worker(self._watch_ssh(self.ssh_proc), group="ssh")

    async def _watch_ssh(self, proc: asyncio.subprocess.Process) -> None:
        rc = await proc.wait()
        self.ssh_note = f"[b red]SSH gateway stopped (exit {rc}): see ssh-gateway.log[/]"
        self.view.dirty.info = True
        self.notify("The SSH gateway stopped: see ssh-gateway.log", severity="error")


def _log_to_file(path: Path) -> None:
    """The server logs to a file: anything on stderr would tear the console's screen."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("websockets").setLevel(logging.WARNING)


def build_app(args: argparse.Namespace) -> HostApp:
    """The app `tte host ARGS` runs; SystemExit with a message if it cannot."""
    from tte.cli import resolve_scenario
    from tte.core.scenario import ScenarioError, load

    path = resolve_scenario(args.scenario)
    try:
        scenario = load(path)
    except ScenarioError as e:
        problems = "\n".join(pr.render(str(path)) for pr in e.problems)
        raise SystemExit(problems) from e
    data = Path(args.data) if args.data else default_data_dir(scenario.exercise.id)
    try:
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise SystemExit(f"tte host: cannot use {data}: {e}") from e
    return HostApp(scenario, data, host=args.host, port=args.port, ssh_port=args.ssh)


def main(args: argparse.Namespace) -> int:
    app = build_app(args)
    data = app.data
    _log_to_file(data / "server.log")
    rc = app.run()
    print(f"tte host: the exercise is kept in {data}")
    print(f"  resume it with: tte host {args.scenario or ''} --data {data}".replace("  --", " --"))
    print(f"  join codes:     tte roster {data}")
    return int(app.return_code or rc or 0)

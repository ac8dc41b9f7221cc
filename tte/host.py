"""``tte host``: the exercise server and the facilitator console in one process.

The server runs on the console's own asyncio loop (started in ``on_mount``) and the
console joins it over loopback with the facilitator's code, exactly as a remote console
would: one code path for both.

It sits beside ``tte.cli``, above the client, the SSH gateway and the server it assembles.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from pathlib import Path
from typing import Any

from rich.text import Text

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import ConfirmDialog
from tte.core.scenario import Scenario
from tte.datadir import SERVER_LOG_FILE, events_file
from tte.protocol import DEFAULT_PORT
from tte.server import ExerciseServer, ServerError, Settings
from tte.server.app import LOG_FORMAT, InertFormatter
from tte.server.lan import WILDCARDS, join_urls

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
        self.listen_host = host
        self.port = port
        self.settings = settings
        self.server: ExerciseServer | None = None
        self.gateway: Any = None  # tte.ssh.gateway.Gateway, when --ssh
        self.ssh_note: Text | None = None

    async def begin(self) -> None:
        self.roster_pane.table.focus()
        resumed = events_file(self.data).exists()
        try:
            self.server = ExerciseServer(self.scenario, self.data, settings=self.settings)
        except (ServerError, OSError) as e:
            self.exit(1, return_code=1, message=f"tte host: {e}")
            return
        try:
            port = await self.server.start(self.listen_host, self.port)
        except OSError as e:
            await self.server.stop()
            self.server = None
            self.exit(
                1,
                return_code=1,
                message=f"tte host: cannot listen on {self.listen_host}:{self.port}: {e}",
            )
            return
        self.server.roster.urls = join_urls(self.listen_host, port)
        self.server.save_roster()
        how = "resumed" if resumed else "new exercise"
        self.data_note = f"Exercise data ({how}): {self.data}"
        if self.ssh_port is not None:  # --ssh 0: any free port
            await self._start_ssh(port)
        here = "127.0.0.1" if self.listen_host in WILDCARDS else self.listen_host
        await self.connect(f"ws://{here}:{port}/", self.server.roster.facilitator)

    async def end(self) -> None:
        await super().end()
        if self.gateway is not None:
            with contextlib.suppress(Exception):
                await self.gateway.stop()
            self.gateway = None
        if self.server is not None:
            await self.server.stop()
            self.server = None

    # ---- what only the host knows ---------------------------------------------------
    # Codes, connections and join URLs come over the wire (roster.get) as for a remote
    # console; only what the server ops leave out is read here.

    def roster_info(self) -> list[Text]:
        lines = super().roster_info()
        if self.ssh_note is not None:
            lines.append(self.ssh_note)
        return lines

    def ssh_fingerprint(self) -> str:
        return str(self.gateway.fingerprint) if self.gateway is not None else ""

    async def revoke_code(self, seat: str) -> str | None:
        """roster.revoke covers player seats; the host also renews the observers' code."""
        if seat == "observer" and self.server is not None:
            return self.server.revoke(seat)
        return await super().revoke_code(seat)

    async def action_quit(self) -> None:
        def go(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(ConfirmDialog("Stop the exercise server? Everyone is disconnected."), go)

    # ---- SSH ------------------------------------------------------------------------

    async def _start_ssh(self, port: int) -> None:
        """The SSH gateway on this same loop; a missing or failing gateway is reported in
        the roster tab, and the exercise goes on without it."""
        try:
            from tte.ssh.gateway import start_gateway
        except ImportError as e:
            msg = f"SSH gateway not available in this installation ({e})"
            self.ssh_note = Text(msg, style="b yellow")
            self.ssh_port = None
            return
        try:
            key = self.server.roster.gateway if self.server is not None else ""
            self.gateway = await start_gateway(
                f"ws://127.0.0.1:{port}/",
                self.listen_host,
                self.ssh_port or 0,
                self.data,
                gateway_key=key,
            )
        except (OSError, ValueError) as e:
            msg = f"SSH gateway could not start on port {self.ssh_port}: {e}"
            self.ssh_note = Text(msg, style="b red")
            self.ssh_port = None
            return
        self.ssh_port = self.gateway.port
        self.ssh_note = Text(f"SSH host key fingerprint: {self.gateway.fingerprint}")


def _log_to_file(path: Path) -> None:
    """The server logs to a file: anything on stderr would tear the console's screen."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(InertFormatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("websockets").setLevel(logging.WARNING)


def build_app(args: argparse.Namespace) -> HostApp:
    """The app `tte host ARGS` runs; SystemExit with a message if it cannot."""
    from tte.core.scenario import DEFAULT_SCENARIO, ScenarioError, find, load, parse

    stored = None
    if args.scenario is None and args.data:
        # `tte host --data DIR` resumes whatever exercise DIR holds.
        from tte.server.log import stored_scenario

        stored = stored_scenario(events_file(Path(args.data)))
    source = args.scenario or DEFAULT_SCENARIO  # what a problem is reported against
    try:
        if stored is not None:
            source = str(events_file(Path(args.data)))
            scenario, problems = parse(stored)
            if scenario is None:
                raise ScenarioError(problems)
        else:
            path = find(source)
            source = str(path)
            scenario = load(path)
    except ScenarioError as e:
        raise SystemExit("\n".join(pr.render(source) for pr in e.problems)) from e
    data = Path(args.data) if args.data else default_data_dir(scenario.exercise.id)
    try:
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise SystemExit(f"tte host: cannot use {data}: {e}") from e
    return HostApp(scenario, data, host=args.host, port=args.port, ssh_port=args.ssh)


def main(args: argparse.Namespace) -> int:
    app = build_app(args)
    data = app.data
    _log_to_file(data / SERVER_LOG_FILE)
    rc = app.run()
    print(f"tte host: the exercise is kept in {data}")
    print(f"  resume it with: tte host --data {data}")
    print(f"  join codes:     tte roster {data}")
    return int(app.return_code or rc or 0)

"""``tte host``: the exercise server and the facilitator console in one process.

The server runs on the console's own asyncio loop (started in ``on_mount``) and the
console joins it over loopback with the facilitator's code, exactly as a remote console
would: one code path for both.

It sits beside ``tte.cli``, above the client, the SSH gateway and the server it assembles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import SuspendNotSupported
from textual.binding import Binding

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import ConfirmDialog
from tte.core.events import FACILITATOR
from tte.core.scenario import Scenario
from tte.datadir import META_FORKED_AT, META_FORKED_FROM, REPORT_DIR, SERVER_LOG_FILE, events_file
from tte.i18n import N_, _, current, use
from tte.i18n.choice import add_lang_argument, chosen_lang
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
        help=_("scenario file or shipped name (default: tutorial)"),
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_("TCP port, 0 = any (default {port})").format(port=DEFAULT_PORT),
    )
    parser.add_argument("--host", default="0.0.0.0", help=_("address to listen on (default: all)"))
    add_lang_argument(parser, "console")
    parser.add_argument("--ssh", type=int, metavar="PORT", help=_("also let players join over SSH"))
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=_(
            "exercise directory (event log, roster, join sheet); the same DIR resumes the "
            "exercise (default: a per-user data directory, see tte list)"
        ),
    )
    fresh = parser.add_mutually_exclusive_group()
    fresh.add_argument(
        "--new",
        action="store_true",
        help=_("start afresh; an exercise already in the directory is kept aside as DIR-<date>"),
    )
    fresh.add_argument(
        "--resume", action="store_true", help=_("continue the exercise in the directory")
    )
    parser.add_argument(
        "--from",
        dest="fork_from",
        metavar="DIR",
        help=_(
            "rerun the exercise in DIR from event --at SEQ: fork it into --data "
            "(default DIR-at-SEQ) with new join codes and host the fork; DIR is left untouched"
        ),
    )
    parser.add_argument("--at", type=int, metavar="SEQ", help=_("with --from: last event to keep"))


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", metavar="DIR", help=_("where to look (default: the per-user data directory)")
    )


def data_root() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tte"))


def default_data_dir(exercise_id: str) -> Path:
    return data_root() / exercise_id


def describe_exercise(data: Path) -> str:
    """Two lines: the exercise's title; its events, game time reached, last played."""
    from tte.core.duration import format_duration
    from tte.server.log import log_summary, stored_scenario

    log_file = events_file(data)
    summary = log_summary(log_file)
    if summary is None:
        return _("no readable event log")
    n, last = summary
    title = ""
    text = stored_scenario(log_file) or ""
    for line in text.splitlines():
        if line.strip().startswith("title:"):
            title = line.split(":", 1)[1].strip().strip("\"'")
            break
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(log_file.stat().st_mtime))
    facts = _("{n} events · {span} of game time · {when}").format(
        n=n, span=format_duration(last), when=when
    )
    return f"{title or data.name}\n    {facts}"


def fresh_or_resume(
    data: Path, args: argparse.Namespace, ask: Callable[[str], str] = input
) -> Path:
    """Start fresh or resume, said out loud: an exercise already in `data` is resumed only
    when asked to (``--resume``, an answer, or ``--data DIR`` naming it); ``--new`` keeps it
    aside under a dated name, never deletes it."""
    held = events_file(data).exists()
    if args.resume:
        if not held:
            raise SystemExit(
                _("tte host: there is no exercise to resume in {dir}").format(dir=data)
            )
        return data
    if not held:
        return data
    if not args.new:
        if args.data:  # `tte host --data DIR`: the directory named is the one to continue
            return data
        if not sys.stdin.isatty():
            raise SystemExit(
                _(
                    "tte host: {dir} already holds an exercise:\n    {exercise}\n"
                    "  Say --resume to continue it, or --new to start afresh (the old one is kept)."
                ).format(dir=data, exercise=describe_exercise(data))
            )
        print(
            _("An exercise is already kept in {dir}:\n    {exercise}").format(
                dir=data, exercise=describe_exercise(data)
            )
        )
        # TRANSLATORS: the answers stay r, n, q in every language.
        answer = ask(_("Resume it (r), start a new one (n, the old one is kept), or quit (q)? "))
        choice = answer.strip().lower()[:1]
        if choice == "r":
            return data
        if choice != "n":
            raise SystemExit(_("tte host: nothing started"))
    aside = data.with_name(f"{data.name}-{time.strftime('%Y%m%d-%H%M%S')}")
    data.rename(aside)
    print(_("tte host: the previous exercise is kept in {dir} (see tte list)").format(dir=aside))
    return data


def main_list(args: argparse.Namespace) -> int:
    """`tte list`: the exercises kept in the per-user folder, and how to remove them."""
    root = Path(args.root) if args.root else data_root()
    found = sorted(d for d in root.glob("*") if events_file(d).is_file()) if root.is_dir() else []
    print(_("Exercises in {dir}:").format(dir=root))
    if not found:
        print(_("  none yet: tte host starts one"))
        return 0
    for d in found:
        print(f"  {d}\n    {describe_exercise(d)}")
    print()
    print(_("Resume one:    tte host --data DIR   (or tte host SCENARIO --resume)"))
    print(_("Report:        tte report DIR"))
    print(_("Remove one:    delete its folder, e.g. rm -r {dir}").format(dir=found[0]))
    return 0


class HostApp(ConsoleApp):
    TITLE = "tte host"
    BINDINGS: ClassVar = [Binding("ctrl+r", "debrief", N_("Replay"), show=False)]

    def __init__(
        self,
        scenario: Scenario,
        data: Path,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        ssh_port: int | None = None,
        settings: Settings | None = None,
        lang: str | None = None,
    ) -> None:
        super().__init__(
            "", "", scenario=scenario, ssh_port=ssh_port, sheet_dir=Path(data), lang=lang
        )
        self.scenario = scenario
        self.data = Path(data)
        self.data_dir = self.data.resolve()  # named on the join sheet: what to replay
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
        how = _("resumed") if resumed else _("new exercise")
        forked = self.server.log.get_meta(META_FORKED_FROM)
        if forked is not None and self.server.log.last_seq() == int(
            self.server.log.get_meta(META_FORKED_AT) or 0
        ):
            at = self.server.log.get_meta(META_FORKED_AT)
            how = _("rerun of {data} after event {seq}").format(data=forked, seq=at)
        self.data_note = _("Exercise data ({how}): {path}").format(how=how, path=self.data)
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

    async def action_debrief(self) -> None:
        """Debrief mode: hand the terminal (the classroom screen) to `tte replay` over this
        exercise's data directory; the server keeps running meanwhile (the child is
        awaited, not waited for), and the console comes back when the replay quits."""
        cmd = [sys.executable, "-m", "tte", "replay", str(self.data), "--seat", FACILITATOR]
        cmd += ["--lang", self.tr.lang]  # the replay reads as the console does
        try:
            with self.suspend():
                proc = await asyncio.create_subprocess_exec(*cmd)
                await proc.wait()
        except SuspendNotSupported:
            said = _("Run the replay in another terminal: tte replay {path}")
            self.notify(said.format(path=self.data), markup=False)

    async def action_quit(self) -> None:
        def go(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        question = _("Stop the exercise server? Everyone is disconnected.")
        self.push_screen(ConfirmDialog(question), go)

    # ---- the end -------------------------------------------------------------------

    def exercise_over(self) -> None:
        """Offer the after-action report, written beside the event log."""

        def go(yes: bool | None) -> None:
            if yes:
                # The report in the console's language: a thread does not inherit the
                # reader (a context variable), so it is handed over.
                lang = current().lang
                self.run_worker(lambda: self._write_report(lang), thread=True, group="report")
            else:
                later = _("Later: tte report {path}").format(path=self.data)
                self.notify(later, title=_("Report"), timeout=30, markup=False)

        self.push_screen(
            ConfirmDialog(
                _(
                    "The exercise is over: every seat sees the end and the debrief.\n\n"
                    "Write the after-action report now (into {path})?"
                ).format(path=self.data / REPORT_DIR)
            ),
            go,
        )

    def _write_report(self, lang: str = "en") -> None:
        """In a thread: the report rebuilds the run from the log, which takes a moment."""
        use(lang)
        try:
            from tte.report.source import SourceError, load
            from tte.report.write import write_report

            src = load(self.data)
            written = write_report(src.scenario, src.events, self.data / REPORT_DIR, "", self.data)
        except (ImportError, SourceError, OSError) as e:
            self.call_from_thread(
                self.notify,
                _("No report: {error}").format(error=e),
                title=_("Report"),
                severity="error",
                markup=False,
            )
            return
        html = next((f for f in written.files if f.suffix == ".html"), written.files[0])
        self.call_from_thread(self._report_written, html)

    def _report_written(self, html: Path) -> None:
        self.data_note = _("Report: {path}").format(path=html)  # the roster tab's info keeps it
        self.view.dirty.info = True
        said = _("Written: {path}").format(path=html)
        self.notify(said, title=_("Report"), timeout=60, markup=False)

    # ---- SSH ------------------------------------------------------------------------

    async def _start_ssh(self, port: int) -> None:
        """The SSH gateway on this same loop; a missing or failing gateway is reported in
        the roster tab, and the exercise goes on without it."""
        try:
            from tte.ssh.gateway import start_gateway
        except ImportError as e:
            msg = _("SSH gateway not available in this installation ({error})").format(error=e)
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
            msg = _("SSH gateway could not start on port {port}: {error}").format(
                port=self.ssh_port, error=e
            )
            self.ssh_note = Text(msg, style="b red")
            self.ssh_port = None
            return
        self.ssh_port = self.gateway.port
        said = _("SSH host key fingerprint: {fingerprint}")
        self.ssh_note = Text(said.format(fingerprint=self.gateway.fingerprint))


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

    if getattr(args, "fork_from", None):
        _fork_first(args)
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
    data = fresh_or_resume(data, args)
    try:
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise SystemExit(_("tte host: cannot use {dir}: {error}").format(dir=data, error=e)) from e
    return HostApp(
        scenario,
        data,
        host=args.host,
        port=args.port,
        ssh_port=args.ssh,
        lang=chosen_lang(getattr(args, "lang", None)),
    )


def _fork_first(args: argparse.Namespace) -> None:
    """`--from DIR --at SEQ`: write the fork, then host it as `--data NEWDIR` resumes."""
    from tte.server.fork import ForkError, default_fork_dir, fork

    if args.at is None:
        raise SystemExit(_("tte host: --from needs --at SEQ (the last event to keep)"))
    if args.scenario is not None:
        raise SystemExit(_("tte host: --from replays the scenario stored in DIR; drop SCENARIO"))
    src = Path(args.fork_from)
    dst = Path(args.data) if args.data else default_fork_dir(src, args.at)
    try:
        fork(src, args.at, dst)
    except ForkError as e:
        raise SystemExit(f"tte host: {e}") from e
    args.data = str(dst)


def main(args: argparse.Namespace) -> int:
    app = build_app(args)
    data = app.data
    _log_to_file(data / SERVER_LOG_FILE)
    rc = app.run()
    print(_("tte host: the exercise is kept in {dir}").format(dir=data))
    print(_("  resume it with: tte host --data {dir}   (all of them: tte list)").format(dir=data))
    print(_("  join codes:     tte roster {dir}").format(dir=data))
    return int(app.return_code or rc or 0)

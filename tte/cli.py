"""The ``tte`` command line. Each subcommand imports what it needs only when it runs, so
``tte validate`` starts fast and works without the terminal UI stack."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tte.i18n import _, current, fields, use
from tte.i18n.choice import (
    add_lang_argument,
    argparse_in_readers_language,
    chosen_lang,
    lang_in_argv,
)


def version() -> str:
    """The installed distribution's version (pyproject.toml's), or "unknown" if not installed."""
    import importlib.metadata

    try:
        return importlib.metadata.version("tte")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _reader(args: argparse.Namespace) -> None:
    """The command's messages in the reader's language (--lang, TTE_LANG, LANG; else
    English). Scenario problems (FILE: PATH: PROBLEM) stay as written."""
    use(chosen_lang(getattr(args, "lang", None)))


def cmd_validate(args: argparse.Namespace) -> int:
    from tte.core.scenario import ScenarioError, parse, read_text
    from tte.core.text import inert_line

    _reader(args)
    bad = 0
    for name in args.files:
        try:
            text = read_text(name)
        except ScenarioError as e:
            for pr in e.problems:
                print(pr.render(inert_line(name, 200)), file=sys.stderr)
            bad += 1
            continue
        sc, problems = parse(text)
        for pr in problems:
            print(pr.render(inert_line(name, 200)))
        if problems:
            bad += 1
            continue
        if sc is not None and _welcomes_too_big(name, sc):
            bad += 1
            continue
        _language_gaps(name, text)
        if args.pedagogy and sc is not None:
            from tte.core.simulate import idle_seats

            # warnings, not problems: the file is sound, the exercise may teach little
            for seat in idle_seats(sc):
                warn = _("{seat} has fewer than two decisions in a golden run").format(seat=seat)
                print(_("{file}: warning: {warning}").format(file=name, warning=warn))
            from tte.core.learning import teaching_warnings

            for w in teaching_warnings(sc):
                warn = current().message(fields(w))
                print(_("{file}: warning: {warning}").format(file=name, warning=warn))
        if not args.quiet:
            print(_("{file}: ok").format(file=name))
    return 1 if bad else 0


def _welcomes_too_big(name: str, sc: Any) -> bool:
    """A seat whose welcome cannot be sent could never join: a problem, not a warning."""
    from tte.core.text import inert_line
    from tte.server.welcome_size import unsendable

    over = unsendable(sc)
    for seat, why in over.items():
        problem = _(
            "the {seat} seat's welcome cannot be sent ({why}; a frame holds {limit} KiB): "
            "shorten that text"
        ).format(seat=seat, why=why, limit=64)
        print(f"{inert_line(name, 200)}: {problem}")
    return bool(over)


def _language_gaps(name: str, text: str) -> None:
    """Warnings, not problems: a text given in some languages and not in another is shown
    in the source language to that language's readers."""
    import yaml

    from tte.core.languages import gaps

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    for path, message in gaps(raw):
        warn = f"{path}: {current().message(fields(message))}"
        print(_("{file}: warning: {warning}").format(file=name, warning=warn))


def _minutes(text: str) -> float:
    """A number of wall minutes, 0 to 120."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a number of minutes").format(value=repr(text))
        ) from None
    if not 0 <= value <= 120:
        raise argparse.ArgumentTypeError(
            _("{value}: give 0 to 120 wall minutes").format(value=repr(text))
        )
    return value


def cmd_simulate(args: argparse.Namespace) -> int:
    _reader(args)
    from tte.core.events import Event
    from tte.core.scenario import ScenarioError, find, load
    from tte.core.simulate import Pace, run, seat_decisions

    try:
        path = find(args.scenario)
    except ScenarioError as e:
        print(f"tte: {current().message(fields(e.problems[0].message))}", file=sys.stderr)
        return 2
    try:
        sc = load(path)
    except ScenarioError as e:
        for pr in e.problems:
            print(pr.render(str(path)), file=sys.stderr)
        return 1
    log = None
    if args.data:
        from tte import datadir
        from tte.server.log import EventLog

        data = Path(args.data)
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = datadir.events_file(data)
        if db.exists():
            print(
                _("tte: {path} already holds an exercise; choose an empty --data").format(path=db),
                file=sys.stderr,
            )
            return 2
        log = EventLog(db)
        log.set_meta(datadir.META_EXERCISE, sc.exercise.id)
        log.set_meta(datadir.META_SCENARIO_YAML, path.read_text(encoding="utf-8"))
        log.set_meta(datadir.META_SIMULATED, args.policy)

    def store(evs: list[Event]) -> None:
        if log is not None:
            log.append_sync(evs, None)

    events: list[Event] = []

    def keep(evs: list[Event]) -> None:
        events.extend(evs)
        store(evs)

    deciding = args.drafting / 5 if args.deciding is None else args.deciding
    _eng, out = run(sc, args.policy, on_events=keep, pace=Pace.wall(sc, args.drafting, deciding))
    if log is not None:
        log.close()
    decisions = seat_decisions(sc, events)
    if args.json:
        print(json.dumps({**out, "decisions": decisions}))
        return 0
    ev = out["evidence"]
    pace = ""
    if args.drafting:
        pace = _(", {minutes} wall min per form").format(minutes=f"{args.drafting:g}")
    print(
        _("{title} — policy {policy}{pace}").format(
            title=sc.exercise.title, policy=args.policy, pace=pace
        )
    )
    print(_("score {score}/100 after {events} events").format(**out))
    print(
        _(
            "evidence: {total} items, {preserved} preserved, {lost} lost, "
            "{obtained} obtained, {admissible} admissible"
        ).format(**ev)
    )
    titles = {o.id: o.title for o in sc.objectives}
    for o in out["objectives"]:
        print(f"  [{'x' if o['met'] else ' '}] {titles.get(o['id'], o['id'])}")
    humans = set(sc.human_seats())
    print(_("decisions per seat (* a person may play it):"))
    for seat, n in decisions.items():
        print(f"  {'*' if seat in humans else ' '} {seat:<28} {n}")
    if log is not None:
        print(_("event log: {path}").format(path=db))
    return 0


def cmd_fork(args: argparse.Namespace) -> int:
    _reader(args)
    from tte.server.fork import ForkError, default_fork_dir, fork

    src = Path(args.data)
    dst = Path(args.out) if args.out else default_fork_dir(src, args.at)
    try:
        f = fork(src, args.at, dst)
    except ForkError as e:
        print(_("tte fork: {error}").format(error=e), file=sys.stderr)
        return 1
    print(
        _("forked {src} at event {seq} into {dst} (new join codes: tte roster {dst})").format(
            src=src, seq=f.at, dst=f.data
        )
    )
    print("  " + _("host it with: tte host --data {dst}").format(dst=f.data))
    return 0


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def call(args: argparse.Namespace) -> int:
        import importlib

        fn = getattr(importlib.import_module(module), func)
        return int(fn(args) or 0)

    return call


def _add_optional(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    argv: Sequence[str],
    name: str,
    help_text: str,
    module: str,
    adder: str,
    runner: str,
) -> None:
    """Register a subcommand whose arguments live with its implementation.

    Its module (and so Textual, websockets, asyncssh) is imported only when that very
    subcommand runs, which keeps ``tte validate`` and ``tte --help`` quick.
    """
    p = sub.add_parser(name, help=help_text, description=help_text)
    if name != command_of(argv):
        return
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        raise SystemExit(f"tte {name}: not available in this installation ({e})") from e
    getattr(mod, adder)(p)
    if "--lang" not in p._option_string_actions:  # every command takes the reader's --lang
        add_lang_argument(p, "messages")
    p.set_defaults(func=_lazy(module, runner))


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand a command line names: its first word after ``tte``'s own options."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if opt == "--lang" and rest:
            rest.pop(0)
    return rest[0] if rest else None


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the installed distribution's
    metadata costs every other command's start ~0.04 s."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"tte {version()}")
        parser.exit()


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tte",
        description=_("Table-top exercises for cross-border cybercrime cooperation."),
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help=_("show program's version number and exit")
    )
    add_lang_argument(parser, "messages", dest="top_lang")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help=_("check scenario files"),
        description=_(
            "Check scenario files: one line per problem as FILE: PATH: PROBLEM; exit 1 if any."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help=_("print problems only"))
    p.add_argument(
        "--pedagogy",
        action="store_true",
        help=_(
            "also play it golden and warn about seats a person may take with under two decisions"
        ),
    )
    add_lang_argument(p, "messages")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "simulate",
        help=_("play a whole exercise headless"),
        description=_(
            "Play a whole exercise at full speed with desks in every seat and print the outcome."
        ),
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help=_("scenario file or shipped name (default: tutorial)"),
    )
    p.add_argument("--policy", choices=("golden", "careless", "budapest_only"), default="golden")
    p.add_argument("--data", metavar="DIR", help=_("also write the event log to DIR"))
    p.add_argument("--json", action="store_true", help=_("print the outcome as one JSON object"))
    p.add_argument(
        "--drafting",
        type=_minutes,
        default=0.0,
        metavar="MINUTES",
        help=_(
            "wall minutes a person takes to write each request, one at a time per seat "
            "(converted to game time at the scenario's speed; default 0: instantly)"
        ),
    )
    p.add_argument(
        "--deciding",
        type=_minutes,
        default=None,
        metavar="MINUTES",
        help=_(
            "wall minutes at least for each decision on a request that reaches a seat "
            "(default: a fifth of --drafting)"
        ),
    )
    add_lang_argument(p, "messages")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "fork",
        help=_("copy an exercise up to an event, to rerun it from there"),
        description=_(
            "Write a new data directory holding the exercise in DIR up to event "
            "SEQ (same scenario and seats, new join codes); DIR is left untouched. "
            "`tte host --from DIR --at SEQ` forks and hosts in one step."
        ),
    )
    p.add_argument("data", metavar="DIR", help=_("the exercise's data directory"))
    p.add_argument("--at", type=int, required=True, metavar="SEQ", help=_("last event to keep"))
    p.add_argument(
        "--data", dest="out", metavar="NEWDIR", help=_("the fork's directory (default: DIR-at-SEQ)")
    )
    add_lang_argument(p, "messages")
    p.set_defaults(func=cmd_fork)

    _add_optional(
        sub,
        argv,
        "serve",
        _("run an exercise server"),
        "tte.server.app",
        "add_serve_arguments",
        "main_serve",
    )
    _add_optional(
        sub,
        argv,
        "roster",
        _("print the join codes of an exercise"),
        "tte.server.app",
        "add_roster_arguments",
        "main_roster",
    )
    _add_optional(
        sub,
        argv,
        "host",
        _("server and facilitator console in one terminal"),
        "tte.host",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "list",
        _("list the exercises kept in your data folder, and how to remove them"),
        "tte.host",
        "add_list_arguments",
        "main_list",
    )
    _add_optional(
        sub,
        argv,
        "console",
        _("facilitator console against a running server"),
        "tte.client.console",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "play",
        _("join an exercise as a player"),
        "tte.client.player",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "ssh-gateway",
        _("let players join over SSH"),
        "tte.ssh.gateway",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "replay",
        _("scrub an exercise and see any seat's screens at any moment"),
        "tte.client.replay",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "report",
        _("write the after-action report"),
        "tte.report",
        "add_arguments",
        "main",
    )
    _add_optional(
        sub,
        argv,
        "cards",
        _("print role cards for the seats people take (no answer key)"),
        "tte.client.rolecards",
        "add_arguments",
        "main",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The reader's language before the parser is built: its help is drawn in it.
    use(chosen_lang(lang_in_argv(argv)))
    argparse_in_readers_language()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if getattr(args, "top_lang", None) and not getattr(args, "lang", None):
        args.lang = args.top_lang  # `tte --lang fr COMMAND`: the command's language too
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `tte roster DIR | head`: the reader left, not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())

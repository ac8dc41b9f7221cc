"""The facilitator console: ``tte console URL --code CODE`` against a running server.

``tte host`` (``tte/host.py``) runs the server and this console in one process. Textual is
imported only when a console starts, so ``tte --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tte.datadir import ROSTER_FILE, roster_file
from tte.i18n import _
from tte.i18n.choice import add_lang_argument, chosen_lang


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help=_("server address: ws://HOST:PORT/ or HOST:PORT"))
    parser.add_argument("--code", required=True, help=_("the facilitator's join code"))
    add_lang_argument(parser, "console")
    parser.add_argument(
        "--roster",
        metavar="FILE",
        help=_(
            "optional: the exercise's {file} (or its data directory); the codes come "
            "from the server (roster.get), this file only stands in if the server refuses"
        ).format(file=ROSTER_FILE),
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help=_(
            "the scenario file, for the after-action figures tab (evidence, wrong "
            "channels) computed as tte report does"
        ),
    )
    parser.add_argument("--ssh", type=int, metavar="PORT", help=_("SSH gateway port (join sheet)"))
    parser.add_argument(
        "--screen",
        action="store_true",
        help=_(
            "start on the projector view (big clock, score, evidence deadlines, latest "
            "events; b or Esc switches to the console); a second console on the room's screen"
        ),
    )


def main(args: argparse.Namespace) -> int:
    from tte.core.scenario import ScenarioError, find, load

    from .app import ConsoleApp

    codes = None
    if args.roster:
        from tte.server.auth import Roster

        path = Path(args.roster)
        if path.is_dir():
            path = roster_file(path)
        try:
            codes = Roster.load(path).codes()
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"tte console: cannot read {path}: {e}", file=sys.stderr)
            return 2
    scenario = None
    if args.scenario:
        try:
            scenario = load(find(args.scenario))
        except ScenarioError as e:
            for pr in e.problems:
                print(pr.render(args.scenario), file=sys.stderr)
            return 2
    app = ConsoleApp(
        args.url,
        args.code,
        scenario=scenario,
        codes=codes,
        ssh_port=args.ssh,
        projector=args.screen,
        lang=chosen_lang(args.lang),
    )
    rc = app.run()
    return int(rc or 0)

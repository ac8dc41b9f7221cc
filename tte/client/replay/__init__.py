"""``tte replay DIR``: the replay app over an exercise's data directory (read-only)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tte.i18n.choice import add_lang_argument

if TYPE_CHECKING:
    from .source import ReplayLog

from tte.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DIR", help=_("the exercise's data directory"))
    parser.add_argument("--seat", help=_("whose view to show first (e.g. RO/poc, facilitator)"))
    parser.add_argument(
        "--at", type=int, metavar="SEQ", help=_("event to start at (default: last)")
    )
    add_lang_argument(parser, "screens")


def main(args: argparse.Namespace) -> int:
    import contextvars
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from tte.i18n import _, use
    from tte.i18n.choice import chosen_lang

    lang = chosen_lang(args.lang)
    use(lang)  # the reader's language, for the errors and the views folded in the thread

    def first_screen() -> ReplayLog:
        """Open the log, aggregate the timeline's marks for the terminal's width and fold
        the view the app shows first (it keeps them). Every event's head is read once
        the first screen is up (ReplayApp.on_mount)."""
        from .source import LABEL, ReplayLog  # here: its imports overlap Textual's

        log = ReplayLog.open(Path(args.data))
        log.timeline_marks(shutil.get_terminal_size().columns - LABEL)
        seat = args.seat or log.default_seat()
        if seat in log.scenario.seats():
            log.seat_model(seat, args.at or log.last)
        return log

    # The log is read (SQLite, which lets go of the GIL) while Textual is imported; in
    # this reader's context (a seat's inbox texts are drawn in its language as they fold).
    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(contextvars.copy_context().run, first_screen)
        from .app import ReplayApp
    from .source import ReplayError

    try:
        log = opening.result()
    except ReplayError as e:
        raise SystemExit(_("tte replay: {error}").format(error=e)) from e
    if args.seat and args.seat not in log.seats():
        raise SystemExit(
            _("tte replay: no seat {seat}; seats: {seats}").format(
                seat=repr(args.seat), seats=", ".join(log.seats())
            )
        )
    ReplayApp(log, seat=args.seat, seq=args.at, lang=lang).run()
    return 0

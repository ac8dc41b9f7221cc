"""`tte play [URL] [--code CODE]`: the player app (see app.PlayerApp)."""

from __future__ import annotations

import argparse
import os

from tte.i18n import _
from tte.i18n.choice import add_lang_argument, chosen_lang


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url", nargs="?", help=_("server, e.g. ws://192.168.1.10:8765/ (asked if omitted)")
    )
    parser.add_argument(
        "--code",
        default=os.environ.get("TTE_CODE") or None,
        help=_("your join code (asked if omitted; also read from TTE_CODE)"),
    )
    add_lang_argument(parser)


def main(args: argparse.Namespace) -> int:
    from .app import PlayerApp  # Textual loads only when the app runs

    lang = chosen_lang(args.lang)
    app = PlayerApp(args.url, args.code, lang=lang, seat_default=lang is None)
    app.run()
    return app.return_code or 0

"""How a person picks a language: ``--lang``, ``TTE_LANG``, the locale (``LANG``…).

Shared by every command that draws text for a reader (play, console, host, report); read
at call time, never at import.
"""

from __future__ import annotations

import argparse
import os

from .translator import SOURCE, available, languages, negotiate, normalise

LANG_ENV = "TTE_LANG"


def add_lang_argument(parser: argparse.ArgumentParser, what: str = "screens") -> None:
    choices = ", ".join(languages())
    parser.add_argument(
        "--lang",
        metavar="CODE",
        default=None,
        type=lang_code,
        help=f"language of the {what}: {choices} (default: TTE_LANG, then LANG, then English)",
    )


def lang_code(value: str) -> str:
    """``--lang``'s check: a language the program has a catalogue for (or ``xx``)."""
    if not available(value):
        have = ", ".join(languages())
        raise argparse.ArgumentTypeError(f"no translation for {value!r}: choose one of {have}")
    return normalise(value)


def chosen_lang(explicit: str | None) -> str | None:
    """The language asked for: ``--lang``, then ``TTE_LANG``, then the locale (``LANG``,
    ``LC_ALL``, ``LC_MESSAGES``: an SSH session passes its own). None when nobody asked for
    one the program has, so a seat's default (its country's language) may apply."""
    env = os.environ
    asked = (explicit, env.get(LANG_ENV), env.get("LC_ALL"), env.get("LC_MESSAGES"))
    for choice in (*asked, env.get("LANG")):
        if not choice:
            continue
        code = negotiate(choice)
        if code != SOURCE or normalise(choice) == SOURCE:
            return code
    return None

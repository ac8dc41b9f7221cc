"""How a person picks a language: ``--lang``, ``TTE_LANG``, the locale (``LANG``…).

Shared by every command that draws text for a reader (play, console, host, report); read
at call time, never at import.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from .message import N_
from .translator import SOURCE, _, available, languages, negotiate, ngettext, normalise

LANG_ENV = "TTE_LANG"


def add_lang_argument(
    parser: argparse.ArgumentParser, what: str = "screens", dest: str = "lang"
) -> None:
    choices = ", ".join(languages())
    parser.add_argument(
        "--lang",
        dest=dest,
        metavar="CODE",
        default=None,
        type=lang_code,
        help=_(LANG_HELP[what]).format(choices=choices),
    )


LANG_HELP = {
    "screens": N_(
        "language of the screens: {choices} (default: TTE_LANG, then LANG, then English)"
    ),
    "messages": N_(
        "language of the messages: {choices} (default: TTE_LANG, then LANG, then English)"
    ),
    "console": N_(
        "language of the console: {choices} (default: TTE_LANG, then LANG, then English)"
    ),
    "report": N_("language of the report: {choices} (default: TTE_LANG, then LANG, then English)"),
    "cards": N_(
        "language of the role cards: {choices} (default: TTE_LANG, then LANG, then English)"
    ),
}


def lang_code(value: str) -> str:
    """``--lang``'s check: a language the program has a catalogue for (or ``xx``)."""
    if not available(value):
        have = ", ".join(languages())
        raise argparse.ArgumentTypeError(
            _("no translation for {value}: choose one of {have}").format(
                value=repr(value), have=have
            )
        )
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


def lang_in_argv(argv: Sequence[str]) -> str | None:
    """The ``--lang`` a command line gives (before ``--``, wherever it stands), if the
    program has it: read before the parser is built, so its help is in that language."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None and available(value):
            return normalise(value)
    return None


# argparse's own words ("usage:", "show this help message and exit", its errors) come from
# gettext's 'argparse' domain, which ships no French: they are in our catalogue instead
# (as Python 3.11's argparse writes them) and argparse draws them through our reader.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def argparse_in_readers_language() -> None:
    """Make argparse draw its own words through the current reader (English: unchanged)."""
    setattr(argparse, "_", _)  # noqa: B010 - argparse looks its _ up at call time
    setattr(argparse, "ngettext", ngettext)  # noqa: B010

"""The catalogue template (``tte/locale/tte.pot``): every string a reader may see.

Two sources: the code's ``_()``, ``N_()``, ``said()`` and ``ngettext()`` calls (Babel's
extractor), and the tables of ``tte.core`` that travel to clients as English data and are
translated where drawn: request templates (titles, field labels, hints, help), roles,
refusal grounds, channels. ``make messages`` runs ``python -m tte.messages`` and then
Babel's update and compile; tests/unit/test_i18n_catalogues.py checks that every string
found here has its translation in every shipped language.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "tte" / "locale" / "tte.pot"
STAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
KEYWORDS = {"_": None, "N_": None, "said": None, "ngettext": (1, 2)}


def table_strings() -> Iterator[tuple[str, str]]:
    """(string, where) for the English tables clients translate when they draw them."""
    from tte.core.channels import CHANNELS
    from tte.core.rules import decisions
    from tte.core.rules.desk import action_word
    from tte.core.templates import REFUSAL_GROUNDS, ROLE_LABELS, ROLES, TEMPLATES

    for role, label in ROLE_LABELS.items():
        yield label, f"tte/core/templates.py:ROLE_LABELS[{role}]"
    for ground, text in REFUSAL_GROUNDS.items():
        yield text, f"tte/core/templates.py:REFUSAL_GROUNDS[{ground}]"
        yield text.split(" (", 1)[0], f"tte/core/templates.py:REFUSAL_GROUNDS[{ground}]"
    for role in (*ROLES, "facilitator"):
        yield action_word(role), f"tte/core/rules/desk.py:action_word({role})"
        for tid in TEMPLATES:
            for decision, word in decisions.labels(role, tid).items():
                yield word, f"tte/core/rules/decisions.py:labels[{decision}]"
    from tte.core.engine import HSEEP

    for n, words in HSEEP.items():
        yield words, f"tte/core/engine.py:HSEEP[{n}]"
    for channel, text in CHANNELS.items():
        yield text, f"tte/core/channels.py:CHANNELS[{channel}]"
    for tid, tpl in TEMPLATES.items():
        yield tpl.title, f"tte/core/templates.py:{tid}"
        if tpl.help:
            yield tpl.help, f"tte/core/templates.py:{tid}.help"
        for f in tpl.fields:
            yield f.label, f"tte/core/templates.py:{tid}.{f.name}"
            if f.hint:
                yield f.hint, f"tte/core/templates.py:{tid}.{f.name}.hint"


def catalogue() -> Catalog:
    # A fixed date and version: the template changes only when a string does, so merges
    # of catalogues see real changes, not a new timestamp on every `make messages`.
    cat = Catalog(
        project="tte",
        version="1",
        copyright_holder="tte authors",
        fuzzy=False,
        creation_date=STAMP,
        revision_date=STAMP,
    )
    method_map = [("tte/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        if (isinstance(message, str) and message) or (isinstance(message, tuple) and message[0]):
            cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for text, where in table_strings():
        if text:
            path, _sep, name = where.partition(":")
            existing = cat.get(text)
            if existing is None:
                cat.add(text, None, [(path, 0)], auto_comments=[name])
    return cat


def main(argv: list[str]) -> int:
    cat = catalogue()
    with POT.open("wb") as out:
        # Sorted by string and without line numbers: moving code or adding strings in
        # two branches does not rewrite the whole catalogue (fewer merge conflicts).
        write_po(out, cat, width=0, sort_output=True, include_lineno=False, omit_header=False)
    print(f"{POT.relative_to(ROOT)}: {len(cat)} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

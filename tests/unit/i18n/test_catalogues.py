"""The shipped catalogues are complete, compiled from their sources, and speak the glossary.

Every string a reader may see (the code's ``_``/``N_``/``said``/``ngettext`` and the core's
tables, as ``make messages`` finds them) has its translation in every shipped language,
with the same ``{fields}``; the committed ``.mo`` is the compiled ``.po``; and wherever a
source string names a glossary term, its translation uses that language's term.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tte.i18n import languages, terms
from tte.messages import catalogue

LOCALE = Path(__file__).resolve().parents[3] / "tte" / "locale"
SHIPPED = [lang for lang in languages() if lang != "en"]


def _po(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE / lang / "LC_MESSAGES" / "tte.po").open("rb") as f:
        return read_po(f)


def _all(value: object) -> tuple[str, ...]:
    """A message id or string as a tuple (plural forms come as tuples or lists)."""
    return tuple(value) if isinstance(value, tuple | list) else (str(value or ""),)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def source():  # type: ignore[no-untyped-def]
    return catalogue()


def test_french_ships() -> None:
    assert "fr" in SHIPPED


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_visible_string_has_its_translation_with_the_same_fields(source, lang: str) -> None:  # type: ignore[no-untyped-def]
    po = _po(lang)
    missing, fuzzy, fields = [], [], []
    for m in source:
        if not m.id:
            continue
        ids = _all(m.id)
        t = po.get(ids[0])
        if t is None or not all(_all(t.string)):
            missing.append(m.id)
            continue
        if t.fuzzy:
            fuzzy.append(m.id)
        if any(_fields(s) != _fields(ids[-1]) for s in _all(t.string)):
            fields.append(m.id)
    assert not missing, f"{lang}: run `make messages` and translate: {missing[:10]}"
    assert not fuzzy, f"{lang}: fuzzy translations to check: {fuzzy[:10]}"
    assert not fields, f"{lang}: translations with other {{fields}} than the source: {fields}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_committed_mo_is_the_compiled_po(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "tte.mo").open("rb") as f:
        mo = read_mo(f)
    po = _po(lang)
    compiled = {_all(m.id): _all(m.string) for m in mo if m.id}
    wanted = {_all(m.id): _all(m.string) for m in po if m.id and all(_all(m.string))}
    assert compiled == wanted, f"{lang}: run `make messages-compile`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_use_the_glossary_terms(lang: str) -> None:
    po = _po(lang)
    wrong = []
    for key, entry in terms().items():
        word = entry.get(lang)
        if not word:
            continue
        english = [entry["en"], *entry.get("en_forms", [])]
        pattern = re.compile(r"\b(" + "|".join(re.escape(e) for e in english) + r")\b")
        for m in po:
            source_text, target = _all(m.id)[0], _all(m.string)[0]
            if source_text and target and pattern.search(source_text):
                if word.lower() not in target.lower():
                    wrong.append((key, source_text, target))
    assert not wrong, "\n".join(f"{k}: {s!r} -> {t!r}" for k, s, t in wrong)

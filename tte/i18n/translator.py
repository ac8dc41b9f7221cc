"""One translator per reader: gettext catalogues plus locale-aware dates and numbers.

Two players on one seat may read different languages, so nothing here is process-wide:
the server renders nothing for readers (it sends keys, see ``message.py``), and each
client, the console and the report hold their own :class:`Translator`. ``_()`` reads the
translator of the current :class:`Reader` (a context variable); a client sets its reader
once with ``use()`` before its app runs and may ``switch()`` it later (the player app's
settings) — every task of that app shares the reader object, so they all see the switch.

Catalogues are read lazily on first use (no I/O at import): ``tte/locale/<lang>/
LC_MESSAGES/tte.mo``. A language is available when its ``.mo`` exists: adding one needs no
code (docs/translating.md). ``xx`` is the pseudo-locale (``pseudo.py``), made at run time.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from .message import DATE_PATTERN, message_of

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "tte"
SOURCE = "en"  # the language the code is written in: no catalogue needed
PSEUDO = "xx"


class Translator:
    """gettext for one language, and the formats of its locale."""

    def __init__(self, lang: str, catalogue: gettext.NullTranslations | None = None) -> None:
        self.lang = lang
        self._cat = catalogue or gettext.NullTranslations()
        self.locale = lang if lang != PSEUDO else SOURCE  # Babel's locale for formats

    def gettext(self, text: str) -> str:
        return self._cat.gettext(text) if text else text

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._cat.ngettext(singular, plural, n)

    # ---- formats -------------------------------------------------------------------------

    def date(self, value: dt.date | str, pattern: str = DATE_PATTERN) -> str:
        from babel.dates import format_date

        day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
        return str(format_date(day, pattern, locale=self.locale))

    def datetime(self, value: dt.datetime, pattern: str = "d MMM y HH:mm") -> str:
        from babel.dates import format_datetime

        return str(format_datetime(value, pattern, locale=self.locale))

    def number(self, value: float, decimals: int | None = None) -> str:
        from babel.numbers import format_decimal

        if decimals is None:
            return str(format_decimal(value, locale=self.locale))
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return str(format_decimal(value, pattern, locale=self.locale))

    def percent(self, value: float) -> str:
        from babel.numbers import format_percent

        return str(format_percent(value, locale=self.locale))

    # ---- messages as data ----------------------------------------------------------------

    def render(self, key: str, params: Mapping[str, Any]) -> str:
        """The sentence ``key`` in this language, its parameters formatted for it."""
        shown: dict[str, Any] = {}
        for name, value in params.items():
            if isinstance(value, dict):
                shown[name] = self.render(str(value.get("key", "")), value.get("params") or {})
            elif name.endswith("_date"):
                try:
                    shown[name] = self.date(str(value))
                except ValueError:
                    shown[name] = value
            elif name.endswith("_term") and isinstance(value, str):
                shown[name] = self.gettext(value)
            elif isinstance(value, str):
                # A scenario's text inside the engine's sentence (a country's or holder's
                # name, a refusal note): in this reader's language when the scenario gives it.
                table = _scenario_texts.get(self.lang)
                found = table.get(value) if isinstance(table, dict) else None
                shown[name] = found if isinstance(found, str) and found else value
            else:
                shown[name] = value
        template = self.gettext(key)
        try:
            return template.format(**shown)
        except (KeyError, IndexError, ValueError):
            # A translation naming a field the sender did not give: the source sentence.
            return key.format(**shown) if shown else key

    def message(self, data: Mapping[str, Any], prefix: str = "message") -> str:
        """An event's or error's sentence for this reader; the stored sentence when the
        log predates message keys."""
        text, key, params = message_of(data, prefix)
        if key is None:
            return text
        try:
            return self.render(key, params)
        except (KeyError, IndexError, ValueError):
            return text

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"


@functools.cache
def translator(lang: str | None) -> Translator:
    """The translator for ``lang`` (a code such as ``fr``); English when unknown."""
    code = normalise(lang or SOURCE)
    if code == PSEUDO:
        from .pseudo import PseudoTranslator

        return PseudoTranslator()
    if code == SOURCE or code not in languages():
        return Translator(SOURCE)
    cat = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)
    return Translator(code, cat)


def normalise(value: str) -> str:
    """``fr_FR.UTF-8`` / ``fr-CA`` / ``FR`` -> ``fr``."""
    return value.split(".", 1)[0].replace("-", "_").split("_", 1)[0].strip().lower()


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages a reader may choose: English and every compiled catalogue."""
    found = sorted(
        p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if p.is_file()
    )
    return (SOURCE, *[c for c in found if c != SOURCE])


def available(lang: str) -> bool:
    return normalise(lang) in (*languages(), PSEUDO)


def negotiate(*choices: str | None) -> str:
    """The first of ``choices`` (an explicit ``--lang``, ``LANG``, a seat's default …) that
    is available; English otherwise. ``C`` and ``POSIX`` mean no choice."""
    for choice in choices:
        if not choice:
            continue
        code = normalise(choice)
        if code in ("c", "posix", ""):
            continue
        if available(code):
            return code
    return SOURCE


def display_name(lang: str) -> str:
    """The language's name in itself (``français``), for menus."""
    if lang == PSEUDO:
        return "⟦pseudo⟧"
    from babel import Locale

    try:
        return str(Locale.parse(lang).get_display_name(lang) or lang)
    except (ValueError, LookupError):
        return lang


# ---- the current reader ------------------------------------------------------------------


class Reader:
    """Whoever is reading in this context: a mutable holder, so a client's language switch
    reaches every task of its app."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr


_DEFAULT = Reader(Translator(SOURCE))
_reader: ContextVar[Reader] = ContextVar("tte_reader", default=_DEFAULT)


def use(lang: str | None) -> Translator:
    """Make a new reader of ``lang`` current in this context (a client, before its app runs;
    a report while it writes). Returns its translator."""
    tr = translator(lang)
    _reader.set(Reader(tr))
    return tr


def switch(lang: str) -> Translator:
    """Change the current reader's language (the player app's settings)."""
    reader = _reader.get()
    tr = translator(lang)
    if reader is _DEFAULT:
        _reader.set(Reader(tr))
    else:
        reader.tr = tr
    return tr


def current() -> Translator:
    return _reader.get().tr


def scenario_text(tables: object, source: str) -> str:
    """A scenario's text in the current reader's language, from the scenario's
    ``translations`` (language -> {source text: translation}) when it gives one; the
    source text otherwise (also for a malformed table: it came over the wire)."""
    if not source or not isinstance(tables, dict):
        return source
    table = tables.get(current().lang)
    found = table.get(source) if isinstance(table, dict) else None
    return found if isinstance(found, str) and found else source


# The scenario texts of the exercise this process shows (language -> {source: text}), as
# they arrive (one exercise per process: a player app, a console, a replay, a report).
# Sentences the engine made name its texts as parameters; rendering one looks them up here.
_scenario_texts: dict[str, dict[str, str]] = {}


def use_scenario_texts(tables: object) -> None:
    """Add a scenario's translations to those engine sentences' parameters are looked up
    in (add_scenario_texts does it for what the server sends)."""
    if not isinstance(tables, dict):
        return
    for lang, table in tables.items():
        if isinstance(lang, str) and isinstance(table, dict):
            mine = _scenario_texts.setdefault(lang, {})
            mine.update(
                (k, v) for k, v in table.items() if isinstance(k, str) and isinstance(v, str)
            )


def add_scenario_texts(info: dict[str, object], texts: object) -> None:
    """Fold texts in other languages as the server sends them (language -> {source:
    translation}, with a welcome or an event) into `info`'s ``translations``."""
    if not isinstance(texts, dict) or not texts:
        return
    use_scenario_texts(texts)
    tables = info.setdefault("translations", {})
    if not isinstance(tables, dict):
        return
    for lang, table in texts.items():
        if isinstance(lang, str) and isinstance(table, dict):
            mine = tables.setdefault(lang, {})
            if isinstance(mine, dict):
                ok = ((k, v) for k, v in table.items() if isinstance(k, str) and isinstance(v, str))
                mine.update(ok)


def _(text: str) -> str:
    """``text`` in the current reader's language."""
    return _reader.get().tr.gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _reader.get().tr.ngettext(singular, plural, n)

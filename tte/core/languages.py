"""Scenario text in several languages: ``{en: …, fr: …}`` wherever a text is expected.

A map whose keys are all two-letter language codes and whose values are all text is a
text in several languages. ``fold`` replaces it by its source text (English if given,
else the first language written) and files the other languages in a catalogue per
language, keyed by the source text: the scenario's own ``translations`` section, which an
author may also write by hand. Clients look up what they draw there for their reader
(``welcome`` carries it); a reader whose language is missing sees the source text.

``gaps`` lists the maps that lack a language other maps of the same file give, for
``tte validate``.
"""

from __future__ import annotations

import re
from typing import Any

from tte.i18n import add_scenario_texts, said

LANG = re.compile(r"^[a-z]{2}$")
SOURCE = "en"


def is_text_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and LANG.match(k) for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def source_of(texts: dict[str, str]) -> str:
    return texts.get(SOURCE) or next(iter(texts.values()))


def fold(raw: Any) -> tuple[Any, dict[str, dict[str, str]]]:
    """(the document with every text map replaced by its source text, the translations
    by language). Hand-written ``translations`` are kept, the maps' entries win."""
    found: dict[str, dict[str, str]] = {}

    def walk(value: Any, top: bool = False) -> Any:
        if is_text_map(value):
            src = source_of(value)
            for lang, text in value.items():
                if text != src:
                    found.setdefault(lang, {})[src] = text
            return src
        if isinstance(value, dict):
            return {k: (v if top and k == "translations" else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    out = walk(raw, top=True)
    if isinstance(out, dict):
        given = out.get("translations")
        merged: dict[str, dict[str, str]] = {}
        if isinstance(given, dict):
            merged = {str(k): dict(v) for k, v in given.items() if isinstance(v, dict)}
        for lang, table in found.items():
            merged.setdefault(lang, {}).update(table)
        if merged:
            out["translations"] = merged
    return out, found


def gaps(raw: Any) -> list[tuple[str, str]]:
    """(path, message) for each text map missing a language that another map gives."""
    maps: list[tuple[str, set[str]]] = []

    def walk(value: Any, path: str) -> None:
        if is_text_map(value):
            maps.append((path, set(value)))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")

    walk(raw, "")
    every = set().union(*(langs for _p, langs in maps)) if maps else set()
    out: list[tuple[str, str]] = []
    for path, langs in maps:
        missing = sorted(every - langs)
        if missing:
            text = said(
                "no {missing} text (given: {given})",
                missing=", ".join(missing),
                given=", ".join(sorted(langs)),
            )
            out.append((path, text))
    return out


class TextIndex:
    """The translations a frame needs: those of the scenario texts it carries.

    A seat is sent the other languages of the texts it is shown, and only those: with the
    whole table, a player's welcome would hold the French of the facilitator's notes, of
    injects not yet released and of the knowledge check's answers — and, for a big
    scenario in two languages, be over the 64 KiB a frame may have (PROTOCOL.md)."""

    def __init__(self, translations: dict[str, dict[str, str]]) -> None:
        self.by_source: dict[str, dict[str, str]] = {}
        for lang, table in translations.items():
            for source, text in table.items():
                self.by_source.setdefault(source, {})[lang] = text

    def __bool__(self) -> bool:
        return bool(self.by_source)

    def attach(self, info: dict[str, Any]) -> dict[str, Any]:
        """A welcome's `exercise` map with its texts' translations, as a client holds it
        once the "texts" frames are in (for folds made without a server: replay, tests)."""
        add_scenario_texts(info, self.texts_in(info))
        return info

    def texts_in(self, value: Any) -> dict[str, dict[str, str]]:
        """language -> {source: translation} for every text among `value`'s strings (map
        values, list items, nested; map keys are names, never texts)."""
        out: dict[str, dict[str, str]] = {}
        if not self.by_source:
            return out
        stack = [value]
        while stack:
            v = stack.pop()
            if isinstance(v, str):
                found = self.by_source.get(v)
                if found:
                    for lang, text in found.items():
                        out.setdefault(lang, {})[v] = text
            elif isinstance(v, dict):
                stack.extend(v.values())
            elif isinstance(v, list | tuple):
                stack.extend(v)
        return out

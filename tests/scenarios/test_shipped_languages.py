"""The shipped scenarios read in English and French: every text a person reads is a map
``{en: …, fr: …}`` (tte.core.languages), so a French reader never meets an English
sentence of the scenario.

The raw YAML is walked key by key. Each string is either prose a person reads (a player,
the facilitator, the reader of the report) or data that reads the same in every language
(ids, codes, conditions, durations, citations, identifiers, timestamps, proper names). A
string under a key this file does not classify fails too, so a new scenario field is
decided here rather than skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tte.core.languages import is_text_map
from tte.core.scenario import load

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

# The scenarios that ship in both languages (the others join once their French is in).
SHIPPED = [
    "tutorial.yaml",
    "bucharest-preservation-mla.yaml",
    "lisbon-ransomware-2ap.yaml",
    "eu-e-evidence-2026.yaml",
]
LANGUAGES = ("en", "fr")

# Paths with [] for any list index and * for any one key.
PROSE = (
    # the exercise, as every seat and the report read it
    "exercise.title",
    "exercise.briefing",
    "exercise.debrief",
    # the Directory's seats, each role's briefing, what a country's police and a refusal say
    "countries[].briefings.*",
    "countries[].name",  # also inside the engine's sentences (drawn per reader)
    "countries[].poc_name",
    "countries[].central_authority_name",
    "countries[].police_intel[].text",
    "countries[].grounds[].note",
    # the case file: an item, and the leads it reveals once obtained
    "evidence[].title",
    "evidence[].description",
    "evidence[].reveals.leads[]",
    # injects: the inbox, the facts of the requests they start, the MSEL
    "injects[].title",
    "injects[].text",
    "injects[].effects.request.fields.*",
    "injects[].notes",
    "injects[].expected",
    # the report's learning points and debrief
    "objectives[].title",
    "objectives[].guide[]",
    "objectives[].notes",
    "debrief[].title",
    "debrief[].text",
    # what players answer
    "survey[].text",
    "survey[].choices[]",
    "knowledge_check[].text",
    "knowledge_check[].choices[]",
    "knowledge_check[].answer",
    "knowledge_check[].explanation",
    # the facilitator's cards and running order
    "hints[].title",
    "hints[].text",
    "hints[].notes",
    "phases[].name",
    "phases[].notes",
    "phases[].jumps[].reason",
)
DATA = (
    "exercise.id",
    "exercise.start",
    "exercise.timezone",
    "exercise.duration",
    "exercise.lead[]",
    "exercise.mode",
    "countries[].code",
    "countries[].flag",
    "countries[].timezone",
    "countries[].treaties[]",
    "countries[].reservations[]",
    "countries[].declarations[]",
    "countries[].languages[]",
    "countries[].humans[]",
    "countries[].police_intel[].about[]",
    "countries[].grounds[].*",
    "countries[].grounds[].*[]",
    "organisations[].*",  # id, a company's name, its country, kind, delays
    "organisations[].*.*",  # retention periods
    "bodies[].*",  # id, the agency's name, delays
    "bodies[].*[]",  # member countries
    "evidence[].id",
    "evidence[].kind",
    "evidence[].holder",
    "evidence[].identifiers[]",  # addresses, accounts, periods: as the provider holds them
    "evidence[].known_to[]",
    "evidence[].deleted_at",
    "evidence[].admissible_via[]",
    "evidence[].scope[]",
    "evidence[].reveals.evidence[]",
    "evidence[].index.*",
    "injects[].id",
    "injects[].to[]",
    "injects[].at",
    "injects[].delay",
    "injects[].when.*",
    "injects[].attachments[].name",  # a file name
    # An attachment is an exhibit quoted as it was found (a log, a mail header, a DNS
    # lookup, a kit's config, a ransom note in the criminals' words): players read it as
    # a practitioner receives it. A scenario may still give it as a map.
    "injects[].attachments[].text",
    "injects[].effects.*",
    "injects[].effects.*[]",
    "injects[].effects.request.*",
    "injects[].effects.request.evidence[]",
    "objectives[].*",  # id, conditions, deadlines, filters
    "objectives[].*[]",
    "debrief[].objective_met",
    "debrief[].objective_missed",
    "debrief[].when.*",
    "debrief[].article",  # a legal citation, kept as written in every language
    "survey[].id",
    "survey[].kind",
    "knowledge_check[].id",
    "knowledge_check[].roles[]",
    "hints[].id",
    "hints[].to[]",
    "hints[].when.*",
    "phases[].id",
    "phases[].at",
    "phases[].after_inject",
    "phases[].jumps[].by",
    "channels.*",
    "limits.*",
    "desks.*",
    "execution.*",
)


def _pattern(paths: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(p).replace(r"\*", r"[^.\[]+") for p in paths]
    return re.compile("^(?:" + "|".join(parts) + ")$")


IS_PROSE, IS_DATA = _pattern(PROSE), _pattern(DATA)


def _general(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def untranslated(raw: Any) -> list[str]:
    """The path of each text a person reads that is not given in every language (and of
    each string under a key not classified here)."""
    out: list[str] = []

    def walk(value: Any, path: str) -> None:
        general = _general(path)
        if is_text_map(value):
            missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
            if missing and IS_PROSE.match(general):
                out.append(f"{path}: no {', '.join(missing)}")
        elif isinstance(value, dict):
            for k, v in value.items():
                if not (path == "" and k == "translations"):
                    walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, str) and value.strip():
            if IS_PROSE.match(general):
                out.append(f"{path}: English only ({value[:50]!r})")
            elif not IS_DATA.match(general):
                out.append(f"{path}: a key this test does not classify ({value[:50]!r})")

    walk(raw, "")
    return out


@pytest.mark.parametrize("name", SHIPPED)
def test_every_text_a_person_reads_in_a_shipped_scenario_is_given_in_english_and_french(
    name: str,
) -> None:
    raw = yaml.safe_load((SCENARIOS / name).read_text(encoding="utf-8"))
    missing = untranslated(raw)
    assert not missing, f"{name}: texts without their French:\n" + "\n".join(missing)


def test_a_text_without_its_french_is_named_by_its_path_and_data_is_left_alone() -> None:
    doc = {
        "countries": [{"code": "RO", "poc_name": "24/7 desk", "timezone": "Europe/Bucharest"}],
        "evidence": [
            {
                "id": "logs",
                "identifiers": ["2026-03-01 22:10–23:55 CET"],
                "reveals": {"leads": [{"en": "A VPN exit node"}]},
            }
        ],
        "injects": [
            {
                "id": "start",
                "title": {"en": "Ransomware", "fr": "Rançongiciel"},
                "attachments": [
                    {"name": "fw.log", "text": "2026-03-01T22:10:04 ALLOW\n2026-03-01T23:55 ALLOW"},
                    {"name": "note.txt", "text": "Pay 40 BTC within 72 hours"},
                ],
                "effects": {"request": {"template": "info", "fields": {"facts": "a b"}}},
            }
        ],
        "debrief": [{"article": "BC Art 29, 35", "text": {"en": "Why?", "fr": "Pourquoi ?"}}],
        "novelty": "a new field nobody decided about",
    }
    assert untranslated(doc) == [
        "countries[0].poc_name: English only ('24/7 desk')",
        "evidence[0].reveals.leads[0]: no fr",
        "injects[0].effects.request.fields.facts: English only ('a b')",
        "novelty: a key this test does not classify ('a new field nobody decided about')",
    ]


ROLE_WORDS = {"investigator", "prosecutor", "facilitator", "observer"}  # labels, not law


@pytest.mark.parametrize("name", SHIPPED)
def test_the_french_of_a_shipped_scenario_uses_the_official_legal_terms(name: str) -> None:
    """Where the English names a term of the glossary (Convention on Cybercrime, 24/7
    point of contact, European Production Order…), the French uses the Council of
    Europe's or the EU's own French term (Convention sur la cybercriminalité, point de
    contact 24/7, injonction européenne de production…)."""
    from tte.i18n import terms

    fr = load(SCENARIOS / name).translations["fr"]

    def flat(text: str) -> str:
        return " ".join(text.split())

    wrong = []
    for key, entry in terms().items():
        if key in ROLE_WORDS or not entry.get("fr"):
            continue
        english = [entry["en"], *entry.get("en_forms", [])]
        pattern = re.compile(r"\b(" + "|".join(re.escape(e) for e in english) + r")\b")
        for source, target in fr.items():
            if pattern.search(flat(source)) and entry["fr"].lower() not in flat(target).lower():
                wrong.append(f"{key}: {source[:60]!r} -> {target[:60]!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", SHIPPED)
def test_a_french_knowledge_check_choice_fits_one_line_of_the_80_column_dialog(name: str) -> None:
    sc = load(SCENARIOS / name)
    fr = sc.translations["fr"]
    # The French only: the English choices are the source (two run longer and are cut).
    long = [fr[c] for q in sc.knowledge_check for c in q.choices if len(fr.get(c, "")) > 70]
    assert long == []

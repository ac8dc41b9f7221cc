"""The after-action report in the reader's language (`tte report DIR --lang`).

In the pseudo-locale ``xx`` every string that goes through the translator is wrapped in
⟦…⟧, so a word left outside brackets is one the report did not translate, unless it is
data: the scenario's texts and ids, names, seats, what players wrote, legal citations,
dates and the replay commands. The checker removes exactly that data (whole words only,
never the engine's English sentences or the event codes a report must put into words)
and fails on any word left."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tte import cli
from tte.core.channels import CHANNELS
from tte.core.events import Event
from tte.core.scenario import Scenario
from tte.core.templates import ROLES, TEMPLATES
from tte.i18n import use
from tte.report.document import replay_commands
from tte.server.log import read_events

from .conftest import TUTORIAL, Run

LISBON = TUTORIAL.parent / "lisbon-ransomware-2ap.yaml"
CODE = re.compile(r"^[a-z][a-z0-9]*$")  # one lowercase word: a code a report must put in words
# Words of legal citations (BC Art 29, Directive 2014/41/EU, Regulation (EU) 2023/1543).
CITATION = {"Art", "Arts", "Directive", "Regulation", "Convention"}
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9/-]+$")  # MLA, EIO, CET, R1, 2AP, SIENA…
# Event fields that hold the engine's English or a code, never data a player or author wrote.
NOT_DATA = {
    *("label", "status", "what", "reason", "kind", "by", "decision", "ground", "via"),
    *("missing", "problem", "mode", "stage", "role", "open", "questions"),
}


def _leaves(x: Any, skip: Iterable[str] = ()) -> Iterator[str]:
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        keyed = {k[: -len("_key")] for k in x if isinstance(k, str) and k.endswith("_key")}
        for k, v in x.items():
            if k in skip or k in keyed or str(k).endswith(("_key", "_params")):
                continue  # a sentence the engine made (it carries its key): not data
            yield from _leaves(v, skip)
    elif isinstance(x, list | tuple):
        for v in x:
            yield from _leaves(v, skip)


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """`tte report --lang` makes its reader current: the next test reads English again."""
    yield
    use("en")


def data_strings(path: Path, sc: Scenario, events: list[Event], data_dir: Path) -> set[str]:
    """What a report may show as it was written, in any language."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {s for s in _leaves(raw) if not CODE.match(s)}
    for e in events:
        found |= set(_leaves(e.data, NOT_DATA))  # what players and the facilitator wrote
    ids = [sc.exercise.id] + [o.id for o in sc.organisations] + [c.code for c in sc.countries]
    ids += [i.id for i in sc.evidence] + [i.id for i in sc.injects]
    ids += [o.id for o in sc.objectives] + [h.id for h in sc.hints] + [p.id for p in sc.phases]
    seats = [f"{c.code}/{r}" for c in sc.countries for r in ROLES]
    found |= {*ids, *seats, *TEMPLATES, *CHANNELS, "europol", "interpol", "eurojust"}
    found |= {t.basis for t in TEMPLATES.values()}
    found |= set(replay_commands(data_dir)) | {str(data_dir)}
    return {s for s in found if len(s) >= 2}


def unbracketed(text: str) -> str:
    """The text outside every ⟦…⟧ (nested ones included)."""
    out, depth = [], 0
    for ch in text:
        if ch == "⟦":
            depth += 1
            out.append(" ")
        elif ch == "⟧":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def untranslated(text: str, data: set[str], is_html: bool) -> list[str]:
    """The lines that keep a word outside brackets that is not data."""
    if is_html:
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<img [^>]*>", " ", text)  # charts: base64
        text = re.sub(r"<[^>]+>", "\n", text)
    else:
        text = re.sub(r"<a id=\"[^\"]*\"></a>", " ", text)  # anchors
        text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes
    text = unbracketed(html.unescape(text))
    shown = data | {" ".join(s.split()) for s in data}  # Markdown cells are one line
    for s in sorted(shown, key=len, reverse=True):
        if s in text:
            text = re.sub(rf"(?<!\w){re.escape(s)}(?!\w)", " ", text)
    if not is_html:
        text = re.sub(r"\]\((#|charts/)[^)]*\)", " ", text)  # the report's own links
    bad = []
    for line in text.splitlines():
        words = re.findall(r"[A-Za-z][A-Za-z'’]+", line)
        if [w for w in words if w not in CITATION and not ACRONYM.match(w)]:
            bad.append(" ".join(line.split()))
    return bad


def _report(run_data: Path, out: Path, lang: str, scenario: Path | None = None) -> Path:
    argv = ["report", str(run_data), "--lang", lang, "--out", str(out)]
    if scenario is not None:
        argv += ["--scenario", str(scenario)]
    assert cli.main(argv) == 0
    return out


def _assert_translated(out: Path, data: set[str]) -> None:
    for name in ("report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "⟦" in text
        left = untranslated(text, data, name.endswith(".html"))
        assert not left, f"{name}: English outside the translator:\n" + "\n".join(left[:20])


def test_the_checker_finds_an_english_word_and_passes_data_and_citations(careless: Run) -> None:
    data = {"Polderhost B.V.", "R1"}
    assert untranslated("| ⟦Fàté⟧ | kept |", data, False) == ["| | kept |"]
    assert untranslated("| ⟦Fàté ⟦ñéstéd⟧⟧ | Polderhost B.V. | R1 | BC Art 29 |", data, False) == []
    # A data string hides only whole words: "kept" inside "unkept" is still a word.
    assert untranslated("Polderhost B.V.s", data, False) == ["Polderhost B.V.s"]
    # The English report (no brackets) is all untranslated words but for its data.
    english = (careless.out / "report.md").read_text(encoding="utf-8")
    found = data_strings(TUTORIAL, careless.scenario, careless.events, careless.data)
    left = untranslated(english, found, False)
    assert "| Outcome | not met (weight 40) |" in left
    assert len(left) > 100


@pytest.mark.parametrize("which", ["golden", "careless", "hotwash"])
def test_the_tutorial_report_in_the_pseudo_locale_has_no_english_outside_data(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    run: Run = request.getfixturevalue(which)
    out = _report(run.data, tmp_path / "xx", "xx", TUTORIAL if which == "hotwash" else None)
    _assert_translated(out, data_strings(TUTORIAL, run.scenario, run.events, run.data))


def test_a_big_scenario_report_in_the_pseudo_locale_has_no_english_outside_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tte.core.scenario import load

    data = tmp_path / "data"
    argv = ["simulate", str(LISBON), "--policy", "careless", "--data", str(data)]
    assert cli.main(argv) == 0
    out = _report(data, tmp_path / "xx", "xx")
    capsys.readouterr()
    events = read_events(data / "events.sqlite")
    _assert_translated(out, data_strings(LISBON, load(LISBON), events, data))


def test_the_french_report_of_a_careless_tutorial_says_its_outcomes_and_mistakes_in_french(
    careless: Run, tmp_path: Path
) -> None:
    text = (_report(careless.data, tmp_path / "fr", "fr") / "report.md").read_text("utf-8")
    assert "| Résultat | non atteint (poids 40) |" in text  # the learning point's outcome
    # A mistake's detail, the evidence's fate and the plan's finding, from the events.
    logs = "Journaux de connexion du serveur C2 203.0.113.47"  # the tutorial's French title
    assert f"{logs} : demandé uniquement par la coopération policière (R1)" in text
    assert "PERDUE (rétention par le fournisseur) le 2026-03-06 08:00" in text
    assert "jamais demandé à conserver" in text
    assert "Europol a répondu : rien à ce sujet." in text  # an engine sentence, by its key
    assert "Généré par tte report depuis events.sqlite (45 événements)." in text
    assert "not met" not in text and "never asked to preserve" not in text


def test_the_french_hot_wash_report_says_returns_ratings_and_the_survey_in_french(
    hotwash: Run, tmp_path: Path
) -> None:
    out = _report(hotwash.data, tmp_path / "fr", "fr", TUTORIAL)
    text = (out / "report.md").read_text("utf-8")
    # A return's missing fields, each label translated inside the engine's sentence.
    assert (
        "Renvoyée pour informations manquantes : Autorité requérante ; Données à conserver" in text
    )
    assert "| 3 — Réalisé avec des difficultés majeures | observateur |" in text  # HSEEP
    assert "*3 réponses, moyenne 3,67/5*" in text  # a French number
    assert "L'évaluateur (observateur) a noté « Journaux C2 obtenus comme preuve recevable" in text
    page = (out / "report.html").read_text("utf-8")
    assert "<footer>Généré par tte report depuis events.sqlite (88 événements).</footer>" in page

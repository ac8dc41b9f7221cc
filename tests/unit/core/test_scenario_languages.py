"""A scenario's texts in several languages: `{en: …, fr: …}` maps and `translations`."""

from __future__ import annotations

from tte.core.languages import fold, gaps
from tte.core.scenario import find, load, parse

DOC = {
    "exercise": {"title": {"en": "Freeze it", "fr": "Gelez-les"}, "briefing": "Only English"},
    "injects": [{"text": {"en": "Logs rotate", "fr": "Les journaux tournent"}}],
    "limits": {"preservation": "60d"},
}


def test_a_text_map_becomes_its_english_text_and_a_translation() -> None:
    out, found = fold(DOC)
    assert out["exercise"]["title"] == "Freeze it"
    assert out["injects"][0]["text"] == "Logs rotate"
    assert out["translations"] == {
        "fr": {"Freeze it": "Gelez-les", "Logs rotate": "Les journaux tournent"}
    }
    assert found == out["translations"]
    assert out["limits"] == {"preservation": "60d"}  # not a text map: keys are not languages


def test_a_map_without_english_takes_its_first_language_as_the_source() -> None:
    out, _ = fold({"exercise": {"title": {"fr": "Gelez-les"}}})
    assert out["exercise"]["title"] == "Gelez-les"
    assert "translations" not in out


def test_validate_reports_a_language_missing_where_others_are_given() -> None:
    doc = {"a": {"en": "One", "fr": "Un"}, "b": [{"en": "Two"}], "c": "plain"}
    assert gaps(doc) == [("b[0]", "no fr text (given: en)")]


def test_the_tutorial_ships_in_english_and_french_with_no_gap() -> None:
    import yaml

    path = find("tutorial")
    sc = load(path)
    fr = sc.translations["fr"]
    assert fr[sc.exercise.title].startswith("Tutoriel")
    assert sc.exercise.briefing in fr
    assert gaps(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_hand_written_translations_are_kept() -> None:
    text = (
        "exercise: {id: t, title: Hello, start: '2026-03-02T08:00:00', timezone: UTC}\n"
        "countries: [{code: RO, name: Romania}]\n"
        "translations: {fr: {Hello: Bonjour}}\n"
    )
    sc, problems = parse(text)
    assert sc is not None, problems
    assert sc.translations == {"fr": {"Hello": "Bonjour"}}


ROLE_WORDS = {"investigator", "prosecutor", "facilitator", "observer"}  # labels, not law


def test_eu_e_evidence_ships_in_french_with_the_official_terms_and_no_gap() -> None:
    """Every map gives English and French, and where the English names a term of the
    glossary (Convention on Cybercrime, European Production Order…) the French uses the
    official French term (Convention sur la cybercriminalité, injonction européenne de
    production…)."""
    import re

    import yaml

    from tte.i18n import terms

    path = find("eu-e-evidence-2026")
    assert gaps(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
    sc = load(path)
    fr = sc.translations["fr"]
    for text in (sc.exercise.title, sc.exercise.briefing, sc.exercise.debrief):
        assert text in fr
    assert all(i.title in fr and i.text in fr for i in sc.injects)
    assert all(o.title in fr for o in sc.objectives)
    assert all(e.title in fr for e in sc.evidence)

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

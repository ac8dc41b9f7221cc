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

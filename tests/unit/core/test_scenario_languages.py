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


# What a person reads in a scenario: briefings, injects, evidence, objectives, the teaching
# aids and the facilitator's notes. Not ids, identifiers, attachments, citations, company
# names: those stay as written in every language.
READ = {
    "title", "text", "briefing", "debrief", "description", "leads", "notes", "expected",
    "name", "poc_name", "central_authority_name", "choices", "answer", "explanation",
    "reason", "guide", "investigator", "poc", "prosecutor", "central_authority",
}  # fmt: skip
AS_WRITTEN = {"organisations", "bodies", "attachments", "identifiers", "effects", "article"}


def untranslated(doc: object, table: dict[str, str], key: str = "") -> list[str]:
    if isinstance(doc, dict):
        return [
            t
            for k, v in doc.items()
            if k not in AS_WRITTEN and k != "translations"
            for t in untranslated(v, table, str(k))
        ]
    if isinstance(doc, list):
        return [t for v in doc for t in untranslated(v, table, key)]
    if isinstance(doc, str) and key in READ and doc not in table and doc != "Europol / INTERPOL":
        return [doc]
    return []


def test_the_bucharest_scenario_gives_every_text_a_person_reads_in_french() -> None:
    import yaml

    path = find("bucharest-preservation-mla")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert gaps(raw) == []
    doc, found = fold(raw)
    fr = found["fr"]
    assert untranslated(doc, fr) == []
    sc = load(path)
    assert sc.translations["fr"][sc.exercise.title].startswith("Bucarest 2019")
    ro = sc.country("RO")
    assert ro is not None and "point de contact 24/7" in fr[ro.briefings["poc"]]
    # The legal citations and the case's names stay as written.
    # The knowledge check's choices fit one line of the 80×24 dialog (70 characters).
    long = [fr[c] for q in sc.knowledge_check for c in q.choices if len(fr[c]) > 70]
    assert long == []
    preserved = sc.inject("s03_preserved")
    assert preserved is not None
    assert "BC Art 29(7)" in fr[preserved.text] and "203.0.113.77" in fr[preserved.text]


def test_the_lisbon_scenario_gives_every_text_a_person_reads_in_french() -> None:
    """Lisbon's CyberSouth seats read French: no briefing, inject, item, lead, objective,
    debrief point, question, hint, phase or facilitator's note is left in English only."""
    import yaml

    path = find("lisbon-ransomware-2ap")
    sc = load(path)
    fr = sc.translations["fr"]
    assert gaps(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
    assert fr[sc.exercise.title].startswith("Lisbonne")
    texts = [sc.exercise.title, sc.exercise.briefing, sc.exercise.debrief]
    for c in sc.countries:
        texts += [c.poc_name, c.central_authority_name, *c.briefings.values()]
        texts += [i.text for i in c.police_intel]
    for e in sc.evidence:
        texts += [e.title, e.description, *e.reveals.leads]
    for i in sc.injects:
        texts += [i.title, i.text, i.notes, i.expected]
    texts += [o.title for o in sc.objectives]
    texts += [x for d in sc.debrief for x in (d.title, d.text)]
    texts += [x for q in sc.survey for x in (q.text, *q.choices)]
    texts += [x for q in sc.knowledge_check for x in (q.text, *q.choices, q.explanation)]
    texts += [x for h in sc.hints for x in (h.title, h.text, h.notes)]
    texts += [x for p in sc.phases for x in (p.name, p.notes, *(j.reason for j in p.jumps))]
    english_only = [t for t in texts if t and t not in fr]
    assert english_only == [], english_only
    # Legal citations and identifiers stay as written.
    assert "BC Art 29(7)" in fr[sc.inject("l03_preserved").text]  # type: ignore[union-attr]
    assert "restore-team@kolkhida-mail.example" in fr[sc.exercise.briefing]


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

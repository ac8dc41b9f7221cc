"""The scenario format: loading, cross-reference checks with their paths, and robustness."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tte.core.scenario import Problem, ScenarioError, load, parse, target_seats

from .kit import BASE, scenario, scenario_text

ROOT = Path(__file__).resolve().parents[3]


def problems_of(**sections: str) -> list[Problem]:
    sc, problems = parse(scenario_text(**sections))
    assert sc is None and problems
    return problems


def paths(problems: list[Problem]) -> list[str]:
    return [p.path for p in problems]


def test_base_and_shipped_scenarios_are_sound():
    assert scenario().exercise.id == "unit"
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        sc = load(f)
        assert sc.countries, f


def test_problem_renders_as_a_validate_line():
    assert Problem("evidence[0].holder", "unknown").render("a.yaml") == (
        "a.yaml: evidence[0].holder: unknown"
    )


CASES = [
    ({"exercise": "{start: yesterday}"}, "exercise.start"),
    ({"exercise": "{timezone: Mars/Olympus}"}, "exercise.timezone"),
    ({"exercise": "{speed: 0}"}, "exercise.speed"),
    ({"exercise": "{duration: forever}"}, "exercise.duration"),
    ({"exercise": "{preservation_days: 30}"}, "exercise.preservation_days"),
    ({"exercise": "{lead: [ZZ]}"}, "exercise.lead[0]"),
    ({"countries": "[]"}, "countries"),
    ({"countries": "[{code: aa, name: A}]"}, "countries[0].code"),
    ({"countries": "[{code: AA, name: A}, {code: AA, name: B}]"}, "countries[1].id"),
    ({"countries": "[{code: AA, name: A, timezone: Nowhere}]"}, "countries[0].timezone"),
    ({"countries": "[{code: AA, name: A, reservations: [art99]}]"}, "countries[0].reservations[0]"),
    ({"countries": "[{code: AA, name: A, humans: [judge]}]"}, "countries[0].humans[0]"),
    (
        {"countries": "[{code: AA, name: A, briefings: {judge: hi}}]"},
        "countries[0].briefings.judge",
    ),
    ({"organisations": "[{id: h, name: H, country: ZZ, kind: isp}]"}, "organisations[0].country"),
    (
        {"organisations": "[{id: h, name: H, country: AA, kind: isp, answer_delay: soon}]"},
        "organisations[0].answer_delay",
    ),
    (
        {"organisations": "[{id: h, name: H, country: AA, kind: isp, retention: {dna: 1d}}]"},
        "organisations[0].retention.dna",
    ),
    ({"evidence": "[{id: e, title: E, kind: gossip, holder: host}]"}, "evidence[0].kind"),
    ({"evidence": "[{id: e, title: E, kind: traffic, holder: nobody}]"}, "evidence[0].holder"),
    (
        {"evidence": "[{id: e, title: E, kind: traffic, holder: host, deleted_at: -1}]"},
        "evidence[0].deleted_at",
    ),
    (
        {"evidence": "[{id: e, title: E, kind: traffic, holder: host, known_to: [ZZ]}]"},
        "evidence[0].known_to[0]",
    ),
    (
        {"evidence": "[{id: e, title: E, kind: traffic, holder: host, reveals: {evidence: [x]}}]"},
        "evidence[0].reveals.evidence[0]",
    ),
    (
        {"evidence": "[{id: e, title: E, kind: traffic, holder: host, admissible_via: [fax]}]"},
        "evidence[0].admissible_via[0]",
    ),
    ({"injects": "[{id: i, title: I, at: 1h, to: [ZZ]}]"}, "injects[0].to[0]"),
    ({"injects": "[{id: i, title: I, at: 1h, to: [AA/judge]}]"}, "injects[0].to[0]"),
    ({"injects": "[{id: i, title: I, at: 1h, to: [ZZ/poc]}]"}, "injects[0].to[0]"),
    ({"injects": "[{id: i, title: I}]"}, "injects[0]"),
    ({"injects": "[{id: i, title: I, at: 1h, manual: true}]"}, "injects[0]"),
    ({"injects": "[{id: i, title: I, at: later}]"}, "injects[0].at"),
    ({"injects": "[{id: i, title: I, manual: true, delay: x}]"}, "injects[0].delay"),
    ({"injects": "[{id: i, title: I, when: {}}]"}, "injects[0].when"),
    (
        {"injects": "[{id: i, title: I, when: {evidence_obtained: x}}]"},
        "injects[0].when.evidence_obtained",
    ),
    (
        {"injects": "[{id: i, title: I, when: {request_refused: fax}}]"},
        "injects[0].when.request_refused",
    ),
    (
        {"injects": "[{id: i, title: I, when: {inject_released: nope}}]"},
        "injects[0].when.inject_released",
    ),
    (
        {"injects": "[{id: i, title: I, manual: true, effects: {reveal: [x]}}]"},
        "injects[0].effects.reveal[0]",
    ),
    (
        {"injects": "[{id: i, title: I, manual: true, effects: {delete: [x]}}]"},
        "injects[0].effects.delete[0]",
    ),
    (
        {"injects": "[{id: i, title: I, manual: true, effects: {org: nope}}]"},
        "injects[0].effects.org",
    ),
    (
        {"injects": "[{id: i, title: I, manual: true, effects: {tips_off: true}}]"},
        "injects[0].effects",
    ),
    (
        {"injects": "[{id: i, title: I, manual: true}, {id: i, title: J, manual: true}]"},
        "injects[1].id",
    ),
    ({"objectives": "[{id: o, title: O}]"}, "objectives[0]"),
    (
        {"objectives": "[{id: o, title: O, evidence_admissible: x}]"},
        "objectives[0].evidence_admissible",
    ),
    ({"objectives": "[{id: o, title: O, request_sent: fax}]"}, "objectives[0].request_sent"),
    ({"objectives": "[{id: o, title: O, jit_agreed: true, weight: -1}]"}, "objectives[0].weight"),
    ({"objectives": "[{id: o, title: O, jit_agreed: true, by: whenever}]"}, "objectives[0].by"),
    ({"objectives": "[{id: o, title: O, jit_agreed: true, country: ZZ}]"}, "objectives[0].country"),
    ({"survey": "[{id: q, text: Q, kind: choice, choices: [one]}]"}, "survey[0].choices"),
    ({"channels": "{carrier_pigeon: 1d}"}, "channels.carrier_pigeon"),
    ({"channels": "{mla: slow}"}, "channels.mla"),
    ({"limits": "{fax: 1d}"}, "limits.fax"),
    ({"desks": "{judge: 1d}"}, "desks.judge"),
]


@pytest.mark.parametrize(("sections", "path"), CASES, ids=[c[1] for c in CASES])
def test_each_problem_names_its_path(sections, path):
    problems = problems_of(**sections)
    assert path in paths(problems), problems
    assert all(p.message for p in problems)


def test_all_problems_are_listed_at_once():
    problems = problems_of(
        evidence="[{id: e, title: E, kind: gossip, holder: nobody, known_to: [ZZ]}]",
        desks="{judge: 1d}",
    )
    assert set(paths(problems)) >= {
        "evidence[0].kind",
        "evidence[0].holder",
        "evidence[0].known_to[0]",
        "desks.judge",
    }


def test_schema_errors_name_the_field():
    problems = problems_of(organisations="[{id: h, name: H, country: AA, kind: spaceship}]")
    assert paths(problems) == ["organisations[0].kind"]
    problems = problems_of(exercise="{colour: red}")
    assert paths(problems) == ["exercise"] and "colour" in problems[0].message


def test_yaml_syntax_error_names_the_line():
    text = "exercise:\n  id: x\n  title: [unclosed\ncountries: []\n"
    sc, problems = parse(text)
    assert sc is None and len(problems) == 1
    assert problems[0].path.startswith("line 4") and "YAML syntax error" in problems[0].message


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just words", "42"])
def test_a_document_that_is_not_a_mapping(text):
    sc, problems = parse(text)
    assert sc is None and paths(problems) == ["(document)"]


def test_load_raises_with_every_problem(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("exercise: {id: x, title: X, start: never}\ncountries: []\n")
    with pytest.raises(ScenarioError) as e:
        load(f)
    assert {"exercise.start", "countries"} <= set(paths(e.value.problems))
    with pytest.raises(ScenarioError) as e:
        load(tmp_path / "missing.yaml")
    assert paths(e.value.problems) == ["(file)"]
    (tmp_path / "latin.yaml").write_bytes(b"exercise: \xff\xfe")
    with pytest.raises(ScenarioError):
        load(tmp_path / "latin.yaml")


def test_unquoted_yaml_dates_are_accepted():
    sc = scenario(exercise="{start: 2026-03-02 08:00:00}")
    assert sc.start_datetime().isoformat() == "2026-03-02T08:00:00+00:00"


def test_helpers_latency_desk_delay_and_targets():
    sc = scenario(channels="{mla: 3d}", desks="{prosecutor: 1h}")
    assert sc.latency("mla") == 3 * 86400 and sc.latency("network_24_7") == 12 * 3600
    assert sc.desk_delay("prosecutor") == 3600 and sc.desk_delay("poc") == 2 * 3600
    assert sc.lead_countries == ["AA"]
    assert target_seats(sc, ["AA/poc", "*/prosecutor"]) == [
        "AA/poc",
        "AA/prosecutor",
        "BB/prosecutor",
    ]
    assert target_seats(sc, ["facilitator"]) == []
    assert len(target_seats(sc, ["all", "AA"])) == 8


# ---- fuzzing: nothing a trainer types makes parse raise

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4)
    ),
    max_leaves=20,
)
SECTIONS = [
    "exercise",
    "countries",
    "organisations",
    "evidence",
    "injects",
    "objectives",
    "survey",
    "channels",
    "limits",
    "desks",
    "bodies",
]


@given(st.text(max_size=300))
def test_fuzzed_text_never_raises(text):
    sc, problems = parse(text)
    assert (sc is None) == bool(problems)


@given(st.dictionaries(st.sampled_from(SECTIONS), yaml_values, max_size=6))
def test_fuzzed_structures_never_raise(doc):
    sc, problems = parse(yaml.safe_dump(doc))
    assert (sc is None) == bool(problems)
    assert all(isinstance(p, Problem) for p in problems)


@given(st.sampled_from(SECTIONS), yaml_values, st.integers(0, 3))
def test_a_mangled_section_of_a_good_scenario_never_raises(section, value, index):
    raw = yaml.safe_load(BASE)
    cur = raw.get(section)
    if isinstance(cur, list) and cur:
        cur[index % len(cur)] = value
    elif isinstance(cur, dict) and cur:
        cur[sorted(cur)[index % len(cur)]] = value
    else:
        raw[section] = value
    sc, problems = parse(yaml.safe_dump(raw))
    assert (sc is None) == bool(problems)


@given(st.binary(max_size=200))
def test_fuzzed_bytes_as_text_never_raise(data):
    parse(data.decode("utf-8", errors="replace"))

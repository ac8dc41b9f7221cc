"""Finding a scenario by path or shipped name: core raises ScenarioError, never exits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte.core.scenario import ScenarioError, find, shipped


def test_a_shipped_name_finds_its_file() -> None:
    assert find("lisbon-ransomware-2ap").name == "lisbon-ransomware-2ap.yaml"


def test_no_name_means_the_tutorial() -> None:
    assert find(None).name == "tutorial.yaml" and find("").name == "tutorial.yaml"


def test_an_existing_path_is_taken_as_it_is(tmp_path: Path) -> None:
    own = tmp_path / "tutorial"
    own.write_text("exercise: {}\n")
    assert find(str(own)) == own


def test_an_unknown_name_raises_a_scenario_error_listing_the_shipped_ones() -> None:
    with pytest.raises(ScenarioError) as e:
        find("no-such-scenario")
    (problem,) = e.value.problems
    assert problem.path == "(file)"
    assert problem.message == (
        f"no scenario file 'no-such-scenario' (shipped scenarios: {', '.join(shipped())})"
    )
    assert shipped() == [
        "bucharest-preservation-mla",
        "eu-e-evidence-2026",
        "lisbon-ransomware-2ap",
        "tutorial",
    ]

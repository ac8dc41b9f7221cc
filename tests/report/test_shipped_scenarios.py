"""`tte simulate` then `tte report` on every shipped scenario, with the golden and the
careless policy: what a trainer does after a class, in process (no subprocess start-up).

The golden Lisbon run has request types over their legal limit, which once crashed the
improvement plan (UnboundLocalError in plan.derive)."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

import pytest

from tte import cli
from tte.core.scenario import load
from tte.report.render_md import md

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("policy", ["golden", "careless"])
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_report_of_a_simulated_class_shows_its_scenario_score_and_plan(
    path: Path, policy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, out = tmp_path / "data", tmp_path / "report"
    argv = ["simulate", str(path), "--policy", policy, "--data", str(data), "--json"]
    assert cli.main(argv) == 0
    played = json.loads(capsys.readouterr().out)
    assert cli.main(["report", str(data), "--out", str(out)]) == 0
    capsys.readouterr()
    title = load(path).exercise.title

    text = (out / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# After-action report — ")
    assert f"| Scenario | {md(title)} (" in text
    assert f"| Final score | {played['score']}/100 |" in text
    assert f"| Events | {played['events']} |" in text
    plan = text.split("## Improvement plan", 1)[1]
    assert plan.count("\n| 1 |") == 1  # at least one numbered recommendation
    assert "Traceback" not in text

    page = (out / "report.html").read_text(encoding="utf-8")
    assert html.escape(title, quote=False) in page
    assert f"{played['score']}/100" in page
    # The domain notes mark unverified figures "(check)"; a report prints none.
    assert "(check)" not in text and "(check)" not in page

    with (out / "events.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == played["events"]
    with (out / "requests.csv").open(encoding="utf-8") as f:
        requests = list(csv.DictReader(f))
    assert requests and all(r["id"] and r["template"] for r in requests)


def test_the_report_names_an_imprecise_request_and_the_time_it_cost() -> None:
    """A wrong UTC offset is a mistake the hot wash must show, with what it cost."""
    from scenarios.test_bucharest_preservation_mla import WrongOffset

    from tte.core.scenario import find, load
    from tte.core.simulate import run
    from tte.report.figures import compute

    sc = load(find("bucharest-preservation-mla"))
    events: list[Any] = []
    run(sc, WrongOffset(), on_events=events.extend)
    rep = compute(sc, events)
    [m] = [m for m in rep.mistakes if m.kind == "imprecise"]
    assert m.ground == "offset" and "another customer's record came back after" in m.detail

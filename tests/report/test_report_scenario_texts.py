"""The report in French draws the scenario's own texts in French: the learning points'
evaluation guide and debrief points, the debrief table, the survey's questions and the
answers players chose, evidence titles (``tte report --lang fr``)."""

from __future__ import annotations

from pathlib import Path

from tte import cli
from tte.i18n import use

from .conftest import TUTORIAL, Run


def test_the_french_report_gives_the_scenarios_guide_debrief_and_survey_in_french(
    hotwash: Run, tmp_path: Path
) -> None:
    out = tmp_path / "fr"
    args = ["report", str(hotwash.data), "--scenario", str(TUTORIAL), "--out", str(out)]
    try:
        assert cli.main([*args, "--lang", "fr"]) == 0
    finally:
        use("en")
    md = (out / "report.md").read_text(encoding="utf-8")
    fr = hotwash.scenario.translations["fr"]
    guide = hotwash.scenario.objectives[0].guide
    survey = {q.id: q for q in hotwash.scenario.survey}
    for source in [
        *guide,  # the evaluation guide under learning point 1
        "The logs were preserved in time",  # a debrief point this run earned
        survey["channel"].text,
        "24/7 network",  # the answers players chose, counted under the question
        "MLA",
        hotwash.scenario.evidence[0].title,
    ]:
        assert f"{fr[source]}" in md, source
    assert "- La demande désigne le serveur, la période et le lien avec l'infraction" in md
    assert "| Réseau 24/7 | 2 |" in md and "| Entraide judiciaire | 1 |" in md
    for english in (*guide, "| 24/7 network |", "| MLA |", "Ask the 24/7 point of contact"):
        assert english not in md, english
    # The citations stay as written.
    assert "| Les journaux ont été conservés à temps | BC Art 29 |" in md

"""The report's knowledge check gain (beside the survey) and its hints and running order,
from a tutorial run where seats answered before and after and a hint was released."""

from __future__ import annotations

from tte.core.scenario import Scenario
from tte.core.simulate import run
from tte.report.document import build
from tte.report.figures import compute
from tte.report.render_md import render

RIGHT = "A preservation request through the 24/7 network (BC Art 29)"
WRONG = "A European Investigation Order for the logs"


def test_knowledge_gain_hints_and_phases_in_the_report(tutorial: Scenario) -> None:
    events = []
    eng, _ = run(tutorial, "golden", on_events=events.extend)
    now = eng.state.now + 60

    def do(actor: str, op: str, **args: object) -> None:
        evs, _ = eng.handle(actor, op, dict(args), now)
        events.extend(evs)

    do("facilitator", "hint.release", id="freeze_first")
    do("facilitator", "knowledge.open", stage="before")
    do("RO/investigator", "knowledge.answer", stage="before", answers={"first_step": WRONG})
    do("NL/poc", "knowledge.answer", stage="before", answers={"first_step": RIGHT})
    do("facilitator", "knowledge.open", stage="before", open=False)
    do("facilitator", "knowledge.open", stage="after")
    do("RO/investigator", "knowledge.answer", stage="after", answers={"first_step": RIGHT})
    do("NL/poc", "knowledge.answer", stage="after", answers={"first_step": RIGHT})
    do("facilitator", "knowledge.open", stage="after", open=False)

    doc = build(compute(tutorial, events), set())
    anchors = [s.anchor for s in doc.sections]
    assert anchors.index("knowledge") == anchors.index("survey") + 1
    text = render(doc, {})
    assert "| Overall | 50% (1/2) | 100% (2/2) | \\+50 points |" in text
    assert "| Investigator | 0% (0/1) | 100% (1/1) | \\+100 points |" in text
    assert "1 of 2 hint cards released by the facilitator." in text
    assert "Freeze the logs and ask for them" in text  # the running order as it ran

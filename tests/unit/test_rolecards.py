"""Printable role cards: one per seat a person may take, with the role and the briefing and
nothing of the answer key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte import cli
from tte.client.rolecards import PAGE_BREAK, render
from tte.core.scenario import load, shipped

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", shipped())
def test_role_cards_carry_the_briefing_and_no_answer_key(name: str) -> None:
    sc = load(ROOT / "scenarios" / f"{name}.yaml")
    text = render(sc)
    cards = text.split(PAGE_BREAK)
    assert len(cards) == len(sc.human_seats())
    for seat, card in zip(sc.human_seats(), cards, strict=True):
        assert f"seat `{seat}`" in card and "## Your role" in card
        brief = sc.country(seat.split("/")[0]).briefings.get(seat.split("/")[1], "")  # type: ignore[union-attr]
        assert brief.strip() in card
    secrets = [o.title for o in sc.objectives] + [g for o in sc.objectives for g in o.guide]
    secrets += [i.expected for i in sc.injects if i.expected] + [
        i.notes for i in sc.injects if i.notes
    ]
    secrets += [h.text for h in sc.hints] + [
        q.explanation for q in sc.knowledge_check if q.explanation
    ]
    secrets += [d.text for d in sc.debrief if getattr(d, "text", "")]
    if sc.exercise.debrief.strip():
        secrets.append(sc.exercise.debrief.strip())
    for s in secrets:
        assert s not in text, s


def test_tte_cards_from_a_data_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "run"
    assert cli.main(["simulate", "tutorial", "--data", str(data)]) == 0
    capsys.readouterr()
    out = tmp_path / "cards.md"
    assert cli.main(["cards", str(data), "--out", str(out)]) == 0
    assert "Romania — Investigator" in out.read_text(encoding="utf-8")
    assert cli.main(["cards", "tutorial", "--all"]) == 0
    assert "Netherlands — Prosecutor" in capsys.readouterr().out

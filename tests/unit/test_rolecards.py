"""Printable role cards: one per seat a person may take, with the role and the briefing and
nothing of the answer key."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize("name", shipped())
def test_tte_cards_lang_fr_gives_french_role_cards(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Headings, role names, the role's help and the forms in French; the scenario's own
    texts in French where it gives them; each citation once beside a form's title."""
    from tte.client.player.help import ROLES as ROLE_TEXT
    from tte.core.templates import ROLE_LABELS
    from tte.i18n import translator, use

    assert cli.main(["cards", name, "--lang", "fr"]) == 0
    use("en")
    text = capsys.readouterr().out
    fr = translator("fr")
    sc = load(ROOT / "scenarios" / f"{name}.yaml")
    cards = text.split(PAGE_BREAK)
    assert len(cards) == len(sc.human_seats())
    for seat, card in zip(sc.human_seats(), cards, strict=True):
        role = seat.split("/")[1]
        assert f"poste `{seat}`" in card, card[:200]
        assert "## Votre rôle" in card and "## La situation" in card
        assert "## Your role" not in card and "## The situation" not in card
        assert f"— {fr(ROLE_LABELS[role])}" in card.splitlines()[0]
        help_lines = fr(ROLE_TEXT[role]).strip().splitlines()
        assert next(line for line in help_lines if line and not line.startswith("#")) in card
        briefing = sc.exercise.briefing
        french = sc.translations.get("fr", {}).get(briefing)
        assert (french or briefing).strip() in card
        for line in card.splitlines():
            if line.startswith("- "):  # a form: each article cited once
                cited = re.findall(r"Art \d+", line)
                assert len(cited) == len(set(cited)), line


def test_role_cards_in_the_pseudo_locale_have_no_untranslated_word() -> None:
    """Every word outside ⟦…⟧ is the scenario's (names, briefings) or a legal citation."""
    from tte.core.templates import TEMPLATES
    from tte.i18n import use
    from tte.i18n.pseudo import plain_words

    for name in shipped():
        path = ROOT / "scenarios" / f"{name}.yaml"
        use("xx")
        try:
            text = render(load(path), everyone=True)
        finally:
            use("en")
        data = set(re.findall(r"[^\W\d_]{2,}", path.read_text(encoding="utf-8")))
        data |= {w for t in TEMPLATES.values() for w in re.findall(r"[^\W\d_]{2,}", t.basis)}
        data |= {"div", "style", "page", "break", "after", "always"}
        left = plain_words(text) - data
        assert not left, f"{name}: {sorted(left)}"

"""The end-of-exercise survey and the evaluators' HSEEP ratings."""

from __future__ import annotations

import pytest

from tte.core.events import CommandError

from .kit import scenario

SURVEY = """
- {id: useful, text: "Useful?"}
- {id: channel, text: "Which channel?", kind: choice, choices: [24/7, MLA]}
- {id: comments, text: Comments, kind: text}
"""


@pytest.fixture
def g(game):
    return game(scenario(survey=SURVEY, objectives="[{id: o, title: O, evidence_preserved: logs}]"))


def test_survey_opens_for_everyone_and_takes_answers(g):
    with pytest.raises(CommandError) as e:
        g.do("AA/poc", "survey.answer", answers={"useful": 5})
    assert e.value.code == "bad_state"
    g.do("facilitator", "survey.open")
    opened = g.last[0]
    assert opened.visible == ("*",) and [q["id"] for q in opened.data["questions"]] == [
        "useful",
        "channel",
        "comments",
    ]
    g.do("AA/poc", "survey.answer", answers={"useful": 5, "channel": "MLA", "comments": "Good"})
    ans = g.last[0]
    assert ans.kind == "survey_answer" and ans.visible == ()
    assert ans.data["role"] == "poc" and "seat" not in ans.data  # anonymous by default
    assert len(ans.data["respondent"]) == 10
    assert g.st.survey_answers == 1
    g.do("facilitator", "survey.open", open=False)
    assert not g.st.survey_open


@pytest.mark.parametrize(
    "answers",
    [
        {"useful": 6},
        {"useful": True},
        {"useful": "5"},
        {"channel": "Fax"},
        {"comments": 3},
        {"nope": 1},
        "all good",
    ],
)
def test_bad_survey_answers_are_refused(g, answers):
    g.do("facilitator", "survey.open")
    with pytest.raises(CommandError):
        g.do("AA/poc", "survey.answer", answers=answers)
    assert g.st.survey_answers == 0


def test_named_survey_when_not_anonymous(game):
    g = game(scenario(survey=SURVEY, exercise="{anonymous_survey: false}"))
    g.do("facilitator", "survey.open")
    g.do("BB/prosecutor", "survey.answer", answers={"useful": 1})
    assert g.last[0].data["seat"] == "BB/prosecutor"


def test_survey_needs_questions_and_a_seat(game, g):
    with pytest.raises(CommandError):
        game().do("facilitator", "survey.open")
    g.do("facilitator", "survey.open")
    with pytest.raises(CommandError):
        g.do("facilitator", "survey.answer", answers={"useful": 3})


def test_ratings_by_observers_and_facilitator(g):
    g.do("observer", "rating.submit", objective="o", rating=1, comment="Fast")
    ev = g.last[0]
    assert ev.visible == () and ev.data == {
        "objective": "o",
        "rating": 1,
        "label": "Performed without challenges",
        "comment": "Fast",
        "by": "observer",
    }
    g.do("facilitator", "rating.submit", objective="o", rating=4)
    assert g.st.ratings == 2


@pytest.mark.parametrize(
    ("actor", "args"),
    [
        ("AA/poc", {"objective": "o", "rating": 1}),
        ("observer", {"objective": "x", "rating": 1}),
        ("observer", {"objective": "o", "rating": 5}),
        ("observer", {"objective": "o", "rating": True}),
        ("observer", {"objective": "o", "rating": [1]}),
        ("observer", {"objective": "o", "rating": 1.5}),
    ],
)
def test_bad_ratings_are_refused(g, actor, args):
    with pytest.raises(CommandError):
        g.do(actor, "rating.submit", **args)
    assert g.st.ratings == 0

"""The end of an exercise: the facilitator ends it, or the scenario's duration does after a
warning; every seat learns it with the debrief, the clock stops, requests are refused."""

from __future__ import annotations

import pytest

from tte.core.events import EVERYONE, CommandError

from .kit import DAY, scenario

DEBRIEF = "What went well: the logs were frozen in time."


def short(**exercise: str):  # a 10-day exercise with a debrief
    return scenario(exercise=f"{{duration: 10d, debrief: '{DEBRIEF}'}}")


def test_the_facilitator_ends_the_exercise_and_every_seat_gets_the_debrief(game):
    g = game(short())
    g.do("facilitator", "clock.resume")
    g.now = 2 * DAY
    assert g.do("facilitator", "exercise.end", reason="Time for the debrief") == {"ended": True}
    (ended,) = g.of("exercise_ended")
    assert ended.data == {"by": "facilitator", "reason": "Time for the debrief", "debrief": DEBRIEF}
    assert ended.visible == EVERYONE
    assert g.st.ended and g.st.paused  # the clock stops with it


def test_only_the_facilitator_ends_an_exercise(game):
    g = game(short())
    with pytest.raises(CommandError) as e:
        g.do("AA/investigator", "exercise.end")
    assert e.value.code == "forbidden" and not g.st.ended


def test_an_exercise_ends_once(game):
    g = game(short())
    g.do("facilitator", "exercise.end")
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "exercise.end")
    assert e.value.code == "bad_state"


def test_the_duration_warns_a_tenth_of_it_before_and_then_ends_the_exercise(game):
    g = game(short())
    g.do("facilitator", "clock.resume")
    g.advance(9 * DAY - 1)
    assert not g.of("exercise_ending")
    g.advance(9 * DAY)
    (warning,) = g.of("exercise_ending")
    assert warning.data == {"at": 10 * DAY, "left": 1 * DAY} and warning.visible == EVERYONE
    assert not g.st.ended
    g.advance(10 * DAY)
    (ended,) = g.of("exercise_ended")
    assert ended.t == 10 * DAY and ended.data["by"] == "clock" and ended.data["debrief"] == DEBRIEF
    assert g.st.ended and g.st.paused


def test_a_jump_past_the_duration_warns_then_ends_in_order(game):
    g = game(short())
    g.do("facilitator", "clock.advance", seconds=30 * DAY, reason="Much later")
    kinds = [e.kind for e in g.last if e.kind.startswith("exercise_")]
    assert kinds == ["exercise_ending", "exercise_ended"]
    assert g.st.ended and g.st.paused

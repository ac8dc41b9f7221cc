"""Who may do what: facilitator-only operations, read-only observers, seats only as seats."""

from __future__ import annotations

import pytest

from tte.core.engine import OPS, STAFF_ONLY
from tte.core.events import CommandError

from .kit import canon

STAFF_ARGS = {
    "inject.release": {"id": "x"},
    "inject.skip": {"id": "x"},
    "inject.move": {"id": "x", "at": 100},
    "inject.send": {"title": "t", "to": ["all"]},
    "clock.pause": {},
    "clock.resume": {},
    "clock.set_speed": {"speed": 10},
    "clock.preview": {"seconds": 3600},
    "clock.advance": {"seconds": 60},
    "survey.open": {},
    "emergency.declare": {"emergency": True},
    "mode.set": {"mode": "exam"},
    "exercise.end": {},
    "knowledge.open": {"stage": "before"},
    "hint.release": {"id": "x"},
    "phase.start": {"id": "x"},
}


@pytest.mark.parametrize("op", sorted(STAFF_ONLY))
@pytest.mark.parametrize("actor", ["AA/investigator", "BB/poc", "observer", "nobody"])
def test_facilitator_only_operations_are_refused_to_others(game, op, actor):
    g = game()
    before = canon(g.st)
    with pytest.raises(CommandError) as e:
        g.do(actor, op, **STAFF_ARGS[op])
    assert e.value.code == "forbidden"
    assert canon(g.st) == before


@pytest.mark.parametrize("op", sorted(OPS - {"rating.submit"}))
def test_observers_change_nothing(game, op):
    g = game()
    with pytest.raises(CommandError) as e:
        g.do("observer", op, id="R1")
    assert e.value.code == "forbidden"


def test_staff_cannot_act_as_a_seat(game):
    g = game()
    for actor in ("facilitator", "observer", "XX/poc", "AA"):
        with pytest.raises(CommandError) as e:
            g.submit(actor, "preservation", "host", ["logs"])
        assert e.value.code == "forbidden"


def test_unknown_operation_and_bad_args_map(game):
    g = game()
    with pytest.raises(CommandError) as e:
        g.do("AA/poc", "request.explode")
    assert e.value.code == "unknown_op"
    with pytest.raises(CommandError) as e:
        g.eng.handle("AA/poc", "request.submit", ["not", "a", "map"], 0.0)  # type: ignore[arg-type]
    assert e.value.code == "bad_args"


def test_command_error_wire_form():
    err = CommandError("bad_args", "Nope", "to")
    assert err.to_wire() == {"code": "bad_args", "message": "Nope", "field": "to"}
    assert CommandError("x", "y").to_wire() == {"code": "x", "message": "y"}

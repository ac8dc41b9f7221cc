"""The engine's operations for teaching: the knowledge check, hint cards, the running order.

Registered in ``engine._OPS``; each validates completely, then returns the emitting closure
(as every engine operation does), so a refused command changes nothing.

- ``knowledge.open {stage, open?}`` — facilitator: opens (or closes) the ``before`` or
  ``after`` knowledge check. Closing the after-check publishes the answer key with each
  question's explanation (``knowledge_opened`` carries ``key``).
- ``knowledge.answer {stage, answers{question: choice}}`` — seats, while that stage is open;
  a seat may answer again (its last answers count).
- ``hint.release {id, to?}`` — facilitator: the scenario's hint card reaches the seats'
  inbox (an ``inject`` event with ``hint``); each card once.
- ``phase.start {id}`` — facilitator: begins a phase of the running order now (out of
  its planned order, e.g. to skip ahead); the phase's speed applies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from tte.i18n import said
from tte.i18n.message import fields as message_fields

from .duration import parse_duration
from .events import CommandError
from .learning import STAGES
from .rules import role_of
from .scenario import Phase, target_seats

if TYPE_CHECKING:
    from .engine import Engine

Plan = Callable[[], Any]


def _text(args: dict[str, Any], key: str) -> str:
    v = args.get(key)
    if not isinstance(v, str) or not v:
        raise CommandError("bad_args", said("'{key}' is required", key=key), key)
    return v[:200]


# ------------------------------------------------------------------ the knowledge check
def questions_wire(eng: Engine) -> list[dict[str, Any]]:
    """The questions as seats see them before the key is out: no answer, no explanation."""
    return [
        {"id": q.id, "text": q.text, "choices": list(q.choices), "roles": list(q.roles)}
        for q in eng.scenario.knowledge_check
    ]


def op_knowledge_open(eng: Engine, actor: str, args: dict[str, Any], now: float) -> Plan:
    stage = _text(args, "stage")
    if stage not in STAGES:
        raise CommandError("bad_args", said("'stage' is before or after"), "stage")
    if not eng.scenario.knowledge_check:
        raise CommandError("bad_state", said("This scenario has no knowledge check"))
    is_open = args.get("open", True)
    if not isinstance(is_open, bool):
        raise CommandError("bad_args", said("'open' is yes or no"), "open")
    st = eng.state
    if is_open and st.knowledge_open not in (None, stage):
        raise CommandError(
            "bad_state",
            said("The before check is open: close it first")
            if st.knowledge_open == "before"
            else said("The after check is open: close it first"),
            "stage",
        )
    if not is_open and st.knowledge_open != stage:
        raise CommandError(
            "bad_state",
            said("The before check is not open")
            if stage == "before"
            else said("The after check is not open"),
            "stage",
        )
    data: dict[str, Any] = {"stage": stage, "open": is_open, "questions": questions_wire(eng)}
    if stage == "after" and not is_open:
        # The key only once nobody can answer any more: the after-check teaches, too.
        data["key"] = [
            {"id": q.id, "answer": q.answer, "explanation": q.explanation}
            for q in eng.scenario.knowledge_check
        ]
    return lambda: eng._emit("knowledge_opened", now, data) and {"open": is_open, "stage": stage}


def op_knowledge_answer(eng: Engine, actor: str, args: dict[str, Any], now: float) -> Plan:
    seat = eng._seat(actor)
    stage = _text(args, "stage")
    if stage not in STAGES:
        raise CommandError("bad_args", said("'stage' is before or after"), "stage")
    if eng.state.knowledge_open != stage:
        raise CommandError(
            "bad_state",
            said("The before knowledge check is not open")
            if stage == "before"
            else said("The after knowledge check is not open"),
            "stage",
        )
    answers = args.get("answers")
    if not isinstance(answers, dict):
        raise CommandError("bad_args", said("'answers' must be a map"), "answers")
    role = role_of(seat)
    asked = {q.id: q for q in eng.scenario.questions_for(role)}
    clean: dict[str, str] = {}
    for k, v in answers.items():
        q = asked.get(k) if isinstance(k, str) else None
        if q is None:
            raise CommandError(
                "bad_args", said("No question '{id}' for this seat", id=str(k)[:60]), "answers"
            )
        if v not in q.choices:
            raise CommandError("bad_args", said("{id}: pick one of the choices", id=k), "answers")
        clean[k] = v
    who = hashlib.sha256(f"{eng.scenario.exercise.seed}:{seat}".encode()).hexdigest()[:10]
    data: dict[str, Any] = {"stage": stage, "answers": clean, "respondent": who, "role": role}
    if not eng.scenario.exercise.anonymous_survey:
        data["seat"] = seat
    # Staff-only: a seat never sees another's answers (nor learns them from the log).
    return lambda: eng._emit("knowledge_answer", now, data, ()) and {"ok": True}


# ------------------------------------------------------------------ hint cards
def op_hint_release(eng: Engine, actor: str, args: dict[str, Any], now: float) -> Plan:
    hid = _text(args, "id")
    hint = eng.scenario.hint(hid)
    if hint is None:
        raise CommandError("bad_args", said("Unknown hint '{id}'", id=hid), "id")
    if hid in eng.state.hints_released:
        raise CommandError("bad_state", said("Hint '{id}' was already released", id=hid), "id")
    to = args.get("to") or hint.to
    if not isinstance(to, list) or not all(isinstance(x, str) for x in to):
        raise CommandError("bad_args", said("'to' must list seats, countries or 'all'"), "to")
    seats = target_seats(eng.scenario, to)
    if not seats:
        raise CommandError("bad_args", said("No seat matches 'to'"), "to")
    data = {
        "id": None,
        "hint": hid,
        **message_fields(said("Hint: {title}", title=hint.title), "title"),
        "text": hint.text,
        "to": seats,
        "attachments": [],
        "by": "facilitator",
    }
    return lambda: eng._emit("inject", now, data, tuple(seats)) and {"hint": hid, "to": seats}


def react_hints(eng: Engine, now: float) -> None:
    """A hint whose condition became true is marked due for the facilitator (staff-only)."""
    from .scoring import trigger_request_test, trigger_true

    st = eng.state
    for h in eng.scenario.hints:
        if h.when is None or h.id in st.hints_due or h.id in st.hints_released:
            continue
        if h.when.not_sent is not None:
            if now < parse_duration(h.when.by or 0):
                continue  # "nothing sent by T" is decided at T ...
            if ("hint", h.id) in eng._false_upto:
                continue  # ... once: found false after T, it stays false
        # As injects' conditions: tested only on the requests changed since it was last
        # false, so per event the work follows what changed (issue 19).
        if eng._became_true(
            ("hint", h.id),
            partial(trigger_true, st, h.when),
            partial(trigger_request_test, st, h.when),
        ):
            eng._emit("hint_due", now, {"id": h.id, "title": h.title}, ())


# ------------------------------------------------------------------ the running order
def phase_wire(ph: Phase, index: int) -> dict[str, Any]:
    return {
        "id": ph.id,
        "name": ph.name,
        "index": index,
        "speed": ph.speed,
        "timebox": ph.timebox,
        "jumps": [{"seconds": parse_duration(j.by), "reason": j.reason} for j in ph.jumps],
        "notes": ph.notes,
    }


def begin_phase(eng: Engine, pid: str, t: float, by: str, timer: int | None = None) -> None:
    """A phase begins: staff learn it (with its timebox and planned jumps) and the clock
    takes the phase's speed."""
    st = eng.state
    index = next(i for i, ph in enumerate(eng.scenario.phases) if ph.id == pid)
    ph = eng.scenario.phases[index]
    eng._emit("phase_started", t, {**phase_wire(ph, index), "by": by}, (), timer)
    if ph.speed is not None and ph.speed != st.speed:
        eng._emit("clock", t, {"speed": float(ph.speed), "paused": st.paused, "phase": pid})


def phases_after_inject(eng: Engine, iid: str, t: float) -> None:
    for ph in eng.scenario.phases:
        if ph.after_inject == iid and ph.id not in eng.state.phases_started:
            begin_phase(eng, ph.id, t, "inject")


def op_phase_start(eng: Engine, actor: str, args: dict[str, Any], now: float) -> Plan:
    pid = _text(args, "id")
    if not any(ph.id == pid for ph in eng.scenario.phases):
        raise CommandError("bad_args", said("Unknown phase '{id}'", id=pid), "id")
    if eng.state.phase == pid:
        raise CommandError("bad_state", said("Phase '{id}' is the current one", id=pid), "id")

    def emit() -> dict[str, Any]:
        begin_phase(eng, pid, now, "facilitator")
        return {"phase": pid}

    return emit


def timebox_alarm(eng: Engine, now: float, pid: str, minutes: float) -> None:
    """The server measured the phase's wall time past its timebox (staff-only event)."""
    st = eng.state
    if st.phase != pid or pid in st.timebox_alarms:
        return
    ph = next(p for p in eng.scenario.phases if p.id == pid)
    eng._emit(
        "timebox_alarm",
        now,
        {"phase": pid, "name": ph.name, "timebox": ph.timebox, "minutes": round(minutes, 1)},
        (),
    )


OPS: dict[str, Callable[[Engine, str, dict[str, Any], float], Plan]] = {
    "knowledge.open": op_knowledge_open,
    "knowledge.answer": op_knowledge_answer,
    "hint.release": op_hint_release,
    "phase.start": op_phase_start,
}
STAFF_OPS = frozenset({"knowledge.open", "hint.release", "phase.start"})

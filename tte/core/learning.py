"""What a scenario adds to teach: the knowledge check, hint cards and the running order.

The scenario format (``KnowledgeQuestion``, ``Hint``, ``Phase``) lives in ``scenario``; this
module checks those blocks and scores the knowledge check. The engine's operations on them
are in ``teaching``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tte.i18n import said

from .scenario import Scenario
from .templates import ROLES

Bad = Callable[[str, str], None]
STAGES = ("before", "after")


def check_learning(
    sc: Scenario,
    bad: Bad,
    dur: Callable[[str, object], float | None],
    inj_ids: list[str],
    trig: Any,
) -> None:
    """The knowledge check, hints, phases and emergency items refer to what exists."""
    _check_questions(sc, bad)
    _check_hints(sc, bad, inj_ids, trig)
    _check_phases(sc, bad, dur, inj_ids)
    ev_ids = {e.id for e in sc.evidence}
    for i, inj in enumerate(sc.injects):
        for j, eid in enumerate(inj.effects.emergency_items):
            if eid not in ev_ids:
                bad(
                    f"injects[{i}].effects.emergency_items[{j}]",
                    said("unknown evidence {value}", value=repr(eid)),
                )
        if inj.effects.emergency_items and inj.effects.emergency is not True:
            bad(f"injects[{i}].effects.emergency_items", said("goes with 'emergency: true'"))


def _unique(kind: str, ids: Iterable[str], bad: Bad) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            bad(f"{kind}[{i}].id", said("duplicate id {value}", value=repr(x)))
        seen.add(x)


def _check_questions(sc: Scenario, bad: Bad) -> None:
    _unique("knowledge_check", (q.id for q in sc.knowledge_check), bad)
    for i, q in enumerate(sc.knowledge_check):
        p = f"knowledge_check[{i}]"
        if len(q.choices) < 2:
            bad(f"{p}.choices", said("a question needs at least two choices"))
        if len(set(q.choices)) != len(q.choices):
            bad(f"{p}.choices", said("the choices repeat one another"))
        if q.answer not in q.choices:
            bad(f"{p}.answer", said("{answer} is not one of the choices", answer=repr(q.answer)))
        for j, r in enumerate(q.roles):
            if r not in ROLES:
                bad(
                    f"{p}.roles[{j}]",
                    said(
                        "unknown role {value}; roles: {names}",
                        value=repr(r),
                        names=", ".join(ROLES),
                    ),
                )


def _check_hints(sc: Scenario, bad: Bad, inj_ids: list[str], trig: Any) -> None:
    from .scenario import target_seats

    _unique("hints", (h.id for h in sc.hints), bad)
    for i, h in enumerate(sc.hints):
        p = f"hints[{i}]"
        if not target_seats(sc, h.to):
            bad(f"{p}.to", said("names no seat (a seat 'RO/poc', a country, '*/poc' or 'all')"))
        if h.when is not None:
            trig(h.when, f"{p}.when", sc, inj_ids, bad)


def _check_phases(
    sc: Scenario, bad: Bad, dur: Callable[[str, object], float | None], inj_ids: list[str]
) -> None:
    _unique("phases", (ph.id for ph in sc.phases), bad)
    last = -1.0
    for i, ph in enumerate(sc.phases):
        p = f"phases[{i}]"
        if (ph.at is None) == (ph.after_inject is None):
            bad(p, said("give exactly one of 'at' (a game time) and 'after_inject'"))
        if ph.at is not None:
            t = dur(f"{p}.at", ph.at)
            if t is not None:
                if t < last:
                    bad(f"{p}.at", said("phases with a game time are listed in order"))
                last = t
        if ph.after_inject is not None and ph.after_inject not in inj_ids:
            bad(
                f"{p}.after_inject",
                said("unknown inject {value}", value=repr(ph.after_inject)),
            )
        if ph.speed is not None and not 0 < ph.speed <= 1_000_000:
            bad(f"{p}.speed", said("game seconds per wall second, above 0"))
        if ph.timebox is not None and not 0 < ph.timebox <= 24 * 60:
            bad(f"{p}.timebox", said("wall minutes, above 0 and at most a day"))
        for j, jp in enumerate(ph.jumps):
            t = dur(f"{p}.jumps[{j}].by", jp.by)
            if t is not None and t <= 0:
                bad(f"{p}.jumps[{j}].by", said("a jump goes forward"))
            if not jp.reason.strip():
                bad(f"{p}.jumps[{j}].reason", said("say why: the seats are told"))
    if sc.phases and sc.phases[0].at is None:
        bad("phases[0]", said("the first phase begins at a game time (usually 'at: 0')"))


# ---------------------------------------------------------------- the knowledge check
@dataclass
class Gain:
    """Right answers before and after, for one role or everyone."""

    before_right: int = 0
    before_asked: int = 0
    after_right: int = 0
    after_asked: int = 0

    @property
    def before(self) -> float | None:
        return self.before_right / self.before_asked if self.before_asked else None

    @property
    def after(self) -> float | None:
        return self.after_right / self.after_asked if self.after_asked else None

    @property
    def gain(self) -> float | None:
        b, a = self.before, self.after
        return None if b is None or a is None else a - b


@dataclass
class KnowledgeResult:
    overall: Gain = field(default_factory=Gain)
    by_role: dict[str, Gain] = field(default_factory=dict)
    by_question: dict[str, Gain] = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STAGES})


def knowledge_gain(sc: Scenario, answers: Iterable[dict[str, Any]]) -> KnowledgeResult:
    """Score ``knowledge_answer`` event data ``{stage, role, answers{id: choice}}``: the
    last submission of a respondent per stage counts (a seat may correct itself)."""
    right = {q.id: q.answer for q in sc.knowledge_check}
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for d in answers:
        last[(str(d.get("stage")), str(d.get("respondent")))] = d
    out = KnowledgeResult()
    for (stage, _who), d in sorted(last.items()):
        if stage not in STAGES:
            continue
        out.respondents[stage] += 1
        role = str(d.get("role") or "")
        for qid, choice in (d.get("answers") or {}).items():
            if qid not in right:
                continue
            ok = int(choice == right[qid])
            for g in (
                out.overall,
                out.by_role.setdefault(role, Gain()),
                out.by_question.setdefault(qid, Gain()),
            ):
                setattr(g, f"{stage}_asked", getattr(g, f"{stage}_asked") + 1)
                setattr(g, f"{stage}_right", getattr(g, f"{stage}_right") + ok)
    return out


def teaching_warnings(sc: Scenario) -> list[str]:
    """What `tte validate --pedagogy` says about the teaching aids (the file is sound)."""
    out: list[str] = []
    human_roles = sorted({s.split("/", 1)[1] for s in sc.human_seats()})
    if sc.knowledge_check:
        for role in human_roles:
            if not sc.questions_for(role):
                out.append(
                    said(
                        "knowledge_check asks no question of the {role} seats people take",
                        role=role,
                    )
                )
    for ph in sc.phases:
        if ph.timebox is None:
            out.append(
                said("phases: {phase} has no timebox (no alarm when it overruns)", phase=ph.id)
            )
    if not sc.hints:
        out.append(said("no hint cards: the facilitator has nothing prepared for a stuck team"))
    return out

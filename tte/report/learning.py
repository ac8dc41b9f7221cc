"""What a hot wash walks through: the session's wall clock beside game time, and one
section per learning point (each scenario objective: what happened, when, the article).

Pure functions of the scenario, the rebuilt state and the events (no I/O).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tte.core.events import Event
from tte.core.scenario import Objective, Scenario
from tte.core.scoring import objective_met
from tte.core.state import State
from tte.core.templates import TEMPLATES
from tte.i18n import N_, _, current

from .words import reason

# ---------------------------------------------------------------------------- wall clock


def wall_clock(scenario: Scenario, evs: list[Event]) -> Callable[[float], float]:
    """Game seconds -> wall seconds of the session since the start, on the facilitator's
    clock: running time at the speed of the moment, pauses and jumps take none. A log
    whose clock never ran (a headless ``tte simulate``) is read at the scenario's speed."""
    clocks = [e for e in evs if e.kind == "clock"]
    live = any(e.data.get("paused") is False for e in clocks)
    speed = float(scenario.exercise.speed) or 1.0
    if not live:
        return lambda t: max(0.0, t) / speed
    # Breakpoints (game t, wall at t, speed, running) from each clock change.
    points: list[tuple[float, float, float, bool]] = [(0.0, 0.0, speed, False)]
    for e in clocks:
        t0, w0, sp, running = points[-1]
        wall = w0 + ((e.t - t0) / sp if running else 0.0)
        sp = float(e.data.get("speed") or sp)
        running = e.data.get("paused") is False
        jump = float(e.data.get("jump") or 0.0)
        points.append((e.t, wall, sp, running))
        if jump:
            points.append((e.t + jump, wall, sp, running))
    keys = [p[0] for p in points]

    def wall_at(t: float) -> float:
        i = max(0, bisect_right(keys, t) - 1)
        t0, w0, sp, running = points[i]
        return w0 + ((t - t0) / sp if running else 0.0)

    return wall_at


def format_wall(seconds: float | None) -> str:
    """Session time as h:mm (wall clock since the start)."""
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


# ---------------------------------------------------------------------------- learning points


@dataclass
class Moment:
    t: float
    what: str


@dataclass
class LearningPoint:
    id: str
    title: str
    article: str
    weight: float
    met: bool
    met_at: float | None
    moments: list[Moment] = field(default_factory=list)
    guide: list[str] = field(default_factory=list)
    notes: str = ""
    item: str | None = None  # the evidence item it concerns, if any


_NUM = r"\d+(?:\(\d+\))?(?:\([a-z]\))?"
_ARTICLE = re.compile(
    rf"(?:BC|2AP) Arts? {_NUM}(?:(?:, ?|/|-| and ){_NUM}\b(?! Convention))*"
    r"|Regulation(?: \(EU\) 2023/1543)? Arts? \d+"
    r"|Directive 2014/41/EU(?: Arts? \d+)?"
    r"|1959 Convention|EU JIT rules"
)
# What an abbreviation in a title stands for, where no article is named.
_ACRONYMS = (
    ("EPOC-PR", "Regulation (EU) 2023/1543 Art 6"),
    ("EPOC", "Regulation (EU) 2023/1543 Art 5"),
    ("EIO", "Directive 2014/41/EU"),
    ("JIT", "EU JIT rules; 2AP Art 12"),
    ("MLA", "BC Art 31; 1959 Convention"),
)


def article_of(ob: Objective, sc: Scenario) -> str:
    """The legal basis an objective teaches: named in its title, else by what it measures."""
    named = [m.group(0).strip() for m in _ARTICLE.finditer(ob.title)]
    if named:
        return "; ".join(dict.fromkeys(named))
    templates = [v for v in ob.via if v in TEMPLATES]
    if ob.request_sent in TEMPLATES:
        templates.append(str(ob.request_sent))
    if templates:
        return "; ".join(dict.fromkeys(TEMPLATES[t].basis for t in templates))
    if "domestic order" in ob.title.lower():
        return TEMPLATES["domestic_order"].basis
    words = set(re.findall(r"[A-Z][A-Z-]+", ob.title))
    for word, basis in _ACRONYMS:
        if word in words:
            return basis
    if ob.evidence_preserved or ob.evidence_not_lost:
        return _("BC Art 29 (preservation)")
    if ob.jit_agreed:
        return TEMPLATES["jit_agreement"].basis
    if ob.evidence_admissible or ob.evidence_obtained:
        return _("BC Art 31 / Directive 2014/41/EU: a formal request for admissible evidence")
    return "—"


def _request(e: Event) -> dict[str, Any]:
    r = e.data.get("request")
    return r if isinstance(r, dict) else {}


_VERBS = {
    "request_returned": (N_("{id} returned"), N_("{id} returned: {why}")),
    "request_refused": (N_("{id} refused"), N_("{id} refused: {why}")),
    "request_fulfilled": (N_("{id} executed"), N_("{id} executed: {why}")),
    "request_expired": (
        N_("{id} unanswered within its legal limit"),
        N_("{id} unanswered within its legal limit: {why}"),
    ),
    "request_withdrawn": (N_("{id} withdrawn"), N_("{id} withdrawn: {why}")),
}


def _ground(code: Any) -> str:
    """A refusal ground's words (the code as it is when the catalogue has no words)."""
    from tte.core.templates import REFUSAL_GROUNDS

    if not code:
        return ""
    return _(REFUSAL_GROUNDS.get(str(code), str(code)))


def _item_of(ob: Objective) -> str | None:
    return (
        ob.evidence_preserved
        or ob.evidence_obtained
        or ob.evidence_admissible
        or ob.evidence_not_lost
        or ob.item
    )


def _moments(ob: Objective, sc: Scenario, evs: list[Event]) -> list[Moment]:
    """The events that concern the objective, in order: its item's fate and the players'
    requests about it (or, for a request objective, the requests of that kind)."""
    leads = set(sc.lead_countries)
    item = _item_of(ob)

    def concerns(r: dict[str, Any]) -> bool:
        if not r or (r.get("country") not in leads and not ob.request_sent):
            return False
        if ob.request_sent:
            if r.get("template") != ob.request_sent:
                return False
            if ob.to and (r.get("target") or {}).get("country") != ob.to:
                return False
            return not ob.item or ob.item in (r.get("evidence") or [])
        if ob.jit_agreed:
            return r.get("template") == "jit_agreement"
        return bool(item) and item in (r.get("evidence") or [])

    out: list[Moment] = []
    for e in evs:
        d, r = e.data, _request(e)
        if e.kind == "request_submitted" and concerns(r):
            title = _(TEMPLATES[r["template"]].title) if r.get("template") in TEMPLATES else ""
            sent = (
                _("{id} {title} sent by {sender} via {channel} (started by the scenario)")
                if d.get("inject")
                else _("{id} {title} sent by {sender} via {channel}")
            )
            text = sent.format(
                id=r.get("id"), title=title, sender=r.get("sender"), channel=r.get("channel")
            )
            out.append(Moment(e.t, text))
        elif e.kind in _VERBS and concerns(r):
            why = current().message(d) if d.get("message") else _ground(d.get("ground"))
            bare, with_why = _VERBS[e.kind]
            out.append(Moment(e.t, _(with_why if why else bare).format(id=d.get("id"), why=why)))
        elif e.kind == "objective_met":
            if d.get("id") == ob.id:
                out.append(Moment(e.t, _("objective met")))
        elif item and d.get("id") == item:
            if e.kind == "evidence_preserved":
                text = _("preserved for {country} ({request})").format(
                    country=d.get("country"), request=d.get("request")
                )
                out.append(Moment(e.t, text))
            elif e.kind == "evidence_deleted":
                why = reason(str(d.get("reason") or "retention"))
                out.append(Moment(e.t, _("deleted ({reason})").format(reason=why)))
            elif e.kind == "preservation_lapsed":
                out.append(Moment(e.t, _("its preservation lapsed")))
            elif e.kind == "evidence_obtained" and d.get("country") in leads:
                got = (
                    _("obtained by {country} via {via} (admissible)")
                    if d.get("admissible")
                    else _("obtained by {country} via {via} (not admissible)")
                )
                out.append(Moment(e.t, got.format(country=d.get("country"), via=d.get("via"))))
        elif e.kind == "tip_off" and item and (o := sc.item(item)) and o.holder == d.get("org_id"):
            told = _("{org} told its customer ({request})")
            out.append(Moment(e.t, told.format(org=d.get("org"), request=d.get("request"))))
    return out


def learning_points(
    sc: Scenario, st: State, evs: list[Event], met_at: dict[str, float | None]
) -> list[LearningPoint]:
    """One per scenario objective, in file order: every one has its section, met or not."""
    out: list[LearningPoint] = []
    for ob in sc.objectives:
        out.append(
            LearningPoint(
                id=ob.id,
                title=ob.title,
                article=article_of(ob, sc),
                weight=ob.weight,
                met=objective_met(st, ob),
                met_at=met_at.get(ob.id),
                moments=_moments(ob, sc, evs),
                guide=list(ob.guide),
                notes=ob.notes,
                item=_item_of(ob),
            )
        )
    return out

"""Every number of the after-action report, computed from a run's events: no I/O.

``compute(scenario, events)`` replays the events through the engine (``Engine.replay``) and
reads the rebuilt state and the events themselves. Times are game seconds since the
exercise start; renderers turn them into dates and durations. The improvement plan is
derived from these figures by the rules in :mod:`tte.report.plan`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import mean, median
from typing import Any

from tte.core.duration import format_span, parse_duration
from tte.core.engine import HSEEP, Engine
from tte.core.events import Event
from tte.core.rules import FORMAL_PATHS, country_of, role_of
from tte.core.rules.precision import PROBLEMS
from tte.core.scenario import Scenario
from tte.core.scoring import outcome
from tte.core.state import State
from tte.core.templates import REFUSAL_GROUNDS, ROLE_LABELS, TEMPLATES
from tte.i18n import _, current, scenario_text

from . import words
from .learning import LearningPoint, learning_points, wall_clock
from .reference import REFERENCES, Reference

REQUEST_KINDS = frozenset(
    {
        "request_submitted",
        "request_forwarded",
        "request_arrived",
        "request_returned",
        "request_amended",
        "request_refused",
        "request_fulfilled",
        "request_expired",
        "request_withdrawn",
    }
)
DECISION_KINDS = frozenset(
    {"request_forwarded", "request_returned", "request_refused", "request_fulfilled"}
)
ANSWERED = frozenset({"fulfilled", "refused"})


# ---------------------------------------------------------------------------- data shapes
@dataclass
class SeatRow:
    seat: str
    country: str
    role: str
    role_label: str
    played_by: str  # "human", "desk" or "human and desk"
    human_time: float  # game seconds with a human connected
    human_actions: int  # submissions and decisions while a human held the seat
    desk_actions: int  # decisions the engine took for the seat (or a scripted player's)


@dataclass
class ObjectiveRow:
    id: str
    title: str
    weight: float
    met: bool
    met_at: float | None


@dataclass
class Summary:
    scenario_id: str
    title: str
    start: dt.datetime  # game time zero
    end: dt.datetime  # game time of the last event
    played: float  # game seconds from start to the last event
    planned: float  # the scenario's duration
    events: int
    seats: list[SeatRow]
    humans: int  # seats a human played at some point
    desks: int  # seats only the engine played
    score: int
    objectives: list[ObjectiveRow]
    objectives_met: int
    evidence: dict[str, int]  # total, preserved, lost, obtained, admissible (scoring.outcome)
    requests: int
    answered: int


@dataclass
class RequestRow:
    id: str
    template: str
    title: str
    basis: str
    channel: str
    intended_channel: str
    wrong_channel: bool
    sender: str
    country: str
    role: str
    target: str
    target_country: str | None
    evidence: list[str]
    status: str
    ground: str | None
    message: str
    created: float
    sent: float | None  # left the sender's country
    received: float | None  # reached the requested Party
    answered: float | None  # fulfilled, refused, expired or withdrawn
    limit: float | None  # legal time limit for the answer
    returns: int
    sender_human: bool
    delivered: list[str] = field(default_factory=list)
    inject: str | None = None  # the scenario inject that started it (not a player's choice)

    @property
    def response(self) -> float | None:
        """Request to answer (fulfilled or refused); None while unanswered."""
        if self.answered is None or self.status not in ANSWERED:
            return None
        return self.answered - self.created

    @property
    def to_send(self) -> float | None:
        return None if self.sent is None else self.sent - self.created

    @property
    def in_transit(self) -> float | None:
        if self.sent is None or self.received is None:
            return None
        return self.received - self.sent

    @property
    def abroad(self) -> float | None:
        """From reaching the requested Party to the answer."""
        if self.received is None or self.answered is None:
            return None
        return self.answered - self.received

    def over_limit(self, end: float) -> bool | None:
        """Answered late, expired, or still open past the limit; None without a limit.
        The limit runs from receipt by the requested Party, which must act: the sender's
        own drafting and transit are not charged to it."""
        if self.limit is None:
            return None
        if self.status == "expired":
            return True
        start = self.received if self.received is not None else None
        if start is None:
            return False  # never reached the party that must act
        stop = self.answered if self.answered is not None else end
        return stop - start > self.limit


@dataclass
class TimeStats:
    key: tuple[str, ...]
    count: int  # requests in the group
    answered: int  # with a response time
    open: int  # unanswered at the end (pending, expired, withdrawn)
    median: float | None
    worst: float | None
    limit: float | None
    over_limit: int
    reference: Reference | None = None
    over_reference: int = 0


@dataclass
class HandlingRow:
    request: str
    template: str
    seat: str
    country: str
    role: str
    arrived: float
    decided: float
    decision: str  # forwarded, returned, refused, fulfilled
    by: str  # human, desk or facilitator

    @property
    def took(self) -> float:
        return self.decided - self.arrived


@dataclass
class ObtainedRow:
    country: str
    via: str
    t: float
    admissible: bool
    why_not: str


@dataclass
class EvidenceRow:
    id: str
    title: str
    kind: str
    holder: str
    holder_country: str | None
    deletes_at: float | None  # the provider's retention ends (scenario)
    preserved_at: float | None
    preservation_request: str | None
    deleted_at: float | None
    delete_reason: str
    lost: bool
    lateness: float | None  # how late the preservation came after the deletion
    margin: float | None  # how long before the deletion it was preserved
    preservation_note: str
    obtained: list[ObtainedRow]
    admissible: bool
    why_not: str
    sought: bool = True  # a lead country knew of it: its loss is the players' loss
    lead_obtained: bool = False  # a lead country obtained it (admissibly or not)
    # How a lead country may preserve it by the law between the pair: "preservation" (BC
    # Art 29 through the 24/7 network), "epoc_pr" (between member states), both or none
    preserve_with: tuple[str, ...] = ()


@dataclass
class Mistake:
    kind: str  # returned | refused | wrong_channel | expired | tip_off | lapsed | imprecise
    t: float
    request: str | None
    template: str | None
    sender: str | None
    by: str
    ground: str | None
    detail: str
    missing: list[str] = field(default_factory=list)


@dataclass
class QuestionResult:
    id: str
    text: str
    kind: str
    choices: list[str]
    counts: dict[str, int]  # scale "1".."5" or each choice -> answers
    answers: int
    mean: float | None
    texts: list[str]


@dataclass
class Survey:
    opened_at: float | None
    respondents: int
    submissions: int
    questions: list[QuestionResult]


@dataclass
class RatingRow:
    t: float
    objective: str
    objective_title: str
    rating: int
    label: str
    comment: str
    by: str


@dataclass
class PlanRow:
    finding: str
    recommendation: str
    owner: str
    basis: str = ""
    priority: int = 0  # 1 evidence lost ... 7 evaluators and participants (plan.py)


@dataclass
class BranchRow:
    """An inject on the timeline: released (by the schedule, a trigger, the facilitator)
    or skipped (by the facilitator, or its 'nothing sent by' condition failed)."""

    t: float
    inject: str
    title: str
    what: str  # released | skipped
    by: str  # schedule | trigger | facilitator | condition
    branch: bool  # conditional (a `when`): a branch the team's actions chose


@dataclass
class DebriefRow:
    title: str
    text: str
    article: str
    why: str  # the condition that chose it ("always" for an unconditional point)
    objective: str = ""  # the objective (learning point) it was chosen by, if any
    item: str = ""  # the evidence item its condition names, if any


@dataclass
class RequestText:
    """What a player's request said, field by field, and what came back as missing."""

    id: str
    template: str
    sender: str
    fields: list[tuple[str, str]]  # (label, value as written; "" when left empty)
    missing: list[str]  # labels of the elements returned as missing, over its life


@dataclass
class Report:
    scenario: Scenario
    events: list[Event]
    summary: Summary
    requests: list[RequestRow]
    by_type: list[TimeStats]  # key (template, channel)
    by_channel: list[TimeStats]  # key (channel,)
    by_country: list[TimeStats]  # key (sender country,)
    by_role: list[TimeStats]  # key (sender role,)
    handling: list[HandlingRow]
    handling_by_country: list[TimeStats]  # key (country, human|desk)
    handling_by_role: list[TimeStats]  # key (role, human|desk)
    evidence: list[EvidenceRow]
    mistakes: list[Mistake]
    survey: Survey
    ratings: list[RatingRow]
    plan: list[PlanRow] = field(default_factory=list)
    branches: list[BranchRow] = field(default_factory=list)
    debrief: list[DebriefRow] = field(default_factory=list)
    texts: list[RequestText] = field(default_factory=list)
    learning: list[LearningPoint] = field(default_factory=list)
    wall_of: Callable[[float], float] | None = None  # game t -> session wall seconds

    def game_time(self, t: float) -> dt.datetime:
        return self.scenario.game_datetime(t)

    def wall(self, t: float) -> float:
        """Wall seconds into the session at game time `t` (learning.wall_clock)."""
        if self.wall_of is None:
            return t / (float(self.scenario.exercise.speed) or 1.0)
        return self.wall_of(t)

    @property
    def end(self) -> float:
        return self.events[-1].t if self.events else 0.0


# ---------------------------------------------------------------------------- compute
def compute(scenario: Scenario, events: Sequence[Event]) -> Report:
    """All figures of a run; the events are those of one exercise, in sequence order."""
    evs = sorted(events, key=lambda e: e.seq)
    eng = Engine.replay(scenario, evs)
    st = eng.state
    end = evs[-1].t if evs else 0.0
    humans_at = _presence_tracker(evs)
    requests = _requests(st, evs, humans_at)
    handling = _handling(evs)
    evidence = _evidence(scenario, st, evs, requests)
    rep = Report(
        scenario=scenario,
        events=evs,
        summary=_summary(scenario, st, evs, requests, handling, humans_at),
        requests=requests,
        by_type=_stats(requests, lambda r: (r.template, r.channel), end, refs=True),
        by_channel=_stats(requests, lambda r: (r.channel,), end),
        by_country=_stats(requests, lambda r: (r.country,), end),
        by_role=_stats(requests, lambda r: (r.role,), end),
        handling=handling,
        handling_by_country=_handling_stats(handling, lambda h: (h.country, h.by)),
        handling_by_role=_handling_stats(handling, lambda h: (h.role, h.by)),
        evidence=evidence,
        mistakes=_mistakes(st, evs, requests, evidence),
        survey=_survey(scenario, evs),
        ratings=_ratings(scenario, evs),
    )
    from .plan import derive

    rep.plan = derive(rep)
    rep.branches = _branches(scenario, evs)
    rep.debrief = _debrief(scenario, st)
    rep.texts = _texts(st, evs, requests)
    rep.wall_of = wall_clock(scenario, evs)
    rep.learning = learning_points(
        scenario, st, evs, {o.id: o.met_at for o in rep.summary.objectives}
    )
    return rep


def _branches(scenario: Scenario, evs: list[Event]) -> list[BranchRow]:
    out: list[BranchRow] = []
    for e in evs:
        if e.kind not in ("inject", "inject_skipped") or not e.data.get("id"):
            continue
        inj = scenario.inject(str(e.data["id"]))
        if inj is None:
            continue
        what = "released" if e.kind == "inject" else "skipped"
        by = str(e.data.get("by") or ("facilitator" if what == "skipped" else ""))
        out.append(BranchRow(e.t, inj.id, inj.title, what, by, inj.when is not None))
    return out


def _debrief(scenario: Scenario, st: State) -> list[DebriefRow]:
    """The scenario's debrief points whose condition held at the end, in file order."""
    from tte.core.scoring import objective_met, trigger_true

    objectives = {o.id: o for o in scenario.objectives}
    out: list[DebriefRow] = []
    for d in scenario.debrief:
        if d.when is not None:
            held, why = trigger_true(st, d.when), _("condition held")
        elif d.objective_met is not None:
            held = objective_met(st, objectives[d.objective_met])
            why = _("objective {id} met").format(id=d.objective_met)
        elif d.objective_missed is not None:
            held = not objective_met(st, objectives[d.objective_missed])
            why = _("objective {id} missed").format(id=d.objective_missed)
        else:
            held, why = True, "always"
        if held:
            ob = d.objective_met or d.objective_missed or ""
            w = d.when
            item = (
                (w.evidence_lost or w.evidence_preserved or w.evidence_obtained or w.item or "")
                if w is not None
                else ""
            )
            out.append(DebriefRow(d.title, d.text, d.article, why, ob, item))
    return out


def _texts(st: State, evs: list[Event], requests: list[RequestRow]) -> list[RequestText]:
    """The players' requests as written (not those a scenario started), with every element
    a return named missing."""
    missing: dict[str, list[str]] = defaultdict(list)
    for e in evs:
        if e.kind == "request_returned":
            for m in e.data.get("missing") or []:
                if m not in missing[e.data["id"]]:
                    missing[e.data["id"]].append(str(m))
    out: list[RequestText] = []
    for row in requests:
        if row.inject is not None:
            continue
        r = st.requests[row.id]
        tpl = TEMPLATES[r.template]
        labels = {f.name: f.label for f in tpl.fields}
        fields = [(f.label, _written(r.fields.get(f.name))) for f in tpl.fields]
        out.append(
            RequestText(
                r.id,
                r.template,
                r.sender,
                fields,
                [labels.get(m, m) for m in missing[r.id]],
            )
        )
    return out


def _written(v: Any) -> str:
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    return "" if v is None else str(v)


class _Presence:
    """Who was human when: built from ``presence`` events."""

    def __init__(self) -> None:
        self.changes: dict[str, list[tuple[int, float, bool]]] = defaultdict(list)

    def human(self, seat: str, seq: int) -> bool:
        state = False
        for s, _t, h in self.changes.get(seat, []):
            if s > seq:
                break
            state = h
        return state

    def ever(self, seat: str) -> bool:
        return any(h for _s, _t, h in self.changes.get(seat, []))

    def time(self, seat: str, end: float) -> float:
        total, since = 0.0, None
        for _s, t, h in self.changes.get(seat, []):
            if h and since is None:
                since = t
            elif not h and since is not None:
                total += t - since
                since = None
        if since is not None:
            total += end - since
        return total


def _presence_tracker(evs: Iterable[Event]) -> _Presence:
    p = _Presence()
    for e in evs:
        if e.kind == "presence":
            p.changes[str(e.data["seat"])].append((e.seq, e.t, bool(e.data["human"])))
    return p


def _requests(st: State, evs: list[Event], humans: _Presence) -> list[RequestRow]:
    limits: dict[str, float | None] = {}
    submit_seq: dict[str, int] = {}
    started: dict[str, str] = {}
    returns: dict[str, int] = defaultdict(int)
    for e in evs:
        if e.kind == "request_submitted":
            rid = e.data["request"]["id"]
            lim = e.data.get("limit")
            limits[rid] = float(lim) if lim else None
            submit_seq[rid] = e.seq
            if e.data.get("inject"):
                started[rid] = str(e.data["inject"])
        elif e.kind == "request_returned":
            returns[e.data["id"]] += 1
    out: list[RequestRow] = []
    for r in sorted(st.requests.values(), key=lambda r: int(r.id.lstrip("R") or 0)):
        tpl = TEMPLATES[r.template]
        intended = tpl.channels[0]
        wrong = r.channel != intended and not (
            r.channel == "jit"
            and r.target.get("country")
            and st.jit_between(r.country, r.target["country"])
        )
        out.append(
            RequestRow(
                id=r.id,
                template=r.template,
                title=tpl.title,
                basis=tpl.basis,
                channel=r.channel,
                intended_channel=intended,
                wrong_channel=wrong,
                sender=r.sender,
                country=r.country,
                role=role_of(r.sender),
                target=str(r.target.get("ref", "")),
                target_country=r.target.get("country"),
                evidence=list(r.evidence),
                status=r.status,
                ground=r.ground,
                message=r.message,
                created=r.created,
                sent=r.sent_at,
                received=r.received_at,
                answered=r.answered_at,
                limit=limits.get(r.id),
                returns=returns[r.id],
                sender_human=humans.human(r.sender, submit_seq.get(r.id, 0)),
                delivered=list(r.delivered),
                inject=started.get(r.id),
            )
        )
    return out


def _group_stats(
    key: tuple[str, ...],
    times: list[float],
    count: int,
    limit: float | None,
    over: int,
    ref: Reference | None = None,
) -> TimeStats:
    over_ref = 0
    if ref is not None and ref.measures == "response" and ref.high is not None:
        over_ref = sum(1 for x in times if x > ref.high)
    return TimeStats(
        key=key,
        count=count,
        answered=len(times),
        open=count - len(times),
        median=median(times) if times else None,
        worst=max(times) if times else None,
        limit=limit,
        over_limit=over,
        reference=ref,
        over_reference=over_ref,
    )


def _stats(
    rows: list[RequestRow],
    key: Callable[[RequestRow], tuple[str, ...]],
    end: float,
    refs: bool = False,
) -> list[TimeStats]:
    groups: dict[tuple[str, ...], list[RequestRow]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    out = []
    for k in sorted(groups):
        rs = groups[k]
        times = [x for x in (r.response for r in rs) if x is not None]
        limits = {r.limit for r in rs}
        limit = limits.pop() if len(limits) == 1 else None
        over = sum(1 for r in rs if r.over_limit(end))
        ref = REFERENCES.get(k[0]) if refs else None
        out.append(_group_stats(k, times, len(rs), limit, over, ref))
    return out


def _actor_kind(by: str, seat: str) -> str:
    if by.startswith("desk:"):
        return "desk"
    if by == "facilitator":
        return "facilitator"
    return "human" if by == seat else "desk"


def _handling(evs: list[Event]) -> list[HandlingRow]:
    """How long each seat took to act on a request that reached it (arrival to decision)."""
    waiting: dict[str, tuple[str, float]] = {}
    templates: dict[str, str] = {}
    out: list[HandlingRow] = []
    for e in evs:
        if e.kind not in REQUEST_KINDS:
            continue
        snap = e.data.get("request") or {}
        rid = str(snap.get("id") or e.data.get("id"))
        if snap.get("template"):
            templates[rid] = snap["template"]
        if e.kind == "request_arrived":
            at = str(e.data.get("at", ""))
            if "/" in at:
                waiting[rid] = (at, e.t)
            else:
                waiting.pop(rid, None)
        elif e.kind in DECISION_KINDS and rid in waiting:
            seat, arrived = waiting.pop(rid)
            by = str(e.data.get("by", ""))
            out.append(
                HandlingRow(
                    request=rid,
                    template=templates.get(rid, ""),
                    seat=seat,
                    country=country_of(seat),
                    role=role_of(seat),
                    arrived=arrived,
                    decided=e.t,
                    decision=e.kind.removeprefix("request_"),
                    by=_actor_kind(by, seat),
                )
            )
        elif e.kind in ("request_expired", "request_withdrawn"):
            waiting.pop(rid, None)
    return out


def _handling_stats(
    rows: list[HandlingRow], key: Callable[[HandlingRow], tuple[str, ...]]
) -> list[TimeStats]:
    groups: dict[tuple[str, ...], list[float]] = defaultdict(list)
    for h in rows:
        groups[key(h)].append(h.took)
    return [_group_stats(k, groups[k], len(groups[k]), None, 0) for k in sorted(groups)]


def why_not_admissible(scenario: Scenario, eid: str, via: str) -> str:
    """Why evidence obtained through `via` does not count at trial ("" when it does)."""
    item = scenario.item(eid)
    kind = item.kind if item else "?"
    if via == "police_info":
        return _("obtained via police_info: intelligence only")
    if via == "spontaneous_info":
        return _("obtained as spontaneous information (BC Art 26): a lead only")
    if via == "traffic_disclosure":
        return _("obtained via expedited disclosure (BC Art 30): a lead to the next provider")
    if item is not None and item.admissible_via:
        return _("obtained via {via}: this item counts only via {paths}").format(
            via=via, paths=", ".join(item.admissible_via)
        )
    if via == "subscriber_order":
        return _(
            "obtained via subscriber_order: 2AP Art 7 covers subscriber data, not {kind}"
        ).format(kind=words.kind(kind))
    if via == "domain_registration":
        return _(
            "obtained via domain_registration: 2AP Art 6 covers registration data, not {kind}"
        ).format(kind=words.kind(kind))
    if via not in FORMAL_PATHS:
        return _("obtained via {via}: not a formal path (MLA, 2AP order or JIT)").format(via=via)
    return _("obtained via {via}").format(via=via)


def _evidence(
    sc: Scenario, st: State, evs: list[Event], requests: list[RequestRow]
) -> list[EvidenceRow]:
    leads = sc.lead_countries
    obtained: dict[str, list[ObtainedRow]] = defaultdict(list)
    reached: dict[str, float] = {}  # request id -> reached an organisation
    preserved_by: dict[str, str] = {}
    tip_request: dict[float, str] = {}
    for e in evs:
        d = e.data
        if e.kind == "evidence_obtained":
            adm = bool(d["admissible"])
            why = "" if adm else why_not_admissible(sc, d["id"], d["via"])
            obtained[d["id"]].append(ObtainedRow(d["country"], d["via"], e.t, adm, why))
        elif e.kind == "request_arrived" and "/" not in str(d.get("at", "")):
            reached.setdefault(d["id"], e.t)
        elif e.kind == "evidence_preserved":
            preserved_by.setdefault(d["id"], str(d.get("request", "")))
        elif e.kind == "tip_off":
            tip_request[e.t] = str(d.get("request", ""))
    out: list[EvidenceRow] = []
    for item in sc.evidence:
        it = st.items[item.id]
        org = sc.org(item.holder)
        deletes_at = parse_duration(item.deleted_at) if item.deleted_at is not None else None
        admissible = any(it.admissible_for(c) for c in leads)
        lost = it.deleted and not admissible
        asks = [
            r
            for r in requests
            if r.template in PRESERVING and item.id in r.evidence and r.country in leads
        ]
        lateness = margin = None
        if it.preserved_at is not None:
            note = _("preserved by {id}").format(id=preserved_by.get(item.id) or "?")
            if deletes_at is not None:
                margin = deletes_at - it.preserved_at
        elif it.deleted and it.delete_reason == "tipped_off":
            rid = tip_request.get(it.deleted_at or -1.0, "")
            note = _(
                "wiped by the suspect after a tip-off ({id}: no confidentiality asked)"
            ).format(id=rid)
        elif it.deleted:
            if asks:
                first = asks[0]
                done = first.answered if first.answered is not None else reached.get(first.id)
                if done is not None and it.deleted_at is not None:
                    lateness = max(0.0, done - it.deleted_at)
                    note = _("{id} came too late: the data was already deleted").format(id=first.id)
                else:
                    note = _("{id} had not reached the provider when the data was deleted").format(
                        id=first.id
                    )
                    if it.deleted_at is not None:
                        lateness = max(0.0, (evs[-1].t if evs else 0.0) - it.deleted_at)
            else:
                note = _("never asked to preserve")
        elif asks:
            note = _("preservation asked ({id}), not executed").format(id=asks[0].id)
        else:
            note = _("not preserved")
        rows = obtained.get(item.id, [])
        mine = [o for o in rows if o.country in leads]
        if admissible:
            why = ""
        elif mine:
            why = "; ".join(dict.fromkeys(o.why_not for o in mine if o.why_not))
        elif it.deleted:
            why = _("deleted ({reason}) before it was obtained").format(
                reason=words.reason(it.delete_reason)
            )
        else:
            why = _("never obtained through a formal request")
        out.append(
            EvidenceRow(
                id=item.id,
                title=scenario_text(sc.translations, item.title),  # the reader's language
                kind=item.kind,
                holder=org.name if org else item.holder,
                holder_country=org.country if org else None,
                deletes_at=deletes_at,
                preserved_at=it.preserved_at,
                preservation_request=preserved_by.get(item.id),
                deleted_at=it.deleted_at,
                delete_reason=it.delete_reason,
                lost=lost,
                lateness=lateness,
                margin=margin,
                preservation_note=note,
                obtained=rows,
                admissible=admissible,
                why_not=why,
                sought=any(c in it.known for c in leads),
                lead_obtained=bool(mine),
                preserve_with=_preserve_with(st, item.id),
            )
        )
    return out


# Requests that freeze data: BC Art 29 and the European Preservation Order.
PRESERVING = frozenset({"preservation", "epoc_pr"})


def _preserve_with(st: State, eid: str) -> tuple[str, ...]:
    """The preservation instruments a lead country that knows the item may use (the law
    between the pair: rules.legal_check, as a trained official knows it)."""
    from tte.core.policies import preservation_instruments

    sc = st.scenario
    item = sc.item(eid)
    org = sc.org(item.holder) if item else None
    if item is None or org is None:
        return ()
    for lead in sc.lead_countries:
        if lead in st.items[eid].known and org.country != lead:
            return tuple(preservation_instruments(st, lead, item))
    return ()


def ground_label(ground: str | None) -> str:
    if not ground:
        return ""
    if ground == "incomplete":
        return _("Incomplete: mandatory elements missing")
    return _(REFUSAL_GROUNDS.get(ground, ground))


def _mistakes(
    st: State, evs: list[Event], requests: list[RequestRow], evidence: list[EvidenceRow]
) -> list[Mistake]:
    by_id = {r.id: r for r in requests}
    leads = st.scenario.lead_countries
    out: list[Mistake] = []
    got: set[str] = set()  # items a lead country held admissibly, so far in the log
    held_for: dict[str, str] = {}  # item -> the country its preservation was for
    for ev in evidence:
        if ev.lost and ev.sought and ev.delete_reason == "retention":
            # the provider's retention ran out: never preserved, or preserved too late
            out.append(
                Mistake(
                    "lost",
                    ev.deleted_at or 0.0,
                    ev.preservation_request,
                    None,
                    None,
                    "clock",
                    None,
                    _("{item}: deleted by {holder}, {note}").format(
                        item=ev.title, holder=ev.holder, note=ev.preservation_note
                    ),
                )
            )
        police = [
            r for r in requests if r.inject is None and r.country in leads and ev.id in r.evidence
        ]
        if (
            ev.sought
            and not ev.admissible
            and police
            and all(r.template == "police_info" for r in police)
        ):
            # asked only the police: leads at best, never trial evidence
            out.append(
                Mistake(
                    "police_only",
                    police[0].created,
                    police[0].id,
                    police[0].template,
                    police[0].sender,
                    police[0].sender,
                    None,
                    _(
                        "{item}: asked for only through police cooperation ({ids}); no formal "
                        "request was sent"
                    ).format(item=ev.title, ids=", ".join(r.id for r in police)),
                )
            )
        if ev.lead_obtained and not ev.admissible:
            first = min(o.t for o in ev.obtained if o.country in leads)
            vias = ", ".join(dict.fromkeys(o.via for o in ev.obtained if o.country in leads))
            out.append(
                Mistake(
                    "intelligence",
                    first,
                    None,
                    None,
                    None,
                    vias,
                    None,
                    _(
                        "{item}: obtained through {vias} only, never by a formal request ({why})"
                    ).format(item=ev.title, vias=vias, why=ev.why_not),
                )
            )
    for r in requests:
        if r.wrong_channel and r.inject is None:
            out.append(
                Mistake(
                    "wrong_channel",
                    r.created,
                    r.id,
                    r.template,
                    r.sender,
                    r.sender,
                    None,
                    _("{title} sent through {channel}; the intended channel is {intended}").format(
                        title=_(r.title), channel=r.channel, intended=r.intended_channel
                    ),
                )
            )
    for e in evs:
        d = e.data
        rid = d.get("id") if e.kind.startswith("request_") else d.get("request")
        row = by_id.get(str(rid)) if rid else None
        if e.kind == "evidence_obtained" and e.data.get("admissible"):
            if e.data.get("country") in leads:
                got.add(str(e.data.get("id")))
        elif e.kind == "evidence_preserved" and e.data.get("country"):
            held_for[str(e.data.get("id"))] = str(e.data["country"])
        if row is not None and row.inject is not None:
            continue  # a request the scenario started: what befell it is not a player's mistake

        def add(kind: str, by: str, ground: str | None, detail: str, **kw: Any) -> None:
            out.append(_mistake(kind, e, row, by, ground, detail, **kw))  # noqa: B023

        if e.kind == "request_returned":
            missing = [str(m) for m in d.get("missing") or []]
            tpl = TEMPLATES.get(row.template if row else "")
            names = {f.name: f.label for f in tpl.fields} if tpl else {}
            labels = [names.get(m, m) for m in missing]
            detail = current().message(d) if d.get("message") else ""
            if labels and not detail:
                detail = _("Missing: {fields}").format(fields="; ".join(_(x) for x in labels))
            add("returned", str(d.get("by", "")), d.get("ground"), str(detail), missing=labels)
        elif e.kind == "request_refused":
            detail = current().message(d) if d.get("message") else ground_label(d.get("ground"))
            add("refused", str(d.get("by", "")), d.get("ground"), detail)
        elif e.kind == "request_fulfilled" and d.get("precision"):
            # What the holder could not match as the request named it (a wrong UTC offset,
            # no port behind carrier-grade NAT), learnt only when the answer came back.
            spent = format_span(e.t - row.created) if row else ""
            for miss in d["precision"]:
                item = st.scenario.item(str(miss.get("item")))
                title = (
                    scenario_text(st.scenario.translations, item.title)
                    if item
                    else str(miss.get("item"))
                )
                problem = _(str(PROBLEMS.get(str(miss.get("problem")), miss.get("problem"))))
                if miss.get("found"):
                    detail = (
                        _("{item}: {problem}; another customer's record came back after {span}")
                        if spent
                        else _("{item}: {problem}; another customer's record came back")
                    ).format(item=title, problem=problem, span=spent)
                else:
                    detail = (
                        _("{item}: {problem}; nothing came back after {span}")
                        if spent
                        else _("{item}: {problem}; nothing came back")
                    ).format(item=title, problem=problem, span=spent)
                add("imprecise", str(d.get("by", "")), str(miss.get("problem")), detail)
        elif e.kind == "request_expired":
            said = current().message(d) if d.get("message") else ""
            add("expired", "clock", None, said or _("No answer within the time limit"))
        elif e.kind == "tip_off":
            add(
                "tip_off",
                str(d.get("org", "")),
                "conditions",
                _(
                    "{org} told its customer: confidentiality was not requested (BC Art 27(8), 28)"
                ).format(org=d.get("org") or _("The provider")),
            )
        elif (
            e.kind == "preservation_lapsed"
            and str(d.get("id")) not in got
            and held_for.get(str(d.get("id"))) in leads
        ):
            # a lapse after the item was obtained costs nothing, and one of a desk-played
            # country's preservation is not the players': neither is a mistake
            add(
                "lapsed",
                "clock",
                None,
                _("Preservation of {id} lapsed with no production request executed").format(
                    id=d.get("id")
                ),
                about_request=False,
            )
    out.sort(key=lambda m: m.t)
    return out


def _mistake(
    kind: str,
    e: Event,
    row: RequestRow | None,
    by: str,
    ground: str | None,
    detail: str,
    missing: list[str] | None = None,
    about_request: bool = True,
) -> Mistake:
    mine = row if about_request else None
    return Mistake(
        kind,
        e.t,
        mine.id if mine else None,
        mine.template if mine else None,
        mine.sender if mine else None,
        by,
        ground,
        detail,
        missing or [],
    )


def _survey(sc: Scenario, evs: list[Event]) -> Survey:
    opened = next((e.t for e in evs if e.kind == "survey_opened" and e.data.get("open", 1)), None)
    latest: dict[str, dict[str, Any]] = {}  # respondent -> question -> last answer
    submissions = 0
    for e in evs:
        if e.kind != "survey_answer":
            continue
        submissions += 1
        who = str(e.data.get("respondent") or e.data.get("seat") or f"#{e.seq}")
        latest.setdefault(who, {}).update(e.data.get("answers") or {})
    questions = []
    for q in sc.survey:
        values = [a[q.id] for a in latest.values() if q.id in a]
        counts: dict[str, int] = {}
        avg = None
        texts: list[str] = []
        if q.kind == "scale":
            counts = {str(i): 0 for i in range(1, 6)}
            nums = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            for v in nums:
                counts[str(v)] = counts.get(str(v), 0) + 1
            avg = mean(nums) if nums else None
        elif q.kind == "choice":
            counts = {c: 0 for c in q.choices}
            for v in values:
                counts[str(v)] = counts.get(str(v), 0) + 1
        else:
            texts = [str(v) for v in values if str(v).strip()]
        questions.append(
            QuestionResult(q.id, q.text, q.kind, list(q.choices), counts, len(values), avg, texts)
        )
    return Survey(opened, len(latest), submissions, questions)


def _ratings(sc: Scenario, evs: list[Event]) -> list[RatingRow]:
    titles = {o.id: o.title for o in sc.objectives}
    out = []
    for e in evs:
        if e.kind == "rating":
            d = e.data
            rating = int(d.get("rating", 0))
            out.append(
                RatingRow(
                    e.t,
                    str(d.get("objective", "")),
                    titles.get(str(d.get("objective", "")), str(d.get("objective", ""))),
                    rating,
                    str(d.get("label") or HSEEP.get(rating, "")),
                    str(d.get("comment") or ""),
                    str(d.get("by", "")),
                )
            )
    return out


def _summary(
    sc: Scenario,
    st: State,
    evs: list[Event],
    requests: list[RequestRow],
    handling: list[HandlingRow],
    presence: _Presence,
) -> Summary:
    end = evs[-1].t if evs else 0.0
    res = outcome(st, len(evs))
    met_at = {e.data["id"]: e.t for e in evs if e.kind == "objective_met"}
    objectives = [
        ObjectiveRow(o.id, o.title, o.weight, row["met"], met_at.get(o.id))
        for o, row in zip(sc.objectives, res["objectives"], strict=True)
    ]
    actions: dict[tuple[str, str], int] = defaultdict(int)
    for r in requests:
        actions[(r.sender, "human" if r.sender_human else "desk")] += 1
    for h in handling:
        # A facilitator who answers for a seat is neither the person nor the desk there:
        # counting it as a desk action made a seat look "played by human and desk".
        if h.by in ("human", "desk"):
            actions[(h.seat, h.by)] += 1
    seats = []
    for seat in sc.seats():
        human = presence.ever(seat)
        desk = (not human) or actions[(seat, "desk")] > 0
        seats.append(
            SeatRow(
                seat=seat,
                country=country_of(seat),
                role=role_of(seat),
                role_label=ROLE_LABELS.get(role_of(seat), role_of(seat)),
                played_by="human and desk" if human and desk else ("human" if human else "desk"),
                human_time=presence.time(seat, end),
                human_actions=actions[(seat, "human")],
                desk_actions=actions[(seat, "desk")],
            )
        )
    humans = sum(1 for s in seats if s.played_by != "desk")
    return Summary(
        scenario_id=sc.exercise.id,
        title=sc.exercise.title,
        start=sc.game_datetime(0.0),
        end=sc.game_datetime(end),
        played=end,
        planned=parse_duration(sc.exercise.duration),
        events=len(evs),
        seats=seats,
        humans=humans,
        desks=len(seats) - humans,
        score=int(res["score"]),
        objectives=objectives,
        objectives_met=sum(1 for o in objectives if o.met),
        evidence=dict(res["evidence"]),
        requests=len(requests),
        answered=sum(1 for r in requests if r.response is not None),
    )

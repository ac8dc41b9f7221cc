"""Exercise state and ``fold``: the one function that changes it.

State is a plain mutable structure; ``fold(state, event)`` applies one event and returns the
state. Replaying the stored events of a run through ``fold`` rebuilds the same state (a
property test checks it), including the timer queue: timers are created and removed only
by folding events.

Work per event does not grow with the number of requests (issue 19): the fold keeps
indexes up to date as it goes (timers by reference, open requests by where they are and
per sender, the order in which requests last changed) instead of scanning every request
or timer. They are part of the state, rebuilt by replay like everything else.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tte.i18n.message import as_message
from tte.i18n.message import fields as message_fields

from .channels import Stop
from .duration import parse_duration
from .events import Event
from .obtainment import supersedes
from .scenario import Scenario

TERMINAL = frozenset({"fulfilled", "refused", "expired", "withdrawn"})


@dataclass
class Timer:
    id: int
    due: float
    kind: str  # arrive | desk | execute | retention | lapse | inject | expire
    ref: str  # request id, evidence id or inject id


@dataclass
class Request:
    id: str
    template: str
    channel: str
    sender: str  # seat id
    country: str
    target: dict[str, Any]  # Stop as a dict: kind, ref, country
    fields: dict[str, Any]
    evidence: list[str]
    ref: str | None
    route: list[dict[str, Any]]  # [{kind, ref, country, channel}]
    stop: int = 0  # index in route of where it is (or heads to, while in transit)
    status: str = "draft"
    in_transit: bool = False
    created: float = 0.0
    sent_at: float | None = None  # left the sender's country
    received_at: float | None = None  # reached the requested Party
    answered_at: float | None = None
    ground: str | None = None
    message: str = ""
    missing: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)  # evidence ids handed over
    limit: float | None = None  # legal time limit, run from receipt by the requested Party
    order: int = 0  # submission order (State.held lists it; presence follows it)
    held_at: str | None = None  # the State.held key it is filed under, while open
    filed_about: tuple[str, ...] = ()  # the State.open_about keys it is filed under

    def at(self) -> dict[str, Any]:
        return self.route[self.stop]

    def seats(self, upto: int | None = None) -> list[str]:
        """Seats on the route up to stop `upto` (default: the current stop, or the last one
        reached while the request travels: the next seat learns of it when it arrives)."""
        if upto is None:
            upto = self.stop - 1 if self.in_transit else self.stop
        last = upto
        out = [self.sender]
        for s in self.route[: last + 1]:
            if s["kind"] == "seat" and s["ref"] not in out:
                out.append(s["ref"])
        return out

    def snapshot(
        self,
        decisions: Sequence[str] = (),
        unfilled: Sequence[str] = (),
        words: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The request as events carry it; `decisions` are those its holder may take now,
        `unfilled` the mandatory elements left empty (tte.core.rules.decisions, which the
        engine asks)."""
        return {
            "id": self.id,
            "template": self.template,
            "channel": self.channel,
            "sender": self.sender,
            "country": self.country,
            "target": self.target,
            "fields": dict(self.fields),  # a copy: events must not change later
            "evidence": list(self.evidence),
            "ref": self.ref,
            "route": self.route,
            "stop": self.stop,
            "at": self.at()["ref"],
            "status": self.status,
            "in_transit": self.in_transit,
            "created": self.created,
            "sent_at": self.sent_at,
            "received_at": self.received_at,
            "answered_at": self.answered_at,
            "ground": self.ground,
            **message_fields(self.message),
            "missing": list(self.missing),
            "delivered": list(self.delivered),
            "decisions": list(decisions),
            "unfilled": list(unfilled),
            "words": dict(words or {}),
        }


@dataclass
class ItemState:
    id: str
    known: set[str] = field(default_factory=set)  # countries that know of it
    deleted: bool = False
    deleted_at: float | None = None
    delete_reason: str = ""
    retention_passed: bool = False
    preserved_until: float | None = None
    preserved_at: float | None = None
    preserved_for: str | None = None  # country that asked
    obtained: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # country -> {via, t, admissible}

    def admissible_for(self, country: str | None = None) -> bool:
        return any(
            o["admissible"] for c, o in self.obtained.items() if country is None or c == country
        )


@dataclass
class State:
    scenario: Scenario
    seq: int = 0
    now: float = 0.0
    started: bool = False
    end_warned: bool = False  # the seats were told the exercise's duration is nearly up
    ended: bool = False  # by the facilitator (exercise.end) or the scenario's duration
    speed: float = 60.0
    paused: bool = True
    emergency: bool = False
    emergency_items: frozenset[str] = frozenset()  # what it concerns (none named: any)
    mode: str = "coaching"  # coaching: warnings before sending; exam: none
    humans: set[str] = field(default_factory=set)
    requests: dict[str, Request] = field(default_factory=dict)
    items: dict[str, ItemState] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)  # live org behaviour
    injects: dict[str, str] = field(
        default_factory=dict
    )  # id -> pending|scheduled|released|skipped
    inject_times: dict[str, float] = field(default_factory=dict)
    adhoc: int = 0
    jits: list[tuple[str, str]] = field(default_factory=list)
    timers: dict[int, Timer] = field(default_factory=dict)
    heap: list[tuple[float, int]] = field(default_factory=list)
    next_timer: int = 1
    next_request: int = 1
    survey_open: bool = False
    knowledge_open: str | None = None  # the knowledge check stage open: before|after
    knowledge_answers: int = 0
    hints_released: set[str] = field(default_factory=set)
    hints_due: set[str] = field(default_factory=set)  # their condition came true
    phase: str | None = None  # the running order's current phase
    phases_started: set[str] = field(default_factory=set)
    timebox_alarms: set[str] = field(default_factory=set)
    survey_answers: int = 0
    ratings: int = 0
    objectives_met: dict[str, float] = field(default_factory=dict)
    tip_offs: list[dict[str, Any]] = field(default_factory=list)  # {request, org_id, t}
    # ---- indexes, kept by the fold (never scan every request or timer per event) ----
    timers_of: dict[str, dict[int, None]] = field(default_factory=dict)  # ref -> timer ids
    open_sent: dict[str, int] = field(default_factory=dict)  # sender seat -> open requests
    held: dict[str, dict[str, None]] = field(default_factory=dict)  # stop ref -> open ids
    touched: dict[str, int] = field(default_factory=dict)  # request id -> seq, oldest first
    tips_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # request -> tips
    open_about: dict[str, dict[str, None]] = field(default_factory=dict)  # item -> open ids

    # ---- timers ----
    def add_timer(self, due: float, kind: str, ref: str) -> int:
        tid = self.next_timer
        self.next_timer += 1
        self.timers[tid] = Timer(tid, due, kind, ref)
        self.timers_of.setdefault(ref, {})[tid] = None
        heapq.heappush(self.heap, (due, tid))
        return tid

    def drop_timer(self, tid: int) -> None:
        tm = self.timers.pop(tid, None)
        if tm is not None:
            mine = self.timers_of[tm.ref]
            del mine[tid]
            if not mine:
                del self.timers_of[tm.ref]

    def cancel_timers(self, kind: str, ref: str) -> None:
        for tid in [t for t in self.timers_of.get(ref, ()) if self.timers[t].kind == kind]:
            self.drop_timer(tid)

    def timers_for(self, ref: str) -> list[Timer]:
        """The pending timers about `ref` (a request, item or inject id)."""
        return [self.timers[t] for t in self.timers_of.get(ref, ())]

    def open_requests_of(self, seat: str) -> int:
        """Requests `seat` sent that are not closed yet."""
        return self.open_sent.get(seat, 0)

    def open_requests_about(self, eid: str) -> list[Request]:
        """Open requests that name the evidence item `eid`."""
        return [self.requests[rid] for rid in self.open_about.get(eid, ())]

    def held_by(self, ref: str) -> list[Request]:
        """Open requests at (or on their way to) the stop `ref`, in submission order."""
        rs = [self.requests[rid] for rid in self.held.get(ref, ())]
        rs.sort(key=lambda r: r.order)
        return rs

    def peek_timer(self) -> Timer | None:
        while self.heap:
            _due, tid = self.heap[0]
            if tid in self.timers:
                return self.timers[tid]
            heapq.heappop(self.heap)
        return None

    def jit_between(self, a: str, b: str) -> bool:
        return (a, b) in self.jits or (b, a) in self.jits

    def is_human(self, seat: str) -> bool:
        return seat in self.humans


def initial_state(sc: Scenario) -> State:
    st = State(scenario=sc, speed=sc.exercise.speed, mode=sc.exercise.mode)
    for e in sc.evidence:
        st.items[e.id] = ItemState(e.id, known=set(e.known_to))
    for o in sc.organisations:
        st.orgs[o.id] = {
            "tips_off": o.tips_off,
            "accepts_art6": o.accepts_art6,
            "accepts_art7": o.accepts_art7,
            "answer_delay": parse_duration(o.answer_delay),
        }
    for i in sc.injects:
        st.injects[i.id] = "pending"
    return st


def _request_from(d: dict[str, Any]) -> Request:
    return Request(
        id=d["id"],
        template=d["template"],
        channel=d["channel"],
        sender=d["sender"],
        country=d["country"],
        target=d["target"],
        fields=dict(d["fields"]),
        evidence=list(d["evidence"]),
        ref=d.get("ref"),
        route=[dict(s) for s in d["route"]],
        created=d["created"],
    )


def _schedule_desk_or_execute(st: State, r: Request) -> None:
    """Once a request is at a stop: a desk seat, an organisation or a body acts on a timer,
    after the delay the rules set (rules.timing)."""
    from .rules import timing  # rules read the state: imported late, not at module load

    stop = r.at()
    if stop["kind"] == "seat":
        if not st.is_human(stop["ref"]) and r.stop > 0:
            role = stop["ref"].split("/", 1)[1]
            st.add_timer(st.now + timing.desk_delay(st, r, role), "desk", r.id)
    elif stop["kind"] == "org":
        st.add_timer(st.now + timing.provider_delay(st, r, stop["ref"]), "execute", r.id)
    else:
        st.add_timer(st.now + _body_delay(st, stop["ref"]), "execute", r.id)


def _body_delay(st: State, body: str) -> float:
    for b in st.scenario.bodies:
        if b.id == body:
            return parse_duration(b.answer_delay)
    return 2 * 86400.0


def fold(st: State, ev: Event) -> State:
    """Apply one event. Deterministic; the only place state changes."""
    if ev.seq <= st.seq:
        raise ValueError(f"event seq {ev.seq} is not after {st.seq}")
    st.seq = ev.seq
    st.now = max(st.now, ev.t)
    if ev.timer is not None:
        st.drop_timer(ev.timer)
    handler = _FOLDERS.get(ev.kind)
    if handler is not None:
        handler(st, ev.data)
    return st


def _started(st: State, d: dict[str, Any]) -> None:
    st.started = True
    sc = st.scenario
    for e in sc.evidence:
        if e.deleted_at is not None:
            st.add_timer(parse_duration(e.deleted_at), "retention", e.id)
    for i in sc.injects:
        due = None
        if i.at is not None:
            due = parse_duration(i.at)
        elif i.when is not None and i.when.not_sent is not None and i.when.by is not None:
            # "nothing sent by T" is decided at T (the timer checks the condition then)
            due = parse_duration(i.when.by) + parse_duration(i.delay)
        if due is not None:
            st.injects[i.id] = "scheduled"
            st.inject_times[i.id] = due
            st.add_timer(due, "inject", i.id)
    for ph in sc.phases:  # the running order's steps that begin at a game time
        if ph.at is not None:
            st.add_timer(parse_duration(ph.at), "phase", ph.id)


def _clock(st: State, d: dict[str, Any]) -> None:
    st.speed = float(d.get("speed", st.speed))
    st.paused = bool(d.get("paused", st.paused))


def _presence(st: State, d: dict[str, Any]) -> None:
    seat = d["seat"]
    if d["human"]:
        st.humans.add(seat)
        # A human takes over: the desk's pending decisions for this seat are dropped.
        for r in st.held_by(seat):
            if r.status not in TERMINAL and not r.in_transit and r.at()["ref"] == seat:
                st.cancel_timers("desk", r.id)
    else:
        st.humans.discard(seat)
        for r in st.held_by(seat):
            if (
                r.status not in TERMINAL
                and not r.in_transit
                and r.stop > 0
                and r.at()["ref"] == seat
                and r.status not in ("returned",)
            ):
                st.cancel_timers("desk", r.id)
                _schedule_desk_or_execute(st, r)


def _submitted(st: State, d: dict[str, Any]) -> None:
    r = _request_from(d["request"])
    r.order = len(st.requests)
    st.requests[r.id] = r
    st.next_request = max(st.next_request, int(r.id.lstrip("R")) + 1)
    r.history.append({"t": st.now, "what": "submitted", "by": r.sender})
    _depart(st, r, d)
    limit = d.get("limit")
    r.limit = float(limit) if limit else None
    if r.limit and all(s["country"] == r.country for s in r.route):
        st.add_timer(st.now + r.limit, "expire", r.id)  # never leaves: from submission
    _filed(st, r)


def _filed(st: State, r: Request) -> None:
    """Keep the indexes of `r` after a fold changed it: where it is held while open, its
    sender's count of open requests, the items it names while open, and the order of
    last changes."""
    key = None if r.status in TERMINAL else r.at()["ref"]
    if key != r.held_at:
        if r.held_at is not None:
            mine = st.held[r.held_at]
            del mine[r.id]
            if not mine:
                del st.held[r.held_at]
        if key is not None:
            st.held.setdefault(key, {})[r.id] = None
        if (key is None) != (r.held_at is None):  # opened or closed
            n = st.open_sent.get(r.sender, 0) + (1 if key is not None else -1)
            if n:
                st.open_sent[r.sender] = n
            else:
                del st.open_sent[r.sender]
        r.held_at = key
    about = tuple(dict.fromkeys(r.evidence)) if key is not None else ()
    if about != r.filed_about:
        for eid in r.filed_about:
            mine = st.open_about[eid]
            del mine[r.id]
            if not mine:
                del st.open_about[eid]
        for eid in about:
            st.open_about.setdefault(eid, {})[r.id] = None
        r.filed_about = about
    st.touched.pop(r.id, None)
    st.touched[r.id] = st.seq


def _start_limit(st: State, r: Request) -> None:
    """A legal time limit binds the party that must act: it runs from receipt by the
    requested Party, not from the sender's drafting (2AP Art 7(7): "within 30 days of
    receipt of the order"; Art 8(6): 45 days after the requested Party receives it)."""
    if r.limit:
        st.add_timer(st.now + r.limit, "expire", r.id)


def _depart(st: State, r: Request, d: dict[str, Any]) -> None:
    """The request leaves its current stop for the next one."""
    r.in_transit = True
    r.stop += 1
    nxt = r.route[r.stop]
    if nxt["country"] != r.country and r.sent_at is None:
        r.sent_at = st.now
    r.status = "draft" if nxt["country"] == r.country and nxt["kind"] == "seat" else "sent"
    if nxt["kind"] != "seat" and nxt["country"] == r.country:
        r.status = "sent"
    st.add_timer(float(d["due"]), "arrive", r.id)


def _forwarded(st: State, d: dict[str, Any]) -> None:
    r = st.requests[d["id"]]
    st.cancel_timers("desk", r.id)
    r.history.append({"t": st.now, "what": d.get("what", "forwarded"), "by": d["by"]})
    # A note is for the next stop only ("urgent: logs rotate on Friday"): a forward without
    # one clears it, so a domestic note never travels abroad with the request.
    r.message = as_message(d) if d.get("message") else ""
    if r.message:
        r.history[-1]["message"] = str(r.message)
    if d.get("fields"):
        r.fields.update(d["fields"])
    _depart(st, r, d)
    _filed(st, r)


def _arrived(st: State, d: dict[str, Any]) -> None:
    r = st.requests[d["id"]]
    r.in_transit = False
    stop = r.at()
    if stop["country"] != r.country and r.received_at is None:
        r.received_at = st.now
        _start_limit(st, r)
    if stop["kind"] == "seat":
        r.status = "draft" if stop["country"] == r.country else "received"
    else:
        r.status = "executing"
    r.history.append({"t": st.now, "what": "arrived", "at": stop["ref"]})
    _schedule_desk_or_execute(st, r)
    _filed(st, r)


def _returned(st: State, d: dict[str, Any]) -> None:
    r = st.requests[d["id"]]
    st.cancel_timers("desk", r.id)
    st.cancel_timers("execute", r.id)
    r.status = "returned"
    r.ground = d.get("ground")
    r.message = as_message(d)
    r.missing = list(d.get("missing", []))
    r.history.append({"t": st.now, "what": "returned", "by": d["by"], "missing": r.missing})
    _filed(st, r)


def _amended(st: State, d: dict[str, Any]) -> None:
    r = st.requests[d["id"]]
    r.fields.update(d["fields"])
    if "evidence" in d:
        r.evidence = list(d["evidence"])
    r.stop = 0
    r.missing = []
    r.ground = None
    r.message = ""
    r.history.append({"t": st.now, "what": "amended", "by": d["by"]})
    _depart(st, r, d)
    _filed(st, r)


def _closed(status: str) -> Any:
    def fold_close(st: State, d: dict[str, Any]) -> None:
        r = st.requests[d["id"]]
        for kind in ("desk", "execute", "arrive", "expire"):
            st.cancel_timers(kind, r.id)
        r.status = status
        r.in_transit = False
        r.answered_at = st.now
        r.ground = d.get("ground", r.ground)
        r.message = as_message(d)
        r.delivered = list(d.get("delivered", r.delivered))
        r.history.append({"t": st.now, "what": status, "by": d.get("by", "")})
        _filed(st, r)

    return fold_close


def _known(st: State, d: dict[str, Any]) -> None:
    st.items[d["id"]].known.update(d["countries"])


def _preserved(st: State, d: dict[str, Any]) -> None:
    it = st.items[d["id"]]
    if it.preserved_at is None:
        it.preserved_at = st.now
    it.preserved_until = float(d["until"])
    it.preserved_for = d.get("country")
    st.cancel_timers("lapse", it.id)
    st.add_timer(it.preserved_until, "lapse", it.id)


def _lapsed(st: State, d: dict[str, Any]) -> None:
    it = st.items[d["id"]]
    it.preserved_until = None


def _retention(st: State, d: dict[str, Any]) -> None:
    st.items[d["id"]].retention_passed = True


def _deleted(st: State, d: dict[str, Any]) -> None:
    it = st.items[d["id"]]
    it.deleted = True
    it.deleted_at = st.now
    it.delete_reason = d.get("reason", "")
    it.preserved_until = None
    st.cancel_timers("lapse", it.id)
    st.cancel_timers("retention", it.id)


def _obtained(st: State, d: dict[str, Any]) -> None:
    it = st.items[d["id"]]
    if supersedes(it.obtained.get(d["country"]), d["admissible"]):
        it.obtained[d["country"]] = {"via": d["via"], "t": st.now, "admissible": d["admissible"]}


def _inject(st: State, d: dict[str, Any]) -> None:
    iid = d.get("id")
    if iid and iid in st.injects:
        st.injects[iid] = "released"
        st.cancel_timers("inject", iid)
    elif d.get("adhoc"):
        st.adhoc += 1
    if d.get("hint"):
        st.hints_released.add(str(d["hint"]))
    eff = d.get("effects") or {}
    if eff.get("emergency") is not None:
        st.emergency = bool(eff["emergency"])
        st.emergency_items = frozenset(eff.get("emergency_items") or ())
    org = eff.get("org")
    if org:
        for k in ("tips_off", "accepts_art6", "accepts_art7"):
            if eff.get(k) is not None:
                st.orgs[org][k] = eff[k]
        if eff.get("answer_delay") is not None:
            st.orgs[org]["answer_delay"] = parse_duration(eff["answer_delay"])


def _inject_scheduled(st: State, d: dict[str, Any]) -> None:
    st.injects[d["id"]] = "scheduled"
    st.inject_times[d["id"]] = float(d["due"])
    st.cancel_timers("inject", d["id"])
    st.add_timer(float(d["due"]), "inject", d["id"])


def _inject_skipped(st: State, d: dict[str, Any]) -> None:
    st.injects[d["id"]] = "skipped"
    st.cancel_timers("inject", d["id"])


def _jit(st: State, d: dict[str, Any]) -> None:
    pair = (d["countries"][0], d["countries"][1])
    if not st.jit_between(*pair):
        st.jits.append(pair)


def _emergency(st: State, d: dict[str, Any]) -> None:
    st.emergency = bool(d["emergency"])
    st.emergency_items = frozenset(d.get("items") or ()) if st.emergency else frozenset()


def _knowledge_opened(st: State, d: dict[str, Any]) -> None:
    st.knowledge_open = str(d["stage"]) if d.get("open", True) else None


def _knowledge_answer(st: State, d: dict[str, Any]) -> None:
    st.knowledge_answers += 1


def _hint_due(st: State, d: dict[str, Any]) -> None:
    st.hints_due.add(str(d["id"]))


def _phase_started(st: State, d: dict[str, Any]) -> None:
    st.phase = str(d["id"])
    st.phases_started.add(st.phase)
    st.cancel_timers("phase", st.phase)


def _timebox_alarm(st: State, d: dict[str, Any]) -> None:
    st.timebox_alarms.add(str(d["phase"]))


def _ending(st: State, d: dict[str, Any]) -> None:
    st.end_warned = True


def _ended(st: State, d: dict[str, Any]) -> None:
    st.end_warned = st.ended = True


def _mode(st: State, d: dict[str, Any]) -> None:
    st.mode = str(d["mode"])


def _survey_opened(st: State, d: dict[str, Any]) -> None:
    st.survey_open = bool(d.get("open", True))


def _survey_answer(st: State, d: dict[str, Any]) -> None:
    st.survey_answers += 1


def _rating(st: State, d: dict[str, Any]) -> None:
    st.ratings += 1


def _objective(st: State, d: dict[str, Any]) -> None:
    st.objectives_met.setdefault(d["id"], st.now)


def _tip_off(st: State, d: dict[str, Any]) -> None:
    tip = {"request": d.get("request"), "org_id": d.get("org_id"), "t": st.now}
    st.tip_offs.append(tip)
    rid = tip["request"]
    r = st.requests.get(rid) if isinstance(rid, str) else None
    if r is not None:  # a tip is news about its request (scoring's tip_off trigger)
        st.tips_of.setdefault(r.id, []).append(tip)
        st.touched.pop(r.id, None)
        st.touched[r.id] = st.seq


def _timer_only(st: State, d: dict[str, Any]) -> None:
    """Events whose only effect is to consume their timer (handled in fold)."""


_FOLDERS: dict[str, Any] = {
    "exercise_started": _started,
    "clock": _clock,
    "presence": _presence,
    "request_submitted": _submitted,
    "request_forwarded": _forwarded,
    "request_arrived": _arrived,
    "request_returned": _returned,
    "request_amended": _amended,
    "request_refused": _closed("refused"),
    "request_fulfilled": _closed("fulfilled"),
    "request_expired": _closed("expired"),
    "request_withdrawn": _closed("withdrawn"),
    "evidence_known": _known,
    "evidence_preserved": _preserved,
    "preservation_lapsed": _lapsed,
    "retention_passed": _retention,
    "evidence_deleted": _deleted,
    "evidence_obtained": _obtained,
    "inject": _inject,
    "inject_scheduled": _inject_scheduled,
    "inject_skipped": _inject_skipped,
    "jit_agreed": _jit,
    "emergency": _emergency,
    "mode": _mode,
    "exercise_ending": _ending,
    "exercise_ended": _ended,
    "survey_opened": _survey_opened,
    "knowledge_opened": _knowledge_opened,
    "knowledge_answer": _knowledge_answer,
    "hint_due": _hint_due,
    "phase_started": _phase_started,
    "timebox_alarm": _timebox_alarm,
    "survey_answer": _survey_answer,
    "rating": _rating,
    "objective_met": _objective,
    "lead": _timer_only,
    "tip_off": _tip_off,
    "note": _timer_only,
    "notification": _timer_only,
    "timer_skipped": _timer_only,
}

KNOWN_EVENT_KINDS = frozenset(_FOLDERS)
__all__ = ["KNOWN_EVENT_KINDS", "TERMINAL", "ItemState", "Request", "State", "Stop", "fold"]

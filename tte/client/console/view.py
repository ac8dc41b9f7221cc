"""The facilitator's picture of the exercise, folded from the wire: no UI, no I/O.

The facilitator sees every event, and the engine makes events self-describing (request
events carry the request's snapshot, evidence events the item), so the console needs no
copy of the engine. Each change marks what it touched in ``dirty``; the app redraws only
those rows, in batches, which keeps a busy 200-seat exercise cheap to display.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tte import protocol as p
from tte.client.fold import Clock, SnapshotRow, record_obtained
from tte.core.events import Event
from tte.core.scenario import Scenario
from tte.core.templates import TEMPLATES
from tte.i18n import _, add_scenario_texts, current, scenario_text

from . import teaching
from .fmt import actor
from .teaching import Teaching

LOG_MAX = 5000  # events kept for the log tail; older ones are in the server's event log


@dataclass
class SeatRow:
    seat: str
    country: str | None
    role: str
    code: str = ""
    human: bool = False  # a person holds the seat now (presence events)
    planned_human: bool = False  # the scenario expects a person here
    connections: int | None = None  # None: unknown (no roster from the server yet)
    clients: list[str] = field(default_factory=list)  # hello `client` of each connection
    last_action: float | None = None  # game time of the seat's last move (a request event by it)

    @property
    def ssh(self) -> int:
        """Connections that came through the SSH gateway."""
        return sum(1 for c in self.clients if is_ssh(c))


@dataclass
class InjectRow:
    id: str
    title: str
    to: list[str]
    text: str = ""
    at: float | None = None
    when: dict[str, Any] | None = None
    manual: bool = False
    notes: str = ""
    expected: str = ""
    status: str = "pending"  # pending | scheduled | released | skipped
    due: float | None = None
    released_at: float | None = None
    by: str = ""
    seats: list[str] = field(default_factory=list)  # who got it, once released
    adhoc: bool = False


@dataclass
class RequestRow(SnapshotRow):
    id: str
    limit: float | None = None
    last_kind: str = ""
    last_by: str = ""
    updated: float = 0.0

    @property
    def status(self) -> p.RequestStatus:
        return self.req.status

    @property
    def open(self) -> bool:
        """Not answered (core stamps `answered_at` when it closes) nor back with its
        sender."""
        return self.req.answered_at is None and self.status != "returned"

    @property
    def stop(self) -> p.StopView:
        """Where it is (or heads to, while in transit)."""
        route, i = self.req.route, self.req.stop
        return route[i] if 0 <= i < len(route) else p.StopView()


@dataclass
class ItemRow:
    id: str
    title: str
    kind: str
    holder: str
    holder_name: str
    country: str | None
    deletes_at: float | None
    deleted: bool = False
    deleted_at: float | None = None
    delete_reason: str = ""
    preserved_until: float | None = None
    preserved_for: str | None = None
    retention_passed: bool = False
    known: set[str] = field(default_factory=set)
    obtained: dict[str, dict[str, Any]] = field(default_factory=dict)  # country -> via/t/adm

    @property
    def admissible(self) -> bool:
        return any(o["admissible"] for o in self.obtained.values())

    def admissible_for(self, countries: list[str]) -> bool:
        return any(o["admissible"] for c, o in self.obtained.items() if c in countries)


@dataclass
class ObjectiveRow:
    id: str
    title: str
    weight: float
    notes: str = ""
    met_at: float | None = None
    # evidence_not_lost objectives are judged at the end, so no objective_met event comes
    # for them; the live score counts them met while the item is not lost. The condition
    # comes with the facilitator's welcome.
    not_lost: str | None = None
    countries: list[str] = field(default_factory=list)
    rating: dict[str, Any] | None = None  # the latest evaluator rating (event data)
    guide: list[str] = field(default_factory=list)  # critical tasks an evaluator looks for


@dataclass
class LogEntry:
    seq: int
    t: float
    kind: str
    tags: frozenset[str]  # seat ids and country codes the event concerns
    text: str  # in the reader's language
    jumped: bool = False  # a clock jump (the projector shows those, whatever the language)

    def matches(self, seat: str, kind: str) -> bool:
        if kind and kind.lower() not in self.kind:
            return False
        if not seat or "*" in self.tags:  # clock changes and the like concern every seat
            return True
        seat = seat.strip()
        if "/" in seat:
            return seat in self.tags or seat.split("/", 1)[0] in self.tags
        return seat.upper() in self.tags or any(t.startswith(seat.upper() + "/") for t in self.tags)


@dataclass
class Dirty:
    """What changed since the UI last drew."""

    seats: set[str] = field(default_factory=set)
    injects: set[str] = field(default_factory=set)
    requests: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    objectives: bool = False
    log: list[LogEntry] = field(default_factory=list)
    clock: bool = False
    info: bool = False  # a welcome: the exercise description changed

    def any(self) -> bool:
        return bool(
            self.seats
            or self.injects
            or self.requests
            or self.items
            or self.objectives
            or self.log
            or self.clock
            or self.info
        )


class ConsoleView:
    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario
        self.info: dict[str, Any] = {}
        self.welcomed = False
        self.clock = Clock()
        self.start: datetime | None = None
        self.seats: dict[str, SeatRow] = {}
        self.injects: dict[str, InjectRow] = {}
        self.requests: dict[str, RequestRow] = {}
        self.items: dict[str, ItemRow] = {}
        self.objectives: dict[str, ObjectiveRow] = {}
        self.log: deque[LogEntry] = deque(maxlen=LOG_MAX)
        self.survey_open = False
        self.survey_answers = 0
        self.emergency = False
        self.emergency_reason = ""
        self.emergency_at: float | None = None
        self.emergency_items: list[str] = []  # titles of what it concerns (none: any)
        self.mode = "coaching"  # exam: players get no warnings before sending
        self.ended: dict[str, Any] | None = None  # exercise_ended's data: by, reason, debrief
        self.ratings = 0
        self.urls: list[str] = []  # join URLs, from roster.get
        self.events: list[Event] = []  # every event, for the after-action figures
        self.last_seq = 0
        self.dirty = Dirty()
        self.teaching = Teaching()  # running order, hint cards, knowledge check

    def copy(self) -> ConsoleView:
        """An independent copy of the folded picture (the replay keeps these as
        checkpoints, so a jump back folds a few events, not the whole log). Request rows
        are replaced, never changed, so they are shared; the few mutable rows (seats,
        injects, items, objectives) are copied; events and log entries never change."""
        new = ConsoleView.__new__(ConsoleView)
        new.__dict__.update(self.__dict__)
        new.info = dict(self.info)
        new.clock = replace(self.clock)
        new.seats = {k: replace(r, clients=list(r.clients)) for k, r in self.seats.items()}
        new.injects = {k: replace(r, seats=list(r.seats)) for k, r in self.injects.items()}
        new.requests = dict(self.requests)
        new.items = {
            k: replace(r, known=set(r.known), obtained={c: dict(o) for c, o in r.obtained.items()})
            for k, r in self.items.items()
        }
        new.objectives = {k: replace(r) for k, r in self.objectives.items()}
        new.log = deque(self.log, maxlen=LOG_MAX)
        new.urls = list(self.urls)
        new.events = list(self.events)
        new.ended = dict(self.ended) if self.ended is not None else None
        new.dirty = Dirty()
        return new

    # ---- inputs -------------------------------------------------------------------------

    def take_dirty(self) -> Dirty:
        d, self.dirty = self.dirty, Dirty()
        return d

    def welcome(self, w: p.Welcome) -> None:
        """First welcome: build the tables. Later ones (reconnects): keep what we folded;
        the server replays only the events we missed."""
        self.info = dict(w.exercise)
        self.teaching.welcome(self.info)
        if not self.welcomed:
            self.teaching.joined_seq = w.seq  # events up to here are history
        self.clock = Clock.stated(w.clock.elapsed, w.clock.speed, w.clock.paused, time.monotonic())
        self.dirty.clock = True
        self.dirty.info = True
        start = self.info.get("start")
        if isinstance(start, str):
            try:
                self.start = datetime.fromisoformat(start)
                tz = self.info.get("timezone")
                if tz:  # show the exercise's zone name (EET), not a bare offset
                    self.start = self.start.astimezone(ZoneInfo(str(tz)))
            except (ValueError, ZoneInfoNotFoundError):
                pass
        if not self.welcomed:
            self.mode = str(self.info.get("mode", self.mode))
        if self.welcomed:
            return
        self.welcomed = True
        humans = {
            f"{c['code']}/{r}" for c in self.info.get("countries", []) for r in c.get("humans", [])
        }
        for sid in (*p.STAFF_ROLES, *self.info.get("seats", [])):
            country, _, role = sid.rpartition("/")
            self.seats[sid] = SeatRow(
                sid, country or None, role, planned_human=sid in humans or sid in p.STAFF_ROLES
            )
            self.dirty.seats.add(sid)
        for i in self.info.get("injects", []):
            self.injects[i["id"]] = InjectRow(
                id=i["id"],
                title=i.get("title", ""),
                to=list(i.get("to") or []),
                text=i.get("text", ""),
                at=i.get("at"),
                when=i.get("when"),
                manual=bool(i.get("manual")),
                notes=i.get("notes", ""),
                expected=i.get("expected", ""),
            )
            self.dirty.injects.add(i["id"])
        for it in self.info.get("evidence", []):
            self.items[it["id"]] = ItemRow(
                id=it["id"],
                title=it.get("title", it["id"]),
                kind=it.get("kind", ""),
                holder=it.get("holder", ""),
                holder_name=it.get("holder_name", it.get("holder", "")),
                country=it.get("country"),
                deletes_at=it.get("deletes_at"),
            )
            self.dirty.items.add(it["id"])
        leads = self.lead_countries()
        for o in self.info.get("objectives", []):
            country = o.get("country")
            self.objectives[o["id"]] = ObjectiveRow(
                o["id"],
                o.get("title", o["id"]),
                float(o.get("weight", 1.0)),
                o.get("notes", ""),
                not_lost=o.get("evidence_not_lost"),
                countries=[str(country)] if country else leads,
                guide=[str(g) for g in o.get("guide", [])],
            )
        self.dirty.objectives = True

    def lead_countries(self) -> list[str]:
        """Whose evidence counts, as Scenario.lead_countries: from the welcome when it says,
        else the scenario file, else the scenario's default rule (the first country)."""
        lead = self.info.get("lead")
        if isinstance(lead, list) and lead:
            return [str(c) for c in lead]
        if self.scenario is not None:
            return self.scenario.lead_countries
        return self.countries()[:1]

    def set_codes(self, codes: dict[str, str]) -> None:
        for sid, code in codes.items():
            row = self.seats.get(sid)
            if row is not None and row.code != code:
                row.code = code
                self.dirty.seats.add(sid)

    def roster(self, data: dict[str, Any]) -> None:
        """A ``roster.get`` result: codes, connections and client programs per seat."""
        listed: dict[str, dict[str, Any]] = {}
        for s in data.get("seats") or []:
            if isinstance(s, dict) and isinstance(s.get("seat"), str):
                listed[s["seat"]] = s
        urls = [str(u) for u in data.get("urls") or []]
        if urls != self.urls:
            self.urls = urls
            self.dirty.info = True
        for sid, row in self.seats.items():
            s = listed.get(sid, {})
            code = str(s.get("code") or row.code)
            clients = [str(c) for c in s.get("clients") or [] if c != p.PROBE_CLIENT]
            n = int(s.get("connections") or 0)
            if "checks" not in s:  # a server that counts the SSH gateway's code check
                n -= len(s.get("clients") or []) - len(clients)
            if (row.code, row.connections, row.clients) != (code, n, clients):
                row.code, row.connections, row.clients = code, n, clients
                self.dirty.seats.add(sid)

    def clock_frame(self, c: p.ClockMsg) -> None:
        self.clock = Clock.stated(c.elapsed, c.speed, c.paused, time.monotonic())
        self.dirty.clock = True

    def event(self, ev: p.EventMsg) -> None:
        if ev.seq <= self.last_seq:
            return
        self.last_seq = ev.seq
        if isinstance(ev.texts, dict):  # the other languages of the texts it carries
            add_scenario_texts(self.info, ev.texts)
        d = ev.data
        t = ev.elapsed
        self.events.append(Event(ev.seq, ev.kind, t, d))
        handler = _HANDLERS.get(ev.kind)
        tags: set[str] = set()
        if handler is not None:
            handler(self, t, d, tags)
        elif ev.kind.startswith("request_"):
            self._request(ev.kind, t, d, tags)
        if ev.kind == "inject" and d.get("hint"):
            self.teaching.released.add(str(d["hint"]))
        elif ev.kind == "clock":
            teaching.on_jump(self, d)
        entry = LogEntry(
            ev.seq, t, ev.kind, frozenset(tags), describe(ev.kind, d, self.party_names(), self.text)
        )
        entry.jumped = ev.kind == "clock" and bool(d.get("jump"))
        self.log.append(entry)
        self.dirty.log.append(entry)

    # ---- event handlers -----------------------------------------------------------------

    def _request(self, kind: str, t: float, d: dict[str, Any], tags: set[str]) -> None:
        snap = d.get("request")
        if not isinstance(snap, dict):
            return
        rid = str(snap.get("id"))
        # A new row each time, never one changed in place: a copy of the dict is then a
        # snapshot of the traffic (copy(), the replay's checkpoints).
        old = self.requests.get(rid)
        row = self.requests[rid] = RequestRow(snap, id=rid)
        if old is not None:
            row.limit = old.limit
        if kind == "request_submitted" and d.get("limit"):
            row.limit = float(d["limit"])
        row.last_kind = kind
        row.last_by = str(d.get("by") or snap.get("sender", ""))
        row.updated = t
        actor = self.seats.get(row.last_by)
        if actor is not None:
            actor.last_action = t
        self.dirty.requests.add(rid)
        tags.add(str(snap.get("sender", "")))
        tags.add(str(snap.get("country", "")))
        for s in snap.get("route") or []:
            if s.get("kind") == "seat":
                tags.add(str(s["ref"]))
                if s["ref"] in self.seats:  # what waits on it may have changed
                    self.dirty.seats.add(str(s["ref"]))
            if s.get("country"):
                tags.add(str(s["country"]))

    def waiting_at(self, seat: str) -> list[RequestRow]:
        """Requests waiting for a decision at `seat` (here, not travelling, with decisions
        core lists for their holder), oldest first."""
        rows = [
            r
            for r in self.requests.values()
            if r.req.at == seat and not r.req.in_transit and r.req.decisions and r.open
        ]
        return sorted(rows, key=lambda r: r.updated)

    def _clock_event(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")

    def _presence(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        sid = str(d.get("seat"))
        tags.add(sid)
        row = self.seats.get(sid)
        if row is not None:
            row.human = bool(d.get("human"))
            self.dirty.seats.add(sid)

    def _inject(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        seats = [str(s) for s in d.get("to") or []]
        tags.update(seats)
        iid = d.get("id")
        if not iid:
            iid = f"+{d.get('adhoc', len(self.injects) + 1)}"
            self.injects[iid] = InjectRow(
                iid, str(d.get("title", "")), seats, str(d.get("text", "")), adhoc=True
            )
        row = self.injects.get(str(iid))
        if row is None:
            return
        row.status = "released"
        row.released_at = t
        row.by = str(d.get("by", ""))
        row.seats = seats
        self.dirty.injects.add(row.id)

    def _inject_scheduled(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self.injects.get(str(d.get("id")))
        if row is not None:
            row.status = "scheduled"
            row.due = float(d["due"])
            self.dirty.injects.add(row.id)

    def _inject_skipped(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self.injects.get(str(d.get("id")))
        if row is not None:
            row.status = "skipped"
            self.dirty.injects.add(row.id)

    def _started(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")
        for row in self.injects.values():  # as the engine does: `at` injects are scheduled
            if row.at is not None and row.status == "pending":
                row.status = "scheduled"
                row.due = row.at
                self.dirty.injects.add(row.id)

    def _item(self, d: dict[str, Any], tags: set[str]) -> ItemRow | None:
        row = self.items.get(str(d.get("id")))
        if row is not None:
            self.dirty.items.add(row.id)
            tags.update(row.known)
            self.dirty.objectives = True
        return row

    def _known(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is not None:
            row.known.update(d.get("countries") or [])
            tags.update(d.get("countries") or [])

    def _preserved(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is not None:
            row.preserved_until = float(d["until"])
            row.preserved_for = d.get("country")

    def _lapsed(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is not None:
            row.preserved_until = None

    def _retention(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is not None:
            row.retention_passed = True

    def _deleted(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is not None:
            row.deleted = True
            row.deleted_at = t
            row.delete_reason = str(d.get("reason", ""))
            row.preserved_until = None

    def _obtained(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self._item(d, tags)
        if row is None:
            return
        c = str(d.get("country"))
        tags.add(c)
        record_obtained(row.obtained, c, d.get("via", ""), t, bool(d.get("admissible")))

    def _objective(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        row = self.objectives.get(str(d.get("id")))
        if row is not None and row.met_at is None:
            row.met_at = t
            self.dirty.objectives = True

    def _survey(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        self.survey_open = bool(d.get("open", True))
        self.dirty.clock = True

    def _survey_answer(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        self.survey_answers += 1
        self.dirty.clock = True

    def _emergency(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")
        self.emergency = bool(d.get("emergency"))
        self.emergency_reason = str(d.get("reason") or "")
        self.emergency_items = [str(x) for x in d.get("titles") or []] if self.emergency else []
        self.emergency_at = t
        self.dirty.clock = True
        self.dirty.objectives = True  # the case tab shows the emergency state

    def _mode(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")
        self.mode = str(d.get("mode", self.mode))

    def _ending(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")

    def _ended(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        tags.add("*")
        self.ended = dict(d)
        self.dirty.clock = True

    def _rating(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        self.ratings += 1
        row = self.objectives.get(str(d.get("objective")))
        if row is not None:
            row.rating = dict(d)
            self.dirty.objectives = True

    def _country_event(self, t: float, d: dict[str, Any], tags: set[str]) -> None:
        for k in ("country", "countries"):
            v = d.get(k)
            if isinstance(v, str):
                tags.add(v)
            elif isinstance(v, list):
                tags.update(str(x) for x in v)

    # ---- reading ------------------------------------------------------------------------

    def now(self) -> float:
        return self.clock.at(time.monotonic())

    def game_datetime(self, t: float) -> datetime | None:
        return self.start + timedelta(seconds=t) if self.start else None

    def objective_met(self, o: ObjectiveRow) -> bool:
        """As tte.core.scoring.outcome judges it now."""
        if o.not_lost:
            it = self.items.get(o.not_lost)
            return it is not None and not (it.deleted and not it.admissible_for(o.countries))
        return o.met_at is not None

    def score(self) -> int:
        total = sum(o.weight for o in self.objectives.values()) or 1.0
        met = sum(o.weight for o in self.objectives.values() if self.objective_met(o))
        return round(100 * met / total)

    def text(self, source: str) -> str:
        """A text of the scenario in the reader's language (``translations`` in the
        welcome); the source text otherwise."""
        return scenario_text(self.info.get("translations"), source)

    def party_names(self) -> dict[str, str]:
        """Organisations' and bodies' names by id, for who acted (``org:host``)."""
        names: dict[str, str] = {}
        for key in ("organisations", "bodies"):
            for o in self.info.get(key) or []:
                if isinstance(o, dict) and o.get("id"):
                    names[str(o["id"])] = str(o.get("name") or o["id"])
        return names

    def who(self, by: str) -> str:
        """Who acted (an event's ``by``) in words: never an internal ``desk:`` prefix."""
        return actor(by, self.party_names())

    def seat_ids(self) -> list[str]:
        return [s for s in self.seats if s not in p.STAFF_ROLES]

    def countries(self) -> list[str]:
        return [c["code"] for c in self.info.get("countries", [])]


_HANDLERS: dict[str, Any] = {
    "exercise_started": ConsoleView._started,
    "clock": ConsoleView._clock_event,
    "presence": ConsoleView._presence,
    "inject": ConsoleView._inject,
    "inject_scheduled": ConsoleView._inject_scheduled,
    "inject_skipped": ConsoleView._inject_skipped,
    "evidence_known": ConsoleView._known,
    "evidence_preserved": ConsoleView._preserved,
    "preservation_lapsed": ConsoleView._lapsed,
    "retention_passed": ConsoleView._retention,
    "evidence_deleted": ConsoleView._deleted,
    "evidence_obtained": ConsoleView._obtained,
    "objective_met": ConsoleView._objective,
    "survey_opened": ConsoleView._survey,
    "survey_answer": ConsoleView._survey_answer,
    "emergency": ConsoleView._emergency,
    "mode": ConsoleView._mode,
    "exercise_ending": ConsoleView._ending,
    "exercise_ended": ConsoleView._ended,
    "rating": ConsoleView._rating,
    "lead": ConsoleView._country_event,
    "jit_agreed": ConsoleView._country_event,
    **teaching.HANDLERS,
}


def is_ssh(client: str) -> bool:
    """A connection made by the SSH gateway's player (its client name says "ssh")."""
    return "ssh" in client.lower()


def describe(
    kind: str,
    d: dict[str, Any],
    names: Mapping[str, str] | None = None,
    shown: Callable[[str], str] = str,
) -> str:
    """One line for the event log tail (`names`: organisations' and bodies' names by id;
    `shown`: a scenario text in the reader's language)."""
    said = teaching.describe(kind, d, shown)
    if said is not None:
        return said
    r = d.get("request")
    if isinstance(r, dict):
        by = actor(str(d.get("by") or r.get("sender", "")), names)
        extra = current().message(d)
        tpl = TEMPLATES.get(str(r.get("template")))
        name = _(tpl.title) if tpl else r.get("template")
        # The event's and the state's names stay the log's own words (the Kind column's).
        text = _("{id} {title} {event} by {by} → {state} at {at}").format(
            id=r.get("id"),
            title=name,
            event=kind.removeprefix("request_"),
            by=by,
            state=r.get("status"),
            at=r.get("at"),
        )
        return f"{text}: {extra}" if extra else text
    if kind == "clock":
        if d.get("jump"):
            from tte.core.duration import format_duration

            reason = d.get("reason") or ""
            jumped = _("jumped forward {span}").format(span=format_duration(float(d["jump"])))
            return jumped + (f": {reason}" if reason else "")
        state = _("paused") if d.get("paused") else _("running")
        return _("{state}, speed ×{speed}").format(state=state, speed=f"{d.get('speed', 0):g}")
    if kind == "presence":
        played = _("{seat} is now played by a person") if d.get("human") else None
        return (played or _("{seat} is now played by a desk")).format(seat=d.get("seat"))
    if kind == "inject":
        who = actor(str(d.get("by", "")), names)
        title = (
            current().message(d, "title") if d.get("title_key") else shown(str(d.get("title", "")))
        )
        return f"{title} → {', '.join(d.get('to') or [])} ({who})"
    if kind in ("inject_scheduled", "inject_skipped"):
        return str(d.get("id", ""))
    if kind.startswith("evidence_") or kind in ("preservation_lapsed", "retention_passed"):
        item = d.get("item") or {}
        rest = ""
        if kind == "evidence_obtained":
            rest = " " + _("by {country} via {route}").format(
                country=d.get("country"), route=d.get("via")
            )
            rest += " " + _("(admissible)") if d.get("admissible") else ""
        elif kind == "evidence_deleted":
            rest = f" ({d.get('reason', '')})"
        return f"{d.get('id')}: {shown(str(item.get('title', '')))}{rest}"
    if kind == "objective_met":
        return _("objective met: {title}").format(title=shown(str(d.get("title", d.get("id")))))
    if kind == "rating":
        text = _("{objective} rated {rating} — {label} ({by})").format(
            objective=d.get("objective"),
            rating=d.get("rating"),
            label=_(str(d.get("label", ""))) if d.get("label") else "",
            by=actor(str(d.get("by", "")), names),
        )
        return f"{text}: {d['comment']}" if d.get("comment") else text
    if kind == "emergency":
        state = _("emergency declared") if d.get("emergency") else _("emergency lifted")
        if d.get("titles"):
            state += " " + _("for {items}").format(items="; ".join(str(x) for x in d["titles"]))
        return f"{state}: {d['reason']}" if d.get("reason") else state
    if kind == "exercise_ending":
        from tte.core.duration import format_duration

        left = format_duration(float(d.get("left", 0)))
        return _("seats warned: the exercise ends in {span}").format(span=left)
    if kind == "exercise_ended":
        ended = (
            _("exercise ended by the scenario's duration")
            if d.get("by") == "clock"
            else _("exercise ended by the facilitator")
        )
        return ended + (f": {d['reason']}" if d.get("reason") else "")
    if kind == "exercise_started":
        return _("exercise started: {title}").format(title=shown(str(d.get("title", ""))))
    if kind == "mode":
        exam = d.get("mode") == "exam"
        return _("exam mode: no warnings before sending") if exam else _("coaching mode")
    if kind == "survey_opened":
        return _("survey opened") if d.get("open") else _("survey closed")
    if kind == "survey_answer":
        who = d.get("seat") or d.get("role") or d.get("respondent", "")
        return _("survey answered by {who}").format(who=who)
    if kind == "jit_agreed":
        return _("JIT agreed between {countries} ({basis})").format(
            countries=", ".join(str(c) for c in d.get("countries") or []), basis=d.get("basis")
        )
    if kind == "notification":
        return _("{org}'s State notified of {request} from {sender}").format(
            org=d.get("org"), request=d.get("request"), sender=d.get("from")
        )
    if kind in ("lead", "note"):  # a note the engine made carries its key (text_key)
        return current().message(d, "text") if d.get("text_key") else shown(str(d.get("text", "")))
    if kind == "tip_off":
        return _("{org} tipped off its customer ({request})").format(
            org=(names or {}).get(str(d.get("org")), d.get("org")), request=d.get("request")
        )
    return ", ".join(f"{k}={v}" for k, v in list(d.items())[:4])

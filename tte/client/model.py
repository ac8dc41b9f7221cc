"""The client-side view of an exercise: what the screens show, folded from server frames.

UI-free and authority-free: :class:`ClientModel` only records what the server said. Feed it
every item from :class:`tte.client.net.Link` with :meth:`ClientModel.apply`; it returns
:class:`Notice` objects worth a toast (new injects, incoming requests, answers, evidence).
Deadlines are polled with :meth:`ClientModel.due_soon`. Times are game seconds since the
exercise start (``elapsed``); :meth:`ClientModel.seat_datetime` turns them into the seat's
own time zone.

Every request event carries a full snapshot (``data["request"]``), so a request here is
simply its latest snapshot plus the history of the events this seat saw. Evidence events
carry ``data["item"]``, which replaces what we knew of the item.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import msgspec

from tte import protocol as p
from tte.client.fold import Clock, SnapshotRow
from tte.client.net import LinkStatus
from tte.core.duration import format_duration
from tte.core.duration import format_span as format_span  # re-exported for the widgets
from tte.core.obtainment import supersedes
from tte.core.templates import AS_PER_CASE_FILE, DESK_TEXTS, ROLE_LABELS
from tte.i18n import N_, _, add_scenario_texts, current, scenario_text

# Drawn through _() where shown (tracker, console).
STATUS_LABELS = {
    "draft": N_("draft (domestic)"),
    "sent": N_("sent"),
    "received": N_("received abroad"),
    "executing": N_("being executed"),
    "returned": N_("returned"),
    "fulfilled": N_("fulfilled"),
    "refused": N_("refused"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
}
DEADLINE_WINDOW = 86400.0  # game seconds before a deadline when it is announced


@dataclass
class FieldInfo:
    name: str
    label: str
    basis: str = ""
    hint: str = ""
    mandatory: bool = True
    kind: str = "text"  # text | longtext | bool | datetime | timezone | choice | request


@dataclass
class TemplateInfo:
    id: str
    title: str
    basis: str = ""
    channels: list[str] = field(default_factory=list)
    target: str = "org"  # org | seat | body
    help: str = ""
    outcome: str = ""
    data_kinds: list[str] = field(default_factory=list)
    limit: float | None = None
    fields: list[FieldInfo] = field(default_factory=list)
    sendable: bool = True  # in this seat's welcome (False: known only for labels)
    recipients: list[str] = field(default_factory=list)  # whom this seat may address (core)

    def field(self, name: str) -> FieldInfo | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass
class CountryInfo:
    code: str
    name: str
    flag: str = ""
    timezone: str = "UTC"
    budapest: bool = True
    second_protocol: bool = False
    eu: bool = False
    reservations: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    with_us: list[str] = field(default_factory=list)  # instruments in force, as core says
    notification: bool = False
    poc_name: str = ""
    central_authority_name: str = ""
    humans: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    t: float
    kind: str  # the event kind, e.g. request_forwarded
    by: str = ""
    what: str = ""
    message: str = ""


@dataclass
class RequestView(SnapshotRow):
    """A request as this seat knows it: its latest snapshot (typed, and the map the server
    sent), the history of the events this seat saw, its time limit."""

    history: list[HistoryEntry] = field(default_factory=list)
    limit: float | None = None  # legal time limit (game seconds after `created`)
    due: float | None = None  # when it reaches its next stop, while in transit

    @property
    def id(self) -> str:
        return self.req.id

    @property
    def template(self) -> str:
        return self.req.template

    @property
    def channel(self) -> str:
        return self.req.channel

    @property
    def sender(self) -> str:
        return self.req.sender

    @property
    def status(self) -> p.RequestStatus:
        return self.req.status

    @property
    def in_transit(self) -> bool:
        return self.req.in_transit

    @property
    def stop(self) -> int:
        return self.req.stop

    @property
    def route(self) -> list[dict[str, Any]]:
        """The stops as sent (maps with kind, ref, country, channel)."""
        return list(self.snap.get("route") or [])

    @property
    def target(self) -> dict[str, Any]:
        return dict(self.snap.get("target") or {})

    @property
    def fields(self) -> dict[str, Any]:
        return self.req.fields

    @property
    def evidence(self) -> list[str]:
        return self.req.evidence

    @property
    def ref(self) -> str | None:
        return self.req.ref

    @property
    def created(self) -> float:
        return self.req.created

    @property
    def ground(self) -> p.Ground | None:
        return self.req.ground

    @property
    def message(self) -> str:
        """The last message in the reader's language (as stored, from an older log)."""
        req = self.req
        key = req.message_key if isinstance(req.message_key, str) else None
        params = req.message_params if isinstance(req.message_params, dict) else {}
        data = {"message": req.message, "message_key": key, "message_params": params}
        return current().message(data)

    @property
    def missing(self) -> list[str]:
        return self.req.missing

    @property
    def delivered(self) -> list[str]:
        return self.req.delivered

    @property
    def words(self) -> dict[str, str]:
        """Words for decisions that depend on the route ("Transmit to NL"), as core says."""
        return self.req.words

    @property
    def unfilled(self) -> list[str]:
        """Mandatory fields left empty, as core says."""
        return self.req.unfilled

    @property
    def last_stop(self) -> bool:
        return self.req.stop == len(self.req.route) - 1

    @property
    def deadline(self) -> float | None:
        if self.limit is None:
            return None
        return self.req.created + self.limit

    @property
    def closed(self) -> bool:
        """Answered, refused, expired or withdrawn: core stamps `answered_at` then."""
        return self.req.answered_at is not None

    @property
    def decisions(self) -> list[p.Decision]:
        """What its current holder may decide, as core says (none while it travels)."""
        return self.req.decisions


@dataclass
class EvidenceView:
    """An evidence item as this seat knows it: the latest item view (typed, and the map
    the server sent) and what this seat's country obtained of it."""

    item: dict[str, Any]  # as sent (data["item"])
    obtained_via: str | None = None
    admissible: bool | None = None
    obtained_at: float | None = None
    delete_reason: str = ""
    source: str = ""  # what revealed it
    view: p.ItemView = field(init=False)

    def __post_init__(self) -> None:
        self.view = p.payload(p.ItemView, self.item)

    def update(self, item: dict[str, Any]) -> None:
        self.view = p.payload(p.ItemView, item)
        self.item = item

    @property
    def id(self) -> str:
        return self.view.id

    @property
    def title(self) -> str:
        return self.view.title

    @property
    def kind(self) -> str:
        return self.view.kind

    @property
    def holder(self) -> str:
        return self.view.holder

    @property
    def holder_name(self) -> str:
        return self.view.holder_name

    @property
    def country(self) -> str | None:
        return self.view.country

    @property
    def identifiers(self) -> list[str]:
        return self.view.identifiers

    @property
    def description(self) -> str:
        return self.view.description

    @property
    def deletes_at(self) -> float | None:
        return self.view.deletes_at

    @property
    def deleted(self) -> bool:
        return self.view.deleted

    @property
    def preserved_until(self) -> float | None:
        return self.view.preserved_until


@dataclass
class Lead:
    t: float
    text: str
    source: str = ""


@dataclass
class Attachment:
    name: str
    text: str


@dataclass
class InboxItem:
    key: str
    # inject | request | answer | info (spontaneous information, a notification) |
    # facilitator (a clock jump, an emergency)
    kind: str
    t: float
    seq: int
    title: str
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    request_id: str | None = None
    unread: bool = True


def channel_name(channels: dict[str, str], cid: str) -> str:
    return channels.get(cid, cid).split(":", 1)[0].strip() or cid


@dataclass
class Ending:
    """The exercise is over: who ended it (the facilitator, or the scenario's duration),
    their words, and the scenario's debrief (Markdown)."""

    by: str
    reason: str
    debrief: str
    t: float


@dataclass
class SurveyQuestion:
    id: str
    text: str
    kind: str = "text"  # scale (1-5) | choice | text
    choices: list[str] = field(default_factory=list)


@dataclass
class Survey:
    """The hotwash survey as this seat knows it (answers by others are staff-only)."""

    questions: list[SurveyQuestion] = field(default_factory=list)
    open: bool | None = None  # None: never opened
    anonymous: bool | None = None  # None: the server did not say
    sent: dict[str, Any] | None = None  # the answers the server last accepted from us


@dataclass
class KnowledgeQuestion:
    id: str
    text: str
    choices: list[str]
    answer: str = ""  # known once the after-check closed
    explanation: str = ""


@dataclass
class Knowledge:
    """The before-and-after knowledge check as this seat knows it: its role's questions,
    the stage open, what it sent, and the key once the after-check is over."""

    questions: list[KnowledgeQuestion] = field(default_factory=list)
    open: str | None = None  # the stage open: before | after
    seen: bool = False  # the facilitator ever opened it
    keyed: bool = False  # the after-check closed: answers and explanations are known
    sent: dict[str, dict[str, str]] = field(default_factory=dict)  # stage -> our answers


@dataclass
class Jit:
    t: float
    countries: list[str]
    request: str = ""


@dataclass
class Notice:
    """Something worth a toast."""

    title: str
    message: str
    severity: str = "information"  # information | warning | error
    key: str = ""  # inbox key or request id to open


def _template(t: p.TemplateView, sendable: bool = True) -> TemplateInfo:
    return TemplateInfo(
        id=t.id,
        title=t.title or t.id,
        basis=t.basis,
        channels=list(t.channels),
        target=t.target,
        help=t.help,
        outcome=t.outcome,
        data_kinds=list(t.data_kinds),
        limit=t.limit,
        fields=[
            FieldInfo(f.name, f.label or f.name, f.basis, f.hint, f.mandatory, f.kind)
            for f in t.fields
        ],
        sendable=sendable,
        recipients=list(t.recipients),
    )


def _static_templates() -> dict[str, TemplateInfo]:
    """Every template's labels, for requests a seat handles but cannot itself draft (a
    central authority returning an MLA request needs its field list). Static data only:
    what the seat may send still comes from the welcome."""
    from tte.core.templates import TEMPLATES

    return {
        t.id: _template(p.payload(p.TemplateView, t.to_wire()), sendable=False)
        for t in TEMPLATES.values()
    }


class ClientModel:
    def __init__(self) -> None:
        self.seat_country: str | None = None
        self.role: str = ""
        self.exercise: dict[str, Any] = {}
        self.templates: dict[str, TemplateInfo] = {}
        self.countries: dict[str, CountryInfo] = {}
        self.organisations: dict[str, p.OrganisationView] = {}
        self.bodies: dict[str, str] = {}
        self.channels: dict[str, str] = {}
        self.refusal_grounds: dict[str, str] = {}
        self.decision_labels: dict[str, dict[str, str]] = {}  # template -> decision -> words
        self.clock = Clock()
        self.status: LinkStatus | None = None
        self.requests: dict[str, RequestView] = {}
        self.evidence: dict[str, EvidenceView] = {}
        self.leads: list[Lead] = []
        self.inbox: list[InboxItem] = []  # in arrival order; see inbox_newest_first
        self.last_seq = 0
        self.live_from: int | None = None  # events up to this seq were backlog at first join
        self.emergency = False
        self.mode = "coaching"  # exam: no warnings before sending (the facilitator switches)

        self.emergency_reason = ""  # the facilitator's words when declaring it
        self.ended: Ending | None = None
        self.jits: list[list[str]] = []
        self.jit_teams: list[Jit] = []  # the same, with when and by which request
        self.survey = Survey()
        self.knowledge = Knowledge()
        self.emergency_items: list[str] = []  # titles of what the emergency concerns
        self._warned: set[str] = set()
        self._inbox_keys: set[str] = set()

    # ---- identity and static data -------------------------------------------------------

    @property
    def seat(self) -> str:
        return f"{self.seat_country}/{self.role}" if self.seat_country else self.role

    @property
    def staff(self) -> bool:
        return self.seat_country is None

    @property
    def country(self) -> CountryInfo | None:
        return self.countries.get(self.seat_country or "")

    @property
    def title(self) -> str:
        return self.text(str(self.exercise.get("title", "")))

    def text(self, source: str) -> str:
        """A text of the scenario in the reader's language (``translations`` in the
        welcome); the source text otherwise."""
        return scenario_text(self.exercise.get("translations"), source)

    def value(self, v: Any, tid: str = "", name: str = "") -> str:
        """A request's field value (field `name` of template `tid`) as the reader reads it:
        yes or no, a text the scenario wrote (the facts of a request an inject starts) and
        the words a desk writes when it has nothing particular, in their language; whatever
        a player typed as it is."""
        if isinstance(v, bool):
            return _("yes") if v else _("no")
        text = str(v)
        shown = self.text(text)
        if shown != text:
            return shown
        if text in DESK_TEXTS:
            return _(text)
        t = self.templates.get(tid)
        f = t.field(name) if t else None
        if f is not None and text == AS_PER_CASE_FILE.format(label=f.label):
            return _(AS_PER_CASE_FILE).format(label=_(f.label))
        return text

    @property
    def role_label(self) -> str:
        given = self.exercise.get("role_label")
        return _(str(given)) if given else _(ROLE_LABELS.get(self.role, self.role))

    @property
    def briefing(self) -> str:
        """The scenario's briefing (Markdown), the same for every seat."""
        return self.text(str(self.exercise.get("briefing") or ""))

    @property
    def seat_briefing(self) -> str:
        """This seat's role briefing (Markdown), from its country in the scenario."""
        return self.text(str(self.exercise.get("seat_briefing") or ""))

    def sendable_templates(self) -> list[TemplateInfo]:
        return [t for t in self.templates.values() if t.sendable]

    def template(self, tid: str) -> TemplateInfo | None:
        return self.templates.get(tid)

    def field_label(self, tid: str, name: str) -> str:
        t = self.templates.get(tid)
        f = t.field(name) if t else None
        return _(f.label) if f else name

    def seat_label(self, seat: str) -> str:
        country, sep, role = seat.partition("/")
        if not sep:
            org = self.organisations.get(seat)
            return (org.name if org else "") or self.bodies.get(seat, seat)
        c = self.countries.get(country)
        return f"{c.flag + ' ' if c and c.flag else ''}{country} {_(ROLE_LABELS.get(role, role))}"

    def country_name(self, code: str) -> str:
        c = self.countries.get(code)
        return self.text(c.name) if c and c.name else code

    def channel_name(self, cid: str) -> str:
        """A channel as people call it ("24/7 network of points of contact (BC Art 35)"),
        never its id; the part before a colon when the label explains itself further."""
        return channel_name({cid: _(self.channels[cid])} if cid in self.channels else {}, cid)

    def stop_label(self, stop: dict[str, Any]) -> str:
        return self.seat_label(str(stop.get("ref", "")))

    # ---- time ---------------------------------------------------------------------------

    def start(self) -> dt.datetime:
        raw = self.exercise.get("start")
        if not raw:
            return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        start = dt.datetime.fromisoformat(str(raw))
        if start.tzinfo is None:
            start = start.replace(tzinfo=_zone(str(self.exercise.get("timezone", "UTC"))))
        return start

    def seat_zone(self) -> dt.tzinfo:
        return _zone(str(self.exercise.get("seat_timezone") or self.exercise.get("timezone")))

    def seat_datetime(self, elapsed: float) -> dt.datetime:
        return (self.start() + dt.timedelta(seconds=elapsed)).astimezone(self.seat_zone())

    def now(self, wall: float | None = None) -> float:
        """Game seconds at `wall` (the clock passed with the server's statements)."""
        return self.clock.at(wall)

    # ---- folding ------------------------------------------------------------------------

    def apply(self, msg: object, wall: float | None = None) -> list[Notice]:
        """Fold one item of the link's stream; return what deserves a toast."""
        if isinstance(msg, p.Welcome):
            self.apply_welcome(msg, wall)
        elif isinstance(msg, p.EventMsg):
            return self.apply_event(msg)
        elif isinstance(msg, p.ClockMsg):
            self.set_clock(msg.elapsed, msg.speed, msg.paused, wall)
        elif isinstance(msg, LinkStatus):
            self.status = msg
        return []

    def apply_welcome(self, w: p.Welcome, wall: float | None = None) -> None:
        if w.seq < self.last_seq:
            # The exercise was restored from an older backup: what we folded is no longer
            # true. Start empty; the link replays everything from the beginning.
            self.__init__()  # type: ignore[misc]
        self.seat_country = w.seat.country
        self.role = w.seat.role
        self.set_clock(w.clock.elapsed, w.clock.speed, w.clock.paused, wall)
        if self.live_from is None:
            self.live_from = w.seq
        info = w.exercise
        if not info:
            return
        self.exercise = info
        typed = p.payload(p.WelcomeInfo, info)
        self.templates = _static_templates()
        for t in typed.templates:
            self.templates[t.id] = _template(t)
        self.countries = {c.code: CountryInfo(**msgspec.structs.asdict(c)) for c in typed.countries}
        self.organisations = {o.id: o for o in typed.organisations}
        self.bodies = {b.id: b.name or b.id for b in typed.bodies}
        self.channels = dict(typed.channels)
        self.refusal_grounds = dict(typed.refusal_grounds)
        self.decision_labels = typed.decision_labels
        # Staff get every evidence item up front; a seat learns of items from events (and
        # from a "known_evidence" list, should the server send one).
        for item in info.get("evidence", []) + info.get("known_evidence", []):
            self._item(dict(item))
        if info.get("survey"):
            self.survey.questions = _questions(info["survey"])
        if isinstance(info.get("anonymous_survey"), bool):
            self.survey.anonymous = info["anonymous_survey"]

    def set_clock(self, elapsed: float, speed: float, paused: bool, wall: float | None) -> None:
        self.clock = Clock.stated(elapsed, speed, paused, wall)

    def apply_event(self, ev: p.EventMsg) -> list[Notice]:
        if ev.seq <= self.last_seq:
            return []
        self.last_seq = ev.seq
        if isinstance(ev.texts, dict):  # the other languages of the texts it carries
            add_scenario_texts(self.exercise, ev.texts)
        if ev.elapsed > self.clock.elapsed and self.clock.paused:
            self.clock.elapsed = ev.elapsed  # events never run ahead of the clock we show
        d = ev.data
        notices: list[Notice] = []
        kind = ev.kind
        if kind == "clock":
            self.clock.speed = float(d.get("speed", self.clock.speed))
            self.clock.paused = bool(d.get("paused", self.clock.paused))
            if d.get("jump"):
                notices += self._said(ev, f"{format_duration(float(d['jump']))} later", "jump")
        elif kind == "inject":
            notices += self._inject(ev)
        elif isinstance(d.get("request"), dict):
            notices += self._request(ev)
        elif isinstance(d.get("item"), dict):
            notices += self._evidence(ev)
        elif kind == "lead":
            # A lead the engine wrote carries its key; the scenario's, its translations.
            said = current().message(d, "text") if d.get("text_key") else None
            text = said if said is not None else self.text(str(d.get("text", "")))
            self.leads.append(Lead(ev.elapsed, text, str(d.get("source", ""))))
            if d.get("from"):  # spontaneous information (BC Art 26): facts to act on
                notices += self._info(
                    ev,
                    _("Spontaneous information from {country}").format(
                        country=self.country_name(str(d["from"]))
                    ),
                    self._spontaneous_text(d),
                )
            else:
                notices.append(Notice(_("New lead"), text))
        elif kind == "notification":  # an order to a provider here (2AP Art 7(5)(a))
            notices += self._info(ev, self._notification_title(d), self._notification_text(d))
        elif kind == "mode":
            self.mode = str(d.get("mode", self.mode))
        elif kind == "survey_opened":  # the app announces it (backlog included)
            self.survey.open = bool(d.get("open", True))
            if d.get("questions"):
                self.survey.questions = _questions(d["questions"])
            if isinstance(d.get("anonymous"), bool):
                self.survey.anonymous = d["anonymous"]
        elif kind == "knowledge_opened":
            self._knowledge(d)
        elif kind == "emergency":
            self.emergency = bool(d.get("emergency"))
            self.emergency_reason = str(d.get("reason") or "") if self.emergency else ""
            self.emergency_items = [str(x) for x in d.get("titles") or []]
            title = _("Emergency declared") if self.emergency else _("Emergency over")
            notices += self._said(ev, title, "emergency")
        elif kind == "exercise_ending":
            left = format_duration(float(d.get("left", 0)))
            ends = _("The exercise ends in {left} of game time").format(left=left)
            notices += self._said(ev, ends, "ending")
        elif kind == "exercise_ended":
            by, reason, debrief = (str(d.get(k) or "") for k in ("by", "reason", "debrief"))
            self.ended = Ending(by, reason, self.text(debrief), ev.elapsed)
            notices += self._said(ev, _("The exercise is over"), "ended")
        elif kind == "jit_agreed":
            self.jits.append([str(c) for c in d.get("countries", [])])
            self.jit_teams.append(Jit(ev.elapsed, self.jits[-1], str(d.get("request", ""))))
            notices.append(Notice(_("JIT agreed"), _(" and ").join(self.jits[-1])))
        # Backlog at the first join is history, not news.
        if self.live_from is not None and ev.seq <= self.live_from:
            return []
        return notices

    def _knowledge(self, d: dict[str, Any]) -> None:
        k = self.knowledge
        k.seen = True
        k.open = str(d.get("stage")) if d.get("open", True) else None
        mine = [
            q
            for q in d.get("questions") or []
            if isinstance(q, dict) and (self.staff or not q.get("roles") or self.role in q["roles"])
        ]
        key = {str(x.get("id")): x for x in d.get("key") or [] if isinstance(x, dict)}
        k.keyed = k.keyed or bool(key)
        old = {q.id: q for q in k.questions}
        k.questions = []
        for q in mine:
            qid = str(q.get("id", ""))
            was = old.get(qid)
            given = key.get(qid, {})
            k.questions.append(
                KnowledgeQuestion(
                    qid,
                    str(q.get("text", "")),
                    [str(c) for c in q.get("choices") or []],
                    str(given.get("answer") or (was.answer if was else "")),
                    str(given.get("explanation") or (was.explanation if was else "")),
                )
            )

    def _info(self, ev: p.EventMsg, title: str, text: str) -> list[Notice]:
        key = f"info:{ev.seq}"
        self._add_inbox(
            InboxItem(key=key, kind="info", t=ev.elapsed, seq=ev.seq, title=title, text=text)
        )
        return [Notice(title, text.split("\n", 1)[0], "information", key)]

    def _spontaneous_text(self, d: dict[str, Any]) -> str:
        lines = [self.text(str(d.get("text", "")))]
        if d.get("conditions"):
            conditions = _("Conditions on use (BC Art 26(2)): {conditions}")
            r = self.requests.get(str(d.get("source", "")))
            tid = r.template if r is not None else "spontaneous_info"
            shown = self.value(d["conditions"], tid, "conditions")
            lines.append(conditions.format(conditions=shown))
        lines.append(_("A lead, not evidence: ask for what you need through a formal path."))
        return "\n".join(lines)

    def _notification_title(self, d: dict[str, Any]) -> str:
        tpl = self.templates.get(str(d.get("template", "")))
        what = _(tpl.title) if tpl else str(d.get("template", ""))
        sender = self.country_name(str(d.get("from", "")))
        notified = _("Notified: {what} from {sender} to {org}")
        return notified.format(what=what, sender=sender, org=self._org_name(d.get("org")))

    def _org_name(self, oid: Any) -> str:
        org = self.organisations.get(str(oid or ""))
        return (org.name or org.id) if org is not None else str(oid or "")

    def _notification_text(self, d: dict[str, Any]) -> str:
        lines = [
            _("Request {id} went straight to {org}.").format(
                id=d.get("request", ""), org=self._org_name(d.get("org"))
            ),
            _("Data:") + " " + "; ".join(self.evidence_title(str(i)) for i in d.get("items", [])),
            _("Facts:") + " " + self.value(d.get("facts", ""), str(d.get("template")), "offence"),
            _(
                "Your authority may instruct the provider not to disclose on a ground of "
                "BC Art 25(4) or 27(4) (2AP Art 7(5)(c))."
            ),
        ]
        return "\n".join(lines)

    def _said(self, ev: p.EventMsg, title: str, what: str) -> list[Notice]:
        """What the facilitator decided (a clock jump, an emergency) and the words they
        gave for it: an inbox item and a toast, so the reason reaches the seat and not
        only the console's log."""
        # A planned jump's reason is the scenario's text (in the reader's language when
        # the scenario gives it); words the facilitator typed are shown as typed.
        reason = self.text(str(ev.data.get("reason") or ""))
        if what == "ending":
            reason = _("Finish what you are doing: the facilitator will lead the debrief.")
        elif what == "emergency" and self.emergency_items:
            concerns = _("It concerns: {items}").format(items="; ".join(self.emergency_items))
            reason = f"{reason}\n{concerns}".strip()
        elif what == "ended" and not reason:
            reason = _("The scenario's time is up.") if ev.data.get("by") == "clock" else ""
        key = f"facilitator:{what}:{ev.seq}"
        self._add_inbox(
            InboxItem(
                key=key,
                kind="facilitator",
                t=ev.elapsed,
                seq=ev.seq,
                title=title,
                text=reason or _("(no reason given)"),
            )
        )
        if what == "ended":
            return []  # the end screen says it; a toast would only cover the debrief
        severity = "warning" if what == "emergency" else "information"
        return [Notice(title, reason or title, severity, key)]

    def _inject(self, ev: p.EventMsg) -> list[Notice]:
        d = ev.data
        key = f"inject:{d.get('id') or 'adhoc'}:{ev.seq}"
        item = InboxItem(
            key=key,
            kind="inject",
            t=ev.elapsed,
            seq=ev.seq,
            title=self._inject_title(d),
            text=self.text(str(d.get("text", ""))),
            attachments=[
                Attachment(str(a.get("name", "")), str(a.get("text", "")))
                for a in d.get("attachments", [])
                if isinstance(a, dict)
            ],
        )
        self._add_inbox(item)
        if d.get("effects", {}).get("emergency") is not None:
            self.emergency = bool(d["effects"]["emergency"])
        if d.get("hint"):  # a hint card the facilitator released
            return [Notice(_("Hint from the facilitator"), item.title, "information", key)]
        return [Notice(_("New inject"), item.title, "information", key)]

    def _inject_title(self, d: dict[str, Any]) -> str:
        """An inject's title; a hint card's ("Hint: …") from its key, the card's own title
        in the reader's language from the scenario's translations."""
        key, params = d.get("title_key"), d.get("title_params")
        if isinstance(key, str) and key and isinstance(params, dict):
            shown = {k: self.text(v) if isinstance(v, str) else v for k, v in params.items()}
            return current().render(key, shown)
        return self.text(str(d.get("title", "")))

    def _request(self, ev: p.EventMsg) -> list[Notice]:
        d = ev.data
        snap = dict(d["request"])
        rid = str(snap["id"])
        r = self.requests.get(rid)
        if r is None:
            r = self.requests[rid] = RequestView(snap)
            t = self.templates.get(r.template)
            r.limit = t.limit if t else None
        else:
            r.update(snap)
        s = r.req
        if "limit" in d:
            r.limit = d.get("limit")
        r.due = d.get("due") if s.in_transit else None
        r.history.append(
            HistoryEntry(
                ev.elapsed,
                ev.kind,
                str(d.get("by", "")),
                str(d.get("what", "")),
                current().message(d),
            )
        )
        title = _(self.templates[s.template].title) if s.template in self.templates else ""
        notices: list[Notice] = []
        if self.waiting_here(r):
            key = f"request:{rid}:{s.stop}:{len(r.history)}"
            if not any(i.request_id == rid and i.unread for i in self.inbox):
                self._add_inbox(
                    InboxItem(
                        key=key,
                        kind="request",
                        t=ev.elapsed,
                        seq=ev.seq,
                        title=_("{id} {title} from {sender}").format(
                            id=rid, title=title, sender=self.seat_label(s.sender)
                        ),
                        text=self._request_text(r),
                        request_id=rid,
                    )
                )
                notices.append(
                    Notice(_("{id} waits for you").format(id=rid), title, "warning", key)
                )
        elif s.sender == self.seat and ev.kind in (
            "request_fulfilled",
            "request_refused",
            "request_returned",
            "request_expired",
        ):
            outcome = _(STATUS_LABELS.get(s.status, s.status))
            key = f"answer:{rid}:{ev.seq}"
            self._add_inbox(
                InboxItem(
                    key=key,
                    kind="answer",
                    t=ev.elapsed,
                    seq=ev.seq,
                    title=f"{rid} {outcome}: {title}",
                    text=self._request_text(r),
                    request_id=rid,
                )
            )
            sev = "information" if s.status == "fulfilled" else "warning"
            notices.append(Notice(f"{rid} {outcome}", r.message or title, sev, key))
        return notices

    def _request_text(self, r: RequestView) -> str:
        """A plain-text summary of a request (inbox detail)."""
        lines = [
            f"{self.field_label(r.template, k)}: {self.value(v, r.template, k)}"
            for k, v in r.fields.items()
        ]
        if r.evidence:
            titles = ", ".join(self.evidence_title(e) for e in r.evidence)
            lines.append(_("Evidence:") + " " + titles)
        if r.message:
            lines.append(_("Message:") + f" {r.message}")
        if r.missing:
            lines.append(
                _("Missing:") + " " + "; ".join(self.field_label(r.template, m) for m in r.missing)
            )
        return "\n".join(lines)

    def _item(self, item: dict[str, Any]) -> EvidenceView:
        eid = str(item["id"])
        e = self.evidence.get(eid)
        if e is None:
            e = self.evidence[eid] = EvidenceView(item)
        else:
            e.update(item)
        return e

    def _evidence(self, ev: p.EventMsg) -> list[Notice]:
        d = ev.data
        # The event carries the item as the event leaves it (preserved until, deleted …).
        e = self._item(dict(d["item"]))
        title = self.evidence_title(e.id)
        if ev.kind == "evidence_known":
            e.source = str(d.get("source", ""))
            return [Notice(_("New evidence known"), title)]
        if ev.kind == "evidence_obtained":
            if d.get("country") in (self.seat_country, None) or self.staff:
                prev = None if e.admissible is None else {"admissible": e.admissible}
                if supersedes(prev, bool(d.get("admissible"))):
                    e.obtained_via = str(d.get("via", ""))
                    e.admissible = bool(d.get("admissible"))
                    e.obtained_at = ev.elapsed
            how = _("admissible") if d.get("admissible") else _("a lead, not admissible")
            return [Notice(_("Evidence obtained"), f"{title} ({how})")]
        if ev.kind == "evidence_deleted":
            e.delete_reason = str(d.get("reason", ""))
            return [Notice(_("Evidence deleted"), title, "error")]
        if ev.kind == "evidence_preserved":
            return [Notice(_("Evidence preserved"), title)]
        if ev.kind == "preservation_lapsed":
            return [Notice(_("Preservation lapsed"), title, "warning")]
        return []

    def _add_inbox(self, item: InboxItem) -> None:
        if item.key in self._inbox_keys:
            return
        self._inbox_keys.add(item.key)
        self.inbox.append(item)

    # ---- queries ------------------------------------------------------------------------

    def waiting_here(self, r: RequestView) -> bool:
        """Does `r` wait for a decision at this seat? (It is here and core lists decisions
        for its holder.)"""
        return r.req.at == self.seat and bool(r.decisions)

    def decision_label(self, template: str, decision: str, r: RequestView | None = None) -> str:
        """The words for `decision` on a `template` request: the request's own where its
        route decides them (forwarding abroad or for execution), else the welcome's."""
        if r is not None and decision in r.words:
            return _(r.words[decision])
        words = self.decision_labels.get(template, {})
        return _(words.get(decision, decision.title()))

    def waiting(self) -> list[RequestView]:
        return [r for r in self.requests.values() if self.waiting_here(r)]

    def returned_to_me(self) -> list[RequestView]:
        return [
            r for r in self.requests.values() if r.status == "returned" and r.sender == self.seat
        ]

    def inbox_newest_first(self) -> list[InboxItem]:
        return sorted(self.inbox, key=lambda i: (i.t, i.seq), reverse=True)

    def unread(self) -> int:
        return sum(1 for i in self.inbox if i.unread)

    def mark_read(self, key: str) -> None:
        for i in self.inbox:
            if i.key == key:
                i.unread = False

    def inbox_item(self, key: str) -> InboxItem | None:
        return next((i for i in self.inbox if i.key == key), None)

    def requests_newest_first(self) -> list[RequestView]:
        return sorted(
            self.requests.values(), key=lambda r: int(str(r.id).lstrip("R") or 0), reverse=True
        )

    def my_country_requests(self) -> list[RequestView]:
        return [r for r in self.requests_newest_first() if r.req.country == self.seat_country]

    def evidence_title(self, eid: str) -> str:
        e = self.evidence.get(eid)
        return self.text(e.title or eid) if e else eid

    def recipients(self, tpl: TemplateInfo) -> list[tuple[str, str]]:
        """(id, label) of whom the welcome says this seat may address `tpl` to."""
        return [(rid, self.recipient_label(rid)) for rid in tpl.recipients]

    def recipient_label(self, rid: str) -> str:
        org = self.organisations.get(rid)
        if org is not None:
            return f"{org.name or rid} ({org.country})"
        return self.seat_label(rid)

    def evidence_for(self, to: str | None) -> list[EvidenceView]:
        """Known evidence a request to `to` may name (a provider: only what it holds)."""
        items = [e for e in self.evidence.values() if not e.deleted]
        if to and to in self.organisations:
            items = [e for e in items if e.holder == to]
        return sorted(items, key=lambda e: e.title)

    def due_soon(self, now: float, window: float = DEADLINE_WINDOW) -> list[Notice]:
        """Deadlines within `window` game seconds, each announced once."""
        out: list[Notice] = []

        def warn(key: str, due: float | None, title: str, message: str) -> None:
            if due is None or key in self._warned or not (now <= due <= now + window):
                return
            self._warned.add(key)
            if self.mode == "exam" and key.startswith("delete:"):  # no exact deletion time
                at_risk = _("{what}: at risk of deletion").format(what=message)
                out.append(Notice(_("Data at risk"), at_risk, "warning"))
                return
            left = format_span(due - now)
            out.append(
                Notice(title, _("{what} in {left}").format(what=message, left=left), "warning")
            )

        for e in self.evidence.values():
            name = self.evidence_title(e.id)
            if e.deleted:
                continue
            if e.preserved_until is not None:
                warn(f"lapse:{e.id}", e.preserved_until, _("Preservation ends"), name)
            else:
                warn(f"delete:{e.id}", e.deletes_at, _("Data will be deleted"), name)
        for r in self.requests.values():
            if not r.closed and r.sender == self.seat:
                limit = _("{id} time limit").format(id=r.id)
                warn(f"limit:{r.id}", r.deadline, limit, _("Legal deadline passes"))
        return out


def _questions(raw: Any) -> list[SurveyQuestion]:
    return [
        SurveyQuestion(
            str(q["id"]),
            str(q.get("text", q["id"])),
            str(q.get("kind", "text")),
            [str(c) for c in q.get("choices") or []],
        )
        for q in raw
        if isinstance(q, dict) and "id" in q
    ]


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC

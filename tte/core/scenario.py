"""The scenario format trainers write (YAML), its typed model and its validation.

Loading never raises on bad input from a trainer: it returns ``Problem`` lines
(``path: what is wrong``) so ``tte validate`` can list them all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import msgspec
import yaml

from tte.i18n import N_, Msg, said
from tte.i18n.message import fields as message_fields

from .channels import CHANNELS, DEFAULT_DESK_DELAY, DEFAULT_EXECUTION, DEFAULT_LATENCY
from .duration import parse_duration
from .languages import fold as fold_languages
from .reservations import DECLARATIONS, RESERVATIONS
from .templates import DATA_KINDS, ROLES, TEMPLATES
from .text import inert_line

Duration = str | int | float


class Base(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    pass


class Exercise(Base):
    id: str
    title: str
    start: str  # ISO date-time of game time zero, local to `timezone`
    timezone: str = "UTC"
    briefing: str = ""
    debrief: str = ""
    speed: float = 60.0  # game seconds per wall second
    duration: Duration = "30d"  # game time the exercise covers
    lead: list[str] = []  # countries that investigate (default: the first country)
    seed: int = 1
    preservation_days: float = 60.0  # BC Art 29(7): at least 60 days
    anonymous_survey: bool = True
    # coaching: the form warns about missing legal elements before sending; exam: the
    # request goes as written and the consequences arrive (the facilitator may switch)
    mode: Literal["coaching", "exam"] = "coaching"
    # The UN Convention against Cybercrime (2024) is in force only when the scenario says so
    # (90 days after the 40th ratification, Art 65).
    uncc_in_force: bool = False


class Intel(Base):
    """What a country's police hold (records, earlier cases): a police answer shares it."""

    about: list[str]  # evidence ids or identifiers the information concerns
    text: str


class GroundRule(Base):
    """A ground the requested Party invokes, by its own law and the treaty in force: its
    desk applies it, and a player in its seat is briefed to."""

    ground: Literal[
        "political_offence", "sovereignty", "dual_criminality", "postponed", "conditions"
    ]
    evidence: list[str] = []  # items it concerns (none: any)
    templates: list[str] = []  # instruments it concerns (none: any)
    requesting: list[str] = []  # requesting countries (none: any)
    postpone: Duration | None = None  # "postponed": how long execution waits
    note: str = ""  # the requested Party's explanation


class Country(Base):
    code: str
    name: str
    timezone: str = "UTC"
    budapest: bool = True  # party to the Budapest Convention
    second_protocol: bool = False  # applies the Second Additional Protocol
    eu: bool = False  # EU member state: Europol / Eurojust access, EU JIT rules
    # Bound by the EIO Directive 2014/41/EU and the e-Evidence Regulation (EU) 2023/1543;
    # unset means "as `eu`" (Denmark and Ireland are not bound by the Directive, Denmark
    # not by the Regulation: set false for them).
    eio: bool | None = None
    e_evidence: bool | None = None
    treaties: list[str] = []  # other treaties in force for it: ets30, ets182, untoc, uncc
    reservations: list[str] = []  # 2AP Art 19(1): art7_9a, art7_9b, art8_13, art17
    declarations: list[str] = []  # 2AP declarations, e.g. art9_1b
    notification: bool = False  # 2AP Art 7(5)(a): wants simultaneous notification
    police_intel: list[Intel] = []  # what its police hold, shared on police requests
    grounds: list[GroundRule] = []  # refusals and postponements it makes by rule
    # Languages it accepts for MLA, EIO and orders (1959 Convention Art 16; declarations),
    # its own first; none: any. Its translation desk takes `translation` per request.
    languages: list[str] = []
    translation: Duration = "14d"
    flag: str = ""
    humans: list[str] = msgspec.field(
        default_factory=lambda: list(ROLES)
    )  # seats humans may play (others are desks)
    briefings: dict[str, str] = {}  # role -> Markdown briefing
    poc_name: str = ""
    central_authority_name: str = ""


class Organisation(Base):
    id: str
    name: str
    country: str
    kind: Literal["hosting", "email", "isp", "cloud", "exchange", "registrar", "telecom", "other"]
    answer_delay: Duration = "3d"
    accepts_art6: bool = True  # answers 2AP Art 6 registration requests (voluntary)
    accepts_art7: bool = True  # answers 2AP Art 7 orders
    tips_off: bool = False  # tells the customer when confidentiality is not requested
    retention: dict[str, Duration] = {}  # data kind -> how long it keeps it
    # Member state of its designated establishment or legal representative (Directive
    # (EU) 2023/1544), where e-Evidence orders are addressed; none: not reachable by them.
    eu_representative: str | None = None
    # What it answers outside any treaty, on its own policy ("voluntary cooperation").
    voluntary: Literal["subscriber", "emergency", "none"] = "none"


class Body(Base):
    id: Literal["europol", "interpol", "eurojust"]
    name: str = ""
    answer_delay: Duration = "2d"
    members: list[str] = []  # operational partners (Europol: besides EU members)
    strategic: list[str] = []  # strategic partners only: no personal data exchanged


class Reveals(Base):
    evidence: list[str] = []
    leads: list[str] = []


class Index(Base):
    """How the holder finds the item in its records; a request must match it."""

    kind: Literal["ip_time", "account", "domain", "wallet", "phone"]
    value: str  # the IP address, account id, domain, wallet address or number
    at: str | None = None  # ip_time: the session's instant, ISO 8601 with its offset
    port: int | None = None  # behind carrier-grade NAT: the source port is needed
    decoy: str | None = None  # evidence id a near miss returns instead (another customer)


class EvidenceItem(Base):
    id: str
    title: str
    kind: str
    holder: str  # organisation id
    identifiers: list[str] = []
    deleted_at: Duration | None = None  # game-time offset when the data is gone
    known_to: list[str] = []  # countries that know of it at the start
    reveals: Reveals = msgspec.field(default_factory=Reveals)
    admissible_via: list[str] = []  # templates that make it admissible (default: by kind)
    wiped_on_tipoff: bool = False  # the suspect deletes it if tipped off
    needs_timezone: bool = False  # IP-based: a request without time zone identifies no one
    emergency_relevant: bool = True  # may be sought under 2AP Art 9/10 to avert the threat
    index: Index | None = None  # how the holder indexes it: the request is compared with it
    scope: list[str] = []  # what names it specifically (default: its identifiers)
    description: str = ""


class Attachment(Base):
    name: str
    text: str


class Trigger(Base):
    """One condition; `country`, `to` and `item` narrow the request conditions to requests
    from that country, to that country, or concerning that evidence item."""

    evidence_obtained: str | None = None
    evidence_preserved: str | None = None
    evidence_lost: str | None = None
    request_refused: str | None = None  # template id or "any"
    request_returned: str | None = None  # template id or "any": sent back as incomplete
    request_expired: str | None = None  # template id or "any": unanswered within its limit
    request_sent: str | None = None  # template id or "any"
    not_sent: str | None = None  # template id or "any": nothing of it sent by `by`
    tip_off: str | None = None  # organisation id or "any": a provider told its customer
    inject_released: str | None = None
    jit_agreed: bool | None = None
    # scope (not conditions)
    country: str | None = None  # the requesting country
    to: str | None = None  # the requested country
    item: str | None = None  # an evidence item the request concerns
    by: Duration | None = None  # not_sent: the game-time deadline


TRIGGER_SCOPE = ("country", "to", "item", "by")


class IncomingRequest(Base):
    """A request a desk-played country starts (issue 22): the engine submits it from the
    seat `from`, so a human seat on its route (the requested 24/7 point of contact, central
    authority, prosecutor) has something to decide."""

    template: str
    # the seat it comes from, e.g. "RS/poc"; a desk, or a person told by the inject that
    # the request was drafted in their office (it is not counted as their decision)
    sender: str = msgspec.field(name="from")
    to: str = ""  # what request.submit takes: an organisation id or a seat
    evidence: list[str] = []  # made known to the sending country if it did not know them
    fields: dict[str, Any] = {}  # over what a diligent official writes ("" leaves one out)
    channel: str | None = None  # default: the template's first channel


class Effect(Base):
    reveal: list[str] = []  # evidence ids made known to the inject's target countries
    request: IncomingRequest | None = None  # a desk-played country starts a request
    emergency: bool | None = None  # a threat to life now exists (2AP Art 3)
    # The items the emergency concerns: only expedited requests for these get the
    # emergency treatment (2AP Art 9(3), 10(3)); none named: every emergency-relevant item.
    emergency_items: list[str] = []
    delete: list[str] = []  # evidence wiped (e.g. the suspect was tipped off)
    org: str | None = None  # change an organisation's behaviour
    tips_off: bool | None = None
    accepts_art7: bool | None = None
    accepts_art6: bool | None = None
    answer_delay: Duration | None = None


class Inject(Base):
    id: str
    title: str
    text: str = ""
    to: list[str] = msgspec.field(
        default_factory=lambda: ["all"]
    )  # "all", "RO", "RO/investigator", "*/poc"
    at: Duration | None = None  # game-time offset
    when: Trigger | None = None  # fires when the condition becomes true
    delay: Duration = 0  # after the condition
    manual: bool = False  # only when the facilitator releases it
    attachments: list[Attachment] = []
    effects: Effect = msgspec.field(default_factory=Effect)
    notes: str = ""  # for the facilitator
    expected: str = ""  # expected player action (MSEL)


class Objective(Base):
    id: str
    title: str
    weight: float = 1.0
    evidence_preserved: str | None = None
    evidence_obtained: str | None = None
    evidence_admissible: str | None = None
    evidence_not_lost: str | None = None
    request_sent: str | None = None  # template id
    jit_agreed: bool | None = None
    by: Duration | None = None  # game-time offset deadline
    after: Duration | None = None  # game-time offset the window opens (default: 0)
    country: str | None = None  # whose achievement counts (default: any lead country)
    # Filters that make an objective measure what its title claims:
    via: list[str] = []  # evidence_*: only these instruments count (template ids, "jit")
    to: str | None = None  # request_sent: the requested country
    item: str | None = None  # request_sent: the request concerns this evidence item
    # request_sent: "sent" (attempted), "fulfilled" (executed), "first_time" (executed and
    # never returned for what it lacked)
    outcome: Literal["sent", "fulfilled", "first_time"] = "sent"
    fields_filled: list[str] = []  # request_sent: these template fields were filled in
    guide: list[str] = []  # evaluation guide: the critical tasks an evaluator looks for
    notes: str = ""


class DebriefPoint(Base):
    """A debrief entry the report shows only when its condition held at the end: the hot
    wash talks about what happened, not the golden story (issue 22)."""

    title: str
    text: str
    when: Trigger | None = None  # an inject condition, judged on the final state
    objective_met: str | None = None  # or: this objective was met
    objective_missed: str | None = None  # or: this objective was missed
    article: str = ""  # the legal basis the point teaches, e.g. "BC Art 29"


class Question(Base):
    id: str
    text: str
    kind: Literal["scale", "choice", "text"] = "scale"
    choices: list[str] = []


class KnowledgeQuestion(Base):
    """One multiple-choice question of the before-and-after knowledge check."""

    id: str
    text: str
    choices: list[str]
    answer: str  # one of the choices
    explanation: str = ""  # the article and why; shown only after the after-check
    roles: list[str] = []  # roles asked it (none: every role)


class Hint(Base):
    """A card the facilitator releases to a seat's inbox when a team is stuck."""

    id: str
    title: str
    text: str
    to: list[str] = msgspec.field(default_factory=lambda: ["all"])  # like an inject's `to`
    when: Trigger | None = None  # the console marks it "due" once this is true
    notes: str = ""  # for the facilitator


class PlannedJump(Base):
    by: Duration  # game time to jump
    reason: str  # what the seats are told


class Phase(Base):
    """A step of the running order: it begins at a game time or when an inject is released
    and lasts until the next phase begins."""

    id: str
    name: str
    at: Duration | None = None  # begins at this game-time offset
    after_inject: str | None = None  # or when this inject is released
    speed: float | None = None  # the clock's speed while it runs (the facilitator may override)
    timebox: float | None = None  # wall minutes it should take; the console alarms past it
    jumps: list[PlannedJump] = []  # planned clock jumps, with their reason
    notes: str = ""  # for the facilitator


class Scenario(Base, dict=True):  # dict: room for the lookup tables below
    exercise: Exercise
    countries: list[Country]
    organisations: list[Organisation] = []
    bodies: list[Body] = []
    evidence: list[EvidenceItem] = []
    injects: list[Inject] = []
    objectives: list[Objective] = []
    survey: list[Question] = []
    debrief: list[DebriefPoint] = []  # chosen by what happened (the report's Debrief)
    knowledge_check: list[KnowledgeQuestion] = []  # asked before and after (tte.core.learning)
    hints: list[Hint] = []  # cards the facilitator releases
    phases: list[Phase] = []  # the running order
    channels: dict[str, Duration] = {}  # latency overrides
    limits: dict[str, Duration] = {}  # legal time limit overrides, by template
    desks: dict[str, Duration] = {}  # desk delay overrides, by role
    # Translation and execution at the requested side, by template (domain.md "How time
    # really passes in MLA"); defaults in channels.DEFAULT_EXECUTION.
    execution: dict[str, Duration] = {}
    # Other languages of the scenario's texts: language -> {source text: translation}.
    # Written by hand, or gathered from `{en: …, fr: …}` maps (tte.core.languages).
    translations: dict[str, dict[str, str]] = {}

    # ---- derived helpers (not part of the file format) ----
    def _by_id(self, name: str, key: str) -> Any:
        """One table per list, made at the first lookup: the engine asks for countries
        and items per event (275,000 linear scans in a bench row before)."""
        tables = self.__dict__.setdefault("_tables", {})
        table = tables.get(name)
        if table is None:
            field = "code" if name == "countries" else "id"
            # reversed: the first of two with one id wins, as a scan would find it
            table = tables[name] = {getattr(x, field): x for x in reversed(getattr(self, name))}
        return table.get(key)

    def country(self, code: str) -> Country | None:
        return cast("Country | None", self._by_id("countries", code))

    def org(self, oid: str) -> Organisation | None:
        return cast("Organisation | None", self._by_id("organisations", oid))

    def item(self, eid: str) -> EvidenceItem | None:
        return cast("EvidenceItem | None", self._by_id("evidence", eid))

    def hint(self, hid: str) -> Hint | None:
        return cast("Hint | None", self._by_id("hints", hid))

    def questions_for(self, role: str) -> list[KnowledgeQuestion]:
        return [q for q in self.knowledge_check if not q.roles or role in q.roles]

    def inject(self, iid: str) -> Inject | None:
        return cast("Inject | None", self._by_id("injects", iid))

    def decoys(self) -> set[str]:
        """Items that only an imprecise request returns (another customer's record)."""
        return {e.index.decoy for e in self.evidence if e.index and e.index.decoy}

    @property
    def lead_countries(self) -> list[str]:
        return list(self.exercise.lead) or [self.countries[0].code]

    def seats(self) -> list[str]:
        return [f"{c.code}/{r}" for c in self.countries for r in ROLES]

    def human_seats(self) -> list[str]:
        """The seats people may play; the others are always desks and get no join code."""
        return [f"{c.code}/{r}" for c in self.countries for r in ROLES if r in c.humans]

    def latency(self, channel: str) -> float:
        if channel in self.channels:
            return parse_duration(self.channels[channel])
        return DEFAULT_LATENCY[channel]

    def execution_time(self, template: str) -> float:
        if template in self.execution:
            return parse_duration(self.execution[template])
        return DEFAULT_EXECUTION.get(template, 0.0)

    def desk_delay(self, role: str) -> float:
        if role in self.desks:
            return parse_duration(self.desks[role])
        return DEFAULT_DESK_DELAY.get(role, 3600.0)

    def start_datetime(self) -> dt.datetime:
        start = dt.datetime.fromisoformat(self.exercise.start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=zoneinfo.ZoneInfo(self.exercise.timezone))
        return start

    def game_datetime(self, t: float) -> dt.datetime:
        return self.start_datetime() + dt.timedelta(seconds=t)


BODY_NAMES = {"europol": "Europol", "interpol": "INTERPOL", "eurojust": "Eurojust"}
# Reservations written before they were cut to Art 19(1), with what to write instead.
_OLD_RESERVATIONS = {
    "art7": "art7_9a",
    "art8_traffic": "art8_13",
    "art9": "declarations: [art9_1b]",
}
TREATIES = {
    "ets30": "European Convention on Mutual Assistance in Criminal Matters (1959)",
    "ets182": "Second Additional Protocol to the 1959 Convention (ETS 182)",
    "untoc": "UN Convention against Transnational Organized Crime",
    "uncc": "UN Convention against Cybercrime",
}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str  # a Msg (key and parameters) when the checks made it: see render

    def render(self, file: str) -> str:
        """``FILE: PATH: PROBLEM``, the problem in the current reader's language (English
        when it came from a parser: YAML's and msgspec's own words)."""
        from tte.i18n import current

        text = current().message(message_fields(self.message))
        return f"{file}: {self.path}: {inert_line(text, PROBLEM_MESSAGE_MAX)}"


class ScenarioError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


def _msgspec_path(msg: str) -> tuple[str, str]:
    m = re.search(r" - at `\$(.*)`$", msg)
    if not m:
        return "(document)", msg
    path = m.group(1).lstrip(".") or "(document)"
    return path, msg[: m.start()]


# msgspec's own sentences, as keyed messages so `tte validate` shows them in its reader's
# language (the names they quote come from the file and the model; _safe makes them inert).
_MSGSPEC = (
    (
        re.compile(r"^Expected `(?P<expected>[^`]*)`, got `(?P<got>[^`]*)`$"),
        N_("Expected `{expected}`, got `{got}`"),
    ),
    (
        re.compile(r"^Object missing required field `(?P<field>[^`]*)`$"),
        N_("Object missing required field `{field}`"),
    ),
    (
        re.compile(r"^Object contains unknown field `(?P<field>.*)`$", re.S),
        N_("unknown field `{field}`"),
    ),
    (re.compile(r"^Invalid enum value (?P<value>.*)$", re.S), N_("Invalid enum value {value}")),
)


def _msgspec_message(what: str) -> str:
    for pattern, key in _MSGSPEC:
        if m := pattern.match(what):
            found = {k: inert_line(v, QUOTED_MAX) for k, v in m.groupdict().items()}
            return said(key, **found)
    return what


def parse(text: str) -> tuple[Scenario | None, list[Problem]]:
    """Parse and validate YAML text; the scenario is None when problems prevent loading.

    Every problem names the place and what is wrong in inert text of bounded length
    (`_safe`): the file may not be a scenario at all (`tte validate /etc/shadow`, a
    binary, a crafted log's stored scenario), and its content is not echoed back."""
    sc, problems = _parse(text)
    return sc, [_safe(p) for p in problems]


PROBLEM_PATH_MAX = 80  # characters of a problem's path, and of a quoted key in it
PROBLEM_MESSAGE_MAX = 240
QUOTED_MAX = 24  # characters of a key or value quoted from the file


def _safe(p: Problem) -> Problem:
    msg = re.sub(
        r"^Object contains unknown field `(.*)`$",
        lambda m: f"unknown field `{inert_line(m.group(1), QUOTED_MAX)}`",
        p.message,
        flags=re.S,
    )
    msg = re.sub(r"\s*\n\s*", " ", msg)  # YAML errors span lines
    safe = inert_line(msg, PROBLEM_MESSAGE_MAX)
    if isinstance(p.message, Msg):  # the same checks on what it quotes, for every reader
        params = {
            k: inert_line(re.sub(r"\s*\n\s*", " ", v), PROBLEM_MESSAGE_MAX)
            if isinstance(v, str)
            else v
            for k, v in p.message.params.items()
        }
        safe = Msg(safe, p.message.key, params)
    return Problem(inert_line(p.path, PROBLEM_PATH_MAX), safe)


def _parse(text: str) -> tuple[Scenario | None, list[Problem]]:
    try:
        raw = _load_yaml(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(document)"
        what = e.problem or e.context or "YAML syntax error"
        return None, [Problem(where, said("YAML syntax error: {what}", what=what))]
    except yaml.YAMLError as e:
        return None, [Problem("(document)", said("YAML error: {value}", value=str(e)))]
    except (ValueError, RecursionError) as e:  # e.g. absurd nesting
        return None, [Problem("(document)", said("cannot read YAML: {value}", value=str(e)))]
    if not isinstance(raw, dict) or not ({"exercise", "countries"} & set(raw)):
        # Not a scenario at all: say so, and quote nothing of it.
        return None, [
            Problem(
                "(document)",
                said(
                    "not a tte scenario: a scenario is a mapping with 'exercise' and "
                    "'countries' at the top, and this file has neither"
                ),
            )
        ]
    raw = _stringify_times(raw)
    raw, _found = fold_languages(raw)
    try:
        sc = msgspec.convert(raw, Scenario, strict=False)
    except msgspec.ValidationError as e:
        path, what = _msgspec_path(str(e))
        return None, [Problem(path, _msgspec_message(what))]
    except (TypeError, ValueError, RecursionError) as e:
        return None, [Problem("(document)", said("cannot read scenario: {value}", value=str(e)))]
    problems = check(sc)
    return (sc if not problems else None), problems


MAX_YAML_NODES = 200_000  # a scenario has a few thousand; an alias bomb, billions
# libyaml's parser when PyYAML has it (5-10x faster: `tte replay` and `tte report` parse
# the scenario a log stores on every start), the pure-Python one otherwise.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    """yaml.safe_load, refusing a document whose nodes, aliases expanded, pass
    MAX_YAML_NODES (a "billion laughs" of 400 bytes would otherwise take minutes and GBs
    in everything that walks the result)."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        stack, seen = [node], 0
        while stack:
            n = stack.pop()
            seen += 1
            if seen > MAX_YAML_NODES:
                raise ValueError(f"over {MAX_YAML_NODES} nodes once aliases are expanded")
            if isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
            elif isinstance(n, yaml.MappingNode):
                stack.extend(x for kv in n.value for x in kv)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _stringify_times(value: Any) -> Any:
    """YAML turns unquoted dates into datetime objects; the model wants ISO strings."""
    if isinstance(value, dict):
        return {k: _stringify_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_times(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


MAX_SCENARIO_BYTES = 4 * 1024 * 1024  # the shipped scenarios are 20-60 kB


def read_text(path: str | Path) -> str:
    """A scenario file's text, or ScenarioError saying why not, in one line that quotes
    nothing of the file: not a regular file (a device, a FIFO), over MAX_SCENARIO_BYTES,
    not UTF-8 (a binary)."""
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise ScenarioError([Problem("(file)", said("not a regular file"))])
            data = f.read(MAX_SCENARIO_BYTES + 1)
    except FileNotFoundError as e:
        raise ScenarioError([Problem("(file)", said("no such file"))]) from e
    except OSError as e:
        raise ScenarioError(
            [Problem("(file)", said("cannot read: {value}", value=str(e.strerror or e)))]
        ) from e
    if len(data) > MAX_SCENARIO_BYTES:
        mib = MAX_SCENARIO_BYTES // (1024 * 1024)
        raise ScenarioError([Problem("(file)", said("over {mib} MiB: not a scenario", mib=mib))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError(
            [Problem("(file)", said("not UTF-8 text (a binary file?): not a scenario"))]
        ) from e


def load(path: str | Path) -> Scenario:
    """Load a scenario file or raise ScenarioError listing every problem."""
    text = read_text(path)
    sc, problems = parse(text)
    if sc is None:
        raise ScenarioError(problems)
    return sc


# Where the shipped scenarios are: inside the package when installed from a wheel (the
# build maps the repository's top-level ``scenarios/`` to ``tte/scenarios``), next to the
# package in a checkout or an editable install.
_PACKAGE = Path(__file__).resolve().parent.parent
SHIPPED_DIRS = (_PACKAGE / "scenarios", _PACKAGE.parent / "scenarios")
DEFAULT_SCENARIO = "tutorial"


def shipped_dir() -> Path | None:
    """The directory of the shipped scenarios, or None if this installation has none."""
    return next((d for d in SHIPPED_DIRS if any(d.glob("*.yaml"))), None)


def shipped() -> list[str]:
    """The names of the shipped scenarios (``tutorial``, ``lisbon-ransomware-2ap`` …)."""
    d = shipped_dir()
    return sorted(x.stem for x in d.glob("*.yaml")) if d else []


def find(name: str | None) -> Path:
    """A scenario file by path, or a shipped scenario by name (default: the tutorial).

    Raises ScenarioError (path ``(file)``) naming the shipped scenarios when it is neither.
    """
    name = name or DEFAULT_SCENARIO
    if (given := Path(name)).exists():
        return given
    if (d := shipped_dir()) is not None:
        for cand in (d / name, d / f"{name}.yaml"):
            if cand.exists():
                return cand
    names = ", ".join(shipped()) or "none in this installation"
    raise ScenarioError(
        [
            Problem(
                "(file)",
                said(
                    "no scenario file {name} (shipped scenarios: {names})",
                    name=repr(name),
                    names=names,
                ),
            )
        ]
    )


def check(sc: Scenario) -> list[Problem]:
    """Every cross-reference and value check; an empty list means the scenario is sound."""
    out: list[Problem] = []

    def bad(path: str, msg: str) -> None:
        out.append(Problem(path, msg))

    def dur(path: str, value: object) -> float | None:
        try:
            return parse_duration(value)
        except ValueError as e:
            bad(path, e.args[0] if e.args and isinstance(e.args[0], Msg) else str(e))
            return None

    def unique(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x in seen:
                bad(f"{kind}[{i}].id", said("duplicate id {value}", value=repr(x)))
            seen.add(x)

    ex = sc.exercise
    try:
        dt.datetime.fromisoformat(ex.start)
    except ValueError:
        bad(
            "exercise.start",
            said("not an ISO date-time: {start} (e.g. 2026-03-02T08:00)", start=repr(ex.start)),
        )
    for path, tz in [("exercise.timezone", ex.timezone)] + [
        (f"countries[{i}].timezone", c.timezone) for i, c in enumerate(sc.countries)
    ]:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            bad(
                path,
                said(
                    "unknown time zone {value} (use e.g. Europe/Bucharest or UTC)", value=repr(tz)
                ),
            )
    if not (ex.speed > 0):
        bad("exercise.speed", said("must be greater than 0 (game seconds per wall second)"))
    dur("exercise.duration", ex.duration)
    if ex.preservation_days < 60:
        bad("exercise.preservation_days", said("BC Art 29(7) requires at least 60 days"))
    if not sc.countries:
        bad("countries", said("at least one country is needed"))

    codes = [c.code for c in sc.countries]
    unique("countries", codes)
    for i, c in enumerate(sc.countries):
        if not re.fullmatch(r"[A-Z]{2,3}", c.code):
            bad(
                f"countries[{i}].code",
                said("use an ISO code like 'RO', got {code}", code=repr(c.code)),
            )
        for j, r in enumerate(c.reservations):
            if r not in RESERVATIONS:
                allowed = ", ".join(RESERVATIONS)
                if r in _OLD_RESERVATIONS:
                    msg = said(
                        "{value} is not a reservation 2AP Art 19(1) allows; "
                        "write {instead}; allowed: {names}",
                        value=repr(r),
                        instead=_OLD_RESERVATIONS[r],
                        names=allowed,
                    )
                else:
                    msg = said(
                        "{value} is not a reservation 2AP Art 19(1) allows; allowed: {names}",
                        value=repr(r),
                        names=allowed,
                    )
                bad(f"countries[{i}].reservations[{j}]", msg)
        for j, r in enumerate(c.declarations):
            if r not in DECLARATIONS:
                bad(
                    f"countries[{i}].declarations[{j}]",
                    said(
                        "unknown declaration {value}; known: {names}",
                        value=repr(r),
                        names=", ".join(DECLARATIONS),
                    ),
                )
        for j, t in enumerate(c.treaties):
            if t not in TREATIES:
                bad(
                    f"countries[{i}].treaties[{j}]",
                    said(
                        "unknown treaty {value}; known: {names}",
                        value=repr(t),
                        names=", ".join(TREATIES),
                    ),
                )
        dur(f"countries[{i}].translation", c.translation)
        for j, rule in enumerate(c.grounds):
            _check_ground(rule, f"countries[{i}].grounds[{j}]", sc, bad, dur)
        for j, intel in enumerate(c.police_intel):
            if not intel.about:
                bad(
                    f"countries[{i}].police_intel[{j}].about",
                    said("name the evidence or identifiers"),
                )
        for j, r in enumerate(c.humans):
            if r not in ROLES:
                bad(
                    f"countries[{i}].humans[{j}]",
                    said(
                        "unknown role {value}; roles: {names}",
                        value=repr(r),
                        names=", ".join(ROLES),
                    ),
                )
        for r in c.briefings:
            if r not in ROLES:
                bad(f"countries[{i}].briefings.{r}", said("unknown role {value}", value=repr(r)))
    for i, code in enumerate(ex.lead):
        if code not in codes:
            bad(f"exercise.lead[{i}]", said("unknown country {value}", value=repr(code)))

    org_ids = [o.id for o in sc.organisations]
    unique("organisations", org_ids)
    for i, o in enumerate(sc.organisations):
        if o.country not in codes:
            bad(
                f"organisations[{i}].country",
                said("unknown country {value}", value=repr(o.country)),
            )
        dur(f"organisations[{i}].answer_delay", o.answer_delay)
        if o.eu_representative is not None and o.eu_representative not in codes:
            bad(
                f"organisations[{i}].eu_representative",
                said(
                    "unknown country {value}",
                    value=repr(o.eu_representative),
                ),
            )
        for k, v in o.retention.items():
            if k not in DATA_KINDS:
                bad(
                    f"organisations[{i}].retention.{k}",
                    said("unknown data kind {value}", value=repr(k)),
                )
            dur(f"organisations[{i}].retention.{k}", v)
    for i, b in enumerate(sc.bodies):
        dur(f"bodies[{i}].answer_delay", b.answer_delay)
        for key, listed in (("members", b.members), ("strategic", b.strategic)):
            for j, m in enumerate(listed):
                if m not in codes:
                    bad(f"bodies[{i}].{key}[{j}]", said("unknown country {value}", value=repr(m)))

    ev_ids = [e.id for e in sc.evidence]
    unique("evidence", ev_ids)
    for i, e in enumerate(sc.evidence):
        p = f"evidence[{i}]"
        if e.kind not in DATA_KINDS:
            bad(
                f"{p}.kind",
                said(
                    "unknown data kind {kind}; kinds: {names}",
                    kind=repr(e.kind),
                    names=", ".join(DATA_KINDS),
                ),
            )
        if e.holder not in org_ids:
            bad(f"{p}.holder", said("unknown organisation {value}", value=repr(e.holder)))
        if e.deleted_at is not None:
            dur(f"{p}.deleted_at", e.deleted_at)
        for j, k in enumerate(e.known_to):
            if k not in codes:
                bad(f"{p}.known_to[{j}]", said("unknown country {value}", value=repr(k)))
        for j, r in enumerate(e.reveals.evidence):
            if r not in ev_ids:
                bad(f"{p}.reveals.evidence[{j}]", said("unknown evidence {value}", value=repr(r)))
        if e.index is not None:
            _check_index(e, f"{p}.index", sc, bad)
        for j, t in enumerate(e.admissible_via):
            if t not in TEMPLATES and t != "jit":
                bad(f"{p}.admissible_via[{j}]", said("unknown template {value}", value=repr(t)))

    inj_ids = [i.id for i in sc.injects]
    unique("injects", inj_ids)
    seat_roles = (*ROLES, "*")
    for i, inj in enumerate(sc.injects):
        p = f"injects[{i}]"
        for j, target in enumerate(inj.to):
            wrong = _check_target(target, codes, seat_roles)
            if wrong:
                bad(f"{p}.to[{j}]", wrong)
        timing = [inj.at is not None, inj.when is not None, inj.manual]
        if sum(timing) != 1:
            bad(p, said("give exactly one of 'at', 'when' or 'manual: true'"))
        if inj.at is not None:
            dur(f"{p}.at", inj.at)
        dur(f"{p}.delay", inj.delay)
        if inj.when is not None:
            _check_trigger(inj.when, f"{p}.when", sc, inj_ids, bad)
        eff = inj.effects
        for j, r in enumerate(eff.reveal):
            if r not in ev_ids:
                bad(f"{p}.effects.reveal[{j}]", said("unknown evidence {value}", value=repr(r)))
        for j, r in enumerate(eff.delete):
            if r not in ev_ids:
                bad(f"{p}.effects.delete[{j}]", said("unknown evidence {value}", value=repr(r)))
        org_change = [eff.tips_off, eff.accepts_art6, eff.accepts_art7, eff.answer_delay]
        if eff.org is not None and eff.org not in org_ids:
            bad(f"{p}.effects.org", said("unknown organisation {value}", value=repr(eff.org)))
        if eff.org is None and any(v is not None for v in org_change):
            bad(f"{p}.effects", said("an organisation change needs 'org'"))
        if eff.answer_delay is not None:
            dur(f"{p}.effects.answer_delay", eff.answer_delay)
        if eff.request is not None:
            _check_incoming(eff.request, f"{p}.effects.request", sc, bad)

    unique("objectives", [o.id for o in sc.objectives])
    for i, ob in enumerate(sc.objectives):
        p = f"objectives[{i}]"
        kinds = {
            "evidence_preserved": ob.evidence_preserved,
            "evidence_obtained": ob.evidence_obtained,
            "evidence_admissible": ob.evidence_admissible,
            "evidence_not_lost": ob.evidence_not_lost,
            "request_sent": ob.request_sent,
            "jit_agreed": ob.jit_agreed,
        }
        given = [k for k, v in kinds.items() if v is not None]
        if len(given) != 1:
            bad(p, said("give exactly one of {names}", names=", ".join(kinds)))
        for k in (
            "evidence_preserved",
            "evidence_obtained",
            "evidence_admissible",
            "evidence_not_lost",
        ):
            ref = kinds[k]
            if isinstance(ref, str) and ref not in ev_ids:
                bad(f"{p}.{k}", said("unknown evidence {value}", value=repr(ref)))
        if ob.request_sent is not None and ob.request_sent not in TEMPLATES:
            bad(
                f"{p}.request_sent",
                said("unknown template {value}", value=repr(ob.request_sent)),
            )
        _check_objective_filters(ob, p, sc, bad, dur)
        if ob.weight < 0:
            bad(f"{p}.weight", said("cannot be negative"))
        if ob.by is not None:
            dur(f"{p}.by", ob.by)
        if ob.country is not None and ob.country not in codes:
            bad(f"{p}.country", said("unknown country {value}", value=repr(ob.country)))

    ob_ids = {o.id for o in sc.objectives}
    for i, d in enumerate(sc.debrief):
        p = f"debrief[{i}]"
        conds = [d.when, d.objective_met, d.objective_missed]
        if sum(c is not None for c in conds) > 1:
            bad(p, said("give at most one of 'when', 'objective_met', 'objective_missed'"))
        for k in ("objective_met", "objective_missed"):
            ref = getattr(d, k)
            if ref is not None and ref not in ob_ids:
                bad(f"{p}.{k}", said("unknown objective {value}", value=repr(ref)))
        if d.when is not None:
            _check_trigger(d.when, f"{p}.when", sc, inj_ids, bad)

    unique("survey", [q.id for q in sc.survey])
    for i, q in enumerate(sc.survey):
        if q.kind == "choice" and len(q.choices) < 2:
            bad(f"survey[{i}].choices", said("a choice question needs at least two choices"))

    for k, v in sc.channels.items():
        if k not in DEFAULT_LATENCY:
            bad(
                f"channels.{k}",
                said(
                    "unknown channel {value}; channels: {names}",
                    value=repr(k),
                    names=", ".join(DEFAULT_LATENCY),
                ),
            )
        dur(f"channels.{k}", v)
    for k, v in sc.limits.items():
        if k not in TEMPLATES:
            bad(f"limits.{k}", said("unknown template {value}", value=repr(k)))
        dur(f"limits.{k}", v)
    for k, v in sc.execution.items():
        if k not in TEMPLATES:
            bad(f"execution.{k}", said("unknown template {value}", value=repr(k)))
        dur(f"execution.{k}", v)
    for k, v in sc.desks.items():
        if k not in ROLES:
            bad(f"desks.{k}", said("unknown role {value}", value=repr(k)))
        dur(f"desks.{k}", v)
    assert set(CHANNELS) <= set(DEFAULT_LATENCY)
    from .learning import check_learning

    check_learning(sc, bad, dur, inj_ids, _check_trigger)
    return out


def _check_incoming(rq: IncomingRequest, p: str, sc: Scenario, bad: Any) -> None:
    """The seat that starts it exists and may draft the template; the items,
    fields and channel exist. Where it goes is checked when it is sent (a note to staff)."""
    tpl = TEMPLATES.get(rq.template)
    if tpl is None:
        bad(f"{p}.template", said("unknown template {value}", value=repr(rq.template)))
    code, _, role = rq.sender.partition("/")
    country = sc.country(code)
    if country is None or role not in ROLES:
        bad(f"{p}.from", said("not a seat: {sender} (e.g. RS/poc)", sender=repr(rq.sender)))
    elif tpl is not None and role not in tpl.senders:
        bad(
            f"{p}.from",
            said(
                "a {template} is drafted by: {names}", template=tpl.id, names=", ".join(tpl.senders)
            ),
        )
    if not rq.to:
        bad(f"{p}.to", said("name the addressee (an organisation id or a seat)"))
    for j, e in enumerate(rq.evidence):
        if sc.item(e) is None:
            bad(f"{p}.evidence[{j}]", said("unknown evidence {value}", value=repr(e)))
    for k in rq.fields:
        if tpl is not None and tpl.field(k) is None:
            bad(
                f"{p}.fields.{k}",
                said("{template} has no field {field}", template=tpl.id, field=repr(k)),
            )
    if tpl is not None and rq.channel is not None and rq.channel not in tpl.channels:
        bad(
            f"{p}.channel",
            said(
                "{template} goes through: {names}", template=tpl.id, names=", ".join(tpl.channels)
            ),
        )


def _check_objective_filters(ob: Objective, p: str, sc: Scenario, bad: Any, dur: Any) -> None:
    """`via` goes with the evidence measures; `to`, `item`, `outcome` and `fields_filled`
    with `request_sent`, and name what exists."""
    if ob.via and not (ob.evidence_obtained or ob.evidence_admissible):
        bad(f"{p}.via", said("goes with evidence_obtained or evidence_admissible"))
    for j, t in enumerate(ob.via):
        if t not in TEMPLATES and t != "jit":
            bad(f"{p}.via[{j}]", said("unknown template {value}", value=repr(t)))
    request_only = {
        "to": ob.to,
        "item": ob.item,
        "outcome": None if ob.outcome == "sent" else ob.outcome,
        "fields_filled": ob.fields_filled or None,
    }
    for k, v in request_only.items():
        if v is not None and ob.request_sent is None:
            bad(f"{p}.{k}", said("goes with request_sent"))
    if ob.to is not None and sc.country(ob.to) is None:
        bad(f"{p}.to", said("unknown country {value}", value=repr(ob.to)))
    if ob.item is not None and sc.item(ob.item) is None:
        bad(f"{p}.item", said("unknown evidence {value}", value=repr(ob.item)))
    tpl = TEMPLATES.get(ob.request_sent or "")
    for j, f in enumerate(ob.fields_filled):
        if tpl is not None and tpl.field(f) is None:
            bad(
                f"{p}.fields_filled[{j}]",
                said("{template} has no field {field}", template=tpl.id, field=repr(f)),
            )
    if ob.after is not None:
        dur(f"{p}.after", ob.after)


def _check_index(e: EvidenceItem, p: str, sc: Scenario, bad: Any) -> None:
    """The holder must be able to find the item: a value, and for an IP session an instant
    with its offset."""
    ix = e.index
    assert ix is not None
    if not ix.value.strip():
        bad(f"{p}.value", said("the identifier the holder's records use is empty"))
    if ix.kind == "ip_time":
        when = parse_instant(ix.at) if ix.at else None
        if when is None:
            bad(
                f"{p}.at",
                said(
                    "an IP session needs its instant with an offset, e.g. 2019-05-06T21:14:09+00:00"
                ),
            )
    elif ix.at is not None or ix.port is not None:
        bad(p, said("'at' and 'port' belong to an ip_time index, not {kind}", kind=ix.kind))
    if ix.port is not None and not (0 < ix.port < 65536):
        bad(f"{p}.port", said("a port is a number from 1 to 65535"))
    if ix.decoy is not None:
        other = sc.item(ix.decoy)
        if other is None:
            bad(f"{p}.decoy", said("unknown evidence {value}", value=repr(ix.decoy)))
        elif other.holder != e.holder or other.id == e.id:
            bad(f"{p}.decoy", said("a decoy is another record of the same holder"))


def parse_instant(text: str | None) -> dt.datetime | None:
    """An ISO 8601 date-time that states its offset ('Z' or +hh:mm), else None."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _check_ground(rule: GroundRule, p: str, sc: Scenario, bad: Any, dur: Any) -> None:
    if (rule.postpone is None) == (rule.ground == "postponed"):
        bad(p, said("'postpone: <duration>' goes with ground 'postponed', and only there"))
    if rule.postpone is not None:
        dur(f"{p}.postpone", rule.postpone)
    known = (
        ("evidence", rule.evidence, {x.id for x in sc.evidence}, N_("unknown evidence {value}")),
        ("templates", rule.templates, set(TEMPLATES), N_("unknown template {value}")),
        (
            "requesting",
            rule.requesting,
            {x.code for x in sc.countries},
            N_("unknown country {value}"),
        ),
    )
    for key, values, valid, unknown in known:
        for n, value in enumerate(values):
            if value not in valid:
                bad(f"{p}.{key}[{n}]", said(unknown, value=repr(value)))


def _check_target(target: str, codes: list[str], roles: tuple[str, ...]) -> Msg | None:
    if target in ("all", "facilitator"):
        return None
    if "/" in target:
        country, role = target.split("/", 1)
        if country != "*" and country not in codes:
            return said(
                "unknown country {country} in target {target}",
                country=repr(country),
                target=repr(target),
            )
        if role not in roles:
            return said(
                "unknown role {role} in target {target}", role=repr(role), target=repr(target)
            )
        return None
    if target not in codes:
        return said(
            "unknown target {target}: use 'all', a country code, 'RO/poc' or '*/poc'",
            target=repr(target),
        )
    return None


REQUEST_CONDITIONS = (
    "request_refused",
    "request_returned",
    "request_expired",
    "request_sent",
    "not_sent",
)


def _check_trigger(tr: Trigger, p: str, sc: Scenario, inj_ids: list[str], bad: Any) -> None:
    fields = msgspec.structs.asdict(tr)
    conditions = {k: v for k, v in fields.items() if k not in TRIGGER_SCOPE}
    given = [k for k, v in conditions.items() if v is not None]
    if len(given) != 1:
        bad(p, said("give exactly one condition of {names}", names=", ".join(conditions)))
    ev_ids = [e.id for e in sc.evidence]
    codes = [c.code for c in sc.countries]
    for k in ("evidence_obtained", "evidence_preserved", "evidence_lost", "item"):
        v = fields[k]
        if v is not None and v not in ev_ids:
            bad(f"{p}.{k}", said("unknown evidence {value}", value=repr(v)))
    for k in REQUEST_CONDITIONS:
        v = fields[k]
        if v is not None and v != "any" and v not in TEMPLATES:
            bad(f"{p}.{k}", said("unknown template {value}", value=repr(v)))
    for k in ("country", "to"):
        v = fields[k]
        if v is not None and v not in codes:
            bad(f"{p}.{k}", said("unknown country {value}", value=repr(v)))
    scoped = [k for k in ("country", "to", "item") if fields[k] is not None]
    if scoped and not any(fields[k] is not None for k in (*REQUEST_CONDITIONS, "tip_off")):
        bad(p, said("{names} narrow a request or tip-off condition only", names=", ".join(scoped)))
    if (tr.by is None) != (tr.not_sent is None):
        bad(p, said("'not_sent' needs 'by' (the deadline), and 'by' goes only with it"))
    if tr.by is not None:
        try:
            parse_duration(tr.by)
        except ValueError as e:
            bad(f"{p}.by", str(e))
    if tr.tip_off not in (None, "any") and sc.org(tr.tip_off) is None:
        bad(f"{p}.tip_off", said("unknown organisation {value}", value=repr(tr.tip_off)))
    if tr.inject_released is not None and tr.inject_released not in inj_ids:
        bad(
            f"{p}.inject_released",
            said("unknown inject {value}", value=repr(tr.inject_released)),
        )


def target_seats(sc: Scenario, targets: list[str]) -> list[str]:
    """Expand inject targets into seat ids ("RO/poc"), in scenario order, each once."""
    seats: dict[str, None] = {}  # ordered set: "all" on 50 countries is 200 seats
    for t in targets:
        for c in sc.countries:
            for r in ROLES:
                sid = f"{c.code}/{r}"
                if t == "all" or t == c.code or t in (sid, f"*/{r}", f"{c.code}/*"):
                    seats.setdefault(sid)
    return list(seats)

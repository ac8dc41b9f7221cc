"""The wire format, v1: typed messages, encode, decode, version, limits, codes.

Every application message is one binary WebSocket frame holding one MessagePack map whose
key ``"t"`` names its type (``docs/protocol.md`` describes every message, for anyone
writing a client). Server and client both import this module; neither defines frames of
its own. Unknown keys are ignored on decode, so either side may add keys later.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, TypeAlias, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from tte.core.events import STAFF_ROLES as STAFF_ROLES  # the seat ids that are not seats
from tte.core.templates import REFUSAL_GROUNDS
from tte.i18n import Msg, plain

if TYPE_CHECKING:  # annotations only: a client loads neither the loader nor the engine
    from tte.core.events import Event
    from tte.core.languages import TextIndex
    from tte.core.scenario import Scenario

VERSION: Final = 1
MAX_FRAME: Final = 64 * 1024  # bytes; a larger frame closes the connection with 1009
MAX_DEPTH: Final = 32  # maps and arrays nested in a client frame; deeper is bad_frame
DEFAULT_PORT: Final = 8765
# The hello `client` of the SSH gateway's join-code check: a connection held for a few
# seconds while the player app starts, not a terminal (roster.get leaves it out).
PROBE_CLIENT: Final = "tte-ssh-gateway/probe"


class Close(IntEnum):
    """WebSocket close codes the server uses."""

    GOING_AWAY = 1001  # server shutting down
    MESSAGE_TOO_BIG = 1009  # frame over MAX_FRAME
    UNAUTHORIZED = 4001  # wrong, revoked or rate-limited join code
    UNSUPPORTED_VERSION = 4002  # hello.v is not VERSION
    HELLO_TIMEOUT = 4003  # no valid hello in time
    TOO_SLOW = 4008  # send queue overflowed: reconnect with last_seq
    BUSY = 4009  # a connection budget is spent (per seat, per address, in total): retry later


class ErrorCode:
    """Machine codes in ``error`` frames and in failed results (the engine adds its own)."""

    BAD_FRAME = "bad_frame"  # not a MessagePack map with a known "t", or malformed fields
    UNAUTHORIZED = "unauthorized"
    UNSUPPORTED_VERSION = "unsupported_version"
    HELLO_REQUIRED = "hello_required"  # a cmd before a successful hello
    ALREADY_WELCOMED = "already_welcomed"  # a second hello on one connection
    RATE_LIMITED = "rate_limited"  # a budget is spent (wrong codes, commands, connections)
    INTERNAL = "internal"  # a server bug; the command changed nothing it reported
    UNAVAILABLE = "unavailable"  # the event log could not be written (disk full): retry


# ---- messages ---------------------------------------------------------------------------


class Message(msgspec.Struct, tag_field="t", kw_only=True):
    """Base of every frame: a map whose "t" is the class tag. Every field is always sent
    (an empty map stays on the wire), except UNSET ones."""


class Seat(msgspec.Struct):
    """Who a connection plays: a country seat, or staff (country null)."""

    country: str | None
    role: str


class ClockState(msgspec.Struct, kw_only=True):
    game_time: str  # ISO 8601 with offset
    elapsed: float  # game seconds since the exercise start
    speed: float  # game seconds per wall second
    paused: bool


class ErrorBody(msgspec.Struct, kw_only=True):
    code: str
    message: str
    field: str | UnsetType = UNSET  # the command argument concerned, when there is one
    # The sentence as data (tte.i18n): its catalogue key and parameters, so a reader sees
    # it in their language. Absent from servers before them; clients fall back to message.
    message_key: str | UnsetType = UNSET
    message_params: dict[str, Any] | UnsetType = UNSET


# client -> server


class Hello(Message, tag="hello"):
    v: int
    code: str
    last_seq: Annotated[int, Meta(ge=0)] = 0
    client: str = ""
    # Only the SSH gateway sends these: the SSH client's address, which the server's
    # wrong-code limiter keys on instead of the gateway's own, believed only with the
    # exercise's gateway key (roster.json "gateway"). Anyone else's are ignored.
    forwarded_for: Annotated[str, Meta(max_length=64)] | UnsetType = UNSET
    gateway_key: Annotated[str, Meta(max_length=64)] | UnsetType = UNSET


class Cmd(Message, tag="cmd"):
    id: str
    op: str
    args: dict[str, Any] = {}


# server -> client


class Welcome(Message, tag="welcome"):
    seat: Seat
    seq: int  # latest seq of the exercise when the seat joined
    clock: ClockState
    v: int = VERSION
    exercise: dict[str, Any] = {}  # engine.welcome_info(seat): title, briefing, templates...
    server: str = ""
    # How many frames follow at once and complete this welcome (absent: none):
    # "welcome_part" frames (the rest of `exercise`, when it is over one frame) and "texts"
    # frames (the other languages of its scenario texts, for exercise["translations"]).
    parts: int | UnsetType = UNSET


class Error(Message, tag="error"):
    code: str
    message: str
    # The sentence as data, as in ErrorBody: absent from older servers.
    message_key: str | UnsetType = UNSET
    message_params: dict[str, Any] | UnsetType = UNSET


class Result(Message, tag="result"):
    id: str
    ok: bool
    data: dict[str, Any] | UnsetType = UNSET  # present when ok
    error: ErrorBody | UnsetType = UNSET  # present when not ok


class EventMsg(Message, tag="event"):
    seq: int
    kind: str
    game_time: str
    elapsed: float
    data: dict[str, Any] = {}
    # The other languages of the scenario texts in `data` (language -> {source: text});
    # absent when there are none.
    texts: dict[str, dict[str, str]] | UnsetType = UNSET


class WelcomePart(Message, tag="welcome_part"):
    """More of the welcome's `exercise` map, when it is over one frame: a key the welcome
    lacks is set; a list continues the one already there; a map adds to it."""

    exercise: dict[str, Any] = {}


class TextsMsg(Message, tag="texts"):
    """The other languages of scenario texts a seat was sent (after its welcome)."""

    texts: dict[str, dict[str, str]] = {}  # language -> {source text: translation}


class ClockMsg(Message, tag="clock"):
    game_time: str
    elapsed: float
    speed: float
    paused: bool


ClientMessage = Hello | Cmd
ServerMessage: TypeAlias = Welcome | Error | Result | EventMsg | ClockMsg | TextsMsg | WelcomePart


# ---- payloads: what events and the welcome carry -----------------------------------------
#
# The engine builds these maps (``state.Request.snapshot``, ``Engine.item_view``,
# ``welcome_info``); clients read them through these structs (``payload``), so a key that
# drifts is a test failure (tests/unit/test_payloads.py), not a KeyError on a screen. Every
# field has a default: a client tolerates an older server that sent fewer keys.

RequestStatus = Literal[
    "draft",
    "sent",
    "received",
    "executing",
    "returned",
    "fulfilled",
    "refused",
    "expired",
    "withdrawn",
]
Decision = Literal["forward", "answer", "fulfil", "return", "refuse"]
StopKind = Literal["seat", "org", "body"]
# A form field's kind: text, longtext, bool, request, timezone, identifier, datetime,
# port, language... (tte.core.templates.Field.kind; grows with the forms, so a str).
FieldKind = str
# A refusal or return ground: a key of ``exercise.refusal_grounds`` (the table
# tte.core.templates.REFUSAL_GROUNDS grows with the law), or "incomplete" for a return.
Ground = str
RETURN_GROUND: Final = "incomplete"
GROUNDS: Final = frozenset(REFUSAL_GROUNDS) | {RETURN_GROUND}


class Payload(msgspec.Struct, kw_only=True):
    """Base of the typed payloads (unknown keys ignored)."""


class StopView(Payload):
    """One stop of a request's route (or its target): a seat, an organisation or a body."""

    kind: StopKind = "seat"
    ref: str = ""
    country: str | None = None
    channel: str | UnsetType = UNSET  # the channel of the hop that reaches it (route stops)


class RequestSnapshot(Payload):
    """A request as every request event carries it (``data["request"]``)."""

    id: str
    template: str = ""
    channel: str = ""
    sender: str = ""
    country: str = ""
    target: StopView = msgspec.field(default_factory=StopView)
    fields: dict[str, Any] = {}
    evidence: list[str] = []
    ref: str | None = None
    route: list[StopView] = []
    stop: int = 0
    at: str = ""
    status: RequestStatus = "draft"
    in_transit: bool = False
    created: float = 0.0
    sent_at: float | None = None
    received_at: float | None = None
    answered_at: float | None = None
    ground: Ground | None = None
    message: str = ""
    # The message as data (tte.i18n): rendered in the reader's language when present.
    message_key: str | UnsetType = UNSET
    message_params: dict[str, Any] | UnsetType = UNSET
    missing: list[str] = []
    delivered: list[str] = []
    decisions: list[Decision] = []  # what whoever holds it now may decide
    unfilled: list[str] = []  # mandatory fields left empty (a return names them by default)
    words: dict[str, str] = {}  # decision -> its button's words here ("Transmit to NL")

    def __post_init__(self) -> None:
        if self.ground is not None and self.ground not in GROUNDS:
            raise ValueError(f"unknown ground {self.ground!r}")


class ItemView(Payload):
    """An evidence item as events carry it (``data["item"]``) and staff's welcome lists it."""

    id: str
    title: str = ""
    kind: str = ""  # a data kind (tte.core.templates.DATA_KINDS)
    holder: str = ""
    holder_name: str = ""
    country: str | None = None
    identifiers: list[str] = []
    description: str = ""
    deletes_at: float | None = None
    deleted: bool = False
    preserved_until: float | None = None


class FieldView(Payload):
    name: str
    label: str = ""
    basis: str = ""
    hint: str = ""
    mandatory: bool = True
    kind: FieldKind = "text"


class TemplateView(Payload):
    """A request form as the welcome carries it, with whom this seat may address it to."""

    id: str
    title: str = ""
    basis: str = ""
    channels: list[str] = []
    target: StopKind = "org"
    help: str = ""
    outcome: str = ""
    data_kinds: list[str] = []
    limit: float | None = None
    fields: list[FieldView] = []
    recipients: list[str] = []  # organisation, body or seat ids (tte.core.rules.addressing)


class CountryView(Payload):
    code: str
    name: str = ""
    flag: str = ""
    timezone: str = "UTC"
    budapest: bool = True
    second_protocol: bool = False
    eu: bool = False
    reservations: list[str] = []
    declarations: list[str] = []
    languages: list[str] = []
    with_us: list[str] = []  # instruments in force with the seat's country (core decided)
    notification: bool = False
    poc_name: str = ""
    central_authority_name: str = ""
    humans: list[str] = []


class OrganisationView(Payload):
    id: str
    name: str = ""
    country: str | None = None
    kind: str = ""


class BodyView(Payload):
    id: str
    name: str = ""


class WelcomeInfo(Payload):
    """The welcome's ``exercise`` map, typed (the keys every seat gets; staff get more,
    read from the map itself)."""

    id: str = ""
    title: str = ""
    briefing: str = ""
    start: str = ""
    timezone: str = "UTC"
    duration: float = 0.0
    role_label: str = ""
    seat_briefing: str = ""
    seat_timezone: str = "UTC"
    mode: str = "coaching"  # coaching | exam (later switches arrive as "mode" events)
    lead: list[str] = []
    countries: list[CountryView] = []
    organisations: list[OrganisationView] = []
    bodies: list[BodyView] = []
    templates: list[TemplateView] = []
    channels: dict[str, str] = {}
    refusal_grounds: dict[Ground, str] = {}
    decision_labels: dict[str, dict[str, str]] = {}  # template -> decision -> words


P = TypeVar("P", bound=Payload)


def payload(kind: type[P], raw: Any) -> P:
    """A payload map read as its struct; raises msgspec.ValidationError if it is not one."""
    return msgspec.convert(raw, kind)


# ---- encode / decode --------------------------------------------------------------------

_encoder = msgspec.msgpack.Encoder(enc_hook=plain)
_client_decoder: msgspec.msgpack.Decoder[Hello | Cmd] = msgspec.msgpack.Decoder(ClientMessage)
_server_decoder: msgspec.msgpack.Decoder[ServerMessage] = msgspec.msgpack.Decoder(ServerMessage)
_any_decoder = msgspec.msgpack.Decoder()


class _CmdId(msgspec.Struct):
    id: Any = None


_id_decoder = msgspec.msgpack.Decoder(_CmdId)


def peek_cmd_id(frame: bytes) -> str | None:
    """The "id" of a frame, read without building the rest (the server refuses a command
    over its seat's budget with this alone); None if there is no string id to read."""
    try:
        cid = _id_decoder.decode(frame).id
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None
    return cid if isinstance(cid, str) else None


_CONTAINERS = (dict, list)


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Are maps and arrays nested more than `limit` levels in `value`? (Iterative: a deep
    value cannot exhaust the stack here.)"""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        items = v.values() if isinstance(v, dict) else v
        for x in items:
            if isinstance(x, _CONTAINERS):
                if depth >= limit:
                    return True
                stack.append((x, depth + 1))
    return False


class FrameError(Exception):
    """An inbound frame that cannot be used. ``cmd_id`` is set when the frame was a cmd
    whose id could be read, so the server can still answer it with a failed result."""

    def __init__(self, message: str, cmd_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cmd_id = cmd_id


def encode(msg: Message) -> bytes:
    return _encoder.encode(msg)


def ok_result(cmd_id: str, data: dict[str, Any]) -> Result:
    return Result(id=cmd_id, ok=True, data=data)


def error_frame(code: str, message: str) -> Error:
    """An ``error`` frame; a sentence made by ``said`` also travels as its key and params."""
    frame = Error(code=code, message=str(message))
    if isinstance(message, Msg):
        frame.message_key, frame.message_params = message.key, dict(message.params)
    return frame


def error_result(cmd_id: str, code: str, message: str, field: str | None = None) -> Result:
    body = ErrorBody(code=code, message=str(message), field=field if field else UNSET)
    if isinstance(message, Msg):
        body.message_key, body.message_params = message.key, dict(message.params)
    return Result(id=cmd_id, ok=False, error=body)


def seat_of(seat_id: str) -> Seat:
    """``"RO/poc"`` -> Seat("RO", "poc"); ``"facilitator"`` -> Seat(None, "facilitator")."""
    country, sep, role = seat_id.partition("/")
    return Seat(country, role) if sep else Seat(None, seat_id)


class TooBig(ValueError):
    """One text of the welcome alone is over a frame: it cannot be sent."""


def event_msg(ev: Event, sc: Scenario, texts: TextIndex | None = None) -> EventMsg:
    """The frame a client is sent for `ev`: its game time in the scenario's zone, and the
    other languages of the scenario texts it carries (the server's and the replay's)."""
    found = texts.texts_in(ev.data) if texts else None
    return EventMsg(
        seq=ev.seq,
        kind=ev.kind,
        game_time=sc.game_datetime(ev.t).isoformat(timespec="seconds"),
        elapsed=ev.t,
        data=ev.data,
        texts=found or UNSET,
    )


def welcome_frames(
    welcome: Welcome, texts: dict[str, dict[str, str]] | None = None, limit: int = MAX_FRAME
) -> list[bytes]:
    """The welcome as frames of at most `limit` bytes: itself, then "welcome_part" frames
    with what of its `exercise` did not fit (its largest entries, lists and maps split
    across frames), then the "texts" frames; `parts` says how many follow. A big exercise
    (50 countries: the facilitator's welcome is ~90 kB) joins like a small one. Raises
    TooBig when a single text is over a frame."""
    frame = encode(welcome)
    extra = texts_frames(texts or {}, limit)
    if len(frame) <= limit - 16 and not extra:
        return [frame]
    budget = limit - 64  # the part frame's own keys and headers
    info = dict(welcome.exercise)
    sizes = {k: len(_encoder.encode(v)) for k, v in info.items()}
    moved: list[str] = []
    while len(encode(msgspec.structs.replace(welcome, exercise=info))) > limit - 16:
        key = max((k for k in info if k not in moved), key=lambda k: sizes[k], default=None)
        if key is None:
            raise TooBig("the welcome is over a frame even without its exercise")
        moved.append(key)
        info = {k: v for k, v in info.items() if k != key}
    parts = [
        encode(WelcomePart(exercise=chunk))
        for k in moved
        for chunk in _chunks(k, welcome.exercise[k], budget)
    ]
    head = encode(msgspec.structs.replace(welcome, exercise=info, parts=len(parts) + len(extra)))
    return [head, *parts, *extra]


def merge_welcome_part(exercise: dict[str, Any], part: dict[str, Any]) -> None:
    """A "welcome_part" frame's map into the welcome's `exercise` (see WelcomePart)."""
    for key, value in part.items():
        have = exercise.get(key)
        if isinstance(have, list) and isinstance(value, list):
            have.extend(value)
        elif isinstance(have, dict) and isinstance(value, dict):
            have.update(value)
        else:
            exercise[key] = value


def _chunks(key: str, value: Any, budget: int) -> list[dict[str, Any]]:
    """{key: value} split into maps each encoding to at most `budget` bytes."""
    if len(_encoder.encode({key: value})) <= budget:
        return [{key: value}]
    if isinstance(value, list | dict):
        items = list(value.items()) if isinstance(value, dict) else list(value)
        out: list[dict[str, Any]] = []
        part: list[Any] = []
        size = 0
        for item in items:
            n = len(_encoder.encode(item)) + 8
            if n > budget:
                raise TooBig(f"one entry of the welcome's {key!r} is over a frame")
            if part and size + n > budget:
                out.append({key: dict(part) if isinstance(value, dict) else part})
                part, size = [], 0
            part.append(item)
            size += n
        if part:
            out.append({key: dict(part) if isinstance(value, dict) else part})
        return out
    raise TooBig(f"the welcome's {key!r} is over a frame")


def texts_frames(texts: dict[str, dict[str, str]], limit: int = MAX_FRAME) -> list[bytes]:
    """`texts` as "texts" frames of at most `limit` bytes each (one language per frame,
    split as needed). A single translation too long for a frame is left out: its reader
    sees the source text (``tte validate`` keeps scenario texts far below that)."""
    budget = limit - 64  # the frame's own keys and MessagePack headers
    frames: list[bytes] = []
    for lang, table in texts.items():
        part: dict[str, str] = {}
        size = 0
        for source, text in table.items():
            n = len(source.encode()) + len(text.encode()) + 10  # string headers, generously
            if n > budget:
                continue
            if size + n > budget and part:
                frames.append(encode(TextsMsg(texts={lang: part})))
                part, size = {}, 0
            part[source] = text
            size += n
        if part:
            frames.append(encode(TextsMsg(texts={lang: part})))
    return frames


def decode_client(frame: bytes) -> Hello | Cmd:
    """Decode a frame a client sent, or raise FrameError saying what is wrong with it.

    The typed decoder is the fast path; only a frame it refuses is decoded again untyped,
    to produce a precise message (and the cmd id, if any).
    """
    try:
        msg = _client_decoder.decode(frame)
    except (msgspec.ValidationError, msgspec.DecodeError) as typed_error:
        raise _diagnose(frame, ("hello", "cmd"), typed_error) from None
    except RecursionError:  # nested deeper than the decoder goes: say so, answer the id
        raise _too_deep_error(peek_cmd_id(frame)) from None
    if isinstance(msg, Cmd) and _too_deep(msg.args):
        raise _too_deep_error(msg.id)
    return msg


def _too_deep_error(cmd_id: str | None) -> FrameError:
    return FrameError(f"nested more than {MAX_DEPTH} levels deep (maps and arrays)", cmd_id)


def decode_server(frame: bytes) -> ServerMessage:
    """Decode a frame the server sent (for clients); raise FrameError if unusable."""
    try:
        return _server_decoder.decode(frame)
    except (msgspec.ValidationError, msgspec.DecodeError) as typed_error:
        raise _diagnose(
            frame,
            ("welcome", "error", "result", "event", "clock", "texts", "welcome_part"),
            typed_error,
        ) from None


def _diagnose(frame: bytes, known: tuple[str, ...], typed_error: Exception) -> FrameError:
    try:
        raw = _any_decoder.decode(frame)
    except RecursionError:
        return _too_deep_error(None)
    except (msgspec.DecodeError, ValueError):
        return FrameError("not MessagePack")
    if not isinstance(raw, dict):
        return FrameError(f"expected a MessagePack map, got {type(raw).__name__}")
    t = raw.get("t")
    if not isinstance(t, str):
        return FrameError('the map has no string "t" naming its type')
    if t not in known:
        return FrameError(f"unknown message type {t!r}; expected one of {', '.join(known)}")
    cmd_id = raw.get("id") if t == "cmd" else None
    detail = str(typed_error).replace(" - at `$", " at `")
    return FrameError(f"malformed {t!r}: {detail}", cmd_id if isinstance(cmd_id, str) else None)

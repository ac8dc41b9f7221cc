"""What the replay shows, read from an exercise's data directory: no UI.

The event log is opened read-only (``tte.server.log.read_heads``), so a replay can run
beside a live exercise and never changes it; :meth:`ReplayLog.refresh` picks up what the
server committed since. Opening reads what the first screen needs: the number of events,
the clock events, and the timeline's marks aggregated in SQLite (``timeline_marks``).
Every event's head (seq, kind, time, seats: what stepping to the next inject, scrubbing
and search go through) is read by :meth:`ReplayLog.load_heads`, which the app runs in a
thread once its first screen is up, and which anything that needs the heads before then
waits for. Records are read from the log and decoded when a view needs them.

A seat's view at seq N is built the way a live player got it: the welcome the server
gives that seat, then every event visible to it up to N, folded by the same
:class:`~tte.client.model.ClientModel` the player app renders. The facilitator's view
folds every event into the console's :class:`~tte.client.console.view.ConsoleView`, with
a copy kept every ``CONSOLE_EVERY`` events so a jump back folds from the nearest one.
"""

from __future__ import annotations

import bisect
import copy
import gc
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

from tte import datadir
from tte import protocol as p
from tte.client.fold import Clock
from tte.client.model import ClientModel
from tte.client.net import ConnState, LinkStatus
from tte.core.engine import Engine
from tte.core.events import FACILITATOR, STAFF, Event
from tte.core.languages import TextIndex
from tte.core.scenario import Scenario
from tte.core.state import fold
from tte.i18n import N_, _
from tte.server.log import (
    decode_event,
    read_columns,
    read_extent,
    read_heads,
    read_meta,
    read_records,
    time_of,
)

if TYPE_CHECKING:  # the console's fold is imported when the facilitator's view is first wanted
    from tte.client.console.view import ConsoleView

T = TypeVar("T")
Mark = Literal["inject", "request", "deletion", "refusal", "mistake", "evidence", "other"]

# Which mark an event kind puts on the timeline: a table, not a chain of ifs. A kind not
# named here is "other" (clock, presence, notes: on the list, not on the lanes).
MARKS: dict[str, Mark] = {
    "inject": "inject",
    "request_submitted": "request",
    "request_forwarded": "request",
    "request_arrived": "request",
    "request_amended": "request",
    "request_fulfilled": "request",
    "request_withdrawn": "request",
    "request_refused": "refusal",
    "request_returned": "mistake",
    "request_expired": "mistake",
    "preservation_lapsed": "mistake",
    "tip_off": "mistake",
    "evidence_deleted": "deletion",
    "evidence_known": "evidence",
    "evidence_preserved": "evidence",
    "evidence_obtained": "evidence",
    "retention_passed": "evidence",
}

# How the replay's top line names an event's kind; a kind not named here is shown as its
# identifier (``request_submitted`` -> "request submitted").
KIND_WORDS: dict[str, str] = {
    "clock": N_("clock"),
    "emergency": N_("emergency"),
    "evidence_deleted": N_("evidence deleted"),
    "evidence_known": N_("evidence known"),
    "evidence_obtained": N_("evidence obtained"),
    "evidence_preserved": N_("evidence preserved"),
    "exercise_ended": N_("exercise ended"),
    "exercise_ending": N_("exercise ending"),
    "exercise_started": N_("exercise started"),
    "hint_due": N_("hint due"),
    "inject": N_("inject"),
    "inject_scheduled": N_("inject scheduled"),
    "inject_skipped": N_("inject skipped"),
    "jit_agreed": N_("JIT agreed"),
    "knowledge_answer": N_("knowledge answer"),
    "knowledge_opened": N_("knowledge opened"),
    "lead": N_("lead"),
    "mode": N_("mode"),
    "note": N_("note"),
    "notification": N_("notification"),
    "objective_met": N_("objective met"),
    "phase_started": N_("phase started"),
    "preservation_lapsed": N_("preservation lapsed"),
    "presence": N_("presence"),
    "rating": N_("rating"),
    "request_amended": N_("request amended"),
    "request_arrived": N_("request arrived"),
    "request_expired": N_("request expired"),
    "request_forwarded": N_("request forwarded"),
    "request_fulfilled": N_("request fulfilled"),
    "request_refused": N_("request refused"),
    "request_returned": N_("request returned"),
    "request_submitted": N_("request submitted"),
    "request_withdrawn": N_("request withdrawn"),
    "retention_passed": N_("retention passed"),
    "survey_answer": N_("survey answer"),
    "survey_opened": N_("survey opened"),
    "timer_skipped": N_("timer skipped"),
    "tip_off": N_("tip-off"),
}

# What "jump to the next ..." looks for.
JUMPS: dict[str, frozenset[Mark]] = {
    "inject": frozenset({"inject"}),
    "mistake": frozenset({"mistake", "refusal", "deletion"}),
    "deletion": frozenset({"deletion"}),
}

CHECKPOINT_EVERY = 1000  # events between saved engine states (a jump folds fewer than this)
CONSOLE_EVERY = 1000  # events between saved facilitator views (ConsoleView.copy)
CLOCK_KINDS = frozenset({"clock", "exercise_started"})
CHUNK = 256  # records read at once when one event is wanted on its own (search, lists)
LABEL = 4  # columns of a timeline lane's label ("RO  "); the rest are game time


class ReplayError(Exception):
    """The data directory holds no replayable exercise; the message says why."""


class Head(NamedTuple):
    """What the timeline, the jumps and the seat filter need of an event, read without
    its record (the visibility comes from the log's visibility table). A tuple: a
    100,000-event log makes 100,000 of these on opening."""

    seq: int
    kind: str
    t: float
    seats: str | None  # the visibility table's " A B " (None: staff only), as stored

    @property
    def visible(self) -> tuple[str, ...]:
        return tuple(self.seats.split()) if self.seats else ()

    def visible_to(self, seat: str) -> bool:  # as Event.visible_to
        seats = self.seats
        return seat in STAFF or (seats is not None and (" * " in seats or f" {seat} " in seats))


def mark_of(ev: Event | Head) -> Mark:
    return MARKS.get(ev.kind, "other")


def countries_of(ev: Event | Head, countries: list[str]) -> list[str]:
    """The lanes an event sits in: the countries of the seats that saw it."""
    if "*" in ev.visible:
        return list(countries)
    seen = {s.partition("/")[0] for s in ev.visible if "/" in s}
    return [c for c in countries if c in seen]


def request_id(ev: Event) -> str:
    req = ev.data.get("request")
    return str(req.get("id", "")) if isinstance(req, dict) else str(ev.data.get("id", ""))


def item_id(ev: Event) -> str:
    item = ev.data.get("item")
    return str(item.get("id", "")) if isinstance(item, dict) else ""


def describe(ev: Event) -> str:
    """One line for the event list: the kind (in the reader's language) and what it is
    about (ids, a title, a seat: data, shown as written)."""
    about = request_id(ev) or item_id(ev) or str(ev.data.get("title", ev.data.get("id", "")))
    who = ev.data.get("by") or ev.data.get("seat") or ""
    kind = _(KIND_WORDS[ev.kind]) if ev.kind in KIND_WORDS else ev.kind.replace("_", " ")
    return " ".join(str(x) for x in (kind, about, who) if x)


@dataclass
class ReplayLog:
    """An exercise's events and scenario, with the engine folded to any seq on demand.

    Opening reads every event's head (seq, kind, time, visibility) but decodes a record
    only when something shows it: a seat's view decodes the events that seat saw."""

    data: Path
    scenario: Scenario
    meta: dict[str, str]
    checkpoint_every: int = CHECKPOINT_EVERY
    console_every: int = CONSOLE_EVERY

    def __post_init__(self) -> None:
        self.path = datadir.events_file(self.data)
        self._last = 0  # the last event read (set by open and refresh)
        self._t_last = 0.0  # its game time
        # Every event's head, by column (kinds, times, seats), once load_heads read them.
        self._heads: tuple[list[str], list[float], list[str | None]] | None = None
        self._heads_lock = threading.Lock()
        self._clocks: list[int] = []  # seqs of the events that may set the clock's speed
        self._marks: tuple[tuple[int, int], list[tuple[int, str, str | None]]] | None = None
        self._raw: dict[int, bytes] = {}  # records read but not decoded yet
        self._decoded: dict[int, Event] = {}
        self._checkpoints: dict[int, Engine] = {0: Engine(self.scenario)}
        self._texts = TextIndex(self.scenario.translations)  # as the server attaches them
        self._models: dict[str, tuple[int, ClientModel]] = {}
        self._consoles: dict[int, ConsoleView] = {}  # checkpoints, never shown (made on use)
        self._console: tuple[int, ConsoleView] | None = None

    @classmethod
    def open(cls, data: Path) -> ReplayLog:
        """The log in `data`, checked, with what the first screen needs read (not every
        event's head: see :meth:`load_heads`)."""
        path = datadir.events_file(data) if data.is_dir() else data
        if not path.is_file():
            raise ReplayError(_("no event log at {path}").format(path=path))
        try:
            meta = read_meta(path)
            count, last, t_last, clocks = read_extent(path, CLOCK_KINDS)
        except Exception as e:  # sqlite3.Error
            raise ReplayError(
                _("{path} is not a readable tte event log: {error}").format(path=path, error=e)
            ) from e
        sc = datadir.stored_scenario(meta, path)
        if isinstance(sc, str):
            raise ReplayError(sc)
        if not count:
            raise ReplayError(
                _("{path} holds no events: the exercise never started").format(path=path)
            )
        if meta.get(datadir.META_VISIBILITY_INDEXED) is None:
            raise ReplayError(
                _("{path} predates the visibility index: open it once with tte host").format(
                    path=path
                )
            )
        if last != count:
            raise ReplayError(
                _("{path} has holes in its events: restore it from a backup").format(path=path)
            )
        log = cls(path.parent, sc, meta)
        log._last, log._t_last, log._clocks = last, t_last, clocks
        return log

    def load_heads(self) -> None:
        """Read every event's head up to :attr:`last` (kind, time, seats: ~0.15 s of
        SQLite for 100,000 events), once; the app does it in a thread after its first
        screen, and a caller that needs them sooner waits for it here."""
        with self._heads_lock:
            if self._heads is not None:
                return
            gc.disable()  # 100,000 heads are no garbage: no collections while they are made
            try:
                rows = read_heads(self.path, upto=self._last)
                # by column: 100,000 events are three lists, not 100,000 objects
                _seqs, kinds, times, seats = zip(*rows, strict=True)
                heads: tuple[list[str], list[float], list[str | None]]
                heads = (list(kinds), list(times), list(seats))
                self._heads = heads
            finally:
                gc.enable()

    def _take(self, rows: list[tuple[int, str, float, str | None]]) -> None:
        """Events a running exercise committed after :attr:`last`."""
        if not rows:
            return
        kinds, times, seat_sets = self._columns()
        _seqs, new_kinds, new_times, new_seats = zip(*rows, strict=True)
        kinds.extend(new_kinds)
        times.extend(new_times)
        seat_sets.extend(new_seats)
        self._clocks.extend(seq for seq, kind, _t, _s in rows if kind in CLOCK_KINDS)
        self._last, self._t_last = rows[-1][0], rows[-1][2]

    def _columns(self) -> tuple[list[str], list[float], list[str | None]]:
        if self._heads is None:
            self.load_heads()
        assert self._heads is not None
        return self._heads

    @property
    def kinds(self) -> list[str]:
        """Every event's kind: [i] is event i + 1 (read by :meth:`load_heads`)."""
        return self._columns()[0]

    @property
    def times(self) -> list[float]:
        """Every event's game time (elapsed seconds), in seq order."""
        return self._columns()[1]

    @property
    def seat_sets(self) -> list[str | None]:
        """Every event's seats as the visibility table stores them (None: staff only)."""
        return self._columns()[2]

    def refresh(self) -> int:
        """Read what a running exercise committed since; the number of new events."""
        self._columns()  # the heads so far first: the new ones are appended to them
        new = read_heads(self.path, after=self.last)
        self._take(new)
        return len(new)

    @property
    def last(self) -> int:
        return self._last

    @property
    def span(self) -> float:
        """The game time the timeline spans (at least a second)."""
        return max(self._t_last, 1.0)

    def time_at(self, seq: int) -> float:
        """The game time of event `seq` (from the heads once read, else from the log);
        0 before the first event."""
        if seq < 1:
            return 0.0
        heads = self._heads
        return float(heads[1][seq - 1]) if heads is not None else time_of(self.path, seq)

    def timeline_marks(self, cols: int) -> list[tuple[int, str, str | None]]:
        """The distinct (column, kind, seats) of the events over `cols` columns of game
        time (column ``int(t / span * (cols - 1) + 0.5)``), aggregated in SQLite: a few
        hundred rows, not one per event. Kept for the last width and length asked."""
        key = (cols, self._last)
        if self._marks is None or self._marks[0] != key:
            scale, edge = (cols - 1) / self.span, cols - 1
            rows = read_columns(self.path, scale, self._last)
            self._marks = key, [(min(edge, c), k, s) for c, k, s in rows]
        return self._marks[1]

    def head(self, seq: int) -> Head:
        i = seq - 1
        return Head(seq, self.kinds[i], self.times[i], self.seat_sets[i])

    @property
    def events(self) -> list[Event]:
        """Every event, decoded (search and tests; the views decode what they show)."""
        return [self.event(seq) for seq in range(1, self.last + 1)]

    @property
    def countries(self) -> list[str]:
        return [c.code for c in self.scenario.countries]

    def seats(self) -> list[str]:
        return [FACILITATOR, *self.scenario.seats()]

    def default_seat(self) -> str:
        """Whose view a replay opens on: the first seat a person played."""
        return next(iter(self.scenario.human_seats()), self.seats()[1])

    def event(self, seq: int) -> Event:
        ev = self._decoded.get(seq)
        if ev is None:
            record = self._raw.pop(seq, None)
            if record is None:  # read its neighbours too: lists and search go in order
                lo = (seq - 1) // CHUNK * CHUNK
                self._raw.update(read_records(self.path, lo, min(lo + CHUNK, self.last)))
                record = self._raw.pop(seq)
            ev = self._decoded[seq] = decode_event(record)
        return ev

    def _between(self, done: int, seq: int, seat: str = FACILITATOR) -> list[Event]:
        """The events after `done` up to `seq` that `seat` sees, decoded (the log matches
        the seat, as it does for a joining client's backlog)."""
        if done >= seq:
            return []
        out = []
        for s, record in read_records(self.path, done, seq, seat):
            ev = self._decoded.get(s)
            if ev is None:
                self._raw.pop(s, None)
                ev = self._decoded[s] = decode_event(record)
            out.append(ev)
        return out

    # ---- the engine at a seq: from the nearest checkpoint, not from zero ---------------

    def engine_at(self, seq: int) -> Engine:
        """A fresh engine folded to `seq` (the caller may keep it). The scenario is
        shared, not copied: only the state is."""
        base = max(k for k in self._checkpoints if k <= seq)
        eng = self._copy(self._checkpoints[base])
        for ev in self._between(base, seq):
            fold(eng.state, ev)
            if ev.seq % self.checkpoint_every == 0 and ev.seq not in self._checkpoints:
                self._checkpoints[ev.seq] = self._copy(eng)
        return eng

    def _copy(self, obj: T) -> T:
        return copy.deepcopy(obj, {id(self.scenario): self.scenario})

    # ---- the views: folded forward from the last one shown, from zero going back -------
    # A live client got the welcome when it joined (at the start, for these views: its
    # player part is the scenario's, not the state's) and then every event it may see.

    def seat_model(self, seat: str, seq: int) -> ClientModel:
        """What `seat` saw at `seq`: the welcome, then every event visible to it."""
        held = self._models.get(seat)
        if held is None or held[0] > seq:
            m = ClientModel()
            m.apply(self._welcome(seat))
            m.apply(LinkStatus(ConnState.ONLINE))
            held = (0, m)
        done, m = held
        for ev in self._between(done, seq, seat):
            m.apply(self.message(ev))
        m.set_clock(self.time_at(seq), self._speed(seq), True, None)
        self._models = {seat: (seq, m)}  # one seat at a time is shown
        return m

    def console_view(self, seq: int) -> ConsoleView:
        """The facilitator's picture at `seq`: traffic, case state, log, score so far.
        Folded on from the view last shown when that is the nearest, else from a copy
        of the nearest checkpoint (one every `console_every` events, made on the way)."""
        if not self._consoles:
            from tte.client.console.view import ConsoleView

            first = ConsoleView(self.scenario)
            first.welcome(self._welcome(FACILITATOR))
            first.take_dirty()
            self._consoles[0] = first
        base = max(k for k in self._consoles if k <= seq)
        held = self._console
        if held is None or held[0] > seq or held[0] < base:
            held = (base, self._consoles[base].copy())
        done, view = held
        for ev in self._between(done, seq):
            view.event(self.message(ev))
            if ev.seq % self.console_every == 0 and ev.seq not in self._consoles:
                self._consoles[ev.seq] = view.copy()
        view.take_dirty()  # nobody draws from the dirty sets here: the panes are rebuilt
        # The clock stands at the event shown (ages and deadlines count to then).
        view.clock = Clock.stated(self.time_at(seq), self._speed(seq), True, None)
        self._console = (seq, view)
        return view

    def _welcome(self, seat: str) -> p.Welcome:
        eng = self._checkpoints[0]
        return p.Welcome(
            seat=p.seat_of(seat),
            seq=0,
            clock=p.ClockState(
                game_time=self._iso(0.0), elapsed=0.0, speed=self._speed(1), paused=True
            ),
            exercise=self._texts.attach(eng.welcome_info(seat)),  # as the server sends it
        )

    def _speed(self, seq: int) -> float:
        """The clock's speed after event `seq` (the last clock event that set it)."""
        for at in reversed(self._clocks[: bisect.bisect_right(self._clocks, seq)]):
            data = self.event(at).data
            if "speed" in data:
                return float(data["speed"])
        return float(self.scenario.exercise.speed)

    def message(self, ev: Event) -> p.EventMsg:
        """The frame the server sent for `ev`."""
        return p.event_msg(ev, self.scenario, self._texts)

    def _iso(self, t: float) -> str:
        return self.scenario.game_datetime(t).isoformat(timespec="seconds")

    # ---- finding ---------------------------------------------------------------------

    def next_mark(self, seq: int, jump: str, back: bool = False) -> int | None:
        """The next (or previous) event after `seq` whose mark is one `jump` looks for."""
        want = JUMPS[jump]
        order = range(seq - 2, -1, -1) if back else range(seq, self.last)
        for i in order:
            if MARKS.get(self.kinds[i], "other") in want:
                return i + 1
        return None

    def search(self, text: str, after: int) -> int | None:
        """The next event after `after` (wrapping) about a request id, an item or a seat."""
        needle = text.strip().lower()
        if not needle:
            return None
        n = self.last
        for k in range(n):
            ev = self.event((after + k) % n + 1)
            hay = [request_id(ev), item_id(ev), *ev.visible, str(ev.data.get("by", ""))]
            if any(needle == h.lower() or (len(needle) > 2 and needle in h.lower()) for h in hay):
                return ev.seq
        return None

"""What the replay shows, read from an exercise's data directory: no UI.

The event log is opened read-only (``tte.server.log.read_heads``), so a replay can run
beside a live exercise and never changes it; :meth:`ReplayLog.refresh` picks up what the
server committed since. A seat's view at seq N is built the way a live player got it:
the welcome the server gives that seat, then every event visible to it up to N, folded by
the same :class:`~tte.client.model.ClientModel` the player app renders. The facilitator's
view folds every event into the console's :class:`~tte.client.console.view.ConsoleView`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from tte import datadir
from tte import protocol as p
from tte.client.console.view import ConsoleView
from tte.client.model import ClientModel
from tte.client.net import ConnState, LinkStatus
from tte.core.engine import Engine
from tte.core.events import FACILITATOR, STAFF, Event
from tte.core.scenario import Scenario
from tte.core.state import fold
from tte.server.log import decode_event, read_heads, read_meta

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

# What "jump to the next ..." looks for.
JUMPS: dict[str, frozenset[Mark]] = {
    "inject": frozenset({"inject"}),
    "mistake": frozenset({"mistake", "refusal", "deletion"}),
    "deletion": frozenset({"deletion"}),
}

CHECKPOINT_EVERY = 1000  # events between saved engine states (a jump folds fewer than this)


class ReplayError(Exception):
    """The data directory holds no replayable exercise; the message says why."""


@dataclass(frozen=True, slots=True)
class Head:
    """What the timeline, the jumps and the seat filter need of an event, read without
    decoding its record (the visibility comes from the log's visibility table)."""

    seq: int
    kind: str
    t: float
    visible: tuple[str, ...]

    def visible_to(self, seat: str) -> bool:  # as Event.visible_to
        return seat in STAFF or "*" in self.visible or seat in self.visible


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
    """One line for the event list: the kind and what it is about."""
    about = request_id(ev) or item_id(ev) or str(ev.data.get("title", ev.data.get("id", "")))
    who = ev.data.get("by") or ev.data.get("seat") or ""
    return " ".join(str(x) for x in (ev.kind.replace("_", " "), about, who) if x)


@dataclass
class ReplayLog:
    """An exercise's events and scenario, with the engine folded to any seq on demand.

    Opening reads every event's head (seq, kind, time, visibility) but decodes a record
    only when something shows it: a seat's view decodes the events that seat saw."""

    data: Path
    scenario: Scenario
    heads: list[Head]
    meta: dict[str, str]
    checkpoint_every: int = CHECKPOINT_EVERY

    @classmethod
    def open(cls, data: Path) -> ReplayLog:
        path = datadir.events_file(data) if data.is_dir() else data
        if not path.is_file():
            raise ReplayError(f"no event log at {path}")
        try:
            meta = read_meta(path)
            rows = read_heads(path)
        except Exception as e:  # sqlite3.Error, a damaged record
            raise ReplayError(f"{path} is not a readable tte event log: {e}") from e
        sc = datadir.stored_scenario(meta, path)
        if isinstance(sc, str):
            raise ReplayError(sc)
        if not rows:
            raise ReplayError(f"{path} holds no events: the exercise never started")
        if meta.get(datadir.META_VISIBILITY_INDEXED) is None:
            raise ReplayError(f"{path} predates the visibility index: open it once with tte host")
        log = cls(path.parent, sc, [], meta)
        log._take(rows)
        return log

    def _take(self, rows: list[tuple[int, str, float, str | None, bytes]]) -> None:
        for seq, kind, t, seats, record in rows:
            self.heads.append(Head(seq, kind, t, tuple(seats.split()) if seats else ()))
            self._records.append(record)

    def __post_init__(self) -> None:
        self._records: list[bytes] = []
        self._decoded: dict[int, Event] = {}
        self._checkpoints: dict[int, Engine] = {0: Engine(self.scenario)}
        self._models: dict[str, tuple[int, ClientModel]] = {}
        self._console: tuple[int, ConsoleView] | None = None

    def refresh(self) -> int:
        """Read what a running exercise committed since; the number of new events."""
        new = read_heads(datadir.events_file(self.data), after=self.last)
        self._take(new)
        return len(new)

    @property
    def last(self) -> int:
        return self.heads[-1].seq

    @property
    def events(self) -> list[Event]:
        """Every event, decoded (search and tests; the views decode what they show)."""
        return [self.event(h.seq) for h in self.heads]

    @property
    def countries(self) -> list[str]:
        return [c.code for c in self.scenario.countries]

    def seats(self) -> list[str]:
        return [FACILITATOR, *self.scenario.seats()]

    def event(self, seq: int) -> Event:
        ev = self._decoded.get(seq)
        if ev is None:
            ev = self._decoded[seq] = decode_event(self._records[seq - 1])
        return ev

    def _between(self, done: int, seq: int, seat: str = FACILITATOR) -> list[Event]:
        """The events after `done` up to `seq` that `seat` sees, decoded."""
        return [self.event(h.seq) for h in self.heads[done:seq] if h.visible_to(seat)]

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
        m.set_clock(self.heads[seq - 1].t, self._speed(seq), True, None)
        self._models = {seat: (seq, m)}  # one seat at a time is shown
        return m

    def console_view(self, seq: int) -> ConsoleView:
        """The facilitator's picture at `seq`: traffic, case state, score so far."""
        held = self._console
        if held is None or held[0] > seq:
            # Refolded from the start: a copied ConsoleView costs more than the fold.
            view = ConsoleView(self.scenario)
            view.welcome(self._welcome(FACILITATOR))
            held = (0, view)
        done, view = held
        for ev in self._between(done, seq):
            view.event(self.message(ev))
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
            exercise=eng.welcome_info(seat),
        )

    def _speed(self, seq: int) -> float:
        """The clock's speed after event `seq` (the last clock event that set it)."""
        for h in reversed(self.heads[:seq]):
            if h.kind in ("clock", "exercise_started") and "speed" in self.event(h.seq).data:
                return float(self.event(h.seq).data["speed"])
        return float(self.scenario.exercise.speed)

    def message(self, ev: Event) -> p.EventMsg:
        """The frame the server sent for `ev`."""
        return p.EventMsg(
            seq=ev.seq, kind=ev.kind, game_time=self._iso(ev.t), elapsed=ev.t, data=ev.data
        )

    def _iso(self, t: float) -> str:
        return self.scenario.game_datetime(t).isoformat(timespec="seconds")

    # ---- finding ---------------------------------------------------------------------

    def next_mark(self, seq: int, jump: str, back: bool = False) -> int | None:
        """The next (or previous) event after `seq` whose mark is one `jump` looks for."""
        want = JUMPS[jump]
        order = range(seq - 2, -1, -1) if back else range(seq, len(self.heads))
        for i in order:
            if mark_of(self.heads[i]) in want:
                return i + 1
        return None

    def search(self, text: str, after: int) -> int | None:
        """The next event after `after` (wrapping) about a request id, an item or a seat."""
        needle = text.strip().lower()
        if not needle:
            return None
        n = len(self.heads)
        for k in range(n):
            ev = self.event((after + k) % n + 1)
            hay = [request_id(ev), item_id(ev), *ev.visible, str(ev.data.get("by", ""))]
            if any(needle == h.lower() or (len(needle) > 2 and needle in h.lower()) for h in hay):
                return ev.seq
        return None

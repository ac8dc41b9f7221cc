"""The SQLite event log: the single source of truth of an exercise.

Durability and group commit: the database runs in WAL mode with ``synchronous=FULL``, so
a commit returns only once the WAL is fsync'ed. The server's command loop handles every
command that has arrived since its last commit against the engine, then hands *all* their
events (plus a clock checkpoint) to :meth:`EventLog.append` as one transaction, and sends
the results only after it returns. One fsync thus acknowledges a whole batch: the more
clients send at once, the bigger the batch, which is how the log keeps up with thousands
of durable commands per second.

All writes run on one dedicated thread (the connection is used by that thread only once
the server runs), so an fsync never blocks the event loop; backlog reads for reconnecting
clients use a second connection on a second thread, which WAL lets read concurrently.

Each event's visibility is also kept in a narrow table of its own (``visibility``: the
seq and the seats it names as text), so a client that joins late with ``last_seq`` 0
costs a scan of that small table in SQLite plus the events its seat sees, instead of
decoding every event of the exercise in Python. The table is keyed by seq, so a commit
appends to it (a per-seat B-tree would touch a page per named seat: an inject to 200
seats rewrote most of it). Logs written before it existed get it built when opened.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from tte.core.events import EVERYONE, STAFF, Event
from tte.datadir import META_SCENARIO_YAML, META_VISIBILITY_INDEXED
from tte.i18n import plain

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    t REAL NOT NULL,
    record BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS visibility (
    seq INTEGER PRIMARY KEY,  -- an event that some player seat sees (staff see all)
    seats TEXT NOT NULL  -- the seats it names, ' RO/poc NL/poc ', or ' * ' for everyone
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    elapsed REAL NOT NULL,
    speed REAL NOT NULL,
    paused INTEGER NOT NULL,
    saved_at REAL NOT NULL
);
"""

VISIBILITY = META_VISIBILITY_INDEXED

_enc = msgspec.msgpack.Encoder(enc_hook=plain)


class _Record(msgspec.Struct):
    """A stored event as the log holds it (Event.to_record), decoded in one typed pass:
    a quarter less CPU than a dict and then Event.from_record on a 100,000-event resume."""

    seq: int
    kind: str
    t: float
    data: dict[str, Any] | None = None
    visible: list[str] | None = None  # [] = staff only; absent = everyone (old logs)
    timer: int | None = None


_dec = msgspec.msgpack.Decoder(_Record)


@dataclass(frozen=True)
class ClockCheckpoint:
    """Where the game clock stood: a restarted server resumes from here."""

    elapsed: float  # game seconds
    speed: float
    paused: bool


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def _event(blob: bytes) -> Event:
    r = _dec.decode(blob)
    # The stored list is the truth: an empty one is a staff-only event.
    visible = tuple(r.visible) if r.visible is not None else EVERYONE
    return Event(r.seq, r.kind, r.t, r.data or {}, visible, r.timer)


def _visibility_rows(events: Iterable[Event]) -> list[tuple[int, str]]:
    """visibility rows: none for staff-only events (staff read everything). Seat ids have
    no spaces, so ' SEAT ' matches one whole seat."""
    return [(e.seq, f" {' '.join(e.visible)} ") for e in events if e.visible]


def _seat_pattern(seat: str) -> str:
    return f" {seat} "


class DamagedLog(Exception):
    """The log file is structurally damaged or has holes (e.g. copied mid-write)."""


class EventLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            # WAL and SHM files inherit these permissions from the database file.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._db = _connect(path)
        try:
            self._db.executescript(SCHEMA)
            self._index_visibility()
        except BaseException:
            self._db.close()
            raise
        self._reader = _connect(path)
        self._writer_pool = ThreadPoolExecutor(1, thread_name_prefix="tte-log-write")
        self._reader_pool = ThreadPoolExecutor(1, thread_name_prefix="tte-log-read")
        self.commits = 0  # transactions that appended events (for /metrics)

    def _index_visibility(self) -> None:
        """Build the visibility table of a log written before it existed (once). A log
        that fails `verify` is left untouched."""
        if self.get_meta(VISIBILITY) is not None:
            return
        self.verify()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM visibility")
            cur = db.execute("SELECT record FROM events ORDER BY seq")
            while blobs := cur.fetchmany(10_000):
                db.executemany(
                    "INSERT INTO visibility (seq, seats) VALUES (?, ?)",
                    _visibility_rows(_event(b[0]) for b in blobs),
                )
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (VISIBILITY,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def verify(self) -> None:
        """Refuse a damaged or torn file rather than serve a wrong exercise: the structure
        must check out and the events must be exactly seq 1..N (a copy of the main file
        without its WAL legitimately holds a prefix; a copy racing a checkpoint may hold
        pages from two moments, which shows as holes)."""
        rows = [str(r[0]) for r in self._db.execute("PRAGMA quick_check(5)")]
        if rows != ["ok"]:
            raise DamagedLog("; ".join(rows))
        n, lo, hi = self._db.execute("SELECT COUNT(*), MIN(seq), MAX(seq) FROM events").fetchone()
        if n and (lo != 1 or hi != n):
            raise DamagedLog(f"{n} events where seq runs from {lo} to {hi}: events are missing")

    # ---- writes -------------------------------------------------------------------------

    def append_sync(self, events: Iterable[Event], clock: ClockCheckpoint | None) -> None:
        events = list(events)  # read twice below
        rows = [(e.seq, e.kind, e.t, _enc.encode(e.to_record())) for e in events]
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if rows:
                db.executemany("INSERT INTO events (seq, kind, t, record) VALUES (?,?,?,?)", rows)
                db.executemany(
                    "INSERT INTO visibility (seq, seats) VALUES (?, ?)", _visibility_rows(events)
                )
            if clock is not None:
                db.execute(
                    "INSERT OR REPLACE INTO clock (id, elapsed, speed, paused, saved_at)"
                    " VALUES (1, ?, ?, ?, ?)",
                    (clock.elapsed, clock.speed, int(clock.paused), time.time()),
                )
            db.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back by itself (e.g. SQLITE_FULL): a ROLLBACK
            # would then fail and hide the real error.
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        if rows:
            self.commits += 1

    async def append(self, events: list[Event], clock: ClockCheckpoint | None) -> None:
        """Commit `events` and the clock checkpoint in one durable transaction."""
        await self.start_append(events, clock)

    def start_append(
        self, events: list[Event], clock: ClockCheckpoint | None
    ) -> asyncio.Future[None]:
        """As `append`, but the writer thread starts on it now: the caller may do other
        work (reading `events`, not changing them) before awaiting the commit."""
        return asyncio.get_running_loop().run_in_executor(
            self._writer_pool, self.append_sync, events, clock
        )

    async def reload(self) -> list[Event]:
        """Every committed event, read on the writer thread (after a failed append)."""
        return await self._write(self.read_all)

    async def checkpoint(self, clock: ClockCheckpoint) -> None:
        await self._write(lambda: self.append_sync((), clock))

    async def _write(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer_pool, fn)

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # ---- reads --------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def last_seq(self) -> int:
        row = self._db.execute("SELECT MAX(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def read_all(self) -> list[Event]:
        return list(self.iter_all())

    def iter_all(self) -> Iterator[Event]:
        """Every event in order, decoded as it is read: a resume folds them one by one
        and never holds them all (the fold copies what it keeps)."""
        for (blob,) in self._db.execute("SELECT record FROM events ORDER BY seq"):
            yield _event(blob)

    def load_clock(self) -> ClockCheckpoint | None:
        row = self._db.execute("SELECT elapsed, speed, paused FROM clock WHERE id = 1").fetchone()
        if row is None:
            return None
        return ClockCheckpoint(float(row[0]), float(row[1]), bool(row[2]))

    def read_range_sync(
        self, after: int, upto: int, limit: int, seat: str | None = None
    ) -> list[Event]:
        if seat is None or seat in STAFF:
            cur = self._reader.execute(
                "SELECT record FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                (after, upto, limit),
            )
        else:
            cur = self._reader.execute(
                "SELECT e.record FROM visibility v JOIN events e ON e.seq = v.seq"
                " WHERE v.seq > ? AND v.seq <= ?"
                " AND (instr(v.seats, ' * ') OR instr(v.seats, ?)) ORDER BY v.seq LIMIT ?",
                (after, upto, _seat_pattern(seat), limit),
            )
        return [_event(r[0]) for r in cur]

    async def read_range(
        self, after: int, upto: int, limit: int = 500, seat: str | None = None
    ) -> list[Event]:
        """Committed events with after < seq <= upto, oldest first, at most `limit`; with
        `seat`, only those that seat may see."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._reader_pool, self.read_range_sync, after, upto, limit, seat
        )

    def close(self) -> None:
        self._writer_pool.shutdown(wait=True)
        self._reader_pool.shutdown(wait=True)
        self._reader.close()
        self._db.close()


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a log to read it without writing a byte. A read-only connection to a WAL
    database creates the ``-wal`` and ``-shm`` files when they are missing (and cannot
    remove them again); they are missing only when no connection is open, that is when
    no server is writing, so the file is then opened as immutable. While a server runs
    they exist, and SQLite's shared-memory index keeps the reader consistent with it."""
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    return sqlite3.connect(f"file:{path}?{mode}", uri=True)


def read_events(path: Path, upto: int | None = None, after: int = 0) -> list[Event]:
    """The events of a log file with after < seq <= upto (default: all), for reports,
    forks, replays and tests. The file is opened read-only: a running exercise's log can
    be read, and nothing is written to it."""
    db = connect_readonly(path)
    try:
        cur = db.execute(
            "SELECT record FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
            (after, (1 << 62) if upto is None else upto),
        )
        return [_event(r[0]) for r in cur]
    finally:
        db.close()


def read_heads(
    path: Path, after: int = 0, upto: int | None = None
) -> list[tuple[int, str, float, str | None]]:
    """The events with after < seq <= upto (default: all) as (seq, kind, t, seats),
    without their records: `seats` is the visibility table's text (None: staff only), for
    a reader that decodes only what it shows (the replay; see `read_records`). Read-only,
    as `read_events`."""
    db = connect_readonly(path)
    try:
        cur = db.execute(
            "SELECT e.seq, e.kind, e.t, v.seats FROM events e"
            " LEFT JOIN visibility v ON v.seq = e.seq WHERE e.seq > ? AND e.seq <= ?"
            " ORDER BY e.seq",
            (after, (1 << 62) if upto is None else upto),
        )
        return cur.fetchall()
    finally:
        db.close()


def read_extent(path: Path, kinds: Iterable[str] = ()) -> tuple[int, int, float, list[int]]:
    """(number of events, last seq, game time of the last event, seqs of the events of
    `kinds` oldest first) of a log, read-only, in one scan that hands no row to Python:
    what a reader that does not read every head (the replay's first screen) needs to
    check the log has no holes, scale its timeline and find the clock's changes."""
    wanted = sorted(kinds) or [""]
    marks = ", ".join("?" * len(wanted))
    db = connect_readonly(path)
    try:
        count, seqs = db.execute(
            f"SELECT count(*), group_concat(CASE WHEN kind IN ({marks}) THEN seq END) FROM events",
            wanted,
        ).fetchone()
        row = db.execute("SELECT seq, t FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        last, t_last = (int(row[0]), float(row[1])) if row else (0, 0.0)
        found = sorted(int(x) for x in seqs.split(",")) if seqs else []
        return int(count), last, t_last, found
    finally:
        db.close()


def read_columns(path: Path, scale: float, upto: int) -> list[tuple[int, str, str | None]]:
    """The distinct (column, kind, seats) of the events up to seq `upto`, where an event's
    column is ``int(t * scale + 0.5)`` and `seats` as in `read_heads`: a timeline's marks
    aggregated in SQLite (a few hundred rows for 100,000 events). Read-only."""
    db = connect_readonly(path)
    try:
        cur = db.execute(
            "SELECT DISTINCT CAST(e.t * ? + 0.5 AS INTEGER), e.kind, v.seats FROM events e"
            " LEFT JOIN visibility v ON v.seq = e.seq WHERE e.seq <= ?",
            (scale, upto),
        )
        return cur.fetchall()
    finally:
        db.close()


def time_of(path: Path, seq: int) -> float:
    """The game time of event `seq` (0 when there is none). Read-only."""
    db = connect_readonly(path)
    try:
        row = db.execute("SELECT t FROM events WHERE seq = ?", (seq,)).fetchone()
        return float(row[0]) if row else 0.0
    finally:
        db.close()


def read_records(
    path: Path, after: int, upto: int, seat: str | None = None
) -> list[tuple[int, bytes]]:
    """(seq, record) of the events with after < seq <= upto, oldest first; with `seat`,
    only those that seat may see (matched in SQLite, as a joining client's backlog).
    Read-only, as `read_events`; decode a record with `decode_event`."""
    db = connect_readonly(path)
    try:
        if seat is None or seat in STAFF:
            cur = db.execute(
                "SELECT seq, record FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
                (after, upto),
            )
        else:
            cur = db.execute(
                "SELECT e.seq, e.record FROM visibility v JOIN events e ON e.seq = v.seq"
                " WHERE v.seq > ? AND v.seq <= ?"
                " AND (instr(v.seats, ' * ') OR instr(v.seats, ?)) ORDER BY v.seq",
                (after, upto, _seat_pattern(seat)),
            )
        return cur.fetchall()
    finally:
        db.close()


def decode_event(record: bytes) -> Event:
    """One stored record as its Event (see `read_heads`)."""
    return _event(record)


def read_meta(path: Path) -> dict[str, str]:
    """The meta table of a log file, read-only."""
    db = connect_readonly(path)
    try:
        return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
    finally:
        db.close()


def stored_scenario(path: Path) -> str | None:
    """The scenario text an exercise was started with (meta ``scenario_yaml``), if any."""
    if not path.exists():
        return None
    try:
        db = connect_readonly(path)
        try:
            row = db.execute(
                "SELECT value FROM meta WHERE key = ?", (META_SCENARIO_YAML,)
            ).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def log_summary(path: Path) -> tuple[int, float] | None:
    """How many events a log holds and the game time of the last one (read-only), for
    listing exercises; None if it cannot be read."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            n, last = db.execute("SELECT count(*), coalesce(max(t), 0) FROM events").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return int(n), float(last)

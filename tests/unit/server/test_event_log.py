"""The SQLite event log: durable append with the clock checkpoint, ordered reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tte.core.events import Event
from tte.server.log import ClockCheckpoint, DamagedLog, EventLog, read_events


def ev(seq: int, visible: tuple[str, ...] = ("*",)) -> Event:
    return Event(seq, "note", float(seq), {"n": seq, "nested": {"a": [1, 2]}}, visible)


async def test_append_read_and_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    log = EventLog(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert log.last_seq() == 0 and log.load_clock() is None
    await log.append([ev(1), ev(2, ()), ev(3, ("RO/poc",))], ClockCheckpoint(3.0, 60.0, True))
    await log.checkpoint(ClockCheckpoint(9.5, 120.0, False))
    assert log.last_seq() == 3 and log.count() == 3
    assert log.load_clock() == ClockCheckpoint(9.5, 120.0, False)
    events = log.read_all()
    assert [e.to_record() for e in events] == [ev(i).to_record() for i in (1,)] + [
        ev(2, ()).to_record(),
        ev(3, ("RO/poc",)).to_record(),
    ]
    # Staff-only visibility (empty) survives the round trip.
    assert events[1].visible == () and not events[1].visible_to("RO/poc")
    assert [e.seq for e in await log.read_range(1, 3)] == [2, 3]
    assert [e.seq for e in await log.read_range(0, 3, limit=2)] == [1, 2]
    log.set_meta("exercise", "tutorial")
    assert log.get_meta("exercise") == "tutorial"
    log.close()
    assert [e.seq for e in read_events(path)] == [1, 2, 3]
    again = EventLog(path)
    assert again.last_seq() == 3 and again.get_meta("exercise") == "tutorial"
    again.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.sqlite")
    await log.append([ev(1)], None)
    with pytest.raises(sqlite3.IntegrityError):
        await log.append([ev(2), ev(1)], None)  # duplicate seq: the whole batch is refused
    assert [e.seq for e in log.read_all()] == [1]
    log.close()


SEATS = ("RO/poc", "RO/investigator", "NL/poc", "facilitator", "observer")


def mixed_events(n: int) -> list[Event]:
    """Events of every visibility: everyone, staff only, one seat, several seats."""
    kinds: list[tuple[str, ...]] = [("*",), (), ("RO/poc",), ("RO/poc", "NL/poc"), ("NL/poc",)]
    return [ev(i, kinds[i % len(kinds)]) for i in range(1, n + 1)]


async def test_a_seat_reads_exactly_what_it_may_see(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.sqlite")
    events = mixed_events(40)
    await log.append(events[:25], None)
    await log.append(events[25:], None)
    for seat in SEATS:
        expected = [e.seq for e in events if e.visible_to(seat) and 3 < e.seq <= 37]
        got: list[int] = []
        after = 3
        while True:  # pages of 4, as the server pages its backlog
            page = await log.read_range(after, 37, limit=4, seat=seat)
            if not page:
                break
            got += [e.seq for e in page]
            after = page[-1].seq
        assert got == expected, seat
    log.close()


def old_log(path: Path, n: int, *damage: str) -> None:
    """A log as an older tte left it (no visibility table, no marker), then `damage`."""
    log = EventLog(path)
    log.append_sync(mixed_events(n), None)
    log.close()
    db = sqlite3.connect(path)
    for sql in ("DROP TABLE visibility", "DELETE FROM meta", *damage):
        db.execute(sql)
    db.commit()
    db.close()


def test_a_log_from_before_the_seat_index_gets_it_on_open(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    old_log(path, 12)
    again = EventLog(path)
    assert [e.seq for e in again.read_range_sync(0, 12, 100, seat="NL/poc")] == [
        e.seq for e in mixed_events(12) if e.visible_to("NL/poc")
    ]
    assert again.get_meta("visibility_indexed") == "1"
    again.close()


def test_a_damaged_old_log_is_refused_before_anything_is_indexed(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    old_log(path, 6, "DELETE FROM events WHERE seq = 3")  # a hole, as in a torn copy
    with pytest.raises(DamagedLog):
        EventLog(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (5,)
    assert db.execute("SELECT COUNT(*) FROM meta").fetchone() == (0,)
    db.close()

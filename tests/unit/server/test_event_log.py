"""The SQLite event log: durable append with the clock checkpoint, ordered reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tte.core.events import Event
from tte.server.log import ClockCheckpoint, EventLog, read_events


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

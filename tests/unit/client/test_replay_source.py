"""The replay's reading of a log: marks, jumps, search, the engine at any seq."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from tte.cli import main as tte
from tte.client.console.view import ConsoleView
from tte.client.replay.source import ReplayError, ReplayLog, mark_of, request_id
from tte.core.engine import Engine


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("replay") / "ex"
    assert tte(["simulate", "tutorial", "--data", str(data)]) == 0
    return data


def test_the_engine_at_a_seq_is_the_fold_of_the_log_up_to_it_in_any_order(golden: Path) -> None:
    log = ReplayLog.open(golden)
    log.checkpoint_every = 5
    for seq in (log.last, 3, log.last // 2, 1, log.last - 1):  # back and forth
        want = Engine.replay(log.scenario, log.events[:seq]).state
        got = log.engine_at(seq).state
        assert (got.seq, got.now, sorted(got.requests)) == (
            want.seq,
            want.now,
            sorted(want.requests),
        )
        assert {k: v.status for k, v in got.requests.items()} == {
            k: v.status for k, v in want.requests.items()
        }
    assert len(log._checkpoints) > 1  # later jumps start from a saved state


def test_jumps_find_the_next_and_previous_mark(golden: Path) -> None:
    log = ReplayLog.open(golden)
    first = log.next_mark(0, "inject")
    assert first is not None and mark_of(log.event(first)) == "inject"
    assert log.next_mark(first, "inject", back=True) is None
    assert log.next_mark(log.last, "inject") is None


def test_search_finds_a_request_an_item_or_a_seat_and_wraps(golden: Path) -> None:
    log = ReplayLog.open(golden)
    r1 = log.search("r1", 0)
    assert r1 is not None and request_id(log.event(r1)) == "R1"
    again = log.search("R1", r1)
    assert again is not None and again != r1 and request_id(log.event(again)) == "R1"
    assert log.search("c2_logs", 0) is not None
    assert log.search("NL/poc", 0) is not None
    assert log.search("no such thing", 0) is None


def test_opening_reads_no_head_and_the_marks_aggregated_in_sqlite_are_every_events(
    golden: Path,
) -> None:
    """The first screen's timeline comes from SQLite's aggregate, before any head is read;
    the heads read afterwards give the same (column, kind, seats) and the same times."""
    log = ReplayLog.open(golden)
    cols = 76
    marks = sorted(log.timeline_marks(cols), key=str)
    times = [log.time_at(seq) for seq in range(1, log.last + 1)]
    assert log._heads is None  # nothing read per event yet
    scale = (cols - 1) / log.span
    per_event = {
        (min(cols - 1, int(t * scale + 0.5)), k, s)
        for t, k, s in zip(log.times, log.kinds, log.seat_sets, strict=True)
    }
    assert marks == sorted(per_event, key=str)
    assert times == log.times and log.span == max(log.times[-1], 1.0)


def test_a_directory_without_a_log_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="no event log"):
        ReplayLog.open(tmp_path)


def picture(view: ConsoleView) -> dict[str, object]:
    """What the facilitator's panes draw from: rows as values, not objects."""
    return {
        "requests": {
            k: (r.snap, r.limit, r.last_kind, r.updated) for k, r in view.requests.items()
        },
        "items": {k: asdict(r) for k, r in view.items.items()},
        "injects": {k: asdict(r) for k, r in view.injects.items()},
        "seats": {k: asdict(r) for k, r in view.seats.items()},
        "objectives": {k: asdict(r) for k, r in view.objectives.items()},
        "log": [(e.seq, e.text) for e in view.log],
        "events": [e.seq for e in view.events],
        "score": view.score(),
        "last": view.last_seq,
    }


def test_the_facilitators_view_at_a_seq_is_the_fold_from_zero_whichever_way_it_is_reached(
    golden: Path,
) -> None:
    log = ReplayLog.open(golden)
    log.console_every = 4  # checkpoints on the way, copied when a jump lands past them
    for seq in (log.last, 3, log.last // 2, 1, log.last - 1, log.last // 2 + 1):
        fresh = ReplayLog.open(golden)
        fresh.console_every = 10**9  # one fold from the welcome, no checkpoint
        assert picture(log.console_view(seq)) == picture(fresh.console_view(seq)), seq
    assert len(log._consoles) > 2
    # A checkpoint is a copy: folding on from it leaves it as it was.
    at4 = picture(log._consoles[4])
    log.console_view(log.last)
    log.console_view(5)
    assert picture(log._consoles[4]) == at4

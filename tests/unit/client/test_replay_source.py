"""The replay's reading of a log: marks, jumps, search, the engine at any seq."""

from __future__ import annotations

from pathlib import Path

import pytest

from tte.cli import main as tte
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


def test_a_directory_without_a_log_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="no event log"):
        ReplayLog.open(tmp_path)

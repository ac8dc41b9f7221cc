"""Rerun from a decision point: `tte fork` and `tte host --from` copy an exercise up to an
event into a new directory with new join codes, and leave the original byte-for-byte."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from wsclient import make_server

from tte import datadir
from tte.cli import main as tte
from tte.core.engine import Engine
from tte.core.scenario import parse
from tte.server.auth import Roster
from tte.server.fork import ForkError, fork
from tte.server.log import read_events, read_meta


def files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


@pytest.fixture
def played(tmp_path: Path) -> Path:
    """A finished exercise as `tte simulate --data` writes it, plus a roster of codes."""
    data = tmp_path / "ex"
    assert tte(["simulate", "tutorial", "--data", str(data)]) == 0
    sc, _ = parse(read_meta(datadir.events_file(data))[datadir.META_SCENARIO_YAML])
    assert sc is not None
    ex = sc.exercise
    Roster.create(ex.id, ex.title, sc.human_seats()).save(datadir.roster_file(data))
    assert sorted(files(data)) == [datadir.EVENTS_FILE, datadir.ROSTER_FILE]  # no -wal, -shm
    return data


def test_a_fork_holds_the_log_up_to_seq_with_new_codes_and_leaves_the_original(
    played: Path, tmp_path: Path
) -> None:
    before = files(played)
    original = read_events(datadir.events_file(played))
    at = len(original) // 2
    out = tmp_path / "rerun"
    assert tte(["fork", str(played), "--at", str(at), "--data", str(out)]) == 0
    assert files(played) == before  # nothing written, not even a WAL left behind
    copied = read_events(datadir.events_file(out))
    assert [e.to_record() for e in copied] == [e.to_record() for e in original[:at]]
    meta = read_meta(datadir.events_file(out))
    old_meta = read_meta(datadir.events_file(played))
    assert meta[datadir.META_SCENARIO_YAML] == old_meta[datadir.META_SCENARIO_YAML]
    assert meta[datadir.META_FORKED_FROM] == str(played.resolve())
    assert meta[datadir.META_FORKED_AT] == str(at)
    old, new = Roster.load(datadir.roster_file(played)), Roster.load(datadir.roster_file(out))
    assert sorted(new.seats) == sorted(old.seats)  # the same seats ...
    assert not set(new.codes().values()) & set(old.codes().values())  # ... behind new codes


async def test_a_hosted_fork_resumes_at_seq_and_diverges_from_the_original(
    played: Path, tmp_path: Path
) -> None:
    before = files(played)
    original = read_events(datadir.events_file(played))
    at = len(original) // 3
    f = fork(played, at, tmp_path / "rerun")
    sc, _ = parse(read_meta(datadir.events_file(played))[datadir.META_SCENARIO_YAML])
    assert sc is not None
    srv = make_server(sc, f.data)
    try:
        assert srv.engine.state.seq == at
        assert srv.clock.game_anchor >= f.game_time
        same = Engine.replay(sc, original[:at]).state
        assert srv.engine.state.now == same.now and sorted(srv.engine.state.requests) == sorted(
            same.requests
        )
        # A different command from here on: the fork goes its own way.
        events, _ = srv.engine.handle("facilitator", "clock.advance", {"seconds": 3600}, 0.0)
        srv.log.append_sync(events, None)
    finally:
        await srv.stop()
    forked = read_events(datadir.events_file(f.data))
    assert forked[at].seq == at + 1 and forked[at].to_record() != original[at].to_record()
    assert files(played) == before


def test_a_fork_refuses_a_seq_the_log_does_not_hold_or_a_used_directory(
    played: Path, tmp_path: Path
) -> None:
    n = len(read_events(datadir.events_file(played)))
    with pytest.raises(ForkError, match=f"1..{n}"):
        fork(played, n + 1, tmp_path / "a")
    with pytest.raises(ForkError, match="holds an exercise"):
        fork(played, 1, played)
    assert not (tmp_path / "a" / datadir.EVENTS_FILE).exists()


@pytest.mark.parametrize(
    ("scenario_yaml", "why"),
    [(None, "does not store its scenario"), ("exercise: {}\n", "does not validate")],
)
def test_fork_and_replay_refuse_a_log_without_a_valid_scenario_for_the_same_reason(
    played: Path, tmp_path: Path, scenario_yaml: str | None, why: str
) -> None:
    import sqlite3

    from tte.client.replay.source import ReplayError, ReplayLog

    db = sqlite3.connect(datadir.events_file(played))
    with db:
        db.execute("DELETE FROM meta WHERE key = ?", (datadir.META_SCENARIO_YAML,))
        if scenario_yaml is not None:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                (datadir.META_SCENARIO_YAML, scenario_yaml),
            )
    db.close()
    with pytest.raises(ForkError, match=why) as forked:
        fork(played, 1, tmp_path / "a")
    with pytest.raises(ReplayError, match=why) as replayed:
        ReplayLog.open(played)
    assert str(replayed.value) in str(forked.value)  # one reason, from one place


def test_host_from_forks_then_hosts_the_fork(played: Path, tmp_path: Path) -> None:
    from tte.host import add_arguments, build_app

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "rerun"
    args = parser.parse_args(["--from", str(played), "--at", "5", "--data", str(out)])
    app = build_app(args)
    assert app.data == out and len(read_events(datadir.events_file(out))) == 5
    with pytest.raises(SystemExit, match="--at"):
        build_app(parser.parse_args(["--from", str(played)]))


def test_the_report_of_a_fork_says_where_it_branched(played: Path, tmp_path: Path) -> None:
    from tte.report import branched_from

    f = fork(played, 7, tmp_path / "rerun")
    said = branched_from(read_meta(datadir.events_file(f.data)))
    assert str(played.resolve()) in said and "after event 7" in said
    assert branched_from(read_meta(datadir.events_file(played))) == ""

"""Fork an exercise at a decision point: ``tte fork DIR --at SEQ --data NEWDIR``.

A fork is a new data directory whose event log holds the original's events 1..SEQ, the
same scenario text and the same seats behind *new* join codes (the codes of the original
stay with the original). Hosted (``tte host --from DIR --at SEQ``) it resumes at that
moment, as any resumed exercise does: the engine replays the copied events, so the
class plays on from the decision that went wrong. Its meta says where it branched
(``forked_from``, ``forked_at``), which ``tte report`` prints.

The original is only ever opened read-only (its log may still be written by a running
server), so forking leaves it byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tte import datadir
from tte.core.engine import Engine
from tte.i18n import _

from .auth import Roster
from .log import ClockCheckpoint, EventLog, read_events, read_meta

# Meta keys copied to the fork; the rest (the visibility index) is the new log's own.
_COPIED_META = (
    datadir.META_EXERCISE,
    datadir.META_SCENARIO_YAML,
    datadir.META_SCENARIO_SHA256,
    datadir.META_SIMULATED,
)


class ForkError(Exception):
    """The fork cannot be made; the message says why."""


@dataclass(frozen=True)
class Fork:
    data: Path  # the new data directory
    at: int  # the last seq copied
    game_time: float  # game seconds at that seq: where the fork's clock resumes
    roster: Roster  # the fork's new join codes


def default_fork_dir(src: Path, at: int) -> Path:
    """Beside the original: ``DIR-at-SEQ``."""
    return src.parent / f"{src.name}-at-{at}"


def fork(src: Path, at: int, dst: Path) -> Fork:
    """Write the fork of data directory `src` at seq `at` into `dst` (new or empty)."""
    log_path = datadir.events_file(src)
    if not log_path.is_file():
        raise ForkError(_("no event log at {path}").format(path=log_path))
    if datadir.events_file(dst).exists():
        raise ForkError(_("{dir} already holds an exercise; choose another --data").format(dir=dst))
    try:
        meta = read_meta(log_path)
        events = read_events(log_path, upto=at)
    except sqlite3.DatabaseError as e:
        raise ForkError(_("{path} cannot be read: {error}").format(path=log_path, error=e)) from e
    scenario = datadir.stored_scenario(meta, log_path)
    if isinstance(scenario, str):
        raise ForkError(_("{problem}; it cannot be forked").format(problem=scenario))
    last = events[-1].seq if events else 0
    if at < 1 or last != at:
        raise ForkError(
            _("seq {seq} is not in {path} (it holds events 1..{last})").format(
                seq=at, path=log_path, last=last
            )
        )
    state = Engine.replay(scenario, events).state
    dst.mkdir(mode=0o700, parents=True, exist_ok=True)
    log = EventLog(datadir.events_file(dst))
    try:
        for key in _COPIED_META:
            if key in meta:
                log.set_meta(key, meta[key])
        log.set_meta(datadir.META_FORKED_FROM, str(src.resolve()))
        log.set_meta(datadir.META_FORKED_AT, str(at))
        log.append_sync(events, ClockCheckpoint(state.now, state.speed, state.paused))
    finally:
        log.close()
    ex = scenario.exercise
    roster = Roster.create(ex.id, ex.title, scenario.human_seats())
    roster.save(datadir.roster_file(dst))
    return Fork(dst, at, state.now, roster)

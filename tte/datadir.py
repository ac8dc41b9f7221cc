"""What an exercise's data directory holds: its file names and the event log's meta keys.

``tte serve``, ``tte host`` and ``tte simulate --data`` write a data directory; ``tte
report``, ``tte roster``, ``tte console --roster`` and a resumed ``tte host`` read it. All
of them take the names from here, so moving a file or renaming a key is one edit.
It sits beside ``tte.protocol`` (below the server, above core) and imports no I/O stack,
so every layer that reads a data directory can import it::

    DIR/events.sqlite            the event log (tte.server.log): events, visibility, meta
    DIR/roster.json              the join codes (tte.server.auth.Roster), mode 0600
    DIR/server.log               what `tte host` logs (its console owns the terminal)
    DIR/join-sheet-<id>.md       the printable join sheet, written from the console
    DIR/join-cards-<id>.md|.txt  one printable card per seat (code, commands, briefing)
    DIR/report/                  where `tte report DIR` writes by default
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec

from tte.core.scenario import Scenario

EVENTS_FILE = "events.sqlite"
ROSTER_FILE = "roster.json"
SERVER_LOG_FILE = "server.log"
REPORT_DIR = "report"

# Keys of the event log's meta table.
META_EXERCISE = "exercise"  # the exercise id: one data directory holds one exercise
META_SCENARIO_YAML = "scenario_yaml"  # the scenario text, so the directory is self-contained
META_SCENARIO_SHA256 = "scenario_sha256"  # scenario_fingerprint() of the scenario at start
META_SIMULATED = "simulated"  # the policy, when `tte simulate --data` wrote the log
META_VISIBILITY_INDEXED = "visibility_indexed"  # the visibility table covers every event
META_FORKED_FROM = "forked_from"  # a fork (`tte fork`, `tte host --from`): the original DIR
META_FORKED_AT = "forked_at"  # ... and the last seq it copied from there


def events_file(data: Path) -> Path:
    return data / EVENTS_FILE


def roster_file(data: Path) -> Path:
    return data / ROSTER_FILE


def join_sheet_file(data: Path, exercise_id: str) -> Path:
    return data / f"join-sheet-{exercise_id}.md"


def join_cards_file(data: Path, exercise_id: str, suffix: str) -> Path:
    """`suffix`: ".md" or ".txt" (one page per seat, form feeds between pages)."""
    return data / f"join-cards-{exercise_id}{suffix}"


def scenario_fingerprint(sc: Scenario) -> str:
    """The value of meta ``scenario_sha256``: tells a resumed or reported run that the
    scenario changed since the exercise started."""
    return hashlib.sha256(msgspec.json.encode(sc)).hexdigest()

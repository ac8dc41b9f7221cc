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

import contextlib
import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

import msgspec

from tte.core.scenario import Scenario, parse
from tte.i18n import _

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


def stored_scenario(meta: Mapping[str, str], path: Path) -> Scenario | str:
    """The scenario an event log's meta stores (key ``scenario_yaml``), validated; or,
    as a string, why there is none to use (one line naming `path`). `tte replay` and
    `tte fork` read a log's scenario through this, each raising its own error."""
    text = meta.get(META_SCENARIO_YAML)
    if text is None:
        return _("{path} does not store its scenario (meta {key})").format(
            path=path, key=repr(META_SCENARIO_YAML)
        )
    sc, problems = parse(text)
    if sc is None:
        first = problems[0] if problems else None
        why = f"{first.path}: {first.message}" if first else _("no scenario in it")
        return _("the scenario stored in {path} does not validate: {why}").format(
            path=path, why=why
        )
    return sc


def scenario_fingerprint(sc: Scenario) -> str:
    """The value of meta ``scenario_sha256``: tells a resumed or reported run that the
    scenario changed since the exercise started."""
    return hashlib.sha256(msgspec.json.encode(sc)).hexdigest()


class UnsafeDataDir(Exception):
    """The data directory could be read or changed by someone else: refuse to use it."""


def make_private_dir(path: Path) -> None:
    """Create `path` owner-only (0700), or accept an existing one only if it is the user's
    own and nobody else may write in it (they could plant ``roster.json.tmp`` or swap the
    log); a readable one is tightened to 0700 (the roster holds every code)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.stat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafeDataDir(f"{path} is not a directory")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafeDataDir(
            f"{path} belongs to another user (uid {st.st_uid}): use a directory of your own"
        )
    if st.st_mode & 0o022:
        raise UnsafeDataDir(
            f"{path} may be written by other users (mode {stat.filemode(st.st_mode)}): "
            f"`chmod 700 {path}` if it is yours, or use another --data directory"
        )
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)


def create_private(path: Path) -> int:
    """Open a new file for writing, owner-only, never through a link or a planted file:
    whatever sits at `path` (a symlink, an attacker's file) is removed first, then the
    file is created with O_EXCL|O_NOFOLLOW. Returns the fd."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, 0o600)

"""What docs/operations.md tells a facilitator to do, done: an online backup while the
server runs, restore it into a new directory and serve it there, with the scenario text
taken out of the log itself (the data directory is self-contained)."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import msgspec
import pytest

from tte.core.scenario import load
from tte.server import ExerciseServer, Settings
from tte.server.budget import Budgets
from tte.server.log import read_events

from .support import TUTORIAL, Bot

# Bots at full pace, for what this file tests (the log growing), not for budgets.
BOTS = Settings(budgets=Budgets(cmd_rate=10_000, cmd_burst=10_000, open_requests=100_000))


def online_backup(src: Path, dst: Path) -> None:
    """The Python equivalent of `sqlite3 events.sqlite ".backup dst"`."""
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


async def test_backup_while_running_restore_and_move(tmp_path: Path) -> None:
    data = tmp_path / "data"
    srv = ExerciseServer(load(TUTORIAL), data, settings=BOTS)
    await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.port}/"
    bot = Bot("b", url, srv.roster.codes()["RO/investigator"], random.Random(1),
              pace=(0.0, 0.01), submit_p=1.0)  # fmt: skip
    moved = tmp_path / "elsewhere" / "data"
    moved.mkdir(parents=True)
    try:
        await bot.start()
        while srv.engine.state.seq < 60:
            await bot.link.call("clock.pause", {})  # any round trip: lets the bot work
        # Online backup while the bot keeps writing: a consistent snapshot.
        online_backup(data / "events.sqlite", moved / "events.sqlite")
        if shutil.which("sqlite3"):
            cli_copy = tmp_path / "cli.sqlite"
            subprocess.run(["sqlite3", str(data / "events.sqlite"), f".backup {cli_copy}"],
                           check=True, capture_output=True)  # fmt: skip
            assert read_events(cli_copy)
        shutil.copy2(data / "roster.json", moved / "roster.json")
    finally:
        await bot.close()
        await srv.stop()
    full = read_events(data / "events.sqlite")
    backup = read_events(moved / "events.sqlite")
    assert [e.to_record() for e in backup] == [e.to_record() for e in full[: len(backup)]]

    # Move: the scenario comes out of the log; the roster travels with it.
    with sqlite3.connect(moved / "events.sqlite") as db:
        text = db.execute("SELECT value FROM meta WHERE key = 'scenario_yaml'").fetchone()[0]
        sha = db.execute("SELECT value FROM meta WHERE key = 'scenario_sha256'").fetchone()[0]
    db.close()
    scenario_file = tmp_path / "elsewhere" / "scenario.yaml"
    scenario_file.write_text(text)
    sc = load(scenario_file)
    assert hashlib.sha256(msgspec.json.encode(sc)).hexdigest() == sha  # the same scenario
    srv2 = ExerciseServer(sc, moved)
    try:
        assert srv2.engine.state.seq >= len(backup)  # + the restart's own events
        roster = json.loads((moved / "roster.json").read_text())
        assert srv2.roster.facilitator == roster["facilitator"]  # same codes
    finally:
        srv2.log.close()


def test_copy_while_stopped_is_exact(tmp_path: Path) -> None:
    import asyncio

    async def make() -> None:
        srv = ExerciseServer(load(TUTORIAL), tmp_path / "data")
        await srv.start("127.0.0.1", 0)
        await srv.stop()

    asyncio.run(make())
    dst = tmp_path / "copy"
    shutil.copytree(tmp_path / "data", dst)
    assert (
        not (dst / "events.sqlite-wal").exists() or (dst / "events.sqlite-wal").stat().st_size == 0
    )
    a = [e.to_record() for e in read_events(tmp_path / "data" / "events.sqlite")]
    assert a == [e.to_record() for e in read_events(dst / "events.sqlite")]


@pytest.mark.parametrize("name", ["events.sqlite-wal", "events.sqlite-shm"])
def test_stale_sidecar_files_do_not_break_a_restore(tmp_path: Path, name: str) -> None:
    """Restoring a backup next to a leftover -wal/-shm of another run: the server opens
    it, or refuses it clearly — it never mixes the two."""
    import asyncio

    async def make(d: Path) -> None:
        srv = ExerciseServer(load(TUTORIAL), d)
        await srv.start("127.0.0.1", 0)
        await srv.stop()

    asyncio.run(make(tmp_path / "a"))
    (tmp_path / "a" / name).write_bytes(b"\0" * 4096)
    from tte.server.exercise import ServerError

    try:
        srv = ExerciseServer(load(TUTORIAL), tmp_path / "a")
    except ServerError as e:
        assert "events.sqlite" in str(e)
        return
    try:
        assert srv.log.read_all()
    finally:
        srv.log.close()

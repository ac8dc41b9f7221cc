"""events.sqlite copied while the server writes (without its -wal): the copy opens with
exactly a prefix of the events, or is refused with a clear message — never silently wrong.

Copies are taken by a plain file copy while scripted clients keep the server busy and
checkpoints run often (so some copies catch the main file mid-checkpoint). A torn copy —
pages from two moments spliced together, what a copy racing a checkpoint can produce — is
also made on purpose.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from tte.core.events import Event
from tte.core.scenario import load
from tte.server import ExerciseServer, Settings
from tte.server.budget import Budgets
from tte.server.exercise import ServerError
from tte.server.log import read_events

from .support import TUTORIAL, Bot, until, write_figures

PAGE = 4096

# Bots at full pace, for what this file tests (the log growing), not for budgets.
BOTS = Settings(budgets=Budgets(cmd_rate=10_000, cmd_burst=10_000, open_requests=100_000))


def records(events: list[Event]) -> list[dict[str, object]]:
    return [e.to_record() for e in events]


def open_copy(src: Path, where: Path) -> list[Event] | str:
    """Open a copied events.sqlite as the server would: its events, or the refusal."""
    where.mkdir(parents=True)
    shutil.copyfile(src, where / "events.sqlite")
    try:
        srv = ExerciseServer(load(TUTORIAL), where)
    except ServerError as e:
        return str(e)
    try:
        return srv.log.read_all()
    finally:
        srv.log.close()


def assert_prefix_or_refused(got: list[Event] | str, full: list[Event], what: str) -> bool:
    if isinstance(got, str):
        assert "events.sqlite" in got and ("damaged" in got or "incomplete" in got), got
        return False
    assert records(got) == records(full[: len(got)]), f"{what}: not a prefix of the log"
    return True


async def test_copies_taken_while_writing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    srv = ExerciseServer(load(TUTORIAL), data, settings=BOTS)
    await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.port}/"
    await srv.log._write(lambda: srv.log._db.execute("PRAGMA wal_autocheckpoint=8"))
    codes = srv.roster.codes()
    bots = [
        Bot(f"c{i}", url, codes[seat], random.Random(i), pace=(0.0, 0.01), submit_p=0.9)
        for i, seat in enumerate(["RO/investigator", "RO/poc", "NL/poc", "RO/prosecutor"])
    ]
    raw = tmp_path / "raw"
    raw.mkdir()
    copies: list[Path] = []
    try:
        for b in bots:
            await b.start()
        # Copy as fast as we can while the log grows: each copy is whatever bytes the main
        # file held during the copy, no WAL.
        while len(copies) < 40:
            before = srv.engine.state.seq
            await until(lambda b=before: srv.engine.state.seq > b + 3, what="more events")  # type: ignore[misc]
            dst = raw / f"copy{len(copies)}.sqlite"
            await asyncio.to_thread(shutil.copyfile, data / "events.sqlite", dst)
            copies.append(dst)
    finally:
        for b in bots:
            await b.close()
        await srv.stop()
    full = read_events(data / "events.sqlite")
    opened = refused = 0
    lengths = []
    for i, c in enumerate(copies):
        got = open_copy(c, tmp_path / f"open{i}")
        if assert_prefix_or_refused(got, full, c.name):
            opened += 1
            lengths.append(len(got))  # type: ignore[arg-type]
        else:
            refused += 1
    assert opened + refused == len(copies)
    write_figures(
        "copy_midwrite",
        {"copies": len(copies), "opened_as_prefix": opened, "refused": refused,
         "events_in_log": len(full), "longest_prefix": max(lengths, default=0)},
    )  # fmt: skip


def _splice(a: bytes, b: bytes, rng: random.Random) -> bytes:
    """Each page from `a` or `b` at random (length of `b`): a copy racing writes."""
    pages = []
    for i in range(0, len(b), PAGE):
        src = a if i + PAGE <= len(a) and rng.random() < 0.5 else b
        pages.append(src[i : i + PAGE])
    return b"".join(pages)


async def _grow(data: Path, rounds: int) -> list[bytes]:
    """Snapshots of the main file (checkpointed) as an exercise grows."""
    srv = ExerciseServer(load(TUTORIAL), data)
    await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.port}/"
    bot = Bot("g", url, srv.roster.codes()["RO/investigator"], random.Random(3),
              pace=(0.0, 0.0), submit_p=1.0)  # fmt: skip
    snaps = []
    try:
        await bot.start(play=False)
        for _ in range(rounds):
            for _ in range(15):
                if (move := bot.choose()) is not None:
                    await bot.do(*move)
            await srv.log._write(
                lambda: srv.log._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            )
            snaps.append((data / "events.sqlite").read_bytes())
    finally:
        await bot.close()
        await srv.stop()
    return snaps


async def test_torn_copies_are_a_prefix_or_refused(tmp_path: Path) -> None:
    snaps = await _grow(tmp_path / "data", 6)
    full = read_events(tmp_path / "data" / "events.sqlite")
    rng = random.Random(7)
    outcomes = {"prefix": 0, "refused": 0}
    for n in range(60):
        a, b = sorted(rng.sample(range(len(snaps)), 2))
        torn = tmp_path / f"torn{n}.sqlite"
        torn.write_bytes(_splice(snaps[a], snaps[b], rng))
        got = open_copy(torn, tmp_path / f"t{n}")
        outcomes["prefix" if assert_prefix_or_refused(got, full, torn.name) else "refused"] += 1
    # Truncated copies (the copy stopped early) and garbage.
    last = snaps[-1]
    for n, blob in enumerate([last[: len(last) // 2], last[:100], b"not a database" * 300]):
        bad = tmp_path / f"bad{n}.sqlite"
        bad.write_bytes(blob)
        got = open_copy(bad, tmp_path / f"b{n}")
        outcomes["prefix" if assert_prefix_or_refused(got, full, bad.name) else "refused"] += 1
    assert outcomes["refused"] > 0
    write_figures("torn_copies", outcomes)


def test_refusal_reaches_tte_serve_as_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tte.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "events.sqlite").write_bytes(b"garbage" * 1000)
    assert main(["serve", str(TUTORIAL), "--data", str(data), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "events.sqlite" in err and "Traceback" not in err
    with pytest.raises(sqlite3.DatabaseError):  # the bytes were not silently replaced
        sqlite3.connect(data / "events.sqlite").execute("SELECT 1 FROM events").fetchall()

"""Disk full while appending: the command is refused with a clear error, the server stays
up, nothing is half-written, and once space is back the server works again.

Two ways to fill the disk: SQLite's ``PRAGMA max_page_count`` (always), and a real 2 MiB
tmpfs filled by a filler file (where this process may mount one: root with CAP_SYS_ADMIN).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tte import protocol as p
from tte.client.net import Link
from tte.core.scenario import load
from tte.server import ExerciseServer
from tte.server.log import read_events

from .support import TUTORIAL, until

BIG = "x" * 15_000  # under the engine's 20 000-character field limit, needs new pages


def submission(n: int) -> dict[str, Any]:
    return {
        "template": "preservation",
        "to": "polderhost",
        "channel": "network_24_7",
        "evidence": ["c2_logs"],
        "fields": {"offence": f"disk-full probe {n} {BIG}", "data_sought": "logs"},
    }


async def online(link: Link) -> Link:
    link.start()
    await until(lambda: link.status.online, what="link online")
    return link


@contextlib.asynccontextmanager
async def exercise(data: Path) -> AsyncIterator[tuple[ExerciseServer, Link, Link]]:
    srv = ExerciseServer(load(TUTORIAL), data)
    await srv.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.port}/"
    inv = await online(Link(url, srv.roster.codes()["RO/investigator"], backoff=(0.05, 0.2)))
    fac = await online(Link(url, srv.roster.facilitator, backoff=(0.05, 0.2)))
    try:
        yield srv, inv, fac
    finally:
        await inv.close()
        await fac.close()
        await srv.stop()


def stored_ids(data: Path) -> list[str]:
    return [
        e.data["request"]["id"]
        for e in read_events(data / "events.sqlite")
        if e.kind == "request_submitted"
    ]


async def check_refused_cleanly(srv: ExerciseServer, res: p.Result, seq_before: int) -> None:
    assert not res.ok and isinstance(res.error, p.ErrorBody), res
    assert res.error.code == p.ErrorCode.UNAVAILABLE, res.error
    assert "disk" in res.error.message.lower()
    assert srv.engine.state.seq == seq_before  # the engine went back to what the log holds
    assert srv._loop_task is not None and not srv._loop_task.done()  # still serving


async def test_full_database_refuses_then_recovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with exercise(data) as (srv, inv, fac):
        assert (await inv.call("request.submit", submission(0))).ok
        log_before = read_events(data / "events.sqlite")
        seq_before = srv.engine.state.seq

        def cap(pages: int) -> None:
            srv.log._db.execute(f"PRAGMA max_page_count={pages}")

        pages = srv.log._db.execute("PRAGMA page_count").fetchone()[0]
        await srv.log._write(lambda: cap(pages))  # the writer thread owns the connection
        res = await inv.call("request.submit", submission(1))
        await check_refused_cleanly(srv, res, seq_before)
        # Other commands are refused the same way; refusals by the rules still say why.
        bad = await fac.call("clock.set_speed", {"speed": -1})
        assert not bad.ok and bad.error and bad.error.code == "bad_args"
        # Facilitator roster ops do not go through the log: in a failed turn they still
        # answer truthfully (a revoke that happened is not reported as "nothing changed").
        for n in range(5):
            sub, roster = await asyncio.gather(
                inv.call("request.submit", submission(10 + n)), fac.call("roster.get", {})
            )
            assert not sub.ok and sub.error and sub.error.code == p.ErrorCode.UNAVAILABLE
            assert roster.ok, roster.error
        assert read_events(data / "events.sqlite") == log_before  # nothing half-written
        # The server is up: a new connection is welcomed.
        obs = await online(Link(f"ws://127.0.0.1:{srv.port}/", srv.roster.observer))
        await obs.close()

        await srv.log._write(lambda: cap(1 << 30))  # space is back
        res = await inv.call("request.submit", submission(2))
        assert res.ok, res.error
        assert isinstance(res.data, dict)
        assert stored_ids(data) == ["R1", res.data["id"]]
        assert srv.engine.state.seq == read_events(data / "events.sqlite")[-1].seq


def _mount_tmpfs(where: Path, size: str) -> str | None:
    """Mount a small tmpfs at `where`; return why not if this process may not."""
    if os.geteuid() != 0:
        return "not root: cannot mount a tmpfs"
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    return None if r.returncode == 0 else f"mount refused: {r.stderr.strip()}"


def _fill(path: Path) -> None:
    """Write until the filesystem is full."""
    with path.open("wb") as f:
        chunk = b"\0" * 65536
        while True:
            try:
                f.write(chunk)
                f.flush()
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    break
                raise
        with contextlib.suppress(OSError):
            os.fsync(f.fileno())


async def test_real_full_filesystem(tmp_path: Path) -> None:
    mnt = tmp_path / "small"
    why = _mount_tmpfs(mnt, "3m")
    if why:
        pytest.skip(why)
    try:
        data = mnt / "data"
        async with exercise(data) as (srv, inv, _fac):
            filler = mnt / "filler"
            _fill(filler)
            acked: list[str] = []
            refused = None
            # The WAL may still have room for a few commands: go on until one is refused.
            for n in range(300):
                seq_before = srv.engine.state.seq
                res = await inv.call("request.submit", submission(n))
                if res.ok:
                    assert isinstance(res.data, dict)
                    acked.append(res.data["id"])
                    continue
                await check_refused_cleanly(srv, res, seq_before)
                refused = n
                break
            assert refused is not None, "the full filesystem never refused a command"
            filler.unlink()
            res = await inv.call("request.submit", submission(999))
            assert res.ok, res.error
            assert isinstance(res.data, dict)
            assert stored_ids(data) == [*acked, res.data["id"]]
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)

"""The SSH gateway's budgets: PTY size capped, sessions per client address capped.

A real ExerciseServer and gateway on 127.0.0.1; the SSH client is asyncssh; each session
runs a tiny stand-in app that reports its terminal size, so the gateway alone is judged.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tte.server import ExerciseServer

asyncssh = pytest.importorskip("asyncssh")
from tte.ssh.gateway import Gateway, start_gateway  # noqa: E402 - after the skip

STANDIN = (
    "import os, sys\n"
    "c, r = os.get_terminal_size(0)\n"
    "os.write(1, f'SIZE {{c}}x{{r}}\\r\\n'.encode())\n"  # {{}}: child_command is formatted
    "sys.stdin.buffer.read(1)\n"
)


@pytest.fixture
async def gateway(server: ExerciseServer, tmp_path: Path) -> AsyncIterator[Gateway]:
    gw = await start_gateway(
        f"ws://127.0.0.1:{server.port}/",
        "127.0.0.1",
        0,
        tmp_path / "gw",
        child_command=[sys.executable, "-c", STANDIN, "{code}"],
        zygote=False,
        max_sessions_per_address=2,
    )
    try:
        yield gw
    finally:
        await gw.stop()


async def session(gw: Gateway, code: str, size: tuple[int, int]) -> tuple[Any, Any, str]:
    conn = await asyncssh.connect(
        "127.0.0.1", gw.port, username=code, known_hosts=None, password="x",
        client_keys=None, preferred_auth="none,password,keyboard-interactive",
    )  # fmt: skip
    proc = await conn.create_process(term_type="xterm", term_size=size)
    out = ""
    deadline = time.monotonic() + 20
    while "SIZE" not in out and "Too many" not in out and time.monotonic() < deadline:
        try:
            out += await asyncio.wait_for(proc.stdout.read(200), deadline - time.monotonic())
        except TimeoutError:
            break
        if proc.stdout.at_eof():
            break
    return conn, proc, out


async def test_a_huge_pty_is_capped_and_a_fourth_session_from_one_address_refused(
    server: ExerciseServer, gateway: Gateway
) -> None:
    code = server.roster.codes()["RO/poc"]
    conns = []
    try:
        conn, _proc, out = await session(gateway, code, (10000, 5000))
        conns.append(conn)
        assert "SIZE 500x200" in out, out
        conn, _proc, out = await session(gateway, code, (80, 24))
        conns.append(conn)
        assert "SIZE 80x24" in out, out
        conn, _proc, out = await session(gateway, code, (80, 24))
        conns.append(conn)
        assert "Too many sessions from your address" in out, out
    finally:
        for c in conns:
            c.close()

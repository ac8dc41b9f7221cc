"""kill -9 in the middle of a stream of commands: every ok:true result survives."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from pathlib import Path

from sample_requests import PRESERVATION
from websockets.exceptions import ConnectionClosed
from wsclient import ROOT, TUTORIAL, Client

from tte import protocol as p
from tte.server.log import read_events

CLIENTS = 4


async def start_server(data: Path) -> tuple[asyncio.subprocess.Process, int]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tte.server", str(TUTORIAL), "--data", str(data),
        "--host", "127.0.0.1", "--port", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout is not None
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        assert line, "the server exited before listening"
        m = re.search(r"listening on .*:(\d+)", line)
        if m:
            return proc, int(m.group(1))


async def stream(url: str, code: str, acked: list[str], stop: asyncio.Event) -> None:
    """Pipeline request.submit commands and record the request id of every ok result."""
    c = await Client.open(url)
    await c.hello(code)
    sent = 0
    try:
        while not stop.is_set():
            for _ in range(20):
                await c.send_cmd("request.submit", PRESERVATION)
                sent += 1
            await c.until(lambda n=sent: len(c.results) >= n - 10)  # type: ignore[misc]
            acked[:] = ok_ids(c)
    except (ConnectionClosed, OSError, TimeoutError):
        pass
    acked[:] = ok_ids(c)  # results read before the connection broke count too


def ok_ids(c: Client) -> list[str]:
    return [r.data["id"] for r in c.results.values() if r.ok and isinstance(r.data, dict)]


async def test_kill_9_loses_no_acknowledged_command(tmp_path: Path) -> None:
    data = tmp_path / "ex"
    proc, port = await start_server(data)
    url = f"ws://127.0.0.1:{port}/"
    roster = json.loads((data / "roster.json").read_text())
    codes = [s["code"] for s in roster["seats"] if s["role"] == "investigator"]
    codes = (codes * CLIENTS)[:CLIENTS]
    acked: list[list[str]] = [[] for _ in range(CLIENTS)]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(stream(url, codes[i], acked[i], stop)) for i in range(CLIENTS)]

    # Kill once a good number of commands are acknowledged, with more in flight.
    async def enough() -> None:
        # (one investigator seat: its budget of 50 open requests bounds the oks)
        while sum(len(a) for a in acked) < 40:
            await asyncio.sleep(0.01)  # polling the test's own counter

    await asyncio.wait_for(enough(), 30)
    os.kill(proc.pid, signal.SIGKILL)
    await proc.wait()
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 30)

    ids = {rid for a in acked for rid in a}
    assert len(ids) >= 40
    stored = {
        e.data["request"]["id"] for e in read_events(data / "events.sqlite")
        if e.kind == "request_submitted"
    }  # fmt: skip
    assert ids <= stored

    # The restarted server resumes the same exercise with the same codes and events.
    proc, port = await start_server(data)
    try:
        assert json.loads((data / "roster.json").read_text())["seats"] == roster["seats"]
        obs = await Client.open(f"ws://127.0.0.1:{port}/")
        w = await obs.hello(roster["observer"])
        assert isinstance(w, p.Welcome)
        await obs.until(lambda: len(obs.events) >= w.seq - 1 and obs.seq >= w.seq, 30)  # type: ignore[union-attr]
        seen = {e.data["request"]["id"] for e in obs.events if e.kind == "request_submitted"}
        assert ids <= seen

        # Nobody is connected after the crash: desks take the investigators' seats back.
        def handed_back() -> bool:
            last = {e.data["seat"]: e.data["human"] for e in obs.events if e.kind == "presence"}
            return last.get("RO/investigator") is False

        await obs.until(handed_back, 30)
        await obs.close()
    finally:
        proc.terminate()
        await proc.wait()

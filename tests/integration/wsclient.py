"""Test helpers: a recording WebSocket client and shared data for the integration tests."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tte import protocol as p
from tte.core.events import Event
from tte.core.scenario import Scenario
from tte.joincode import WrongCodeLimiter
from tte.server import ExerciseServer, Settings
from tte.server.log import read_events

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
TIMEOUT = 10.0


class Client:
    """A test client that records every frame it gets, by type."""

    _ids = itertools.count(1)

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.welcome: p.Welcome | None = None
        self.events: list[p.EventMsg] = []
        self.clocks: list[p.ClockMsg] = []
        self.errors: list[p.Error] = []
        self.results: dict[str, p.Result] = {}

    @classmethod
    async def open(cls, url: str, **kw: Any) -> Client:
        ws = await connect(url, compression=None, max_size=None, open_timeout=TIMEOUT, **kw)
        return cls(ws)

    @property
    def seq(self) -> int:
        return self.events[-1].seq if self.events else (self.welcome.seq if self.welcome else 0)

    async def hello(self, code: str, last_seq: int = 0, v: int = p.VERSION) -> p.Message:
        await self.send(p.Hello(v=v, code=code, last_seq=last_seq, client="tests/1"))
        return await self.recv()

    async def send(self, msg: p.Message) -> None:
        await self.ws.send(p.encode(msg))

    async def send_raw(self, data: bytes | str) -> None:
        await self.ws.send(data)

    async def recv(self, timeout: float = TIMEOUT) -> p.Message:
        frame = await asyncio.wait_for(self.ws.recv(), timeout)
        assert isinstance(frame, bytes), "the server only sends binary frames"
        msg = p.decode_server(frame)
        if isinstance(msg, p.Welcome):
            self.welcome = msg
        elif isinstance(msg, p.EventMsg):
            assert not self.events or msg.seq > self.events[-1].seq, "seq must increase"
            self.events.append(msg)
        elif isinstance(msg, p.ClockMsg):
            self.clocks.append(msg)
        elif isinstance(msg, p.Error):
            self.errors.append(msg)
        elif isinstance(msg, p.Result):
            assert msg.id not in self.results, "exactly one result per cmd"
            self.results[msg.id] = msg
        return msg

    async def until(self, pred: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("condition not met")
            await self.recv(left)

    async def send_cmd(self, op: str, args: dict[str, Any] | None = None) -> str:
        """Send a cmd without waiting for its result; returns its id."""
        cid = f"c{next(self._ids)}"
        await self.send(p.Cmd(id=cid, op=op, args=args or {}))
        return cid

    async def cmd(self, op: str, args: dict[str, Any] | None = None) -> p.Result:
        cid = f"c{next(self._ids)}"
        await self.send(p.Cmd(id=cid, op=op, args=args or {}))
        await self.until(lambda: cid in self.results)
        return self.results[cid]

    async def ok(self, op: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        res = await self.cmd(op, args)
        assert res.ok, res.error
        assert isinstance(res.data, dict)
        return res.data

    async def closed(self, timeout: float = TIMEOUT) -> int | None:
        """Read until the server closes; return the close code."""
        try:
            while True:
                await self.recv(timeout)
        except ConnectionClosed as e:
            return e.rcvd.code if e.rcvd else None

    async def close(self) -> None:
        await self.ws.close()


def make_server(scenario: Scenario, data: Path, **settings: Any) -> ExerciseServer:
    return ExerciseServer(
        scenario,
        data,
        settings=Settings(**settings),
        limiter=WrongCodeLimiter(burst=3, rate=4.0, max_waiting=4),
    )


def server_events(server: ExerciseServer) -> list[Event]:
    """The committed events, read from the server's own log file."""
    return read_events(server.log.path)


def seqs(events: list[p.EventMsg]) -> list[int]:
    return [e.seq for e in events]


def packb(obj: Any) -> bytes:
    return msgspec.msgpack.encode(obj)


# What the `join` fixture returns: join(seat, last_seq=0, catch_up=True) -> Client.
Join = Callable[..., Awaitable[Client]]

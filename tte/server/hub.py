"""Connections and fan-out: who is connected as which seat, and delivery to them.

Each connection has a bounded send queue drained by its own sender task, so fan-out only
appends already-encoded frames and never waits on a client. A connection whose queue is
full is too far behind: it is dropped (close 4008) and catches up by reconnecting with
``last_seq``, which is cheaper for everyone than buffering without bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from collections.abc import Awaitable, Callable, Iterable

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import OPEN

from tte.core.events import STAFF, Event
from tte.protocol import Close

log = logging.getLogger("tte.server.hub")

Backlog = Callable[["Connection"], Awaitable[None]]


class Connection:
    """One authenticated WebSocket. Its seat is fixed at hello: the sender of every
    command it sends."""

    def __init__(
        self, ws: ServerConnection, seat: str, code: str, queue_max: int, inflight_max: int
    ) -> None:
        self.ws = ws
        self.seat = seat
        self.code = code  # normalised join code it used (to close it if revoked)
        self.client = ""  # the program named in hello ("tte-play/0.1 ssh", ...)
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(queue_max)
        self.inflight = asyncio.Semaphore(inflight_max)  # commands sent but not answered
        self.sender: asyncio.Task[None] | None = None
        self.idle = False  # the sender is parked on an empty queue: direct writes are safe
        self.alive = True
        addr = ws.remote_address
        self.peer = f"{addr[0]}:{addr[1]}" if addr else "?"

    def __repr__(self) -> str:
        return f"<Connection {self.seat} {self.peer}>"


class Hub:
    def __init__(self, on_first: Callable[[str], None], on_last: Callable[[str], None]) -> None:
        self.by_seat: dict[str, set[Connection]] = {}
        self.published_seq = 0  # highest seq handed to fan-out (always committed)
        self.dropped = 0  # connections dropped for being too far behind
        self.total = 0  # connections registered, every seat together
        self._closing: set[asyncio.Task[None]] = set()  # keeps close tasks referenced
        self._on_first = on_first  # a seat got its first connection
        self._on_last = on_last  # a seat lost its last connection

    # ---- membership ---------------------------------------------------------------------

    def add(self, conn: Connection, welcome: bytes, backlog: Backlog) -> None:
        """Register `conn` and start its sender: welcome, then the backlog, then live frames.

        Synchronous on purpose: between reading `published_seq` for the welcome and
        joining the fan-out nothing else runs, so the backlog and the live queue meet
        without gap or overlap.
        """
        conns = self.by_seat.setdefault(conn.seat, set())
        conns.add(conn)
        self.total += 1
        conn.sender = asyncio.create_task(self._send_loop(conn, welcome, backlog))
        if len(conns) == 1:
            self._on_first(conn.seat)

    def remove(self, conn: Connection) -> None:
        if not conn.alive:
            return
        conn.alive = False
        self.total -= 1
        if conn.sender is not None and conn.sender is not asyncio.current_task():
            conn.sender.cancel()
        conns = self.by_seat.get(conn.seat)
        if conns is not None and conn in conns:
            conns.discard(conn)
            if not conns:
                del self.by_seat[conn.seat]
                self._on_last(conn.seat)

    def connections(self) -> Iterable[Connection]:
        for conns in self.by_seat.values():
            yield from conns

    def count(self, seat: str) -> int:
        return len(self.by_seat.get(seat, ()))

    # ---- delivery -----------------------------------------------------------------------

    def send(self, conn: Connection, frame: bytes) -> None:
        if not conn.alive:
            return
        if _direct(conn):
            _write(conn, wire_frame(frame))
        else:
            self._enqueue(conn, frame)

    def _enqueue(self, conn: Connection, frame: bytes) -> None:
        try:
            conn.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.drop(conn)

    def publish(self, events: list[tuple[Event, bytes]]) -> None:
        """Deliver encoded events in seq order to every connection whose seat sees them.

        Visibility is decided once per seat, and each frame was encoded once, down to
        its WebSocket header (see `wire_frame`). A connection with nothing queued, its
        sender parked and its write buffer small gets those bytes written at once (the
        fast path: no task wake-up and no framing per recipient); any other connection
        gets the frame appended to its queue, behind what is already there, so the order
        holds either way.
        """
        by_seat = self.by_seat
        for event, frame in events:
            if "*" in event.visible:
                seats: Iterable[str] = list(by_seat)
            else:  # the seats it names, and staff: they see it, no test per seat needed
                seats = dict.fromkeys((*STAFF, *event.visible))
            wire = b""
            for seat in seats:
                conns = by_seat.get(seat)
                if not conns:
                    continue
                for conn in list(conns):
                    if not conn.alive:
                        continue
                    if _direct(conn):
                        wire = wire or wire_frame(frame)
                        _write(conn, wire)
                    else:
                        self._enqueue(conn, frame)
            self.published_seq = event.seq

    def broadcast(self, frame: bytes) -> None:
        wire = wire_frame(frame)
        for conn in list(self.connections()):
            if not conn.alive:
                continue
            if _direct(conn):
                _write(conn, wire)
            else:
                self._enqueue(conn, frame)

    def drop(
        self, conn: Connection, code: int = Close.TOO_SLOW, reason: str = "", last: bytes = b""
    ) -> None:
        """Disconnect `conn` now (after the frame `last`, if given); it may reconnect."""
        if not conn.alive:
            return
        if code == Close.TOO_SLOW:
            self.dropped += 1
            reason = reason or "too far behind: reconnect with last_seq"
            log.warning("dropping %r: send queue full (%d frames)", conn, conn.queue.qsize())
        self.remove(conn)
        # close() waits for the peer's close frame; a stalled peer never sends it, and
        # websockets aborts the TCP connection after close_timeout.
        task = asyncio.create_task(_close_quietly(conn.ws, code, reason, last))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _send_loop(self, conn: Connection, welcome: bytes, backlog: Backlog) -> None:
        try:
            await conn.ws.send(welcome)
            del welcome  # tens of kB per connection if kept in this frame
            await backlog(conn)
            queue = conn.queue
            while True:
                if queue.empty():
                    conn.idle = True
                    frame = await queue.get()
                    conn.idle = False
                else:
                    frame = queue.get_nowait()
                await conn.ws.send(frame)
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("sender of %r failed", conn)
            self.drop(conn, Close.GOING_AWAY, "server error")
        finally:
            conn.idle = False  # no sender any more: nothing may bypass the queue


WRITE_LIMIT = 32 * 1024  # websockets' default high-water mark for its write buffer


def wire_frame(payload: bytes) -> bytes:
    """`payload` as the one WebSocket frame websockets itself would write for it: a final
    binary frame, unmasked (server side), no extension (tte turns compression off). Built
    once per event, it is the same bytes for every recipient."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x82, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x82, 126, n)
    else:
        head = struct.pack("!BBQ", 0x82, 127, n)
    return head + payload


def _direct(conn: Connection) -> bool:
    """May a frame go straight to `conn`'s socket? Only when nothing can be ahead of it
    (sender parked on an empty queue, websockets not mid-way through a fragmented
    message, no unflushed protocol output) and the kernel is taking what it is given."""
    ws = conn.ws
    transport = ws.transport
    return (
        conn.idle
        and conn.queue.empty()
        and ws.protocol.state is OPEN
        and ws.send_in_progress is None
        and not ws.protocol.writes
        and not ws.protocol.extensions
        and transport is not None
        and transport.get_write_buffer_size() < WRITE_LIMIT
    )


def _write(conn: Connection, wire: bytes) -> None:
    """Write a whole frame to the transport, as ``websockets.broadcast`` does after
    framing it: a transport that fails is the connection's own problem (websockets sees
    the loss and closes it), never the fan-out's."""
    try:
        conn.ws.transport.write(wire)
    except Exception as e:
        log.warning("skipped a frame for %r: %s", conn, e)


async def _close_quietly(ws: ServerConnection, code: int, reason: str, last: bytes) -> None:
    with contextlib.suppress(Exception):
        if last:
            await asyncio.wait_for(ws.send(last), 2.0)
    with contextlib.suppress(Exception):
        await ws.close(code, reason)

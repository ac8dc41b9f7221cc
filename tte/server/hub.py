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
from collections.abc import Awaitable, Callable, Iterable

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

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
        conn.sender = asyncio.create_task(self._send_loop(conn, welcome, backlog))
        if len(conns) == 1:
            self._on_first(conn.seat)

    def remove(self, conn: Connection) -> None:
        if not conn.alive:
            return
        conn.alive = False
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
        if conn.idle and conn.queue.empty() and _writable(conn.ws):
            broadcast((conn.ws,), frame)
        else:
            self._enqueue(conn, frame)

    def _enqueue(self, conn: Connection, frame: bytes) -> None:
        try:
            conn.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.drop(conn)

    def publish(self, events: list[tuple[Event, bytes]]) -> None:
        """Deliver encoded events in seq order to every connection whose seat sees them.

        Visibility is decided once per seat, and each frame was encoded once. A connection
        with nothing queued, its sender parked and its write buffer small gets the frame
        written at once, all such connections in one ``websockets.broadcast`` call (the
        fast path: no task wake-up per recipient); any other connection gets it appended
        to its queue, behind what is already there, so the order holds either way.
        """
        by_seat = self.by_seat
        for event, frame in events:
            direct: list[ServerConnection] = []
            if "*" in event.visible:
                seats: Iterable[str] = list(by_seat)
            else:  # only the seats it names, and staff: not a test of every seat
                seats = [s for s in dict.fromkeys((*STAFF, *event.visible)) if s in by_seat]
            for seat in seats:
                conns = by_seat.get(seat)
                if conns and event.visible_to(seat):
                    for conn in list(conns):
                        if not conn.alive:
                            continue
                        if conn.idle and conn.queue.empty() and _writable(conn.ws):
                            direct.append(conn.ws)
                        else:
                            self._enqueue(conn, frame)
            if direct:
                broadcast(direct, frame)
            self.published_seq = event.seq

    def broadcast(self, frame: bytes) -> None:
        direct: list[ServerConnection] = []
        for conn in list(self.connections()):
            if conn.alive and conn.idle and conn.queue.empty() and _writable(conn.ws):
                direct.append(conn.ws)
            else:
                self.send(conn, frame)
        if direct:
            broadcast(direct, frame)

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


def _writable(ws: ServerConnection) -> bool:
    transport = ws.transport
    return transport is not None and transport.get_write_buffer_size() < WRITE_LIMIT


async def _close_quietly(ws: ServerConnection, code: int, reason: str, last: bytes) -> None:
    with contextlib.suppress(Exception):
        if last:
            await asyncio.wait_for(ws.send(last), 2.0)
    with contextlib.suppress(Exception):
        await ws.close(code, reason)

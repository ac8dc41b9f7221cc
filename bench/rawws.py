"""A minimal, synchronous WebSocket client for load generation.

Thousands of these run in one process on one ``selectors`` loop, with no asyncio and no
per-connection task, so the load generator stays cheap. Each socket has ``SO_TIMESTAMPNS``
on: every ``recvmsg`` also returns the kernel's receive time of the data (CLOCK_REALTIME,
set when the server's ``send`` put it on the loopback), so latencies are measured from the
moment the server wrote a frame, not from the moment this busy process got round to
reading it. The load generator's own speed therefore does not inflate the figures.

Client frames are masked with the all-zero key (valid RFC 6455; the payload is unchanged).
Pings are answered. Nothing else of the protocol is needed here.
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import struct
import time
from collections.abc import Iterable

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS == same
_CMSG = socket.CMSG_SPACE(16)
_TS = struct.Struct("qq")

OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 1, 2, 8, 9, 10


class HandshakeError(Exception):
    pass


def frame(payload: bytes, opcode: int = OP_BINARY) -> bytes:
    """A masked client frame (mask key 0000, so the payload goes as it is)."""
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + b"\0\0\0\0" + payload


class RawClient:
    """One WebSocket connection. ``feed()`` reads what is there and returns the complete
    binary frames with the kernel receive time (ns, CLOCK_REALTIME) of that read."""

    __slots__ = ("buf", "closed", "frames_in", "host", "port", "sock", "tag")

    def __init__(self, host: str, port: int, tag: int = 0, rcvbuf: int | None = None) -> None:
        self.host, self.port, self.tag = host, port, tag
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:  # before connect, so the window is small from the start
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.closed = False
        self.frames_in = 0

    # ---- opening --------------------------------------------------------------------

    def start_handshake(self) -> None:
        """Connect (blocking, it is loopback) and send the HTTP upgrade request."""
        self.sock.settimeout(10.0)
        self.sock.connect((self.host, self.port))
        key = base64.b64encode(os.urandom(16)).decode()
        req = (
            f"GET / HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\nUser-Agent: tte-bench\r\n\r\n"
        )
        self.sock.sendall(req.encode())

    def finish_handshake(self) -> None:
        """Read the 101 response (blocking); leftover bytes stay in the buffer."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise HandshakeError("closed during the handshake")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise HandshakeError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.buf = rest
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)

    def send(self, payload: bytes) -> int:
        """Send one binary frame (blocking); returns time.time_ns() just before the write."""
        data = frame(payload)
        t = time.time_ns()
        self.sock.sendall(data)
        return t

    def set_blocking(self, blocking: bool) -> None:
        self.sock.setblocking(blocking)
        if blocking:
            self.sock.settimeout(10.0)

    # ---- reading --------------------------------------------------------------------

    def feed(self, bufsize: int = 262144) -> tuple[int, list[bytes]]:
        """One recvmsg: (kernel receive time ns, complete binary payloads). Non-blocking
        sockets may return (0, []) when nothing is there."""
        try:
            data, anc, _flags, _addr = self.sock.recvmsg(bufsize, _CMSG)
        except (BlockingIOError, InterruptedError):
            return 0, []
        except OSError:
            self.closed = True
            return 0, []
        if not data:
            self.closed = True
            return 0, []
        ts = 0
        for _level, _type, cdata in anc:
            if len(cdata) >= 16:
                sec, ns = _TS.unpack_from(cdata)
                ts = sec * 1_000_000_000 + ns
        if not ts:
            ts = time.time_ns()
        return ts, self._parse(data)

    def _parse(self, data: bytes) -> list[bytes]:
        buf = self.buf + data if self.buf else data
        out: list[bytes] = []
        pos, end = 0, len(buf)
        while end - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n = b1 & 0x7F
            hdr = 2
            if n == 126:
                if end - pos < 4:
                    break
                n = struct.unpack_from("!H", buf, pos + 2)[0]
                hdr = 4
            elif n == 127:
                if end - pos < 10:
                    break
                n = struct.unpack_from("!Q", buf, pos + 2)[0]
                hdr = 10
            if end - pos < hdr + n:
                break
            payload = buf[pos + hdr : pos + hdr + n]
            pos += hdr + n
            op = b0 & 0x0F
            if op in (OP_BINARY, OP_TEXT):
                out.append(payload)
            elif op == OP_PING:
                try:
                    self.sock.sendall(frame(payload, OP_PONG))
                except OSError:
                    self.closed = True
            elif op == OP_CLOSE:
                self.closed = True
        self.buf = buf[pos:] if pos < end else b""
        self.frames_in += len(out)
        return out

    def recv_blocking(self, timeout: float = 10.0) -> list[bytes]:
        """Wait (blocking socket) for at least one complete frame."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no frame")
            self.sock.settimeout(left)
            try:
                _ts, frames = self.feed()
            except TimeoutError:
                raise TimeoutError("no frame") from None
            if frames:
                return frames
            if self.closed:
                raise ConnectionError("closed by the server")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        self.closed = True


def open_many(
    host: str,
    port: int,
    hellos: list[bytes],
    batch: int = 16,
    rcvbuf: dict[int, int] | None = None,
) -> list[RawClient]:
    """Open len(hellos) connections, pipelined `batch` at a time; send each its hello and
    wait for its first frame (the welcome). Returns them non-blocking. A batch stays within
    the server's budget of connections per address that have not said hello yet
    (`Budgets.unauth_per_address`, 16): past it the server refuses them, as it must."""
    clients: list[RawClient] = []
    for start in range(0, len(hellos), batch):
        group = [
            RawClient(host, port, i, (rcvbuf or {}).get(i))
            for i in range(start, min(start + batch, len(hellos)))
        ]
        for c in group:
            c.start_handshake()
        for c in group:
            c.finish_handshake()
            c.send(hellos[c.tag])
        for c in group:
            if not c.buf or not c._parse(b""):
                c.recv_blocking()
            c.set_blocking(False)
        clients.extend(group)
    return clients


def close_all(clients: Iterable[RawClient]) -> None:
    for c in clients:
        c.close()

"""The reconnecting link to an exercise server: UI-free, shared by every client.

One :class:`Link` is one seat's connection. It says hello with the join code and the last
event sequence number it saw, hands every server frame to its consumer in order, sends
commands and resolves their results by id, and after a drop reconnects with backoff and
``last_seq`` so the server replays exactly what was missed.

Usage::

    link = Link("ws://127.0.0.1:8765/", "K7QX-3MPD-9W")
    async with link:                       # starts the connection task
        async for item in link:            # Welcome | EventMsg | ClockMsg | Error | LinkStatus
            ...
        result = await link.call("request.submit", {...})   # always a protocol.Result

The stream carries :class:`LinkStatus` items whenever the state changes (connecting,
online, reconnecting, failed), so a UI shows "reconnecting" from the same loop that reads
events. After a reconnect a fresh ``Welcome`` arrives, followed by the missed events only.
``call`` never raises for server or transport trouble: a failure is a ``Result`` with
``ok=False`` and an error code; the client-side codes are :data:`OFFLINE`,
:data:`DISCONNECTED` and :data:`TIMEOUT`.

A wrong or revoked join code (close 4001, error ``unauthorized``/``rate_limited``) and an
unsupported protocol version (4002) are final: the link goes to ``failed`` and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from tte import protocol as p
from tte.i18n import add_scenario_texts, current

log = logging.getLogger("tte.client.net")

OFFLINE = "offline"  # call() while not online: nothing was sent
DISCONNECTED = "disconnected"  # the link dropped before the result came: outcome unknown
TIMEOUT = "timeout"  # no result in time: outcome unknown

# Close codes and error codes after which retrying cannot help.
_FINAL_CLOSES = {int(p.Close.UNAUTHORIZED), int(p.Close.UNSUPPORTED_VERSION)}
_FINAL_ERRORS = {p.ErrorCode.UNAUTHORIZED, p.ErrorCode.UNSUPPORTED_VERSION}


class ConnState(StrEnum):
    CONNECTING = "connecting"  # first attempt, never welcomed yet
    ONLINE = "online"
    RECONNECTING = "reconnecting"  # was online (or retrying the first connect); will retry
    FAILED = "failed"  # final: see LinkStatus.reason
    CLOSED = "closed"  # closed by our side


@dataclass(frozen=True)
class LinkStatus:
    state: ConnState
    reason: str = ""  # why we are not online (last error), human-readable
    attempt: int = 0  # consecutive failed attempts so far
    retry_in: float | None = None  # seconds until the next attempt, when reconnecting

    @property
    def online(self) -> bool:
        return self.state is ConnState.ONLINE


Incoming = p.Welcome | p.EventMsg | p.ClockMsg | p.Error | LinkStatus


class _Resync(Exception):
    """The server is behind what we saw (restored backup): reconnect from seq 0."""


class _Final(Exception):
    """A reason to stop retrying."""


def normalise_url(url: str) -> str:
    """Accept ``host``, ``host:port`` or a full ws(s):// URL."""
    url = url.strip()
    if "://" not in url:
        url = "ws://" + url
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if ":" not in host.rsplit("]", 1)[-1]:
        rest = rest.replace(host, f"{host}:{p.DEFAULT_PORT}", 1)
    if "/" not in rest:
        rest += "/"
    return f"{scheme}://{rest}"


class Link:
    """A seat's reconnecting connection. See the module docstring."""

    def __init__(
        self,
        url: str,
        code: str,
        *,
        client: str = "tte",
        last_seq: int = 0,
        backoff: tuple[float, float] = (0.25, 8.0),
        initial_attempts: int | None = 3,
        call_timeout: float = 30.0,
        open_timeout: float = 10.0,
        join_timeout: float | None = 15.0,
        on_status: Callable[[LinkStatus], None] | None = None,
    ) -> None:
        """``initial_attempts``: failed attempts before giving up when the link was never
        online (a mistyped address should fail, not spin); None retries for ever. Once
        welcomed, the link retries for ever until closed or refused for good.
        ``open_timeout``: seconds for the TCP, TLS and WebSocket handshakes;
        ``join_timeout``: seconds from sending the first hello to its answer (a server
        that accepts and then says nothing must not leave the join hanging)."""
        self.url = normalise_url(url)
        self.code = code
        self.client = client
        self.last_seq = last_seq
        self.backoff = backoff
        self.initial_attempts = initial_attempts
        self.call_timeout = call_timeout
        self.open_timeout = open_timeout
        self.join_timeout = join_timeout
        self.on_status = on_status
        self.status = LinkStatus(ConnState.CONNECTING)
        self.welcome: p.Welcome | None = None  # the latest welcome
        self._held: tuple[p.Welcome, int] | None = None  # a welcome awaiting its texts frames
        self._ws: ClientConnection | None = None
        self._queue: asyncio.Queue[Incoming | None] = asyncio.Queue()
        self._pending: dict[str, asyncio.Future[p.Result]] = {}
        self._ids = itertools.count(1)
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._kick = asyncio.Event()  # cuts a backoff wait short (reconnect_now)

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="tte-link")

    async def close(self) -> None:
        """Close for good; the message stream ends."""
        self._closing = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        self._fail_pending(DISCONNECTED, "the connection was closed")
        if self.status.state is not ConnState.FAILED:
            self._set_status(LinkStatus(ConnState.CLOSED))
        self._queue.put_nowait(None)

    async def __aenter__(self) -> Link:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def reconnect_now(self) -> None:
        """Skip the current backoff wait (a 'retry now' button)."""
        self._kick.set()

    async def drop(self) -> None:
        """Close the socket as if the network failed (tests, 'reconnect' action)."""
        if self._ws is not None:
            await self._ws.close()

    # ---- consuming ----------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[Incoming]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Incoming]:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            yield item

    # ---- commands -----------------------------------------------------------------------

    async def call(
        self, op: str, args: dict[str, Any] | None = None, timeout: float | None = None
    ) -> p.Result:
        """Send a command and wait for its result. Never raises for server or network
        trouble: see the module docstring for the client-side error codes."""
        ws = self._ws
        if ws is None or not self.status.online:
            return p.error_result("", OFFLINE, "Not connected to the server: try again shortly")
        cid = f"c{next(self._ids)}"
        fut: asyncio.Future[p.Result] = asyncio.get_running_loop().create_future()
        self._pending[cid] = fut
        try:
            await ws.send(p.encode(p.Cmd(id=cid, op=op, args=args or {})))
            return await asyncio.wait_for(fut, timeout or self.call_timeout)
        except ConnectionClosed:
            return p.error_result(cid, DISCONNECTED, "The connection dropped: check and retry")
        except TimeoutError:
            return p.error_result(cid, TIMEOUT, "The server did not answer in time")
        finally:
            self._pending.pop(cid, None)

    # ---- the connection task ------------------------------------------------------------

    def _set_status(self, status: LinkStatus) -> None:
        if status == self.status:
            return
        self.status = status
        self._queue.put_nowait(status)
        if self.on_status is not None:
            self.on_status(status)

    def _fail_pending(self, code: str, message: str) -> None:
        for cid, fut in list(self._pending.items()):
            if not fut.done():
                fut.set_result(p.error_result(cid, code, message))
        self._pending.clear()

    async def _run(self) -> None:
        attempt = 0
        ever_online = False
        while not self._closing:
            try:
                await self._session()
                reason = "the server closed the connection"
            except _Resync:
                continue  # reconnect at once with last_seq 0
            except _Final as e:
                self._set_status(LinkStatus(ConnState.FAILED, str(e), attempt))
                self._queue.put_nowait(None)
                return
            except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError) as e:
                reason = _describe(e)
            except InvalidURI as e:
                self._set_status(LinkStatus(ConnState.FAILED, f"bad server address: {e}"))
                self._queue.put_nowait(None)
                return
            finally:
                self._ws = None
                self._fail_pending(DISCONNECTED, "The connection dropped: check and retry")
            if self._closing:
                return
            if self.welcome is not None:
                if not ever_online:
                    ever_online = True
                if self.status.state is ConnState.ONLINE:
                    attempt = 0  # a session that got online resets the backoff
            attempt += 1
            if (
                not ever_online
                and self.initial_attempts is not None
                and attempt >= self.initial_attempts
            ):
                self._set_status(LinkStatus(ConnState.FAILED, reason, attempt))
                self._queue.put_nowait(None)
                return
            delay = min(self.backoff[1], self.backoff[0] * 2 ** (attempt - 1))
            delay *= random.uniform(0.8, 1.2)  # a classroom must not reconnect in lockstep
            state = ConnState.RECONNECTING if ever_online else ConnState.CONNECTING
            self._set_status(LinkStatus(state, reason, attempt, round(delay, 2)))
            self._kick.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), delay)

    async def _session(self) -> None:
        """One connection: hello, welcome, then frames until it closes."""
        async with connect(
            self.url,
            max_size=p.MAX_FRAME,
            compression=None,
            open_timeout=self.open_timeout,
            proxy=None,
            user_agent_header=self.client,
        ) as ws:
            self._ws = ws
            hello = p.Hello(
                v=p.VERSION,
                code=self.code,
                last_seq=self.last_seq,
                client=self.client,
                **gateway_fields(),
            )
            self._held = None  # a welcome half-received on a dropped connection
            await ws.send(p.encode(hello))
            # Never welcomed yet: the hello's answer must come within join_timeout.
            wait = self.join_timeout if self.welcome is None else None
            try:
                async with asyncio.timeout(wait) as deadline:
                    async for frame in ws:
                        if isinstance(frame, str):
                            continue
                        try:
                            msg = p.decode_server(frame)
                        except p.FrameError as e:
                            log.warning("unusable frame from the server: %s", e.message)
                            continue
                        if wait is not None:
                            deadline.reschedule(None)  # it answers
                            wait = None
                        self._dispatch(msg)
            except ConnectionClosed:
                pass
            except TimeoutError:
                raise _NoAnswer(
                    f"the server did not answer within {self.join_timeout:g} s"
                ) from None
            code = ws.close_code
            if code in _FINAL_CLOSES:
                raise _Final(ws.close_reason or f"refused by the server ({code})")

    def _dispatch(self, msg: p.ServerMessage) -> None:
        if isinstance(msg, p.Result):
            fut = self._pending.get(msg.id)
            if fut is not None and not fut.done():
                fut.set_result(msg)
            return
        if isinstance(msg, p.TextsMsg | p.WelcomePart):
            self._part(msg)
            return
        if isinstance(msg, p.Welcome) and isinstance(msg.parts, int) and msg.parts:
            # The rest of it follows at once (parts of a big exercise, texts in other
            # languages): the app gets the welcome whole.
            self._held = (msg, msg.parts)
            return
        if isinstance(msg, p.Welcome):
            self._welcomed(msg)
            return
        if isinstance(msg, p.EventMsg):
            if msg.seq <= self.last_seq:
                return  # already seen (defensive: the server sends only seq > last_seq)
            self.last_seq = msg.seq
        elif isinstance(msg, p.Error) and msg.code in _FINAL_ERRORS:
            # The close frame follows; remember why so the failure says it.
            self._queue.put_nowait(msg)
            said: dict[str, object] = {"message": msg.message, "message_key": msg.message_key}
            said["message_params"] = msg.message_params
            raise _Final(current().message(said))  # in the reader's language
        self._queue.put_nowait(msg)

    def _part(self, msg: p.TextsMsg | p.WelcomePart) -> None:
        """Fold a frame that completes the welcome before it."""
        if self._held is None:
            log.warning("%s frame without a welcome before it: ignored", type(msg).__name__)
            return
        welcome, left = self._held
        if isinstance(msg, p.TextsMsg):
            add_scenario_texts(welcome.exercise, msg.texts)
        else:
            p.merge_welcome_part(welcome.exercise, msg.exercise)
        if left > 1:
            self._held = (welcome, left - 1)
        else:
            self._held = None
            self._welcomed(welcome)

    def _welcomed(self, msg: p.Welcome) -> None:
        self.welcome = msg
        self._queue.put_nowait(msg)
        if msg.seq < self.last_seq:
            # The server's log ends before what we saw: the exercise was restored from
            # an older backup. Start over from the beginning (the model resets on this
            # welcome) rather than skip the new events that reuse numbers we know.
            log.warning("server is at seq %d, behind our %d: resyncing", msg.seq, self.last_seq)
            self.last_seq = 0
            raise _Resync
        self._set_status(LinkStatus(ConnState.ONLINE))


class _NoAnswer(TimeoutError):
    """Connected, but the hello got no answer in time."""


def _describe(e: BaseException) -> str:
    if isinstance(e, _NoAnswer):
        return str(e)
    if isinstance(e, socket.gaierror):  # "[Errno -2] Name or service not known"
        return "no server of that name (check the address)"
    if isinstance(e, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(e, ConnectionClosed):
        return "the connection dropped"
    if isinstance(e, TimeoutError):
        return "no answer in time (is the address right? is the server running?)"
    return str(e) or type(e).__name__


def gateway_fields() -> dict[str, str]:
    """Under the SSH gateway, the hello names the SSH client's address with the gateway's
    key (both set by the gateway in the app's environment), so the server's wrong-code
    limiter charges that client and not every SSH player together."""
    key = os.environ.get("TTE_GATEWAY_KEY", "")
    addr = os.environ.get("TTE_FORWARDED_FOR", "")
    return {"forwarded_for": addr[:64], "gateway_key": key[:64]} if key and addr else {}

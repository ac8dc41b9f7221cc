"""Checking a join code with the exercise server before a player app is spawned for it.

The check is an ordinary hello. A welcomed probe is kept open for a short *handoff* while
the player app starts and connects with the same code: the seat's connection count then
goes 1 → 2 → 1 instead of 1 → 0 → 1, so the exercise does not record a join, a leave (and
a desk taking the seat over) and a join again for one SSH login.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from tte import protocol as p

log = logging.getLogger("tte.ssh")

PROBE_CLIENT = p.PROBE_CLIENT
# "I have seen everything": the server then sends the probe no backlog at all.
_NO_BACKLOG = 2**53


class Verdict(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # unknown or revoked code
    LIMITED = "limited"  # the server rate-limits wrong codes from the gateway
    UNREACHABLE = "unreachable"  # no answer we could use


@dataclass
class CheckResult:
    verdict: Verdict
    seat: p.Seat | None = None
    message: str = ""
    ws: ClientConnection | None = None  # open when OK: see hold()


def normalise_url(url: str) -> str:
    """Accept ``host``, ``host:port`` or a full ws(s):// URL."""
    url = url.strip()
    if "://" not in url:
        url = "ws://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        raise ValueError(f"not a ws:// or wss:// URL: {url}")
    if parts.port is None:
        netloc = f"{parts.netloc}:{p.DEFAULT_PORT}"
        url = parts._replace(netloc=netloc).geturl()
    return url if urlsplit(url).path else url + "/"


def seat_label(seat: p.Seat) -> str:
    return f"{seat.country} {seat.role}" if seat.country else seat.role


async def check_code(
    url: str, code: str, timeout: float = 15.0, *, peer: str = "", gateway_key: str = ""
) -> CheckResult:
    """Say hello with `code`. The server may delay a hello while it rate-limits wrong codes,
    hence the generous timeout."""
    ws: ClientConnection | None = None
    try:
        async with asyncio.timeout(timeout):
            ws = await connect(
                url,
                max_size=p.MAX_FRAME,
                compression=None,
                proxy=None,
                user_agent_header=PROBE_CLIENT,
            )
            await ws.send(
                p.encode(
                    p.Hello(
                        v=p.VERSION,
                        code=code,
                        last_seq=_NO_BACKLOG,
                        client=PROBE_CLIENT,
                        **(
                            {"forwarded_for": peer[:64], "gateway_key": gateway_key[:64]}
                            if gateway_key and peer
                            else {}
                        ),
                    )
                )
            )
            while True:
                frame = await ws.recv()
                if isinstance(frame, str):
                    continue
                try:
                    msg = p.decode_server(frame)
                except p.FrameError:
                    continue
                if isinstance(msg, p.Welcome):
                    return CheckResult(Verdict.OK, seat=msg.seat, ws=ws)
                if isinstance(msg, p.Error):
                    await ws.close()
                    if msg.code == p.ErrorCode.UNAUTHORIZED:
                        return CheckResult(Verdict.INVALID, message=msg.message)
                    if msg.code == p.ErrorCode.RATE_LIMITED:
                        return CheckResult(Verdict.LIMITED, message=msg.message)
                    return CheckResult(Verdict.UNREACHABLE, message=msg.message)
    except ConnectionClosed as e:
        reason = e.rcvd.reason if e.rcvd else "the server closed the connection"
        if e.rcvd and e.rcvd.code == p.Close.UNAUTHORIZED:
            return CheckResult(Verdict.INVALID, message=reason)
        return CheckResult(Verdict.UNREACHABLE, message=reason)
    except TimeoutError:
        result = CheckResult(Verdict.UNREACHABLE, message="the exercise server did not answer")
    except (OSError, InvalidHandshake, InvalidURI) as e:
        result = CheckResult(Verdict.UNREACHABLE, message=str(e) or type(e).__name__)
    if ws is not None:
        with contextlib.suppress(Exception):
            await ws.close()
    return result


async def reachable(url: str, timeout: float = 5.0) -> str | None:
    """None if the server's TCP port answers, else why not. (A hello with a dummy code
    would count as a wrong code against the gateway's address.)"""
    parts = urlsplit(url)
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    except (OSError, TimeoutError) as e:
        return str(e) or type(e).__name__
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


async def hold(ws: ClientConnection, seconds: float) -> None:
    """Keep a welcomed probe connected for `seconds`, discarding what arrives, then close.
    Cancelling it closes it at once."""
    try:
        async with asyncio.timeout(seconds):
            async for _frame in ws:
                pass
    except (TimeoutError, ConnectionClosed):
        pass
    finally:
        with contextlib.suppress(Exception):
            await asyncio.shield(ws.close())

"""Budgets: what one seat or one address may spend, and logging that an offender cannot flood.

Every value is a field of :class:`Budgets` and documented in ``docs/operations.md``
("Budgets"). The server checks them before any work is queued, so a flooding seat is
answered ``rate_limited`` at once and costs the engine and the event log nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from tte.i18n import _


@dataclass(frozen=True)
class Budgets:
    cmd_rate: float = 20.0  # commands per seat per second, sustained
    cmd_burst: int = 40  # commands per seat at once
    open_requests: int = 50  # requests a seat has sent that are not closed yet
    seat_connections: int = 32  # connections per seat (screens, reconnects, a shared code)
    unauth_per_address: int = 16  # connections per address that have not said hello yet
    unauth_total: int = 256  # such connections from everyone together
    connections_total: int = 2048  # authenticated connections from everyone together
    log_interval: float = 10.0  # seconds: at most one log line per offender and kind


def with_overrides(base: Budgets, pairs: list[str]) -> Budgets:
    """``NAME=VALUE`` pairs (``tte serve --budget``) over `base`. Raises ValueError naming
    the pair that is wrong: an unknown budget, a value that is not a positive number."""
    known = {f.name: f for f in fields(Budgets)}
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in known:
            raise ValueError(
                _("--budget {pair}: give NAME=VALUE with NAME one of {names}").format(
                    pair=repr(pair), names=", ".join(known)
                )
            )
        whole = known[name].type in (int, "int")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(
                _("--budget {pair}: {value} is not a number").format(
                    pair=repr(pair), value=repr(value)
                )
            ) from None
        if not 0 < number < float("inf"):
            raise ValueError(
                _("--budget {pair}: give a positive finite number").format(pair=repr(pair))
            )
        if whole and not number.is_integer():
            raise ValueError(_("--budget {pair}: give a whole number").format(pair=repr(pair)))
        changes[name] = int(number) if whole else number
    return replace(base, **changes)


class TokenBucket:
    """`burst` tokens at once, refilled at `rate` per second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def empty(self, now: float) -> bool:
        """Would `take` refuse now? (Takes nothing.)"""
        self._refill(now)
        return self.tokens < 1.0

    def take(self, now: float) -> bool:
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class SeatRates:
    """One command bucket per seat, shared by every connection of that seat (opening more
    connections does not buy more commands)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def spent(self, seat: str) -> bool:
        """Is the seat's budget spent right now? (Spends nothing: the server asks before
        decoding a frame, so a flood past the budget is refused without being decoded.)"""
        b = self._buckets.get(seat)
        return b is not None and b.empty(self._clock())

    def admit(self, seat: str) -> bool:
        now = self._clock()
        b = self._buckets.get(seat)
        if b is None:
            b = self._buckets[seat] = TokenBucket(self.rate, self.burst, now)
        return b.take(now)


class ThrottledLog:
    """At most one line per (kind, offender) per `interval`; the next line says how many
    were left out, so the log stays bounded under a flood and still tells the story."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self.interval = interval
        self._clock = clock
        self._last: dict[tuple[str, str], tuple[float, int]] = {}

    def __call__(self, level: int, kind: str, offender: str, msg: str, *args: object) -> None:
        now = self._clock()
        key = (kind, offender)
        last = self._last.get(key)
        if last is not None and now - last[0] < self.interval:
            self._last[key] = (last[0], last[1] + 1)
            return
        if len(self._last) > 10_000:  # many offenders: forget those quiet for a while
            self._last = {k: v for k, v in self._last.items() if now - v[0] < self.interval}
        skipped = last[1] if last is not None else 0
        self._last[key] = (now, 0)
        if skipped:
            msg += f" (+{skipped} more like it in the last {self.interval:.0f} s)"
        self._log.log(level, msg, *args)

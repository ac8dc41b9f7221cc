"""Join codes: their format, and the wrong-code rate limit both front doors apply.

A code is 10 symbols from a 31-symbol alphabet (no 0/O, 1/I/L): 49.5 bits of entropy,
grouped ``K7QX-3MPD-9W`` so it can be read aloud and typed. Matching ignores case, dashes
and spaces. The server (``tte.server.auth`` draws and checks codes) and the SSH gateway
(``tte.ssh`` screens what a visitor types before asking the server) share this module,
which sits beside ``tte.protocol``: the code is what a ``Hello`` frame carries.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: no 0, O, 1, I, L
CODE_LENGTH = 10
GROUPS = (4, 4, 2)


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    out, i = [], 0
    for g in GROUPS:
        out.append(raw[i : i + g])
        i += g
    return "-".join(out)


MAX_CODE_INPUT = 64  # characters of a typed or sent code that count (a code has 12)


def normalise(code: str) -> str:
    """Upper case, no dashes or blanks. Only the first MAX_CODE_INPUT characters count,
    so a 64 KB "code" in a hello costs no more than a real one; not cached (what a
    stranger sends must not fill or churn a cache)."""
    return "".join(ch for ch in code[:MAX_CODE_INPUT].upper() if ch not in "- \t")


@functools.lru_cache(maxsize=4096)
def normalise_known(code: str) -> str:
    """`normalise` for the codes the roster issued (cached: every hello compares against
    every one of them)."""
    return normalise(code)


def looks_like_code(text: str) -> bool:
    """Cheap local check, so `root`, `ubuntu` and typos never reach the server."""
    code = normalise(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    waiting: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class WrongCodeLimiter:
    """Token bucket of wrong-code guesses per remote address.

    An address may get `burst` codes wrong at once, then one more per `1/rate` seconds.
    Once its bucket is empty, every hello from it waits its turn *before its code is
    checked* (so parallel connections do not multiply the guess rate); a correct code
    costs nothing, so a classmate behind the same address is only delayed, not locked
    out. More than `max_waiting` queued hellos from one address are refused outright.
    """

    def __init__(
        self,
        burst: int = 10,
        rate: float = 0.5,
        max_waiting: int = 32,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = float(burst)
        self.rate = rate
        self.max_waiting = max_waiting
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, addr: str) -> _Bucket:
        b = self._buckets.get(addr)
        now = self._clock()
        if b is None:
            if len(self._buckets) > 10_000:
                self._prune(now)
            b = self._buckets[addr] = _Bucket(self.burst, now)
        else:
            b.tokens = min(self.burst, b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
        return b

    def _prune(self, now: float) -> None:
        for addr, b in list(self._buckets.items()):
            full = b.tokens + (now - b.stamp) * self.rate >= self.burst
            if full and b.waiting == 0:
                del self._buckets[addr]

    async def admit(self, addr: str) -> bool:
        """Wait until a code from `addr` may be checked; False if too many are queued."""
        b = self._bucket(addr)
        if b.tokens >= 1 and b.waiting == 0:
            return True
        if b.waiting >= self.max_waiting:
            return False
        b.waiting += 1
        try:
            async with b.lock:  # one waiter at a time: queued hellos are served in turn
                while True:
                    b = self._bucket(addr)
                    if b.tokens >= 1:
                        return True
                    await asyncio.sleep((1 - b.tokens) / self.rate)
        finally:
            b.waiting -= 1

    def failed(self, addr: str) -> None:
        b = self._bucket(addr)
        b.tokens = max(0.0, b.tokens - 1)

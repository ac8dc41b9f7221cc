"""Join codes, the roster that maps them to seats, and the wrong-code rate limit.

A code is 10 symbols from a 31-symbol alphabet (no 0/O, 1/I/L): 49.5 bits of entropy,
grouped ``K7QX-3MPD-9W`` so it can be read aloud and typed. Matching ignores case, dashes
and spaces.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: no 0, O, 1, I, L
CODE_LENGTH = 10
GROUPS = (4, 4, 2)
FACILITATOR = "facilitator"
OBSERVER = "observer"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    out, i = [], 0
    for g in GROUPS:
        out.append(raw[i : i + g])
        i += g
    return "-".join(out)


@functools.lru_cache(maxsize=4096)
def normalise(code: str) -> str:
    """Upper case, no dashes or blanks (cached: every hello compares against every code)."""
    return "".join(ch for ch in code.upper() if ch not in "- \t")


@dataclass
class Roster:
    """Who may join: one code per player seat, one for the facilitator, one for observers."""

    exercise: str
    title: str
    facilitator: str
    observer: str
    seats: dict[str, str]  # seat id ("RO/poc") -> code
    urls: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, exercise: str, title: str, seat_ids: list[str]) -> Roster:
        used: set[str] = set()

        def fresh() -> str:
            while True:
                code = new_code()
                if normalise(code) not in used:
                    used.add(normalise(code))
                    return code

        return cls(exercise, title, fresh(), fresh(), {s: fresh() for s in seat_ids})

    def codes(self) -> dict[str, str]:
        """seat id -> code, staff included."""
        return {FACILITATOR: self.facilitator, OBSERVER: self.observer, **self.seats}

    def seat_for(self, code: str) -> str | None:
        """The seat a code opens, or None. Compares every code in constant time."""
        given = normalise(code).encode()
        found = None
        for seat, c in self.codes().items():
            if hmac.compare_digest(given, normalise(c).encode()):
                found = seat
        return found

    def is_revoked(self, code: str) -> bool:
        given = normalise(code)
        return any(normalise(c) == given for c in self.revoked)

    def revoke(self, seat: str) -> str:
        """Give `seat` a new code; the old one stops working. Returns the new code."""
        taken = {normalise(c) for c in self.codes().values()}
        code = new_code()
        while normalise(code) in taken:
            code = new_code()
        if seat == FACILITATOR:
            self.revoked.append(self.facilitator)
            self.facilitator = code
        elif seat == OBSERVER:
            self.revoked.append(self.observer)
            self.observer = code
        elif seat in self.seats:
            self.revoked.append(self.seats[seat])
            self.seats[seat] = code
        else:
            raise KeyError(seat)
        return code

    def to_json(self) -> dict[str, Any]:
        seats = []
        for sid, code in self.seats.items():
            country, _, role = sid.partition("/")
            seats.append({"country": country, "role": role, "code": code})
        return {
            "exercise": self.exercise,
            "title": self.title,
            "urls": self.urls,
            "facilitator": self.facilitator,
            "observer": self.observer,
            "seats": seats,
            "revoked": self.revoked,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Roster:
        return cls(
            exercise=str(d["exercise"]),
            title=str(d.get("title", "")),
            facilitator=str(d["facilitator"]),
            observer=str(d["observer"]),
            seats={f"{s['country']}/{s['role']}": str(s["code"]) for s in d["seats"]},
            urls=[str(u) for u in d.get("urls", [])],
            revoked=[str(c) for c in d.get("revoked", [])],
        )

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only (the codes are the keys)."""
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Roster:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def render(self) -> str:
        """The roster as a table to print or read aloud."""
        width = max([len(s) for s in self.seats] + [len(FACILITATOR)])
        lines = [
            f"{FACILITATOR:<{width}}  {self.facilitator}",
            f"{OBSERVER:<{width}}  {self.observer}",
        ]
        lines += [f"{sid:<{width}}  {code}" for sid, code in self.seats.items()]
        return "\n".join(lines)


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

"""The roster: which join code opens which seat (codes: ``tte.joincode``)."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tte.core.events import FACILITATOR, OBSERVER
from tte.datadir import create_private
from tte.joincode import new_code, normalise, normalise_known


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
    # The SSH gateway's credential: a hello carrying it may name the SSH client's address
    # (forwarded_for). Never a join code: it opens no seat.
    gateway: str = field(default_factory=lambda: secrets.token_urlsafe(24))

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
            if hmac.compare_digest(given, normalise_known(c).encode()):
                found = seat
        return found

    def is_gateway(self, key: str) -> bool:
        return bool(key) and hmac.compare_digest(key.encode(), self.gateway.encode())

    def is_revoked(self, code: str) -> bool:
        given = normalise(code)
        return any(normalise_known(c) == given for c in self.revoked)

    def revoke(self, seat: str) -> str:
        """Give `seat` a new code; the old one stops working. Returns the new code."""
        taken = {normalise_known(c) for c in self.codes().values()}
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
            FACILITATOR: self.facilitator,
            OBSERVER: self.observer,
            "seats": seats,
            "revoked": self.revoked,
            "gateway": self.gateway,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Roster:
        return cls(
            exercise=str(d["exercise"]),
            title=str(d.get("title", "")),
            facilitator=str(d[FACILITATOR]),
            observer=str(d[OBSERVER]),
            seats={f"{s['country']}/{s['role']}": str(s["code"]) for s in d["seats"]},
            urls=[str(u) for u in d.get("urls", [])],
            revoked=[str(c) for c in d.get("revoked", [])],
            **({"gateway": str(d["gateway"])} if d.get("gateway") else {}),
        )

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only (the codes are the keys)."""
        tmp = path.with_name(path.name + ".tmp")
        fd = create_private(tmp)
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

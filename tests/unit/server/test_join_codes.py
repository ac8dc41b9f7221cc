"""Join codes, the roster file and the wrong-code limiter."""

from __future__ import annotations

import asyncio
import json
import math
import re
from pathlib import Path

from tte.joincode import ALPHABET, WrongCodeLimiter, new_code, normalise
from tte.server.auth import Roster

SEATS = ["RO/investigator", "RO/poc", "NL/poc"]


def test_codes_are_readable_and_unguessable() -> None:
    assert not set(ALPHABET) & set("0O1lIL")
    assert len(set(ALPHABET)) == len(ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", code)
    assert 10 * math.log2(len(ALPHABET)) >= 40


def test_matching_forgives_case_dashes_and_spaces() -> None:
    r = Roster.create("ex", "Ex", SEATS)
    code = r.seats["RO/poc"]
    assert r.seat_for(code) == "RO/poc"
    assert r.seat_for(" " + normalise(code).lower()) == "RO/poc"
    assert r.seat_for(r.facilitator) == "facilitator"
    assert r.seat_for(r.observer) == "observer"
    assert r.seat_for("") is None and r.seat_for("AAAA-AAAA-AA") is None
    assert len({normalise(c) for c in r.codes().values()}) == len(SEATS) + 2


def test_roster_file_is_private_and_round_trips(tmp_path: Path) -> None:
    r = Roster.create("ex", "Ex", SEATS)
    r.urls = ["ws://192.168.1.5:8765/"]
    path = tmp_path / "roster.json"
    r.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    d = json.loads(path.read_text())
    assert set(d) >= {"exercise", "urls", "facilitator", "observer", "seats"}
    assert d["seats"][1] == {"country": "RO", "role": "poc", "code": r.seats["RO/poc"]}
    assert Roster.load(path) == r


def test_revoke() -> None:
    r = Roster.create("ex", "Ex", SEATS)
    old = r.seats["NL/poc"]
    new = r.revoke("NL/poc")
    assert r.seat_for(old) is None and r.is_revoked(old)
    assert r.seat_for(new) == "NL/poc"
    old_fac = r.facilitator
    r.revoke("facilitator")
    assert r.seat_for(old_fac) is None


async def test_limiter_lets_a_burst_through_then_paces() -> None:
    now = [0.0]
    lim = WrongCodeLimiter(burst=2, rate=20.0, max_waiting=1, clock=lambda: now[0])
    for _ in range(2):
        assert await lim.admit("a")
        lim.failed("a")
    assert await lim.admit("b")  # other addresses are not affected
    waiter = asyncio.create_task(lim.admit("a"))
    await asyncio.sleep(0)
    assert not waiter.done()
    assert not await lim.admit("a")  # more than max_waiting queued: refused
    now[0] += 0.05  # a token is back
    assert await asyncio.wait_for(waiter, 5)

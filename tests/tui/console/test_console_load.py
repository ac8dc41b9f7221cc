"""The console stays responsive with 200 seats and a busy exercise: a burst of events
costs one batched redraw, and a later event touches only its own row."""

from __future__ import annotations

from typing import Any

from console_kit import SIZE

from tte import protocol as p
from tte.client.console.app import ConsoleApp

ROLES = ("investigator", "poc", "central_authority", "prosecutor")
COUNTRIES = [f"C{i:02d}" for i in range(50)]  # 50 x 4 = 200 seats


def welcome() -> p.Welcome:
    info: dict[str, Any] = {
        "id": "load",
        "title": "Load",
        "start": "2026-03-02T08:00:00+02:00",
        "timezone": "Europe/Bucharest",
        "countries": [{"code": c, "name": c, "humans": list(ROLES)} for c in COUNTRIES],
        "seats": [f"{c}/{r}" for c in COUNTRIES for r in ROLES],
        "injects": [],
        "evidence": [],
        "objectives": [],
    }
    clock = p.ClockState(game_time="2026-03-02T08:00:00+02:00", elapsed=0, speed=60, paused=True)
    return p.Welcome(seat=p.Seat(None, "facilitator"), seq=0, clock=clock, exercise=info)


def request_event(seq: int, n: int, status: str) -> p.EventMsg:
    a, b = COUNTRIES[n % 50], COUNTRIES[(n + 1) % 50]
    snap = {
        "id": f"R{n}",
        "template": "preservation",
        "channel": "network_24_7",
        "sender": f"{a}/investigator",
        "country": a,
        "target": {"kind": "seat", "ref": f"{b}/poc", "country": b},
        "route": [
            {"kind": "seat", "ref": f"{a}/investigator", "country": a},
            {"kind": "seat", "ref": f"{b}/poc", "country": b},
        ],
        "stop": 1,
        "at": f"{b}/poc",
        "status": status,
        "in_transit": False,
        "created": float(n),
    }
    return p.EventMsg(
        seq=seq,
        kind="request_submitted" if status == "sent" else "request_refused",
        game_time="",
        elapsed=float(n),
        data={"request": snap, "by": f"{a}/investigator", "limit": 86400.0},
    )


async def test_a_busy_exercise_redraws_incrementally() -> None:
    app = ConsoleApp("ws://127.0.0.1:9/", "NOPE")  # nobody there: frames are fed by hand
    async with app.run_test(size=SIZE) as pilot:
        app.view.welcome(welcome())
        for i in range(1, 3001):
            app.view.event(request_event(i, i, "sent"))
        app.flush()
        await pilot.pause()
        table = app.traffic_pane.table
        assert table.row_count == 3000
        assert app.roster_pane.table.row_count == 202
        assert app.log_pane.table.row_count == 1000  # the tail, not the whole history

        calls: list[str] = []
        real = table.update_cell
        table.update_cell = lambda *a, **kw: calls.append(str(a[0])) or real(*a, **kw)  # type: ignore[method-assign]
        app.view.event(request_event(3001, 7, "refused"))
        app.flush()
        # Only the changed row, only its changed cells: the redraw's cost is counted in
        # work, not timed (speed is measured by `make bench`).
        assert set(calls) == {"R7"}

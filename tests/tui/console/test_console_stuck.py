"""Who is stuck: the roster shows, per seat, what waits on it and since when (game time),
and how long ago it last moved."""

from __future__ import annotations

from typing import Any

from console_kit import SIZE, ready, until
from sample_requests import PRESERVATION

from tte.client.console.app import ConsoleApp
from tte.client.console.table import KeyedTable

WAITING, LAST = 7, 8  # columns of the roster table


def cell(table: KeyedTable, key: str, column: int) -> str:
    try:
        return str(table.get_row(key)[column])
    except Exception:  # not drawn yet
        return ""


async def test_the_roster_shows_what_waits_on_a_seat_and_its_last_move(
    console: ConsoleApp, join: Any
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        inv, poc = await join("RO/investigator"), await join("RO/poc")  # people: no desk acts
        await until(pilot, lambda: inv.welcome is not None and poc.welcome is not None)
        res = await inv.link.call("request.submit", PRESERVATION)
        assert res.ok, res
        rid = str(res.data["id"])  # type: ignore[index]
        await until(pilot, lambda: bool(inv.kinds("request_submitted")), "submitted")
        due = float(inv.kinds("request_submitted")[0].data["due"])
        await console.command("clock.advance", {"seconds": int(due) + 60, "reason": "arrive"})
        await console.command("clock.advance", {"seconds": 2 * 86400, "reason": "two days"})
        table = console.query_one("#roster-table", KeyedTable)
        # Waiting at the Romanian 24/7 desk for two days (and a minute): shown stuck.
        await until(pilot, lambda: cell(table, "RO/poc", WAITING) == f"{rid} 2d 1m", "waiting")
        assert cell(table, "RO/investigator", WAITING) == "—"
        assert cell(table, "RO/investigator", LAST).endswith(" ago")
        assert cell(table, "RO/poc", LAST) == "—"  # has not moved yet

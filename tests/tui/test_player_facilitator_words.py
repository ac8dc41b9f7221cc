"""The facilitator's words reach the players: a clock jump's reason and an emergency's
reason are in the seat's inbox, in a toast, and (the emergency) in the header."""

from __future__ import annotations

from pathlib import Path

from player_support import Seats, Toasts, until
from textual.widgets import ListView, Static

from tte.client.player.app import PlayerApp
from tte.client.player.header import SeatHeader

SIZE = (80, 24)
JUMP = "Two days later: the MLA request is on its way to The Hague"
WHY = "[bold]Hospital[/bold] systems down"  # markup stays text


def shown(app: PlayerApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_a_jump_and_an_emergency_reach_the_seat_with_their_reasons(
    seats: Seats, tmp_path: Path
) -> None:
    app = PlayerApp(seats.url, seats.code("NL/poc"), config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: app.model.status is not None and app.model.status.online)
        await seats.do("facilitator", "clock.advance", {"seconds": 2 * 86400, "reason": JUMP})
        await until(pilot, lambda: toasts.has("2d later", JUMP))
        await seats.do("facilitator", "emergency.declare", {"emergency": True, "reason": WHY})
        await until(pilot, lambda: toasts.has("Emergency declared", WHY))
        header = app.query_one(SeatHeader)
        await until(pilot, lambda: "⚠ EMERGENCY" in header.text.plain)
        # The inbox lists both, newest first; Enter on the jump shows its reason in full.
        await until(pilot, lambda: len(app.query_one("#inbox-list", ListView).children) >= 2)
        app.query_one("#inbox-list", ListView).focus()
        await pilot.press("home", "down", "enter")
        await until(pilot, lambda: JUMP in shown(app, "#inbox-text"))
        await pilot.press("up", "enter")
        await until(pilot, lambda: WHY in shown(app, "#inbox-text"))
        assert "Emergency declared" in shown(app, "#inbox-head")

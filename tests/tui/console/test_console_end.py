"""The facilitator ends the exercise from the console: every seat gets the end and the
debrief; under `tte host` the console offers the report and says where it wrote it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from console_kit import SIZE, Player, ready, until
from textual.widgets import Input

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import ConfirmDialog, EndDialog
from tte.core.scenario import Scenario
from tte.host import HostApp


def ended(pl: Player) -> list[Any]:
    return pl.kinds("exercise_ended")


async def test_x_ends_the_exercise_for_every_seat_with_the_debrief(
    console: ConsoleApp, join: Any, scenario: Scenario
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        seats = [await join(s) for s in ("RO/investigator", "NL/poc")]
        await until(pilot, lambda: all(pl.welcome is not None for pl in seats), "players")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(console.screen, EndDialog), "the end dialog")
        assert console.focused is console.screen.query_one("#reason", Input)
        await pilot.press(*"Debrief", "enter")
        await until(pilot, lambda: all(ended(pl) for pl in seats), "every seat hears the end")
        for pl in seats:
            (ev,) = ended(pl)
            assert ev.data["reason"] == "Debrief"
            assert ev.data["debrief"] == scenario.exercise.debrief
        await until(pilot, lambda: "EXERCISE OVER" in str(console.status.render()), "status")
        await pilot.press("x")  # once only
        await until(pilot, lambda: not isinstance(console.screen, EndDialog))


async def test_the_host_offers_the_report_and_prints_its_path(
    scenario: Scenario, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    app = HostApp(scenario, data, host="127.0.0.1", port=0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.link_status.online and app.view.last_seq >= 5, "online")
        await app.command("exercise.end", {"reason": "Time"})
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the offer")
        await pilot.press("y")
        html = data / "report" / "report.html"
        async with asyncio.timeout(90):  # matplotlib draws the charts in a thread
            while f"Report: {html}" not in [str(line) for line in app.roster_info()]:
                await pilot.pause(0.1)
        assert html.is_file()

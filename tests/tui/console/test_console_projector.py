"""The projector view: the game clock, running or paused, the score so far, evidence
deadlines as countdowns and the last public events, readable from the back of a room."""

from __future__ import annotations

from console_kit import SIZE, ready, until
from textual.widgets import Digits, Static

from tte.client.console.app import ConsoleApp
from tte.client.console.projector import ProjectorScreen


def shown(app: ConsoleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_b_shows_the_projector_view_and_esc_comes_back(console: ConsoleApp) -> None:
    async with console.run_test(size=(80, 24)) as pilot:
        await ready(pilot, console)
        await console.command("clock.advance", {"seconds": 3600, "reason": "An hour later"})
        await until(pilot, lambda: any("An hour later" in e.text for e in console.view.log))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(console.screen, ProjectorScreen), "projector")
        await until(pilot, lambda: "An hour later" in shown(console, "#proj-events"), "events")
        clock = console.screen.query_one("#proj-clock", Digits)
        assert clock.value == console.view.game_datetime(console.view.now()).strftime("%H:%M")  # type: ignore[union-attr]
        assert "PAUSED" in shown(console, "#proj-state")
        assert "Score so far: 0/100" in shown(console, "#proj-score")
        # The tutorial's connection logs are deleted four days in: a countdown of 3d 23h.
        assert "3d 23h" in shown(console, "#proj-deadlines")
        assert "deleted" in shown(console, "#proj-deadlines")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(console.screen, ProjectorScreen), "back")


async def test_the_screen_flag_starts_on_the_projector(console: ConsoleApp) -> None:
    console.projector = True
    async with console.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(console.screen, ProjectorScreen), "projector")
        await ready(pilot, console)
        await until(pilot, lambda: "Tutorial" in shown(console, "#proj-title"), "title")

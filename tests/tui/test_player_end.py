"""The end of the exercise reaches a player: the end screen with the debrief over whatever
they were doing, the header says it is over, and the Briefing tab keeps the debrief."""

from __future__ import annotations

from pathlib import Path

from player_support import TUTORIAL, Seats, until
from textual.widgets import Markdown

from tte.client.player.app import PlayerApp
from tte.client.player.ending import EndScreen
from tte.client.player.header import SeatHeader
from tte.core.scenario import load

SIZE = (80, 24)


def markdown_text(app: PlayerApp, selector: str) -> str:
    return app.screen.query_one(selector, Markdown).source


async def test_the_facilitator_ends_the_exercise_and_the_seat_reads_the_debrief(
    seats: Seats, tmp_path: Path
) -> None:
    debrief = load(TUTORIAL).exercise.debrief.strip()
    first_line = debrief.splitlines()[0]
    app = PlayerApp(seats.url, seats.code("RO/investigator"), config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.model.status is not None and app.model.status.online)
        await pilot.press("f3")  # in the middle of drafting
        await seats.do("facilitator", "exercise.end", {"reason": "Time for the hot wash"})
        await until(
            pilot, lambda: isinstance(app.screen, EndScreen) and app.screen.query("#end-text")
        )
        shown = markdown_text(app, "#end-text")
        assert "The exercise is over" in shown and "Time for the hot wash" in shown
        assert first_line in shown
        assert "exercise over" in app.query_one(SeatHeader).text.plain
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, EndScreen))
        await pilot.press("f8")
        await until(pilot, lambda: first_line in markdown_text(app, "#briefing-text"))

"""A terminal smaller than 80×24 is told so, in words, instead of a cut-up screen."""

from __future__ import annotations

from player_support import until
from test_player_snapshots import played_model
from textual.widgets import Static

from tte.client.player.app import PlayerApp


def banner(app: PlayerApp) -> Static:
    return app.query_one("#too-small", Static)


async def test_60_by_20_says_the_terminal_is_too_small_and_80_by_24_does_not() -> None:
    app = PlayerApp(model=played_model())
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: banner(app).display)
        text = str(banner(app).render())
        assert "Terminal too small (60×20)" in text and "80×24" in text
        shown, _ = app.screen.get_widget_at(*banner(app).region.offset)
        assert shown is banner(app)  # on screen, not under the header
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not banner(app).display)

"""At 80 columns the reading pane sits below its list: a toast must not cover it."""

from __future__ import annotations

from player_support import until
from test_player_snapshots import played_model
from textual.widgets._toast import Toast

from tte.client.player.app import PlayerApp


async def test_a_toast_at_80_columns_leaves_the_reading_pane_free() -> None:
    app = PlayerApp(model=played_model())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: app.query("#inbox-detail"))
        app.notify("Polderhost confirms the preservation", title="R1 answered", timeout=30)
        await until(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toast = app.screen.query_one(Toast).region
        detail = app.query_one("#inbox-detail").region
        assert toast.height > 0 and not toast.overlaps(detail), (toast, detail)

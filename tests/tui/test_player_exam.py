"""Exam mode in the player app at 80x24 (the facilitator's mode.set): no channel chosen in
advance (the server asks for one), and no exact deletion time in the case file."""

from __future__ import annotations

from pathlib import Path

from player_support import Seats, until
from textual.widgets import DataTable, Select

from tte.client.player.app import PlayerApp
from tte.client.player.composer import FieldError

SIZE = (80, 24)


def online(app: PlayerApp) -> bool:
    return bool(app.model.status and app.model.status.online)


def deletion_cell(app: PlayerApp) -> str:
    table = app.query_one("#evidence-table", DataTable)
    return str(table.get_row("c2_logs")[1]) if table.row_count else ""


async def test_exam_mode_hides_the_default_channel_and_the_deletion_time(
    seats: Seats, tmp_path: Path
) -> None:
    app = PlayerApp(seats.url, seats.code("RO/investigator"), config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and "c2_logs" in app.model.evidence)
        await pilot.press("f3")
        form = await app.compose_template("preservation")
        assert form is not None
        channel = form.query_one("#channel", Select)
        await until(pilot, lambda: channel.value == "network_24_7")  # coaching: a default
        await pilot.press("f5")
        await until(pilot, lambda: deletion_cell(app).startswith("in "))  # coaching: "in 4d"
        await seats.do("facilitator", "mode.set", {"mode": "exam"})
        await until(pilot, lambda: app.model.mode == "exam")
        await until(pilot, lambda: deletion_cell(app) == "volatile")
        await until(pilot, lambda: channel.value == Select.NULL)  # the untouched form follows
        await pilot.press("f3")
        form.query_one("#to", Select).value = "polderhost"
        await pilot.press("ctrl+s")
        err = form.query_one("#err-channel", FieldError)
        await until(pilot, lambda: err.has_class("-shown"))
        assert "Choose the channel" in str(err.render())
        assert seats.request("R1") is None

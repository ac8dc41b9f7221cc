"""A snapshot of the console's main screen under `tte host`: paused clock, fixed codes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from console_kit import until
from rich.text import Text
from textual.pilot import Pilot

from tte.core.scenario import Scenario
from tte.host import HostApp
from tte.i18n import _
from tte.joincode import ALPHABET
from tte.server.auth import Roster


def fixed_roster(scenario: Scenario, data: Path) -> None:
    """A roster.json the server adopts instead of drawing random codes."""
    rng = random.Random(5)

    def code() -> str:
        raw = "".join(rng.choice(ALPHABET) for _ in range(10))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"

    ex = scenario.exercise
    roster = Roster(ex.id, ex.title, code(), code(), {s: code() for s in scenario.human_seats()})
    data.mkdir(parents=True)
    roster.save(data / "roster.json")


class SnapHost(HostApp):
    """The port and the data directory change from run to run: show fixed ones."""

    def join_urls(self) -> list[str]:
        return ["ws://192.0.2.10:8765/", "ws://127.0.0.1:8765/"]

    def roster_info(self) -> list[Text]:
        how = _("new exercise")
        self.data_note = _("Exercise data ({how}): {path}").format(
            how=how, path="/srv/tte/tutorial"
        )
        return super().roster_info()


def test_main_screen(snap_compare: Any, scenario: Scenario, tmp_path: Path) -> None:
    data = tmp_path / "data"
    fixed_roster(scenario, data)
    app = SnapHost(scenario, data, host="127.0.0.1", port=0)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: app.link_status.online and app.view.last_seq >= 5, "online")
        await until(pilot, lambda: app.view.seats["facilitator"].connections == 1, "counted")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(130, 30), run_before=run_before)

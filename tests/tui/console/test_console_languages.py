"""The facilitator console in French at 80×24 and 160×48 (tabs and footer translated; the
panes' own words are stage 2 of issue 21, see docs/translating.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from console_kit import until
from test_console_snapshot import SnapHost, fixed_roster
from textual.pilot import Pilot

from tte.core.scenario import Scenario
from tte.i18n import use


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_french_console(
    snap_compare: Any, scenario: Scenario, tmp_path: Path, size: tuple[int, int]
) -> None:
    data = tmp_path / "data"
    fixed_roster(scenario, data)
    app = SnapHost(scenario, data, host="127.0.0.1", port=0, lang="fr")

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: app.link_status.online and app.view.last_seq >= 5, "online")
        await until(pilot, lambda: app.view.seats["facilitator"].connections == 1, "counted")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        use("en")

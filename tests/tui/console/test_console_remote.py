"""A remote console (`tte console URL --code CODE`, no --roster, no --scenario): codes,
connections and client programs from roster.get, revoke through roster.revoke, and the
live score judged from the welcome's objective conditions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import yaml
from console_kit import SIZE, TUTORIAL, Player, cell, ready, until

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import ConfirmDialog
from tte.client.console.table import KeyedTable
from tte.core.scenario import Scenario, load
from tte.server.exercise import ExerciseServer

Join = Callable[[str], Awaitable[Player]]
SSH_CLIENT = "tte-play (ssh-gateway)"  # tte play under the SSH gateway (TTE_CLIENT)


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    """The tutorial with one objective judged only at the end: the C2 logs not lost."""
    doc = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    doc["objectives"].append(
        {
            "id": "logs_kept",
            "title": "C2 logs not lost",
            "evidence_not_lost": "c2_logs",
            "weight": 10,
        }
    )
    path = tmp_path / "tutorial-kept.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load(path)


@pytest.fixture
def remote(server: ExerciseServer, url: str, tmp_path: Path) -> ConsoleApp:
    return ConsoleApp(url, server.roster.facilitator, sheet_dir=tmp_path / "sheets")


async def test_roster_get_gives_codes_connections_and_ssh_clients(
    remote: ConsoleApp, server: ExerciseServer, url: str
) -> None:
    async with remote.run_test(size=SIZE) as pilot:
        await ready(pilot, remote)
        table = remote.query_one("#roster-table", KeyedTable)
        codes = server.roster.codes()
        await until(pilot, lambda: cell(table, "RO/poc", 3) == codes["RO/poc"], "codes")
        for seat, code in codes.items():
            assert str(table.get_row(seat)[3]) == code
        code = codes["NL/poc"]
        ssh = await Player(url, code, client=SSH_CLIENT).start()
        plain = await Player(url, code).start()
        try:
            await until(pilot, lambda: cell(table, "NL/poc", 4) == "2", "two connections")
            via = cell(table, "NL/poc", 5)
            assert "SSH" in via and "tests/console" in via
            assert remote.view.seats["NL/poc"].ssh == 1
            assert cell(table, "facilitator", 4) == "1"
            await plain.close()
            await until(pilot, lambda: cell(table, "NL/poc", 4) == "1", "one left")
            assert cell(table, "NL/poc", 5) == "SSH"
        finally:
            await ssh.close()
            await plain.close()
        # The join sheet needs no roster file either.
        await pilot.press("w")
        await until(pilot, lambda: remote.last_sheet is not None, "the join sheet")
        assert remote.last_sheet is not None
        assert codes["RO/investigator"] in remote.last_sheet.read_text(encoding="utf-8")


async def test_revoke_gives_a_new_code_and_the_old_one_stops_working(
    remote: ConsoleApp, server: ExerciseServer, url: str, join: Join
) -> None:
    async with remote.run_test(size=SIZE) as pilot:
        await ready(pilot, remote)
        old = server.roster.seats["RO/poc"]
        holder = await join("RO/poc")
        await until(pilot, lambda: holder.welcome is not None, "the seat's player")
        table = remote.query_one("#roster-table", KeyedTable)
        await until(pilot, lambda: cell(table, "RO/poc", 3) == old, "the old code shown")
        table.focus()
        table.select_key("RO/poc")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(remote.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: cell(table, "RO/poc", 3) != old, "the new code shown")
        new = cell(table, "RO/poc", 3)
        assert server.roster.seats["RO/poc"] == new
        await until(pilot, lambda: holder.failed, "the old code's player sent away")
        late = await Player(url, old).start()
        fresh = await Player(url, new).start()
        try:
            await until(pilot, lambda: late.failed, "the old code refused")
            await until(pilot, lambda: fresh.welcome is not None, "the new code let in")
            assert late.welcome is None
            assert fresh.welcome is not None and fresh.welcome.seat.role == "poc"
        finally:
            await late.close()
            await fresh.close()


async def test_live_score_judges_evidence_not_lost_without_the_scenario(
    remote: ConsoleApp, server: ExerciseServer
) -> None:
    async with remote.run_test(size=SIZE) as pilot:
        await ready(pilot, remote)
        kept = remote.view.objectives["logs_kept"]
        assert kept.not_lost == "c2_logs" and kept.countries == ["RO"]
        assert remote.view.score() == round(100 * 10 / 110)  # holding while not lost
        # Nobody asks to preserve: the provider's retention deletes the logs on day 4.
        await remote.command("clock.advance", {"seconds": 5 * 86400, "reason": "later"})
        await until(pilot, lambda: remote.view.items["c2_logs"].deleted, "the logs deleted")
        assert remote.view.score() == 0
        assert server.engine.state.items["c2_logs"].deleted
        # The figures tab says what it cannot show without the scenario.
        await pilot.press("6")
        pane = remote.figures_pane
        await until(pilot, lambda: pane.figures is not None, "the figures")
        assert pane.figures is not None and not pane.figures.full
        assert "--scenario FILE" in str(pane.summary.render())

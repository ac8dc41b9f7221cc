"""`tte host`: the server and the console in one process, as the CLI builds it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tte import host
from tte.cli import build_parser
from tte.client.console.dialogs import ConfirmDialog
from tte.client.console.table import KeyedTable
from tte.server.auth import Roster


async def until(pilot: Pilot[Any], predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause()


def host_args(*argv: str) -> Any:
    return build_parser(["host"]).parse_args(["host", *argv])


async def test_tte_host_serves_the_default_scenario_and_shows_the_roster(tmp_path: Path) -> None:
    data = tmp_path / "exercise"
    app = host.build_app(host_args("--port", "0", "--host", "127.0.0.1", "--data", str(data)))
    assert app.scenario.exercise.id == "tutorial"
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.query_one("#roster-table", KeyedTable)
        seats = app.scenario.seats()
        await until(pilot, lambda: app.link_status.online, "the console online")
        await until(pilot, lambda: len(list(table.row_keys())) == 2 + len(seats), "the roster")
        roster = Roster.load(data / "roster.json")
        await until(
            pilot, lambda: str(table.get_row("facilitator")[3]) == roster.facilitator, "codes"
        )
        for seat, code in roster.seats.items():
            assert str(table.get_row(seat)[3]) == code
        assert str(data) in app.data_note
        assert app.server is not None and app.server.port > 0
        await pilot.press("ctrl+q")  # stopping the server asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
    assert app.return_code == 0
    assert app.server is None  # stopped with the app


async def test_tte_host_with_ssh_puts_the_gateway_on_the_join_sheet(tmp_path: Path) -> None:
    pytest.importorskip("asyncssh")
    data = tmp_path / "exercise"
    args = host_args("--port", "0", "--host", "127.0.0.1", "--ssh", "0", "--data", str(data))
    app = host.build_app(args)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: app.link_status.online and app.view.welcomed, "online")
        assert app.gateway is not None and app.ssh_port == app.gateway.port > 0
        await pilot.press("w")
        await until(pilot, lambda: app.last_sheet is not None, "the join sheet")
        text = app.last_sheet.read_text(encoding="utf-8")
        code = app.server.roster.seats["RO/investigator"]
        assert f"ssh -p {app.ssh_port} {code}@127.0.0.1" in text
        assert app.gateway.fingerprint in text
        assert app.last_sheet.parent == data
        # The facilitator's part: how to replay this very exercise at the debrief.
        assert f"    tte replay {data.resolve()}\n" in text
        assert f"tte host --from {data.resolve()} --at SEQ" in text


def test_default_data_dir_is_per_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert host.default_data_dir("tutorial") == tmp_path / "tte" / "tutorial"


async def test_tte_host_resumes_the_exercise_its_data_dir_holds(tmp_path: Path) -> None:
    """`tte host --data DIR` without a scenario resumes what DIR holds, not the tutorial."""
    data = tmp_path / "lisbon"
    first = host.build_app(host_args("lisbon-ransomware-2ap", "--port", "0", "--data", str(data)))
    async with first.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: first.link_status.online, "the console online")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(first.screen, ConfirmDialog), "the question")
        await pilot.press("y")
    again = host.build_app(host_args("--port", "0", "--data", str(data)))
    assert again.scenario.exercise.id == first.scenario.exercise.id == "lisbon-ransomware-2ap"
    assert again.scenario == first.scenario

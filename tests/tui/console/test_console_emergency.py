"""Emergency declared from the console (Lisbon scenario, 2AP in force PT–RO): every seat
hears it, and an Art 9 emergency disclosure is then accepted by the Romanian desk."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from console_kit import ROOT, SIZE, Player, ready, until
from textual.widgets import Input

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import EmergencyDialog
from tte.core.policies import fill_fields
from tte.core.scenario import Scenario, load
from tte.server.exercise import ExerciseServer

Join = Callable[[str], Awaitable[Player]]


@pytest.fixture
def scenario() -> Scenario:
    return load(ROOT / "scenarios" / "lisbon-ransomware-2ap.yaml")


async def test_emergency_reaches_players_and_art9_is_then_accepted(
    console: ConsoleApp, server: ExerciseServer, join: Join, scenario: Scenario
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        poc = await join("PT/poc")
        far = await join("RS/poc")  # a seat with nothing to do with it hears it too
        await until(pilot, lambda: poc.welcome is not None and far.welcome is not None, "seats")

        await pilot.press("e")
        await until(pilot, lambda: isinstance(console.screen, EmergencyDialog), "the form")
        console.screen.query_one("#reason", Input).value = "Hospital systems encrypted"
        await pilot.press("ctrl+s")
        heard = lambda: all(pl.kinds("emergency") for pl in (poc, far))  # noqa: E731
        await until(pilot, heard, "the emergency event at both seats")
        for pl in (poc, far):
            ev = pl.kinds("emergency")[0]
            assert ev.data == {"emergency": True, "reason": "Hospital systems encrypted"}
        header = "EMERGENCY: Hospital systems encrypted"
        await until(pilot, lambda: header in str(console.status.render()), "the header")
        assert console.view.emergency
        await pilot.press("4")
        await until(
            pilot,
            lambda: "EMERGENCY declared" in str(console.case_pane.emergency.render()),
            "the case tab",
        )

        item = scenario.item("c2_logs")
        assert item is not None
        args = {
            "template": "emergency_disclosure",
            "to": "carpathia",
            "channel": "network_24_7",
            "evidence": ["c2_logs"],
            "fields": fill_fields("emergency_disclosure", [item]),
        }
        res = await poc.link.call("request.submit", args)
        assert res.ok, res
        rid = res.data["id"]  # type: ignore[index]
        await console.command("clock.advance", {"seconds": 2 * 86400, "reason": "two days"})

        def done() -> bool:
            row = console.view.requests.get(rid)
            return row is not None and not row.open

        await until(pilot, done, "the request settled")
        req = server.engine.state.requests[rid]
        assert (req.status, req.ground) == ("fulfilled", None)
        forwarded = [
            e
            for e in server.log.read_all()
            if e.kind == "request_forwarded" and e.data.get("id") == rid
        ]
        assert any(e.data.get("by") == "desk:RO/poc" for e in forwarded)
        assert server.engine.state.items["c2_logs"].obtained["PT"]["admissible"] is True

        # Lifted again: the header says so no more.
        await pilot.press("e")
        await until(pilot, lambda: isinstance(console.screen, EmergencyDialog), "the form")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not console.view.emergency, "lifted")
        assert server.engine.state.emergency is False

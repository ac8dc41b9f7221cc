"""The facilitator's teaching aids at 80x24, by keys, against a real server: the running
order (f picks a phase, j takes its planned jump through the preview), the timebox alarm in
the status line, the log and the projector, hint cards (i), the knowledge check (k) and an
emergency that names the evidence it concerns (e)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
import pytest
from console_kit import TUTORIAL, Player, ready, until
from textual.widgets import SelectionList

from tte.client.confirm import ConfirmDialog
from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import EmergencyDialog
from tte.client.console.projector import ProjectorScreen
from tte.client.console.teaching import PickDialog
from tte.core.scenario import Scenario, load
from tte.server.exercise import ExerciseServer

Join = Callable[[str], Awaitable[Player]]
SMALL = (80, 24)
DAY = 86400.0


@pytest.fixture
def scenario() -> Scenario:
    """The tutorial, its first and last phases' timeboxes over in a moment."""
    sc = load(TUTORIAL)
    first, middle, last = sc.phases
    quick = [msgspec.structs.replace(ph, timebox=0.002) for ph in (first, last)]
    return msgspec.structs.replace(sc, phases=[quick[0], middle, quick[1]])


def status(console: ConsoleApp) -> str:
    return str(console.status.render())


def record_toasts(app: ConsoleApp) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    notify = app.notify

    def record(message: str, *, title: str = "", **kw: object) -> None:
        seen.append((str(title), str(message)))
        notify(message, title=title, **kw)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    return seen


async def test_running_order_by_keys(console: ConsoleApp, server: ExerciseServer) -> None:
    toasts = record_toasts(console)
    async with console.run_test(size=SMALL) as pilot:
        await ready(pilot, console)
        await until(pilot, lambda: "TIMEBOX OVER" in status(console), "the alarm")
        assert "phase Freeze the logs" in status(console)
        assert any("TIMEBOX OVER: Freeze the logs" in e.text for e in console.view.log)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(console.screen, ProjectorScreen), "projector")
        state = str(console.screen.query_one("#proj-state").render())
        assert "TIMEBOX OVER: Freeze the logs" in state
        await pilot.press("escape")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(console.screen, PickDialog), "the running order")
        await pilot.press("down", "down", "enter")  # "Waiting for the EIO", out of order
        await until(pilot, lambda: server.engine.state.phase == "wait", "phase.start")
        await until(pilot, lambda: "phase Waiting for the EIO" in status(console), "status")
        # Its own timebox, alarmed live: a toast where the facilitator looks.
        over = lambda: any(  # noqa: E731
            t == "Timebox over" and "Waiting for the EIO" in m for t, m in toasts
        )
        await until(pilot, over, "the timebox toast")
        assert console.view.teaching.alarm is not None
        assert console.view.teaching.alarm["phase"] == "wait"
        before = server.game_now()
        await pilot.press("j")  # the phase's planned jump, previewed first
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog), "the preview")
        await pilot.press("y")
        await until(pilot, lambda: server.game_now() >= before + 14 * DAY, "the jump")
        jump = [e for e in server.log.read_all() if e.kind == "clock" and e.data.get("jump")]
        assert jump[-1].data["reason"].startswith("Two weeks later")
        # Nothing was preserved by day 1: the freeze card is due, and the console says so.
        due = lambda: any(t == "Hint card due" for t, _ in toasts)  # noqa: E731
        await until(pilot, due, "the hint toast")
        assert "freeze_first" in console.view.teaching.due
        await pilot.press("j")  # taken: nothing left in this phase
        await until(pilot, lambda: not isinstance(console.screen, ConfirmDialog), "no dialog")


async def test_hints_knowledge_and_scoped_emergency_by_keys(
    console: ConsoleApp, server: ExerciseServer, join: Join
) -> None:
    async with console.run_test(size=SMALL) as pilot:
        await ready(pilot, console)
        poc = await join("RO/poc")
        await until(pilot, lambda: poc.welcome is not None, "the seat")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(console.screen, PickDialog), "the hint list")
        await pilot.press("enter")  # the first card: freeze_first
        await until(pilot, lambda: any(e.data.get("hint") for e in poc.kinds("inject")), "hint")
        await until(pilot, lambda: "freeze_first" in console.view.teaching.released, "marked")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(console.screen, PickDialog), "the hint list")
        first = console.screen.query_one("OptionList").get_option_at_index(0)  # type: ignore[attr-defined]
        assert str(first.prompt).startswith("✔ ")
        await pilot.press("escape")

        await pilot.press("k")
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: server.engine.state.knowledge_open == "before", "opened")
        await until(pilot, lambda: "check (before) open: 0 answers" in status(console), "status")
        await poc.link.call(
            "knowledge.answer",
            {
                "stage": "before",
                "answers": {"first_step": "A European Investigation Order for the logs"},
            },
        )
        await until(pilot, lambda: "open: 1 answers" in status(console), "the count")

        await pilot.press("e")
        await until(pilot, lambda: isinstance(console.screen, EmergencyDialog), "the form")
        sel = console.screen.query_one("#items", SelectionList)
        sel.focus()
        await pilot.press("down", "space")  # the second item: the subscriber
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(poc.kinds("emergency")), "the emergency")
        assert poc.kinds("emergency")[0].data["items"] == ["c2_subscriber"]
        assert server.engine.state.emergency_items == {"c2_subscriber"}
        await until(pilot, lambda: "(1 items)" in status(console), "the status line")

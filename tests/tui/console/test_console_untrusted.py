"""Player text never acts in the console or another player's app (issue 19, item 3).

A player sends a request whose fields hold Textual markup that would act (``[@click=
app.quit]``), markup that would crash the parser (``[/]``), an OSC 52 clipboard write and
a bidi override, and says hello with markup in its client name (shown in the roster).
The facilitator console and the receiving player's app draw it as visible text on every
tab, a click on it does nothing, no escape sequence reaches the terminal, and both apps
start again over the same log (a backlog that crashed the console at every start before).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from console_kit import SIZE, ready, until
from textual.app import App

from tte.client.console.app import TABS, ConsoleApp
from tte.client.net import Link
from tte.client.player.app import PlayerApp
from tte.client.player.inbox import InboxPane
from tte.core.scenario import Scenario
from tte.server.exercise import ExerciseServer

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
RLO = "\u202e"
EVIL = f"[@click=app.quit]click me[/] [/] [b]x{OSC52}y{RLO}exe.txt"
FORBIDDEN = ("\x1b]52", "\x07", RLO)


def terminal_output(app: App[Any]) -> str:
    """What Textual would write to the terminal to draw the current screen in full."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def assert_inert(app: App[Any]) -> None:
    out = terminal_output(app)
    for seq in FORBIDDEN:
        assert seq not in out, f"{seq!r} reached the terminal"


async def send_evil(srv: ExerciseServer) -> str:
    codes = srv.roster.codes()
    url = f"ws://127.0.0.1:{srv.port}/"
    inv = Link(url, codes["RO/investigator"], client="evil [@click=app.quit]x[/] [/]")
    fac = Link(url, codes["facilitator"])
    for link in (inv, fac):
        link.start()

    async def drain(link: Link) -> None:
        async for _ in link:
            pass

    tasks = [asyncio.create_task(drain(link)) for link in (inv, fac)]
    try:
        async with asyncio.timeout(10):
            while not (inv.status.online and fac.status.online):
                await asyncio.sleep(0.02)  # polling the links' state
        fields = {"offence": EVIL, "data_sought": EVIL, "custodian": "Polderhost"}
        args = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
                "evidence": ["c2_logs"], "fields": fields, "message": EVIL}  # fmt: skip
        res = await inv.call("request.submit", args)
        assert res.ok, res.error
        assert isinstance(res.data, dict)
        res2 = await fac.call("clock.advance", {"seconds": 3600, "reason": EVIL})
        assert res2.ok, res2.error
        return str(res.data["id"])
    finally:
        await fac.close()
        await inv.close()
        await asyncio.gather(*tasks)


async def visit_console(srv: ExerciseServer, scenario: Scenario, tmp: Path) -> None:
    console = ConsoleApp(
        f"ws://127.0.0.1:{srv.port}/",
        srv.roster.facilitator,
        scenario=scenario,
        codes=srv.roster.codes(),
        sheet_dir=tmp / "sheets",
    )
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await until(pilot, lambda: bool(console.view.requests), "the request")
        for i, _tab in enumerate(TABS):
            await pilot.press(str(i + 1))
            await pilot.pause()
            assert_inert(console)
            # Click all over the tab: a "[@click=app.quit]" drawn as markup would quit.
            for y in range(4, 14, 3):  # the first rows, where the request and log lines are
                await pilot.click(offset=(60, y))
            assert console.is_running and console.return_code is None
        await pilot.press("5")  # the log tab shows the reason of the jump verbatim
        await until(pilot, lambda: "[@click=app.quit]" in terminal_output(console), "text")
        assert "␛]52" in terminal_output(console)
        console.notify(EVIL, title=EVIL)  # a toast quoting player text
        await pilot.pause()
        assert_inert(console)
        assert console.is_running


async def visit_player(srv: ExerciseServer, tmp: Path) -> None:
    """The receiving 24/7 point of contact's app: the request and a toast quoting it."""
    app = PlayerApp(f"ws://127.0.0.1:{srv.port}/", srv.roster.codes()["RO/poc"], config=tmp / "c")
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: any(i.kind == "request" for i in app.model.inbox))
        await pilot.press("f2")
        request = next(i for i in app.model.inbox if i.kind == "request")
        app.query_one(InboxPane).open(request.key)
        await pilot.pause()
        assert_inert(app)
        assert "[@click=app.quit]" in terminal_output(app)
        app.notify(EVIL, title=EVIL)
        await pilot.pause()
        for y in range(3, 46, 4):
            await pilot.click(offset=(100, y))
        assert app.is_running and app.return_code is None
        assert_inert(app)


async def test_markup_and_escapes_from_a_player_never_act_in_the_console_or_player_app(
    server: ExerciseServer, scenario: Scenario, tmp_path: Path
) -> None:
    rid = await send_evil(server)
    await visit_console(server, scenario, tmp_path)
    await visit_console(server, scenario, tmp_path)  # and it starts again over that log

    await visit_player(server, tmp_path)
    await visit_player(server, tmp_path)  # and it starts again too
    assert server.engine.state.requests[rid].fields["offence"] == EVIL  # stored verbatim

"""Free text from other seats reaches nobody's terminal as control sequences.

Another seat (the Romanian investigator's request fields) and the facilitator (an inject)
send text holding ESC [ 2 J (clear screen), OSC 52 (write the clipboard), a bell and C1
CSI. The server stores it as text, verbatim. The Romanian 24/7 point of contact's player
app (Textual, run_test) shows it as visible text (ESC drawn as '␛'), and the bytes Textual
would write to the terminal for that screen hold none of those sequences. Megabyte fields
are refused by size limits and the link survives.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tte import protocol as p
from tte.client.net import Link
from tte.client.player.app import PlayerApp
from tte.client.player.inbox import InboxPane
from tte.server import ExerciseServer

CLEAR = "\x1b[2J\x1b[H"
OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # "rm -rf ~" into the clipboard
BELL = "\x07"
C1_CSI = "\x9b31m"
EVIL = f"before{CLEAR}mid{OSC52}bell{BELL}c1{C1_CSI}after"
FORBIDDEN = ["\x1b[2J", "\x1b]52", "\x07", "\x9b"]


@contextlib.asynccontextmanager
async def linked(srv: ExerciseServer, seat: str) -> AsyncIterator[Link]:
    link = Link(f"ws://127.0.0.1:{srv.port}/", srv.roster.codes()[seat], backoff=(0.05, 0.2))
    link.start()

    async def drain() -> None:
        async for _ in link:
            pass

    task = asyncio.create_task(drain())
    try:
        async with asyncio.timeout(10):
            while not link.status.online:
                await asyncio.sleep(0.02)  # polling the link's state
        yield link
    finally:
        await link.close()
        await task


async def ok(link: Link, op: str, args: dict[str, Any]) -> dict[str, Any]:
    res = await link.call(op, args)
    assert res.ok, res.error
    return res.data if isinstance(res.data, dict) else {}


def terminal_output(app: PlayerApp) -> str:
    """What Textual would write to the terminal to draw the current screen in full."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


async def until(pilot: Any, pred: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "condition not met"
        await pilot.pause(0.02)


def check_inert(app: PlayerApp, must_show: str) -> None:
    out = terminal_output(app)
    for seq in FORBIDDEN:
        assert seq not in out, f"{seq!r} reached the terminal output"
    assert must_show in out, f"{must_show!r} not on screen"
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x07" not in svg


async def test_escape_sequences_from_other_seats_are_shown_inertly(
    server: ExerciseServer, tmp_path: Path
) -> None:
    app = PlayerApp(
        f"ws://127.0.0.1:{server.port}/", server.roster.codes()["RO/poc"], config=tmp_path / "c"
    )
    async with (
        linked(server, "facilitator") as fac,
        linked(server, "RO/investigator") as inv,
        app.run_test(size=(160, 48)) as pilot,
    ):
        await until(pilot, lambda: app.model.status is not None and app.model.status.online)
        await ok(fac, "inject.send", {"title": f"T{CLEAR}itle", "text": EVIL, "to": ["RO/poc"]})
        fields = {"offence": EVIL, "data_sought": f"logs{OSC52}", "custodian": "Polderhost"}
        args = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
                "evidence": ["c2_logs"], "fields": fields}  # fmt: skip
        rid = (await ok(inv, "request.submit", args))["id"]
        await ok(fac, "clock.advance", {"seconds": 3600, "reason": "to the 24/7 desk"})
        # Stored as text, verbatim.
        assert server.engine.state.requests[rid].fields["offence"] == EVIL
        await until(pilot, lambda: app.model.waiting() and len(app.model.inbox) >= 2)

        pane = app.query_one(InboxPane)
        inject = next(i for i in app.model.inbox if i.kind == "inject")
        request = next(i for i in app.model.inbox if i.kind == "request")
        await pilot.press("f2")
        pane.open(inject.key)
        await pilot.pause()
        check_inert(app, "T␛[2J")
        check_inert(app, "before␛[2J␛[Hmid␛]52;c;cm0gLXJmIH4K␇bell␇c1")
        pane.open(request.key)
        await pilot.pause()
        check_inert(app, "before␛[2J␛[Hmid")


async def test_megabyte_fields_are_refused_and_the_link_survives(server: ExerciseServer) -> None:
    async with linked(server, "RO/investigator") as inv:
        before = dict(server.engine.state.requests)
        # Over the engine's 20 000-character limit but inside one frame: refused by name.
        big = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
               "fields": {"offence": "A" * 30_000}}  # fmt: skip
        res = await inv.call("request.submit", big)
        assert not res.ok and res.error and res.error.code == "bad_args"
        assert res.error.field == "offence"
        # A megabyte: over the 64 KiB frame limit. The server closes with 1009; the link
        # says the outcome is unknown and reconnects by itself.
        huge = {**big, "fields": {"offence": "B" * 1_000_000}}
        res = await inv.call("request.submit", huge)
        assert not res.ok and res.error and res.error.code in ("disconnected", "timeout")
        async with asyncio.timeout(10):
            while not inv.status.online:
                await asyncio.sleep(0.02)  # polling the link's state
        assert server.engine.state.requests == before  # (presence changed: it reconnected)
        ok_args = {**big, "fields": {"offence": "short"}}
        assert (await inv.call("request.submit", ok_args)).ok
        assert isinstance(await inv.call("request.submit", {}), p.Result)

"""Helpers of the player app's Pilot tests (a real server started in-process).

No sleeps as synchronisation: `until` pumps the app (pilot.pause) until a condition holds,
bounded by a timeout. Game time moves only when the facilitator (a second client) says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tte.client.net import Link
from tte.server.exercise import ExerciseServer

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
TIMEOUT = 10.0

PRESERVATION: dict[str, Any] = {
    "template": "preservation",
    "to": "polderhost",
    "channel": "network_24_7",
    "evidence": ["c2_logs"],
    "fields": {
        "requesting_authority": "DIICOT Bucharest, +40 21 000 0000",
        "offence": "Ransomware attack on a logistics company",
        "data_sought": "Connection logs of 203.0.113.47, 2026-03-01 22:10-23:55 CET",
        "custodian": "Polderhost B.V., Amsterdam",
        "necessity": "Logs are deleted after four days",
        "mla_to_follow": True,
        "confidentiality": True,
    },
}


async def until(pilot: Pilot[Any], pred: Callable[[], Any], timeout: float = TIMEOUT) -> None:
    """Let the app run until `pred()` is true; fail after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while not pred():
            await pilot.pause(0.02)


class Seats:
    """Raw clients for the seats a test plays around the app (and the facilitator)."""

    def __init__(self, server: ExerciseServer) -> None:
        self.server = server
        self.links: dict[str, Link] = {}

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.port}/"

    def code(self, seat: str) -> str:
        return self.server.roster.codes()[seat]

    async def link(self, seat: str) -> Link:
        if seat not in self.links:
            link = Link(self.url, self.code(seat), backoff=(0.05, 0.2))
            link.start()
            async with asyncio.timeout(TIMEOUT):
                async for _item in link:
                    if link.status.online:
                        break
            # Keep draining its stream so nothing piles up.
            asyncio.get_running_loop().create_task(_drain(link))
            self.links[seat] = link
        return self.links[seat]

    async def do(self, seat: str, op: str, args: dict[str, Any]) -> dict[str, Any]:
        result = await (await self.link(seat)).call(op, args)
        assert result.ok, result.error
        return result.data if isinstance(result.data, dict) else {}

    async def advance(self, seconds: float) -> None:
        await self.do("facilitator", "clock.advance", {"seconds": seconds, "reason": "test"})

    def request(self, rid: str) -> Any:
        return self.server.engine.state.requests.get(rid)

    async def close(self) -> None:
        for link in self.links.values():
            await link.close()


async def _drain(link: Link) -> None:
    async for _ in link:
        pass


class Toasts:
    """Records the app's notifications (title, message) as they are raised."""

    def __init__(self, app: Any) -> None:
        self.seen: list[tuple[str, str]] = []
        notify = app.notify

        def record(message: str, *, title: str = "", **kw: Any) -> None:
            self.seen.append((str(title), str(message)))
            notify(message, title=title, **kw)

        app.notify = record

    def has(self, title: str, text: str = "") -> bool:
        return any(title in t and text in m for t, m in self.seen)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` key by key into the focused widget."""
    await pilot.press(*["space" if c == " " else c for c in text])


async def click(pilot: Pilot[Any], target: Any) -> None:
    """Scroll `target` (a widget or selector) into view, then click it."""
    widget = pilot.app.screen.query_one(target) if isinstance(target, str) else target
    screen = pilot.app.screen
    screen.scroll_to_widget(widget, animate=False)
    await until(pilot, lambda: screen.region.contains_region(widget.region))
    await pilot.click(widget)

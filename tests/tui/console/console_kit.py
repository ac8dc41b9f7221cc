"""Helpers for the console tests: bounded waits on predicates and recording players.

No sleeps as synchronisation: every wait loops ``pilot.pause()`` until a predicate
holds, bounded by a timeout. (Not in conftest.py: test modules import these by name,
and other test directories have a conftest module of their own.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from tte import protocol as p
from tte.client.console.app import ConsoleApp
from tte.client.net import ConnState, Link, LinkStatus

ROOT = Path(__file__).resolve().parents[3]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
TIMEOUT = 10.0
SIZE = (160, 45)


async def until(pilot: Pilot[Any], predicate: Callable[[], bool], what: str = "") -> None:
    """Let the app and the network run until `predicate()` holds."""
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause()


class Player:
    """A player seat on the net.py link, recording every frame it gets."""

    def __init__(self, url: str, code: str, client: str = "tests/console") -> None:
        self.link = Link(url, code, client=client)
        self.events: list[p.EventMsg] = []
        self.clocks: list[p.ClockMsg] = []
        self.statuses: list[LinkStatus] = []
        self.welcome: p.Welcome | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> Player:
        self.link.start()
        self._task = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for item in self.link:
            if isinstance(item, p.EventMsg):
                self.events.append(item)
            elif isinstance(item, p.ClockMsg):
                self.clocks.append(item)
            elif isinstance(item, p.Welcome):
                self.welcome = item
            elif isinstance(item, LinkStatus):
                self.statuses.append(item)

    @property
    def failed(self) -> bool:
        """The server turned the link away for good (e.g. a revoked code)."""
        return any(st.state == ConnState.FAILED for st in self.statuses)

    def kinds(self, kind: str) -> list[p.EventMsg]:
        return [e for e in self.events if e.kind == kind]

    async def close(self) -> None:
        await self.link.close()
        if self._task is not None:
            await self._task


async def ready(pilot: Pilot[Any], app: ConsoleApp) -> None:
    """The console is online and has drawn the exercise."""
    await until(pilot, lambda: app.link_status.online and app.view.welcomed, "online")
    await until(pilot, lambda: app.view.last_seq >= 5, "the opening events")
    await pilot.pause()


def cell(table: DataTable[Any], key: str, column: int) -> str:
    """A cell's text, or "" while the row is not drawn yet (safe inside a wait)."""
    try:
        return str(table.get_row(key)[column])
    except RowDoesNotExist:
        return ""

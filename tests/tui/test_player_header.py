"""The seat header at 80×24 for every seat of every shipped scenario, in the worst case:
many unread items, the server gone (RECONNECTING), the clock paused, an emergency. The
second line (clock, paused/running, connection, emergency) must stay whole on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from tte import protocol as p
from tte.client.model import ClientModel, InboxItem
from tte.client.net import ConnState, LinkStatus
from tte.client.player.header import SeatHeader, seat_line, status_line
from tte.core.engine import Engine
from tte.core.scenario import load

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
WIDTH = 80 - 2  # the header's padding


def troubled(engine: Engine, seat: str, state: ConnState = ConnState.RECONNECTING) -> ClientModel:
    m = ClientModel()
    m.apply(
        p.Welcome(
            seat=p.seat_of(seat),
            seq=0,
            clock=p.ClockState(game_time="", elapsed=0.0, speed=600.0, paused=True),
            exercise=engine.welcome_info(seat),
        )
    )
    m.set_clock(9 * 86400.0 + 3600, 600.0, True, None)
    m.inbox = [InboxItem(key=f"i{n}", kind="inject", t=0.0, seq=n, title="x") for n in range(12)]
    m.emergency = True
    m.apply(LinkStatus(state, reason="connection refused", attempt=12, retry_in=30.0))
    return m


def seats_of_every_scenario() -> list[tuple[str, str]]:
    return [(path.stem, seat) for path in SCENARIOS for seat in load(path).seats() if "/" in seat]


@pytest.mark.parametrize(("scenario", "seat"), seats_of_every_scenario())
def test_the_status_line_keeps_clock_pause_reconnecting_and_emergency_at_80_columns(
    scenario: str, seat: str
) -> None:
    engine = Engine(load(SCENARIOS[[p.stem for p in SCENARIOS].index(scenario)]))
    m = troubled(engine, seat)
    first, second = seat_line(m, WIDTH), status_line(m, m.now(), WIDTH)
    assert first.cell_len <= WIDTH and second.cell_len <= WIDTH
    assert m.role_label in first.plain and "12 unread" in first.plain
    when = m.seat_datetime(m.now())
    for word in ("paused", "RECONNECTING", "⚠ EMERGENCY", when.strftime("%d %b"), f"{when:%H:%M}"):
        assert word in second.plain, (word, second.plain)


def test_a_wide_header_gives_every_detail() -> None:
    engine = Engine(load(SCENARIOS[-1]))
    m = troubled(engine, "NL/central_authority")
    first, second = seat_line(m, 150), status_line(m, m.now(), 150)
    assert "Tutorial — freeze it, then ask for it" in first.plain
    assert "Wed 11 Mar 2026" in second.plain and "(attempt 12, retry in 30s)" in second.plain


class Headers(App[None]):
    """One header per seat of the tutorial, stacked, as each player's screen shows it."""

    CSS = "SeatHeader { dock: none; margin-bottom: 1; height: 2; }"

    def __init__(self, models: list[ClientModel]) -> None:
        super().__init__()
        self.models = models

    def compose(self) -> ComposeResult:
        for _ in self.models:
            yield SeatHeader()

    def on_mount(self) -> None:
        for header, m in zip(self.query(SeatHeader), self.models, strict=True):
            header.show(m, m.now())


def test_header_of_every_tutorial_seat_at_80_columns(snap_compare: Any) -> None:
    tutorial = SCENARIOS[-1]
    assert tutorial.stem == "tutorial"
    engine = Engine(load(tutorial))
    seats = [s for s in engine.scenario.seats() if "/" in s]
    states = [ConnState.RECONNECTING, ConnState.ONLINE]
    models = [troubled(engine, s, states[i % 2]) for i, s in enumerate(seats)]
    assert len(models) * 3 <= 24
    assert snap_compare(Headers(models), terminal_size=(80, 24))


def test_header_lines_are_plain_text_not_markup() -> None:
    engine = Engine(load(SCENARIOS[-1]))
    m = troubled(engine, "RO/poc")
    m.exercise = {**m.exercise, "title": "[bold red]x[/] \x1b[2J"}
    line = seat_line(m, WIDTH)
    assert isinstance(line, Text) and "[bold red]x[/] ␛[2J" in line.plain

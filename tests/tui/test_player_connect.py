"""The connect form: an address a person mistypes gets a sentence, not a resolver error,
and after a failed join the cursor waits in the field that was wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from player_support import Seats, type_text, until
from textual.widgets import Input

from tte.client.player.app import PlayerApp
from tte.client.player.connect import ConnectScreen, server_problem

SIZE = (80, 24)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("ws//192.0.2.10:8765", "Write ws:// with a colon and two slashes: ws://192.0.2.10:8765"),
        ("ws:/host:8765/", "Write ws:// with a colon and two slashes: ws://host:8765/"),
        ("http://192.0.2.10:8765/", "tte speaks WebSocket, not HTTP: try ws://192.0.2.10:8765/"),
        ("https://tte.example.org/", "try wss://tte.example.org/"),
        ("ftp://host", "starts with ws://"),
    ],
)
def test_a_mistyped_address_is_explained(typed: str, said: str) -> None:
    assert said in server_problem(typed)


@pytest.mark.parametrize("ok", ["192.0.2.10", "host:8765", "ws://h:1/", "wss://h/", "wsl.lan"])
def test_good_addresses_pass(ok: str) -> None:
    assert server_problem(ok) == ""


def error_text(app: PlayerApp) -> str:
    found = app.screen.query("#err-connect")
    return str(found.first().render()) if found else ""


async def test_the_form_says_what_is_wrong_with_the_address(tmp_path: Path) -> None:
    app = PlayerApp(config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen))
        assert app.focused is app.screen.query_one("#server", Input)
        await type_text(pilot, "http://192.0.2.10:8765/")
        await pilot.press("tab")
        await type_text(pilot, "ABCD-EFGH-JK")
        await pilot.press("enter")
        await until(pilot, lambda: "not HTTP" in error_text(app))
        assert app.focused is app.screen.query_one("#server", Input)


async def test_a_wrong_code_puts_the_cursor_in_the_code_field(seats: Seats, tmp_path: Path) -> None:
    app = PlayerApp(seats.url, "WRONG-CODE-00", config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), timeout=20)
        await until(pilot, lambda: "Could not join" in error_text(app))
        # The cursor is placed once the screen has drawn the error: wait for it, too.
        await until(pilot, lambda: app.focused is app.screen.query_one("#code", Input))


async def test_an_unreachable_server_puts_the_cursor_in_the_server_field(
    tmp_path: Path,
) -> None:
    app = PlayerApp("ws://127.0.0.1:9/", "ABCD-EFGH-JK", config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), timeout=30)
        await until(pilot, lambda: "Could not join" in error_text(app))
        await until(pilot, lambda: app.focused is app.screen.query_one("#server", Input))


async def test_the_servers_refusal_is_drawn_in_the_readers_language(
    seats: Seats, tmp_path: Path
) -> None:
    # The server sends the refusal as data (message_key): the app draws it in French.
    app = PlayerApp(seats.url, "WRONG-CODE-00", config=tmp_path / "cfg", lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectScreen), timeout=20)
        await until(pilot, lambda: "code d'accès inconnu" in error_text(app))
        assert "unknown join code" not in error_text(app)

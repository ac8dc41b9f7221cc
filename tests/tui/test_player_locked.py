"""Under the SSH gateway (TTE_LOCKED=1) the player app runs on the gateway's machine: the
connect screen's server is fixed (no fetching other URLs from there) and a screenshot
writes no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tte.client.player.app import PlayerApp
from tte.client.player.connect import ConnectScreen


@pytest.mark.parametrize("locked", [True, False])
async def test_the_gateways_connect_screen_fixes_the_server_and_writes_no_screenshot(
    locked: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if locked:
        monkeypatch.setenv("TTE_LOCKED", "1")
    else:
        monkeypatch.delenv("TTE_LOCKED", raising=False)
    app = PlayerApp("ws://127.0.0.1:9/", None, config=tmp_path / "c")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            if isinstance(app.screen, ConnectScreen):
                break
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        server = screen.query_one("#server", Input)
        assert server.disabled is locked
        if locked:  # the palette's Screenshot writes nothing into the gateway's home
            assert app.deliver_screenshot(path=str(tmp_path / "shots")) is None
            assert not (tmp_path / "shots").exists()
        if locked:
            server.value = "http://169.254.169.254/internal-admin?delete=all"
            screen.query_one("#code", Input).value = "K7QX-3MPD-9W"
            chosen: list[tuple[str, str]] = []
            screen.dismiss = chosen.append  # type: ignore[method-assign,assignment]
            screen._join()
            assert chosen == [("ws://127.0.0.1:9/", "K7QX-3MPD-9W")]


async def test_over_ssh_a_server_that_never_answers_gives_a_clear_message_quickly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A server that takes the WebSocket and then says nothing (hung, or not tte): the
    gateway's connect screen comes back within the short timeout, says what happened,
    and leaves the cursor in the code field (the server field cannot be edited)."""
    from player_support import until
    from websockets.asyncio.server import ServerConnection, serve

    import tte.client.player.app as player_app

    async def silent(ws: ServerConnection) -> None:
        await ws.wait_closed()

    monkeypatch.setenv("TTE_LOCKED", "1")
    monkeypatch.setattr(player_app, "LOCKED_TIMEOUT", 0.5)
    async with serve(silent, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        app = PlayerApp(f"ws://127.0.0.1:{port}/", "K7QX-3MPD-9W", config=tmp_path / "c")
        async with app.run_test(size=(80, 24)) as pilot:

            def said() -> str:
                found = app.screen.query("#err-connect")
                return str(found.first().render()) if found else ""

            await until(pilot, lambda: "Could not reach the exercise server" in said())
            assert "did not answer within 0.5 s" in said()
            assert isinstance(app.screen, ConnectScreen)
            assert app.focused is app.screen.query_one("#code", Input)

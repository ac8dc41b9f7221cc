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

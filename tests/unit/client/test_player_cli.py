"""`tte play` arguments: the code may come from TTE_CODE (kept out of `ps`)."""

from __future__ import annotations

import argparse

import pytest

from tte.client.player import add_arguments
from tte.client.player.app import client_name


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_code_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTE_CODE", "K7QX-3MPD-9W")
    assert parse(["ws://127.0.0.1:8765/"]).code == "K7QX-3MPD-9W"
    assert parse(["ws://127.0.0.1:8765/", "--code", "AAAA-BBBB-CC"]).code == "AAAA-BBBB-CC"


def test_no_code_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTE_CODE", raising=False)
    assert parse([]).code is None


def test_client_name_says_how_the_player_came(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTE_CLIENT", raising=False)
    assert client_name() == "tte-play"
    monkeypatch.setenv("TTE_CLIENT", "ssh-gateway")
    assert client_name() == "tte-play (ssh-gateway)"

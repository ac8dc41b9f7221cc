"""`tte roster DIR [--json]` prints what `tte serve` wrote."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from wsclient import make_server

from tte.core.scenario import Scenario
from tte.server.app import add_roster_arguments, add_serve_arguments, main_roster


def parse(adder: object, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    adder(parser)  # type: ignore[operator]
    return parser.parse_args(argv)


async def test_roster_text_and_json(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = make_server(scenario, tmp_path / "ex")
    await srv.stop()
    assert main_roster(parse(add_roster_arguments, [str(tmp_path / "ex")])) == 0
    text = capsys.readouterr().out
    assert srv.roster.facilitator in text and srv.roster.seats["NL/poc"] in text
    assert main_roster(parse(add_roster_arguments, [str(tmp_path / "ex"), "--json"])) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["facilitator"] == srv.roster.facilitator and d["exercise"] == "tutorial"
    assert main_roster(parse(add_roster_arguments, [str(tmp_path / "nothing")])) == 1


def test_serve_arguments_defaults() -> None:
    args = parse(add_serve_arguments, ["scenarios/tutorial.yaml"])
    assert (args.host, args.port, args.data, args.tls_cert, args.tls_key) == (
        "0.0.0.0", 8765, None, None, None,
    )  # fmt: skip


def test_join_urls_list_every_lan_address() -> None:
    from tte.server.lan import join_urls, lan_addresses

    urls = join_urls("0.0.0.0", 8765)
    assert urls[-1] == "ws://127.0.0.1:8765/"
    assert urls[:-1] == [f"ws://{a}:8765/" for a in lan_addresses()]
    assert not any(u.startswith("ws://127.") for u in urls[:-1])
    assert join_urls("10.0.0.7", 9000, tls=True) == ["wss://10.0.0.7:9000/"]
    assert join_urls("::1", 1) == ["ws://[::1]:1/"]

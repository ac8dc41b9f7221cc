"""A scenario whose welcome cannot fit in a frame is refused before anyone tries to join."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from tte.cli import main
from tte.core.scenario import Scenario, find, load
from tte.server import ExerciseServer
from tte.server.exercise import ServerError
from tte.server.welcome_size import unsendable


def too_big() -> Scenario:
    sc = load(find("tutorial"))
    briefing = "The case, told at length. " * 3000  # ~78 kB: every seat's welcome holds it
    return msgspec.structs.replace(
        sc, exercise=msgspec.structs.replace(sc.exercise, briefing=briefing)
    )


def test_every_seat_whose_welcome_holds_a_text_over_a_frame_is_named() -> None:
    sc = too_big()
    over = unsendable(sc)
    assert set(over) == {"facilitator", "observer", *sc.seats()}
    assert all("'briefing' is over a frame" in why for why in over.values())
    assert unsendable(load(find("tutorial"))) == {}


def test_the_server_refuses_to_host_a_scenario_too_big_to_send(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match=r"too big to send.*facilitator's welcome"):
        ExerciseServer(too_big(), tmp_path / "data")


def test_validate_names_each_seat_whose_welcome_cannot_be_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(msgspec.yaml.encode(too_big()))
    assert main(["validate", "--lang", "en", str(path)]) == 1
    out = capsys.readouterr().out
    assert "the facilitator seat's welcome cannot be sent" in out
    assert "the RO/investigator seat's welcome cannot be sent" in out
    assert "a frame holds 64 KiB" in out

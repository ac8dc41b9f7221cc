"""Start fresh or resume, said out loud: `tte host` never silently resumes an exercise kept
in the per-user folder; `tte list` shows what is kept there and how to remove it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tte import host
from tte.cli import build_parser, main


def host_args(*argv: str) -> Any:
    return build_parser(["host"]).parse_args(["host", *argv])


@pytest.fixture
def played(tmp_path: Path) -> Path:
    """A per-user folder holding one played tutorial."""
    data = tmp_path / "tte" / "tutorial"
    assert main(["simulate", "tutorial", "--policy", "golden", "--data", str(data)]) == 0
    return data


def test_a_kept_exercise_is_not_resumed_without_asking(played: Path) -> None:
    with pytest.raises(SystemExit) as e:  # no terminal to ask on (stdin is not a tty here)
        host.fresh_or_resume(played, host_args())
    assert "--resume" in str(e.value) and "--new" in str(e.value)


def test_the_answer_r_resumes_and_q_starts_nothing(
    played: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert host.fresh_or_resume(played, host_args(), ask=lambda q: "r") == played
    assert (played / "events.sqlite").exists()
    with pytest.raises(SystemExit, match="nothing started"):
        host.fresh_or_resume(played, host_args(), ask=lambda q: "q")


def test_new_keeps_the_old_exercise_aside(played: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert host.fresh_or_resume(played, host_args("--new")) == played
    assert not played.exists()  # the server starts a fresh log here
    (aside,) = [d for d in played.parent.iterdir() if d.name.startswith("tutorial-")]
    assert (aside / "events.sqlite").exists()
    assert str(aside) in capsys.readouterr().out


def test_resume_needs_an_exercise(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no exercise to resume"):
        host.fresh_or_resume(tmp_path / "none", host_args("--resume"))


def test_naming_the_directory_resumes_it(played: Path) -> None:
    assert host.fresh_or_resume(played, host_args("--data", str(played))) == played


def test_tte_list_shows_kept_exercises_and_how_to_remove_them(
    played: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--root", str(played.parent)]) == 0
    out = capsys.readouterr().out
    assert str(played) in out and "events" in out and "Tutorial" in out
    assert f"rm -r {played}" in out and "tte host --data DIR" in out

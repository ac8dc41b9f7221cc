"""The command line: exit codes, messages and the simulate outcome contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tte.cli import main

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(TUTORIAL)]) == 0
    assert capsys.readouterr().out.strip() == f"{TUTORIAL}: ok"


def test_validate_lists_every_problem_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    text = TUTORIAL.read_text().replace("holder: polderhost", "holder: nowhere", 1)
    text = text.replace("to: [RO/investigator, RO/poc]", "to: [XX/poc]")
    bad.write_text(text)
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"{bad}: evidence[0].holder: unknown organisation 'nowhere'" in lines
    assert any(line.startswith(f"{bad}: injects[1].to[0]: unknown country 'XX'") for line in lines)
    assert len(lines) == 2


def test_validate_yaml_syntax_error_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("exercise:\n  id: x\n  title: [unclosed\ncountries: []\n")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}: line ")
    assert "YAML syntax error" in out


def test_validate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/nonexistent/scenario.yaml"]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("policy", "score", "admissible", "lost"), [("golden", 100, 2, 0), ("careless", 0, 0, 1)]
)
def test_simulate_json_outcome(
    policy: str, score: int, admissible: int, lost: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", str(TUTORIAL), "--policy", policy, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"score", "evidence", "objectives", "events", "decisions"}
    assert out["decisions"]["RO/investigator"] > 0  # per seat, from the run's log
    assert out["score"] == score
    assert out["evidence"]["admissible"] == admissible
    assert out["evidence"]["lost"] == lost
    assert out["evidence"]["total"] == 2
    assert [o["id"] for o in out["objectives"]] == [
        "preserve_logs",
        "logs_admissible",
        "subscriber_admissible",
    ]
    assert out["events"] > 0


def test_simulate_writes_event_log_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tte.server.log import read_events

    data = tmp_path / "run"
    assert main(["simulate", "tutorial", "--data", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    events = read_events(data / "events.sqlite")
    assert len(events) == out["events"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert main(["simulate", "tutorial", "--data", str(data)]) == 2
    assert "already holds an exercise" in capsys.readouterr().err


def test_unknown_scenario_name_lists_shipped_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "no-such-scenario"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tte: no scenario file 'no-such-scenario'")
    assert (
        "shipped scenarios: bucharest-preservation-mla, eu-e-evidence-2026, "
        "lisbon-ransomware-2ap, tutorial"
    ) in err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.metadata

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out == f"tte {importlib.metadata.version('tte')}\n"


def test_validate_pedagogy_warns_about_a_seat_with_nothing_to_decide(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "--pedagogy", str(TUTORIAL)]) == 0  # warnings do not fail it
    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if "warning:" in line]
    assert all("fewer than two decisions" in line for line in warned)
    assert out.rstrip().endswith("ok")


def test_simulate_prints_decisions_per_seat(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(TUTORIAL)]) == 0
    out = capsys.readouterr().out
    assert "decisions per seat" in out and "* RO/investigator" in out


def test_simulate_at_human_speed(capsys: pytest.CaptureFixture[str]) -> None:
    """--drafting MINUTES plays each form at a person's pace (wall minutes at the scenario's
    speed): an unhurried correct team still wins the tutorial, a careless one still loses,
    and a pace so slow that the logs rotate before the preservation leaves loses them."""
    argv = ["simulate", "tutorial", "--json", "--drafting"]
    assert main([*argv, "5"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 100
    assert main([*argv, "5", "--policy", "careless"]) == 0
    assert json.loads(capsys.readouterr().out)["evidence"]["lost"] == 1
    assert main([*argv, "20", "--deciding", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["evidence"]["lost"] == 1
    for bad, says in (("lots", "'lots' is not a number of minutes"), ("500", "0 to 120")):
        with pytest.raises(SystemExit) as exit_:
            main(["simulate", "tutorial", "--drafting", bad])
        assert exit_.value.code == 2 and says in capsys.readouterr().err
    assert main(["simulate", "tutorial", "--drafting", "5"]) == 0
    assert "5 wall min per form" in capsys.readouterr().out

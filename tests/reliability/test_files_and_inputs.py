"""Files and crafted inputs: each test is the attack, then the refusal.

- a data directory writable by others, or another user's, is refused with a clear line;
- a planted ``roster.json.tmp`` (a symlink to a file of the attacker's choice) is never
  written through;
- a YAML alias bomb is refused at once;
- ``inject.move`` at NaN or infinity is refused (it would jam every timer);
- ``tte report`` on a crafted log says so in one line, without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

import msgspec
import pytest

from tte.core.scenario import load, parse
from tte.report import main as report_main
from tte.server import ExerciseServer
from tte.server.exercise import ServerError

from .support import TUTORIAL

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from wsclient import Client


def test_a_data_directory_others_may_write_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, 0o777)
    with pytest.raises(ServerError, match="may be written by other users"):
        ExerciseServer(load(TUTORIAL), data)
    assert not (data / "roster.json").exists()


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a directory to another user")
def test_another_users_data_directory_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    os.chown(data, 65534, 65534)
    with pytest.raises(ServerError, match="belongs to another user"):
        ExerciseServer(load(TUTORIAL), data)


def test_a_world_readable_data_directory_of_ours_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    srv = ExerciseServer(load(TUTORIAL), data)
    srv.log.close()
    assert (os.stat(data).st_mode & 0o777) == 0o700


def test_a_planted_roster_tmp_symlink_is_never_written_through(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    target = tmp_path / "attacker-reads-this"
    target.write_text("")
    (data / "roster.json.tmp").symlink_to(target)
    srv = ExerciseServer(load(TUTORIAL), data)
    srv.log.close()
    assert target.read_text() == ""
    assert (os.stat(data / "roster.json").st_mode & 0o777) == 0o600
    assert srv.roster.facilitator in (data / "roster.json").read_text()


def test_a_yaml_alias_bomb_is_refused_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 1000
    sc, problems = parse(bomb)  # refused before the aliases are expanded
    assert sc is None and "aliases" in problems[0].message


@pytest.mark.parametrize("at", [float("nan"), float("inf"), 1e300])
async def test_inject_move_to_a_time_that_is_not_finite_is_refused(
    server: ExerciseServer, at: float
) -> None:
    fac = await Client.open(f"ws://127.0.0.1:{server.port}/")
    await fac.hello(server.roster.facilitator)
    iid = next(i.id for i in server.scenario.injects if i.id != "start")
    before = server.engine.state.seq
    res = await fac.cmd("inject.move", {"id": iid, "at": at})
    assert not res.ok and res.error and res.error.code == "bad_args"
    assert server.engine.state.seq == before
    await fac.close()


@pytest.mark.parametrize("crafted", [{"t": float("nan")}, {"t": 1e308}, {"data": {}}])
async def test_tte_report_refuses_a_crafted_log_in_one_line(
    tmp_path: Path, crafted: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    srv = ExerciseServer(load(TUTORIAL), data)
    await srv.start("127.0.0.1", 0)
    await srv.stop()
    db = sqlite3.connect(data / "events.sqlite")
    seq, blob = db.execute("SELECT seq, record FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    record = msgspec.msgpack.decode(blob)
    record.update(crafted)
    db.execute("UPDATE events SET record = ? WHERE seq = ?", (msgspec.msgpack.encode(record), seq))
    db.commit()
    db.close()
    args = argparse.Namespace(data=str(data), scenario=None, out=str(tmp_path / "out"))
    try:
        rc = report_main(args)
    except Exception as e:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"tte report raised {e!r}")
    err = capsys.readouterr().err
    if "t" in crafted:  # a time no clock can hold: refused
        assert rc == 1
    if rc != 0:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert "damaged" in err


SHADOW = "root:*:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n"
SECRET_KEYS = TUTORIAL.read_text(encoding="utf-8") + (
    '\n"root:*:20228:0:99999:7:::\\e]52;c;aGk=\\a and the rest of a secret line": 1\n'
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (SHADOW.encode(), "not a tte scenario"),
        (b"db_password: hunter2\napi_key: sk-0123456789abcdef\n", "not a tte scenario"),
        (bytes(range(256)) * 20, "not UTF-8 text"),
        (SECRET_KEYS.encode(), "unknown field `root:*:20228:0:99999:7:…`"),
    ],
    ids=["shadow", "foreign mapping", "binary", "foreign keys"],
)
def test_tte_validate_names_the_problem_without_echoing_foreign_content(
    tmp_path: Path, content: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tte.cli import main as cli_main

    f = tmp_path / "given.yaml"
    f.write_bytes(content)
    assert cli_main(["validate", str(f)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert expected in text and str(f) in text
    for secret in ("hunter2", "sk-0123", "20228:0:99999:7:::\n", "secret line", "\x1b", "\x07"):
        assert secret not in text
    assert all(len(line) < 400 for line in text.splitlines())


def test_tte_validate_refuses_a_device_and_a_huge_file_without_reading_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tte.cli import main as cli_main

    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    assert cli_main(["validate", "/dev/zero", str(huge)]) == 1
    err = capsys.readouterr().err
    assert "/dev/zero: (file): not a regular file" in err
    assert "huge.yaml: (file): over 4 MiB: not a scenario" in err


async def test_a_crafted_logs_stored_scenario_is_reported_without_its_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    srv = ExerciseServer(load(TUTORIAL), data)
    await srv.start("127.0.0.1", 0)
    await srv.stop()
    db = sqlite3.connect(data / "events.sqlite")
    db.execute("UPDATE meta SET value = ? WHERE key = 'scenario_yaml'", (SECRET_KEYS,))
    db.commit()
    db.close()
    args = argparse.Namespace(data=str(data), scenario=None, out=str(tmp_path / "out"))
    assert report_main(args) != 0
    err = capsys.readouterr().err
    assert "unknown field `root:*:20228:0:99999:7:…`" in err
    assert "secret line" not in err and "\x1b" not in err and "Traceback" not in err
    from tte.client.replay.source import ReplayError, ReplayLog  # tte replay's reader

    with pytest.raises(ReplayError) as refused:
        ReplayLog.open(data)
    said = str(refused.value)
    assert "unknown field `root:*:20228:0:99999:7:…`" in said
    assert "secret line" not in said and "\x1b" not in said

"""The files `tte report` writes: HTML well-formed and self-contained, CSV complete."""

from __future__ import annotations

import base64
import csv
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tte import cli
from tte.report.render_md import md

from .conftest import HOSTILE, TUTORIAL, Run

VOID = {"meta", "img", "br", "hr", "link", "input"}


class _Checker(HTMLParser):
    """Every non-void tag closed in order; every src/href a data: URI or an anchor."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.images: list[str] = []
        self.anchors: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            v = a.get(key)
            if v is None:
                continue
            if v.startswith("#"):
                self.anchors.append(v[1:])
            elif v.startswith("data:image/png;base64,"):
                self.images.append(v)
            else:
                self.errors.append(f"external {key}={v[:60]}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def _check_html(path: Path) -> _Checker:
    text = path.read_text(encoding="utf-8")
    ET.fromstring(text.removeprefix("<!DOCTYPE html>"))  # well-formed
    chk = _Checker()
    chk.feed(text)
    chk.close()
    assert not chk.errors and not chk.stack, (chk.errors, chk.stack)
    assert chk.scripts == 0
    assert set(chk.anchors) <= chk.ids
    for uri in chk.images:
        png = base64.b64decode(uri.split(",", 1)[1], validate=True)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return chk


@pytest.mark.parametrize("name", ["golden", "careless", "hotwash"])
def test_html_is_valid_and_self_contained(name: str, request: pytest.FixtureRequest) -> None:
    run: Run = request.getfixturevalue(name)
    chk = _check_html(run.out / "report.html")
    assert len(chk.images) >= 2  # timeline and response times
    md_text = (run.out / "report.md").read_text(encoding="utf-8")
    for section in ("## Summary", "## Evidence", "## Mistakes", "## Improvement plan"):
        assert section in md_text
    for link in (line for line in md_text.splitlines() if line.startswith("![")):
        assert (run.out / link.split("](", 1)[1].rstrip(")")).is_file()


@pytest.mark.parametrize("name", ["golden", "careless", "hotwash"])
def test_csv_rows_match_events_and_requests(name: str, request: pytest.FixtureRequest) -> None:
    run: Run = request.getfixturevalue(name)
    with (run.out / "events.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(run.events)
    assert [int(r["seq"]) for r in rows] == [e.seq for e in run.events]
    for r, e in zip(rows, run.events, strict=True):
        assert r["kind"] == e.kind and float(r["elapsed_s"]) == e.t
        assert r["game_time"] == run.scenario.game_datetime(e.t).isoformat()
        assert json.loads(r["data"]) == json.loads(json.dumps(e.data, default=str))
    with (run.out / "requests.csv").open(encoding="utf-8") as f:
        reqs = list(csv.DictReader(f))
    submitted = {e.data["request"]["id"]: e.t for e in run.events if e.kind == "request_submitted"}
    assert [r["id"] for r in reqs] == list(submitted)
    for r in reqs:
        assert float(r["created_s"]) == submitted[r["id"]]
        if r["response_s"]:
            assert float(r["response_s"]) == float(r["answered_s"]) - float(r["created_s"])


def test_player_text_is_escaped(hotwash: Run) -> None:
    html_text = (hotwash.out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    md_text = (hotwash.out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md_text and "[link](http" not in md_text
    assert "More injects" in md_text and "Performed with major challenges" in md_text
    assert "Hot wash survey" in md_text and "mean 3.67/5" in md_text


def test_markdown_cells_cannot_break_tables() -> None:
    out = md(HOSTILE + "\nsecond line")
    assert "|" not in out.replace("\\|", "")
    assert "\n" not in out and "<" not in out


def test_errors_name_what_is_missing(
    hotwash: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["report", str(hotwash.data), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "scenario_yaml" in err and "--scenario" in err
    assert cli.main(["report", str(tmp_path / "nowhere")]) == 1
    assert "no event log" in capsys.readouterr().err


def test_wrong_scenario_is_refused(
    hotwash: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(TUTORIAL.read_text(encoding="utf-8").replace("id: tutorial", "id: other"))
    assert cli.main(["report", str(hotwash.data), "--scenario", str(other)]) == 1
    assert "holds exercise 'tutorial'" in capsys.readouterr().err


def test_the_debrief_names_the_replay_of_this_exercise(golden: Run) -> None:
    """report.md and report.html say how to replay this very run and rerun it."""
    md_text = (golden.out / "report.md").read_text(encoding="utf-8")
    debrief = md_text.split("## Debrief", 1)[1].split("\n## ", 1)[0]
    assert f"tte replay {golden.data}" in debrief
    assert f"tte host --from {golden.data} --at SEQ" in debrief
    html = (golden.out / "report.html").read_text(encoding="utf-8")
    assert f"tte replay {golden.data}" in html.split('id="debrief"', 1)[1]

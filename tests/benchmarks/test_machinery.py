"""`make bench`'s own machinery at toy size: it must measure what it says. Every client
gets the frame, tte and the bare baseline deliver the very same bytes, and the results
table renders each verdict. No figure is asserted: speed is measured by `make bench`,
never by a test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench import procs, rows
from bench.__main__ import render


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> rows.Ctx:
    monkeypatch.setenv("TTE_BENCH_TMP", str(tmp_path))  # the work dirs land in tmp_path
    return rows.Ctx(quick=True, profile_dir=None)


def test_fanout_reaches_every_client_with_the_frame_tte_sent(ctx: rows.Ctx) -> None:
    srv, work = rows.start_tte_bench(ctx, "fanout")
    bare = procs.start_baseline("broadcast", work / "bare")
    try:
        roster = srv.roster()
        res = rows._fanout(
            [
                rows._target("tte", srv, roster, 6, "tte"),
                rows._target("bare", bare, roster, 6, "bare"),
            ],
            reps=3,
        )
    finally:
        srv.stop()
        bare.stop()
    tte, bb = res["tte"], res["bare"]
    for r in (tte, bb):
        assert r["missing"] == 0 and r["closed"] == 0, r
        assert len(r["last_us"]) == 3 and all(us > 0 for us in r["last_us"]), r
    # The baseline broadcast the exact event frame tte delivered (token swapped).
    assert bb["frame_bytes"] == tte["frame_bytes"] > 3000  # the inject names 200 seats
    assert tte["metrics"]["tte_clients_dropped_total"] == 0


def test_results_table_shows_each_verdict(ctx: rows.Ctx) -> None:
    lines = [
        rows.Line("met", "1 ms", "2 ms", 0.5, "≤ 1.5 × bare", True, "a note"),
        rows.Line("missed", "3 ms", "1 ms", 3.0, "≤ 1.5 × bare", False),
        rows.Line("shown", "3 ms", "2 ms", 1.5, "— (information)", None),
    ]
    text = render(lines, ctx, time.monotonic(), ["fanout"], "0 0 0", ["ssh: no ssh here"])
    table = text.split("| what |", 1)[1]
    assert "| met | 1 ms | 2 ms | 0.50× | ≤ 1.5 × bare | **pass** |" in table
    assert "| missed | 3 ms | 1 ms | 3.00× | ≤ 1.5 × bare | **FAIL** |" in table
    assert "| shown | 3 ms | 2 ms | 1.50× | — (information) | — |" in table
    assert "- **met**: a note" in text and "ssh: no ssh here" in text
    assert "- Commit: " in text and "- CPU: " in text

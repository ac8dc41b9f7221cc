"""The short soak of `make test`: 50 scripted clients for 20 s against a server process
(`make soak` runs 500 for 10 minutes: python -m bench.soak)."""

from __future__ import annotations

from pathlib import Path

from .soak import run_soak
from .support import write_figures


async def test_short_soak(tmp_path: Path) -> None:
    figs = await run_soak(50, 20.0, workers=1, pace=(0.5, 2.0), submit_p=0.15,
                          sample_every=2.0, data_root=tmp_path)  # fmt: skip
    assert not figs["errors"], figs["errors"]
    assert figs["commands_ok"] > 100, figs
    write_figures("soak_short", {k: v for k, v in figs.items() if k != "rss_samples"})

"""Writing a report's files: report.html, report.md, events.csv, requests.csv, charts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tte.core.events import Event
from tte.core.scenario import Scenario

from . import charts as charts_mod
from . import csv_out, document, render_html, render_md
from .figures import Report, compute


@dataclass
class Written:
    report: Report
    files: list[Path]


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80] + ".png"


def write_report(
    scenario: Scenario,
    events: list[Event],
    out: Path,
    footer: str = "",
    data: Path | None = None,
) -> Written:
    """Write the report of `events` into `out`; `data` (the exercise's data directory) is
    named in the debrief section as what `tte replay` opens."""
    rep = compute(scenario, events)
    out.mkdir(parents=True, exist_ok=True)
    pngs = charts_mod.all_charts(rep)
    chart_dir = out / "charts"
    paths: dict[str, str] = {}
    files: list[Path] = []
    if pngs:
        chart_dir.mkdir(exist_ok=True)
    for name, png in pngs.items():
        p = chart_dir / _file_name(name)
        p.write_bytes(png)
        paths[name] = f"charts/{p.name}"
        files.append(p)
    doc = document.build(rep, set(pngs), data)
    html_path = out / "report.html"
    html_path.write_text(render_html.render(doc, pngs, footer), encoding="utf-8")
    md_path = out / "report.md"
    md_path.write_text(render_md.render(doc, paths, footer), encoding="utf-8")
    ev_path, rq_path = out / "events.csv", out / "requests.csv"
    csv_out.write_events(rep, ev_path)
    csv_out.write_requests(rep, rq_path)
    return Written(rep, [html_path, md_path, ev_path, rq_path, *files])

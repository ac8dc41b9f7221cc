"""The figures tab: the after-action report's key numbers, live (see keyfigures.py)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .fmt import format_duration, game_time
from .keyfigures import MISTAKES, ChannelFigures, KeyFigures
from .table import Cell, KeyedTable
from .view import ConsoleView


class FiguresPane(Vertical):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.figures: KeyFigures | None = None

    def compose(self) -> ComposeResult:
        self.summary = Static("Figures are computed while this tab is open…", id="figures-summary")
        self.summary.add_class("info")
        yield self.summary
        yield Static("Response times per channel (request to answer)", classes="heading")
        self.table = KeyedTable(
            [
                ("Channel", "channel", 16),
                ("Requests", "count", 9),
                ("Answered", "answered", 9),
                ("Median", "median", 12),
                ("Worst", "worst", 12),
                ("Legal limit", "limit", 12),
                ("Over limit", "over", 10),
            ],
            id="figures-table",
        )
        yield self.table

    def show(self, view: ConsoleView, f: KeyFigures) -> None:
        self.figures = f
        self.summary.update(summary_text(view, f))
        for c in f.channels:
            self.table.upsert(c.channel, _channel_cells(c))


def summary_text(view: ConsoleView, f: KeyFigures) -> Text:
    out = Text()
    out.append("Requests: ", style="bold")
    out.append(f"{f.requests} sent, {f.answered} answered\n")
    out.append("Evidence: ", style="bold")
    ev = f.evidence
    if ev is None:
        out.append("needs the scenario\n", style="dim")
    else:
        out.append(
            f"{ev['total']} items: {ev['preserved']} preserved, {ev['lost']} lost, "
            f"{ev['obtained']} obtained, {ev['admissible']} admissible at trial\n"
        )
    out.append("Mistakes: ", style="bold")
    out.append(
        "; ".join(f"{MISTAKES[k]} {n}" for k, n in f.mistakes.items() if k in MISTAKES) + "\n"
    )
    out.append("Survey: ", style="bold")
    out.append(f"{f.survey_answers} answers from {f.respondents} respondents")
    out.append("   Ratings: ", style="bold")
    out.append(str(f.ratings))
    if f.score is not None:
        out.append("   Score if it ended now: ", style="bold")
        out.append(f"{f.score}/100")
    out.append(f"\nAs of event {f.seq} ({game_time(view.start, f.t)})", style="dim")
    for note in f.notes:
        out.append(f"\n{note}", style="yellow")
    return out


def _dur(x: float | None) -> str:
    return "—" if x is None else format_duration(x)


def _channel_cells(c: ChannelFigures) -> list[Cell]:
    late = c.median is not None and c.limit is not None and c.median > c.limit
    return [
        c.channel,
        str(c.count),
        str(c.answered),
        Text(_dur(c.median), style="bold red" if late else ""),
        Text(_dur(c.worst), style="red" if c.over_limit else ""),
        _dur(c.limit),
        Text(str(c.over_limit), style="bold red" if c.over_limit else "dim"),
    ]

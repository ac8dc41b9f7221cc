"""The figures tab: the after-action report's key numbers, live (see keyfigures.py)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tte.i18n import N_, _

from .fmt import format_duration, game_time
from .keyfigures import MISTAKES, ChannelFigures, KeyFigures
from .table import Cell, KeyedTable
from .view import ConsoleView


class FiguresPane(Vertical):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.figures: KeyFigures | None = None

    def compose(self) -> ComposeResult:
        self.summary = Static(
            _("Figures are computed while this tab is open…"), id="figures-summary"
        )
        self.summary.add_class("info")
        yield self.summary
        yield Static(_("Response times per channel (request to answer)"), classes="heading")
        self.table = KeyedTable(
            [
                (N_("Channel"), "channel", 16),
                (N_("Requests"), "count", 9),
                (N_("Answered"), "answered", 9),
                (N_("Median"), "median", 12),
                (N_("Worst"), "worst", 12),
                (N_("Legal limit"), "limit", 12),
                (N_("Over limit"), "over", 10),
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
    out.append(_("Requests:") + " ", style="bold")
    out.append(_("{sent} sent, {answered} answered").format(sent=f.requests, answered=f.answered))
    out.append("\n")
    out.append(_("Evidence:") + " ", style="bold")
    ev = f.evidence
    if ev is None:
        out.append(_("needs the scenario") + "\n", style="dim")
    else:
        out.append(
            _(
                "{total} items: {preserved} preserved, {lost} lost, {obtained} obtained, "
                "{admissible} admissible at trial"
            ).format(**ev)
            + "\n"
        )
    out.append(_("Mistakes:") + " ", style="bold")
    out.append(
        "; ".join(f"{_(MISTAKES[k])} {n}" for k, n in f.mistakes.items() if k in MISTAKES) + "\n"
    )
    out.append(_("Survey:") + " ", style="bold")
    answers = _("{answers} answers from {respondents} respondents")
    out.append(answers.format(answers=f.survey_answers, respondents=f.respondents))
    out.append("   " + _("Ratings:") + " ", style="bold")
    out.append(str(f.ratings))
    if f.score is not None:
        out.append("   " + _("Score if it ended now:") + " ", style="bold")
        out.append(f"{f.score}/100")
    as_of = _("As of event {seq} ({when})").format(seq=f.seq, when=game_time(view.start, f.t))
    out.append("\n" + as_of, style="dim")
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

"""The after-action report's key numbers, live: no UI, no I/O.

With the scenario (always under ``tte host``) they come from
:func:`tte.report.figures.compute` on the events the console holds, so they are the
report's own numbers. Without it (a remote ``tte console`` started without
``--scenario``) the figures that need no scenario are read from the console's view the
way the report reads them; evidence and wrong channels are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

from tte.core.events import Event
from tte.core.scenario import Scenario
from tte.i18n import _
from tte.report.document import MISTAKE_TITLES as MISTAKES
from tte.report.figures import Report
from tte.report.figures import compute as report_figures

if TYPE_CHECKING:
    from .view import ConsoleView

ANSWERED = frozenset({"fulfilled", "refused"})  # as tte.report.figures
__all__ = ["MISTAKES", "ChannelFigures", "KeyFigures", "compute", "from_report", "from_view"]
_MISTAKE_EVENTS = {
    "request_returned": "returned",
    "request_refused": "refused",
    "request_expired": "expired",
    "tip_off": "tip_off",
    "preservation_lapsed": "lapsed",
}


@dataclass
class ChannelFigures:
    channel: str
    count: int  # requests sent on it
    answered: int  # with a response time (fulfilled or refused)
    median: float | None  # response time, game seconds
    worst: float | None
    limit: float | None  # the legal limit when all its requests share one
    over_limit: int


@dataclass
class KeyFigures:
    seq: int  # the last event counted
    t: float  # its game time
    requests: int
    answered: int
    channels: list[ChannelFigures]
    mistakes: dict[str, int]  # MISTAKES key -> count; wrong_channel absent without scenario
    survey_answers: int  # submissions
    respondents: int
    ratings: int
    evidence: dict[str, int] | None = None  # total, preserved, lost, obtained, admissible
    score: int | None = None
    full: bool = True  # from tte.report.figures (False: the no-scenario subset)
    notes: list[str] = field(default_factory=list)


def from_report(rep: Report) -> KeyFigures:
    s = rep.summary
    last = rep.events[-1] if rep.events else None
    mistakes = {k: 0 for k in MISTAKES}
    for m in rep.mistakes:
        if m.kind in mistakes:  # the report's own kinds (evidence lost...) stay in it
            mistakes[m.kind] += 1
    return KeyFigures(
        seq=last.seq if last else 0,
        t=last.t if last else 0.0,
        requests=s.requests,
        answered=s.answered,
        channels=[
            ChannelFigures(
                st.key[0], st.count, st.answered, st.median, st.worst, st.limit, st.over_limit
            )
            for st in rep.by_channel
        ],
        mistakes=mistakes,
        survey_answers=rep.survey.submissions,
        respondents=rep.survey.respondents,
        ratings=len(rep.ratings),
        evidence=dict(s.evidence),
        score=s.score,
    )


def compute(scenario: Scenario, events: list[Event]) -> KeyFigures:
    """The report's figures (replays the engine: run it off the UI thread)."""
    return from_report(report_figures(scenario, events))


def from_view(view: ConsoleView) -> KeyFigures:
    """What needs no scenario, from the request snapshots and the events."""
    events = view.events
    end = events[-1].t if events else 0.0
    groups: dict[str, list[tuple[float | None, float | None, bool]]] = defaultdict(list)
    answered = 0
    for row in view.requests.values():
        s = row.req
        created = s.created
        done = s.answered_at
        response = None
        if done is not None and row.status in ANSWERED:
            response = done - created
            answered += 1
        stop = done if done is not None else end
        late = row.limit is not None and (
            row.status == "expired" or stop - created > float(row.limit)
        )
        groups[s.channel].append((response, row.limit, late))
    channels = []
    for ch in sorted(groups):
        rows = groups[ch]
        times = [x for x, _, _ in rows if x is not None]
        limits = {lim for _, lim, _ in rows}
        channels.append(
            ChannelFigures(
                ch,
                len(rows),
                len(times),
                median(times) if times else None,
                max(times) if times else None,
                limits.pop() if len(limits) == 1 else None,
                sum(1 for _, _, late in rows if late),
            )
        )
    mistakes = {k: 0 for k in MISTAKES if k != "wrong_channel"}
    respondents: set[str] = set()
    for e in events:
        kind = _MISTAKE_EVENTS.get(e.kind)
        if kind:
            mistakes[kind] += 1
        elif e.kind == "survey_answer":
            d = e.data
            respondents.add(str(d.get("respondent") or d.get("seat") or f"#{e.seq}"))
    return KeyFigures(
        seq=events[-1].seq if events else 0,
        t=end,
        requests=len(view.requests),
        answered=answered,
        channels=channels,
        mistakes=mistakes,
        survey_answers=sum(1 for e in events if e.kind == "survey_answer"),
        respondents=len(respondents),
        ratings=view.ratings,
        full=False,
        notes=[_("Evidence and wrong channels need the scenario: start with --scenario FILE")],
    )

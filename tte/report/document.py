"""The report as a renderer-neutral document: sections of paragraphs, tables and charts.

Built once from the figures; ``render_html`` and ``render_md`` print the same content, so
the HTML and Markdown reports never disagree. All text here is plain (unescaped): the
renderers escape it for their format.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from tte.core.duration import format_duration
from tte.core.templates import ROLE_LABELS, TEMPLATES
from tte.i18n import N_, _
from tte.i18n import scenario_text as translated

from .figures import Report, TimeStats, ground_label
from .learning import LearningPoint, format_wall
from .reference import CONTEXT, REFERENCES

Cell = str | int | float | None


@dataclass
class Para:
    text: str
    strong: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass
class Chart:
    name: str  # key in charts.all_charts
    alt: str


@dataclass
class Bullets:
    items: list[str]


Block = Para | Table | Chart | Bullets


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    title: str
    sections: list[Section]


def dur(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)


def _when(rep: Report, t: float | None) -> str:
    return "—" if t is None else rep.game_time(t).strftime("%Y-%m-%d %H:%M")


WALL = N_("Wall")  # the column beside game time: session time on the facilitator's clock


def _wall(rep: Report, t: float | None) -> str:
    return "—" if t is None else format_wall(rep.wall(t))


def _role(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def build(rep: Report, charts: set[str], data: Path | None = None) -> Document:
    """The document; `charts` names the charts that exist (others are left out); `data`,
    the exercise's data directory, is named in the debrief as what to replay."""
    sections = [
        _summary(rep),
        _timeline(rep, charts),
        _swimlanes(rep, charts),
        _response(rep, charts),
        _evidence(rep),
        _mistakes(rep),
        _branches(rep),
        *[_learning(rep, i, lp) for i, lp in enumerate(rep.learning, 1)],
        _texts(rep),
        _debrief(rep, data),
        _survey(rep, charts),
        *_teaching(rep),
        _ratings(rep),
        _plan(rep),
    ]
    return Document(f"After-action report — {rep.summary.title}", sections)


def scenario_text(rep: Report, text: str) -> str:
    """A text of the scenario in the report's language, when the scenario gives it."""
    return translated(rep.scenario.translations, text)


def _teaching(rep: Report) -> list[Section]:
    """The knowledge check beside the survey, then hints and the running order."""
    from .teaching import aids, knowledge

    return [knowledge(rep), aids(rep)]


def _summary(rep: Report) -> Section:
    s = rep.summary
    ev = s.evidence
    sec = Section("summary", _("Summary"))
    sec.blocks.append(
        Table(
            ["", ""],
            [
                [_("Scenario"), f"{scenario_text(rep, s.title)} ({s.scenario_id})"],
                [_("Game time"), f"{s.start:%Y-%m-%d %H:%M %Z} → {s.end:%Y-%m-%d %H:%M %Z}"],
                [
                    _("Time zone"),
                    _(
                        "{zone} (times are game time; the {wall} column is session time on "
                        "the facilitator's clock, h:mm from the start, pauses and jumps "
                        "excluded)"
                    ).format(zone=rep.scenario.exercise.timezone, wall=_(WALL)),
                ],
                [
                    _("Played"),
                    _("{played} of game time (planned {planned})").format(
                        played=dur(s.played), planned=dur(s.planned)
                    ),
                ],
                [
                    _("Seats"),
                    _("{n}: {humans} played by people, {desks} by desks").format(
                        n=len(s.seats), humans=s.humans, desks=s.desks
                    ),
                ],
                [_("Final score"), f"{s.score}/100"],
                [
                    _("Objectives met"),
                    _("{met} of {total}").format(met=s.objectives_met, total=len(s.objectives)),
                ],
                [
                    _("Requests"),
                    _("{sent} sent, {answered} answered").format(
                        sent=s.requests, answered=s.answered
                    ),
                ],
                [
                    _("Evidence"),
                    _(
                        "{total} items: {preserved} preserved, {lost} lost, {obtained} obtained, "
                        "{admissible} admissible at trial"
                    ).format(**ev),
                ],
                [_("Events"), s.events],
            ],
        )
    )
    sec.blocks.append(
        Table(
            [_("Objective"), _("Weight"), _("Met"), _("When")],
            [
                [
                    scenario_text(rep, o.title),
                    o.weight,
                    _("yes") if o.met else _("no"),
                    _when(rep, o.met_at),
                ]
                for o in s.objectives
            ],
            _("Objectives"),
        )
    )
    sec.blocks.append(
        Table(
            [
                _("Seat"),
                _("Role"),
                _("Played by"),
                _("Human time"),
                _("Human actions"),
                _("Desk actions"),
            ],
            [
                [
                    x.seat,
                    x.role_label,
                    x.played_by,
                    dur(x.human_time) if x.human_time else "—",
                    x.human_actions,
                    x.desk_actions,
                ]
                for x in s.seats
            ],
            "Seats (humans from presence events; desks are the engine playing a seat)",
        )
    )
    return sec


def _timeline(rep: Report, charts: set[str]) -> Section:
    sec = Section("requests", _("Requests"))
    if "timeline" in charts:
        sec.blocks.append(Chart("timeline", "Timeline of every request by channel"))
    if not rep.requests:
        sec.blocks.append(Para(_("No request was sent.")))
        return sec
    sec.blocks.append(
        Table(
            [
                _("Request"),
                _("Type"),
                _("Channel"),
                _("From"),
                _("To"),
                _("Sent"),
                _(WALL),
                _("Received"),
                _("Answered"),
                _("Response"),
                _("Legal limit"),
                _("Status"),
            ],
            [
                [
                    r.id,
                    f"{r.template} ({r.basis})",
                    r.channel + (" (wrong channel)" if r.wrong_channel else ""),
                    r.sender,
                    r.target + (f" ({r.target_country})" if r.target_country else ""),
                    _when(rep, r.sent),
                    _wall(rep, r.sent if r.sent is not None else r.created),
                    _when(rep, r.received),
                    _when(rep, r.answered),
                    dur(r.response),
                    dur(r.limit) if r.limit else "none",
                    r.status + (f": {ground_label(r.ground)}" if r.ground else ""),
                ]
                for r in rep.requests
            ],
            "Sent = left the sender's country; received = reached the requested Party; the "
            "legal limit runs from receipt by the Party that must act.",
        )
    )
    return sec


def _swimlanes(rep: Report, charts: set[str]) -> Section:
    from .swimlanes import STYLE, moments

    sec = Section("swimlanes", _("Timeline by country"))
    if "swimlanes" in charts:
        sec.blocks.append(Chart("swimlanes", "What happened in each country, in game time"))
    found = moments(rep)
    if not found:
        sec.blocks.append(Para(_("Nothing was sent, received, preserved, deleted or obtained.")))
        return sec
    sec.blocks.append(
        Table(
            [_("When"), _(WALL), _("Country"), _("What"), _("About"), _("Note")],
            [
                [_when(rep, m.t), _wall(rep, m.t), m.country, STYLE[m.what][2], m.about, m.note]
                for m in found
            ],
        )
    )
    return sec


def _stats_rows(stats: list[TimeStats], label: int = 1) -> list[list[Cell]]:
    return [
        [
            " / ".join(s.key[:label]) if label else "",
            *s.key[label:],
            s.count,
            s.answered,
            dur(s.median),
            dur(s.worst),
        ]
        for s in stats
    ]


def _response(rep: Report, charts: set[str]) -> Section:
    sec = Section("response-times", _("Response times"))
    if "response_times" in charts:
        sec.blocks.append(Chart("response_times", "Median and worst response time per type"))
    rows: list[list[Cell]] = []
    for s in rep.by_type:
        ref = s.reference
        if ref is None:
            vs_ref = "—"
        elif ref.measures == "preservation":
            vs_ref = f"{ref.label} ({ref.source})"
        else:
            verdict = (
                (f"{s.over_reference} slower" if s.over_reference else "all faster")
                if s.answered
                else "no answer"
            )
            vs_ref = f"{ref.label} ({ref.source}): {verdict}"
        rows.append(
            [
                s.key[0],
                s.key[1],
                s.count,
                s.answered,
                dur(s.median),
                dur(s.worst),
                dur(s.limit) if s.limit else "none",
                s.over_limit if s.limit else "—",
                vs_ref,
            ]
        )
    sec.blocks.append(
        Table(
            [
                _("Type"),
                _("Channel"),
                _("Requests"),
                _("Answered"),
                _("Median"),
                _("Worst"),
                _("Legal limit"),
                _("Over limit"),
                _("In practice"),
            ],
            rows,
            "Per request type and channel (request to answer, game time)",
        )
    )
    sec.blocks.append(
        Table(
            [_("Channel"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            _stats_rows(rep.by_channel),
            "Per channel",
        )
    )
    sec.blocks.append(
        Table(
            [_("Requesting country"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            _stats_rows(rep.by_country),
            "Per requesting country",
        )
    )
    sec.blocks.append(
        Table(
            [_("Sender role"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            [[_role(str(r[0])), *r[1:]] for r in _stats_rows(rep.by_role)],
            "Per role of the sender",
        )
    )
    sec.blocks.append(
        Table(
            [_("Country"), _("Played by"), _("Decisions"), _("Median"), _("Worst")],
            [
                [s.key[0], s.key[1], s.count, dur(s.median), dur(s.worst)]
                for s in rep.handling_by_country
            ],
            "Handling time per country: from a request reaching a seat to its decision",
        )
    )
    sec.blocks.append(
        Table(
            [_("Role"), _("Played by"), _("Decisions"), _("Median"), _("Worst")],
            [
                [_role(s.key[0]), s.key[1], s.count, dur(s.median), dur(s.worst)]
                for s in rep.handling_by_role
            ],
            "Handling time per role",
        )
    )
    refs = [f"{TEMPLATES[k].title}: {r.label} ({r.source})" for k, r in REFERENCES.items()]
    sec.blocks.append(Bullets([*refs, *CONTEXT]))
    sec.blocks.append(
        Para(
            "Game time: a scenario may shorten channel delays so that a session fits the "
            "classroom; compare the shape, not only the absolute figures."
        )
    )
    return sec


def _evidence(rep: Report) -> Section:
    sec = Section("evidence", _("Evidence"))
    rows: list[list[Cell]] = []
    for e in rep.evidence:
        if e.lost:
            fate = f"LOST ({e.delete_reason}) at {_when(rep, e.deleted_at)}"
        elif e.deleted_at is not None:
            fate = f"deleted at {_when(rep, e.deleted_at)} after it was obtained"
        else:
            fate = "kept"
        if e.margin is not None:
            timing = f"preserved {dur(e.margin)} before its retention ended"
        elif e.lateness is not None:
            timing = f"{dur(e.lateness)} too late"
        else:
            timing = "—"
        obtained = "; ".join(
            f"{o.country} via {o.via} at {_when(rep, o.t)}"
            + (" (admissible)" if o.admissible else "")
            for o in e.obtained
        )
        rows.append(
            [
                scenario_text(rep, e.title),
                e.kind,
                f"{e.holder} ({e.holder_country or '?'})",
                _when(rep, e.deletes_at),
                f"{_when(rep, e.preserved_at)} ({e.preservation_note})"
                if e.preserved_at is not None
                else e.preservation_note,
                timing,
                fate,
                obtained or "no",
                "yes" if e.admissible else f"no: {e.why_not}",
            ]
        )
    sec.blocks.append(
        Table(
            [
                _("Item"),
                _("Kind"),
                _("Holder"),
                _("Retention ends"),
                _("Preserved"),
                _("Preservation timing"),
                _("Fate"),
                _("Obtained"),
                _("Admissible at trial"),
            ],
            rows,
        )
    )
    return sec


PRIORITY = {
    1: "1 evidence lost",
    2: "2 not admissible",
    3: "3 refused or misrouted",
    4: "4 incomplete",
    5: "5 time",
    6: "6 objective",
    7: "7 feedback",
    9: "—",
}

MISTAKE_TITLES = {
    "returned": N_("Returned incomplete"),
    "refused": N_("Refused"),
    "wrong_channel": N_("Wrong channel"),
    "expired": N_("No answer within the legal limit"),
    "tip_off": N_("Provider tipped off its customer"),
    "lapsed": N_("Preservation lapsed"),
}


# The report's kinds beyond the console's live counts (MISTAKE_TITLES, shared with it).
REPORT_MISTAKES = {
    **MISTAKE_TITLES,
    "imprecise": N_("Identifiers the holder could not match"),
    "lost": N_("Evidence lost to the provider's retention"),
    "intelligence": N_("Evidence held only as police information"),
    "police_only": N_("Evidence asked for only through the police"),
}


def _mistakes(rep: Report) -> Section:
    sec = Section("mistakes", _("Mistakes"))
    if not rep.mistakes:
        sec.blocks.append(
            Para(
                "No evidence lost or held only as intelligence; no request returned, refused "
                "or sent on a wrong channel."
            )
        )
        return sec
    counts = {k: sum(1 for m in rep.mistakes if m.kind == k) for k in REPORT_MISTAKES}
    sec.blocks.append(Bullets([f"{_(REPORT_MISTAKES[k])}: {n}" for k, n in counts.items() if n]))
    sec.blocks.append(
        Table(
            [
                _("When"),
                _(WALL),
                _("What"),
                _("Request"),
                _("Sender"),
                _("By"),
                _("Ground"),
                _("Detail"),
            ],
            [
                [
                    _when(rep, m.t),
                    _wall(rep, m.t),
                    _(REPORT_MISTAKES.get(m.kind, m.kind)),
                    (f"{m.request} {m.template or ''}".strip() if m.request else "—"),
                    m.sender or "—",
                    m.by,
                    ground_label(m.ground) or "—",
                    m.detail,
                ]
                for m in rep.mistakes
            ],
        )
    )
    return sec


def _branches(rep: Report) -> Section:
    sec = Section("branches", _("Injects and branches"))
    if not rep.branches:
        sec.blocks.append(Para(_("No inject was released or skipped.")))
        return sec
    sec.blocks.append(
        Table(
            [_("When"), _(WALL), _("Inject"), _("What"), _("By"), _("Kind")],
            [
                [
                    _when(rep, b.t),
                    _wall(rep, b.t),
                    f"{b.inject}: {scenario_text(rep, b.title)}",
                    b.what,
                    b.by or "—",
                    "branch (conditional)" if b.branch else "scheduled or manual",
                ]
                for b in rep.branches
            ],
            "A branch is an inject whose condition the team's actions made true (or, skipped "
            "by condition, false).",
        )
    )
    return sec


def _learning(rep: Report, n: int, lp: LearningPoint) -> Section:
    """One learning point (a scenario objective): the outcome, the article, what happened
    and when, the debrief points that belong to it, and the evaluation guide."""
    title = _("Learning point {n}: {title}").format(n=n, title=scenario_text(rep, lp.title))
    sec = Section(f"learning-{lp.id}", title)
    outcome = (
        f"met at {_when(rep, lp.met_at)} (wall {_wall(rep, lp.met_at)})"
        if lp.met and lp.met_at is not None
        else "met"
        if lp.met
        else "not met"
    )
    sec.blocks.append(
        Table(
            ["", ""],
            [
                ["Article", lp.article],
                ["Outcome", f"{outcome} (weight {lp.weight:g})"],
            ],
        )
    )
    if lp.moments:
        sec.blocks.append(
            Table(
                [_("When"), _(WALL), _("What happened")],
                [[_when(rep, m.t), _wall(rep, m.t), m.what] for m in lp.moments],
                "What happened, in order",
            )
        )
    else:
        sec.blocks.append(Para(_("What happened: nothing — no request concerned it.")))
    points = [d for d in rep.debrief if d.objective == lp.id or (d.item and d.item == lp.item)]
    if points:
        sec.blocks.append(Para(_("For the debrief:"), strong=True))
        sec.blocks.append(
            Bullets(
                [
                    f"{scenario_text(rep, d.title)} ({d.article or 'no article'}): "
                    + scenario_text(rep, d.text)
                    for d in points
                ]
            )
        )
    if lp.guide:
        sec.blocks.append(Para(_("Evaluation guide (critical tasks):"), strong=True))
        sec.blocks.append(Bullets([scenario_text(rep, g) for g in lp.guide]))
    return sec


def _texts(rep: Report) -> Section:
    sec = Section("request-texts", _("Request texts"))
    if not rep.texts:
        sec.blocks.append(Para(_("The players sent no request.")))
        return sec
    for t in rep.texts:
        lack = f" — returned for: {'; '.join(t.missing)}" if t.missing else ""
        sec.blocks.append(Para(f"{t.id} {t.template} from {t.sender}{lack}", strong=True))
        sec.blocks.append(
            Table(
                [_("Element"), _("As written")],
                [
                    [
                        label + (" (returned as missing)" if label in t.missing else ""),
                        value or "(empty)",
                    ]
                    for label, value in t.fields
                ],
            )
        )
    return sec


def replay_commands(data: Path) -> list[str]:
    """What the debrief tells the facilitator to type (the join sheet says the same)."""
    d = shlex.quote(str(data))
    return [f"tte replay {d}", f"tte host --from {d} --at SEQ"]


def _debrief(rep: Report, data: Path | None = None) -> Section:
    # Only the points this run earned: the scenario's general debrief text tells the
    # golden story whatever happened, so the console keeps it for the facilitator.
    sec = Section("debrief", _("Debrief"))
    if data is not None:
        replay, rerun = replay_commands(data)
        sec.blocks.append(Para(_("Replay this exercise for the debrief (on the host's laptop):")))
        sec.blocks.append(
            Bullets(
                [
                    f"{replay} — step through it event by event: any seat's inbox, cases "
                    "and case file, or the facilitator's traffic, case and score, as they "
                    "were at that moment (read-only; Ctrl+R in tte host projects it)",
                    f"{rerun} — rerun from a decision point (the replay shows each event's "
                    "SEQ); the original stays as it is",
                ]
            )
        )
    if not rep.debrief:
        sec.blocks.append(Para(_("No debrief point of the scenario applies to this run.")))
        return sec
    sec.blocks.append(
        Table(
            [_("Point"), _("Article"), _("Why it is here"), _("What to discuss")],
            [
                [scenario_text(rep, d.title), d.article or "—", d.why, scenario_text(rep, d.text)]
                for d in rep.debrief
            ],
            "Chosen by what happened in this run (scenario debrief entries with conditions).",
        )
    )
    return sec


def _survey(rep: Report, charts: set[str]) -> Section:
    sv = rep.survey
    sec = Section("survey", _("Hot wash survey"))
    if not sv.submissions:
        opened = "was opened but nobody answered" if sv.opened_at is not None else "was not run"
        sec.blocks.append(Para(f"The survey {opened}."))
        return sec
    sec.blocks.append(
        Para(f"{sv.respondents} respondents ({sv.submissions} submissions; the last counts).")
    )
    for q in sv.questions:
        asked = scenario_text(rep, q.text)
        sec.blocks.append(Para(asked, strong=True))
        name = f"survey_{q.id}"
        if name in charts:
            sec.blocks.append(Chart(name, asked))
        if q.kind in ("scale", "choice"):
            sec.blocks.append(
                Table(
                    [_("Answer"), _("Count")],
                    [[scenario_text(rep, str(k)), v] for k, v in q.counts.items()],
                    f"{q.answers} answers" + (f", mean {q.mean:.2f}/5" if q.mean else ""),
                )
            )
        elif q.texts:
            sec.blocks.append(Bullets(q.texts))
        else:
            sec.blocks.append(Para(_("No answers.")))
    return sec


def _ratings(rep: Report) -> Section:
    sec = Section("ratings", _("Evaluator ratings (HSEEP)"))
    if not rep.ratings:
        sec.blocks.append(Para(_("No evaluator rated the objectives.")))
        return sec
    sec.blocks.append(
        Table(
            [_("When"), _(WALL), _("Objective"), _("Rating"), _("Evaluator"), _("Comment")],
            [
                [
                    _when(rep, r.t),
                    _wall(rep, r.t),
                    r.objective_title,
                    f"{r.rating} — {r.label}",
                    r.by,
                    r.comment,
                ]
                for r in rep.ratings
            ],
        )
    )
    return sec


def _plan(rep: Report) -> Section:
    sec = Section("plan", _("Improvement plan"))
    sec.blocks.append(
        Table(
            [_("#"), _("Priority"), _("Finding"), _("Recommendation"), _("Owner"), _("Basis")],
            [
                [i, PRIORITY.get(p.priority, "—"), p.finding, p.recommendation, p.owner, p.basis]
                for i, p in enumerate(rep.plan, 1)
            ],
            "In order of what the mistake cost; the owner is the seat that does the step.",
        )
    )
    return sec

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
from tte.i18n import N_, _, current
from tte.i18n import scenario_text as translated

from .figures import Report, TimeStats, ground_label
from .learning import LearningPoint, format_wall
from .reference import CONTEXT, REFERENCES
from .words import by as by_word
from .words import kind as kind_word
from .words import played_by as played_word
from .words import reason as reason_word

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
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


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
    title = _("After-action report — {title}").format(title=scenario_text(rep, rep.summary.title))
    return Document(title, sections)


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
                    _(x.role_label),
                    played_word(x.played_by),
                    dur(x.human_time) if x.human_time else "—",
                    x.human_actions,
                    x.desk_actions,
                ]
                for x in s.seats
            ],
            _("Seats (humans from presence events; desks are the engine playing a seat)"),
        )
    )
    return sec


def _timeline(rep: Report, charts: set[str]) -> Section:
    sec = Section("requests", _("Requests"))
    if "timeline" in charts:
        sec.blocks.append(Chart("timeline", _("Timeline of every request by channel")))
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
                    _("{channel} (wrong channel)").format(channel=r.channel)
                    if r.wrong_channel
                    else r.channel,
                    r.sender,
                    r.target + (f" ({r.target_country})" if r.target_country else ""),
                    _when(rep, r.sent),
                    _wall(rep, r.sent if r.sent is not None else r.created),
                    _when(rep, r.received),
                    _when(rep, r.answered),
                    dur(r.response),
                    dur(r.limit) if r.limit else _("none"),
                    _("{status}: {ground}").format(
                        status=_(r.status), ground=ground_label(r.ground)
                    )
                    if r.ground
                    else _(r.status),
                ]
                for r in rep.requests
            ],
            _(
                "Sent = left the sender's country; received = reached the requested Party; the "
                "legal limit runs from receipt by the Party that must act."
            ),
        )
    )
    return sec


def _swimlanes(rep: Report, charts: set[str]) -> Section:
    from .swimlanes import STYLE, moments

    sec = Section("swimlanes", _("Timeline by country"))
    if "swimlanes" in charts:
        sec.blocks.append(Chart("swimlanes", _("What happened in each country, in game time")))
    found = moments(rep)
    if not found:
        sec.blocks.append(Para(_("Nothing was sent, received, preserved, deleted or obtained.")))
        return sec
    sec.blocks.append(
        Table(
            [_("When"), _(WALL), _("Country"), _("What"), _("About"), _("Note")],
            [
                [_when(rep, m.t), _wall(rep, m.t), m.country, _(STYLE[m.what][2]), m.about, m.note]
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
        sec.blocks.append(Chart("response_times", _("Median and worst response time per type")))
    rows: list[list[Cell]] = []
    for s in rep.by_type:
        ref = s.reference
        if ref is None:
            vs_ref = "—"
        elif ref.measures == "preservation":
            vs_ref = _("{figure} ({source})").format(figure=_(ref.label), source=_(ref.source))
        else:
            verdict = (
                (
                    _("{n} slower").format(n=s.over_reference)
                    if s.over_reference
                    else _("all faster")
                )
                if s.answered
                else _("no answer")
            )
            vs_ref = _("{figure} ({source}): {verdict}").format(
                figure=_(ref.label), source=_(ref.source), verdict=verdict
            )
        rows.append(
            [
                s.key[0],
                s.key[1],
                s.count,
                s.answered,
                dur(s.median),
                dur(s.worst),
                dur(s.limit) if s.limit else _("none"),
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
            _("Per request type and channel (request to answer, game time)"),
        )
    )
    sec.blocks.append(
        Table(
            [_("Channel"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            _stats_rows(rep.by_channel),
            _("Per channel"),
        )
    )
    sec.blocks.append(
        Table(
            [_("Requesting country"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            _stats_rows(rep.by_country),
            _("Per requesting country"),
        )
    )
    sec.blocks.append(
        Table(
            [_("Sender role"), _("Requests"), _("Answered"), _("Median"), _("Worst")],
            [[_role(str(r[0])), *r[1:]] for r in _stats_rows(rep.by_role)],
            _("Per role of the sender"),
        )
    )
    sec.blocks.append(
        Table(
            [_("Country"), _("Played by"), _("Decisions"), _("Median"), _("Worst")],
            [
                [s.key[0], played_word(s.key[1]), s.count, dur(s.median), dur(s.worst)]
                for s in rep.handling_by_country
            ],
            _("Handling time per country: from a request reaching a seat to its decision"),
        )
    )
    sec.blocks.append(
        Table(
            [_("Role"), _("Played by"), _("Decisions"), _("Median"), _("Worst")],
            [
                [_role(s.key[0]), played_word(s.key[1]), s.count, dur(s.median), dur(s.worst)]
                for s in rep.handling_by_role
            ],
            _("Handling time per role"),
        )
    )
    refs = [
        _("{title}: {figure} ({source})").format(
            title=_(TEMPLATES[k].title), figure=_(r.label), source=_(r.source)
        )
        for k, r in REFERENCES.items()
    ]
    sec.blocks.append(Bullets([*refs, *[_(c) for c in CONTEXT]]))
    sec.blocks.append(
        Para(
            _(
                "Game time: a scenario may shorten channel delays so that a session fits the "
                "classroom; compare the shape, not only the absolute figures."
            )
        )
    )
    return sec


def _evidence(rep: Report) -> Section:
    sec = Section("evidence", _("Evidence"))
    rows: list[list[Cell]] = []
    for e in rep.evidence:
        if e.lost:
            fate = _("LOST ({reason}) at {when}").format(
                reason=reason_word(e.delete_reason), when=_when(rep, e.deleted_at)
            )
        elif e.deleted_at is not None:
            fate = _("deleted at {when} after it was obtained").format(
                when=_when(rep, e.deleted_at)
            )
        else:
            fate = _("kept")
        if e.margin is not None:
            timing = _("preserved {span} before its retention ended").format(span=dur(e.margin))
        elif e.lateness is not None:
            timing = _("{span} too late").format(span=dur(e.lateness))
        else:
            timing = "—"
        obtained = "; ".join(
            (
                _("{country} via {via} at {when} (admissible)")
                if o.admissible
                else _("{country} via {via} at {when}")
            ).format(country=o.country, via=o.via, when=_when(rep, o.t))
            for o in e.obtained
        )
        rows.append(
            [
                scenario_text(rep, e.title),
                kind_word(e.kind),
                f"{e.holder} ({e.holder_country or '?'})",
                _when(rep, e.deletes_at),
                f"{_when(rep, e.preserved_at)} ({e.preservation_note})"
                if e.preserved_at is not None
                else e.preservation_note,
                timing,
                fate,
                obtained or _("no"),
                _("yes") if e.admissible else _("no: {why}").format(why=e.why_not),
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
    1: N_("1 evidence lost"),
    2: N_("2 not admissible"),
    3: N_("3 refused or misrouted"),
    4: N_("4 incomplete"),
    5: N_("5 time"),
    6: N_("6 objective"),
    7: N_("7 feedback"),
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
                _(
                    "No evidence lost or held only as intelligence; no request returned, "
                    "refused or sent on a wrong channel."
                )
            )
        )
        return sec
    counts = {k: sum(1 for m in rep.mistakes if m.kind == k) for k in REPORT_MISTAKES}
    sec.blocks.append(
        Bullets(
            [
                _("{what}: {n}").format(what=_(REPORT_MISTAKES[k]), n=n)
                for k, n in counts.items()
                if n
            ]
        )
    )
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
                    by_word(m.by),
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
                    _(b.what),
                    by_word(b.by) or "—",
                    _("branch (conditional)") if b.branch else _("scheduled or manual"),
                ]
                for b in rep.branches
            ],
            _(
                "A branch is an inject whose condition the team's actions made true (or, "
                "skipped by condition, false)."
            ),
        )
    )
    return sec


def _learning(rep: Report, n: int, lp: LearningPoint) -> Section:
    """One learning point (a scenario objective): the outcome, the article, what happened
    and when, the debrief points that belong to it, and the evaluation guide."""
    title = _("Learning point {n}: {title}").format(n=n, title=scenario_text(rep, lp.title))
    sec = Section(f"learning-{lp.id}", title)
    outcome = (
        _("met at {when} (wall {wall})").format(
            when=_when(rep, lp.met_at), wall=_wall(rep, lp.met_at)
        )
        if lp.met and lp.met_at is not None
        else _("met")
        if lp.met
        else _("not met")
    )
    sec.blocks.append(
        Table(
            ["", ""],
            [
                [_("Article"), lp.article],
                [
                    _("Outcome"),
                    _("{outcome} (weight {weight})").format(
                        outcome=outcome, weight=f"{lp.weight:g}"
                    ),
                ],
            ],
        )
    )
    if lp.moments:
        sec.blocks.append(
            Table(
                [_("When"), _(WALL), _("What happened")],
                [[_when(rep, m.t), _wall(rep, m.t), m.what] for m in lp.moments],
                _("What happened, in order"),
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
                    _("{point} ({article}): {text}").format(
                        point=scenario_text(rep, d.title),
                        article=d.article or _("no article"),
                        text=scenario_text(rep, d.text),
                    )
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
        head = (
            _("{id} {template} from {sender} — returned for: {fields}")
            if t.missing
            else _("{id} {template} from {sender}")
        ).format(
            id=t.id,
            template=t.template,
            sender=t.sender,
            fields="; ".join(_(m) for m in t.missing),
        )
        sec.blocks.append(Para(head, strong=True))
        sec.blocks.append(
            Table(
                [_("Element"), _("As written")],
                [
                    [
                        _("{field} (returned as missing)").format(field=_(label))
                        if label in t.missing
                        else _(label),
                        value or _("(empty)"),
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
                    _(
                        "{command} — step through it event by event: any seat's inbox, cases "
                        "and case file, or the facilitator's traffic, case and score, as they "
                        "were at that moment (read-only; Ctrl+R in tte host projects it)"
                    ).format(command=replay),
                    _(
                        "{command} — rerun from a decision point (the replay shows each "
                        "event's SEQ); the original stays as it is"
                    ).format(command=rerun),
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
            _("Chosen by what happened in this run (scenario debrief entries with conditions)."),
        )
    )
    return sec


def _survey(rep: Report, charts: set[str]) -> Section:
    sv = rep.survey
    sec = Section("survey", _("Hot wash survey"))
    if not sv.submissions:
        opened = (
            _("The survey was opened but nobody answered.")
            if sv.opened_at is not None
            else _("The survey was not run.")
        )
        sec.blocks.append(Para(opened))
        return sec
    sec.blocks.append(
        Para(
            _("{respondents} respondents ({submissions} submissions; the last counts).").format(
                respondents=sv.respondents, submissions=sv.submissions
            )
        )
    )
    for q in sv.questions:
        sec.blocks.append(Para(scenario_text(rep, q.text), strong=True))
        name = f"survey_{q.id}"
        if name in charts:
            sec.blocks.append(Chart(name, scenario_text(rep, q.text)))
        if q.kind in ("scale", "choice"):
            sec.blocks.append(
                Table(
                    [_("Answer"), _("Count")],
                    [[scenario_text(rep, str(k)), v] for k, v in q.counts.items()],
                    (_("{n} answers, mean {mean}/5") if q.mean else _("{n} answers")).format(
                        n=q.answers, mean=current().number(q.mean or 0, 2)
                    ),
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
                    scenario_text(rep, r.objective_title),
                    f"{r.rating} — {_(r.label)}",
                    by_word(r.by),
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
                [
                    i,
                    _(PRIORITY[p.priority]) if p.priority in PRIORITY else "—",
                    p.finding,
                    p.recommendation,
                    p.owner,
                    p.basis,
                ]
                for i, p in enumerate(rep.plan, 1)
            ],
            _("In order of what the mistake cost; the owner is the seat that does the step."),
        )
    )
    return sec

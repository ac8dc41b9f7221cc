"""The report's sections on the teaching aids: the knowledge check's gain (before vs after,
per role and overall, beside the survey), and the hint cards and running order as they were
used. Read from the event log only (``knowledge_answer``, ``inject`` with ``hint``,
``phase_started``, ``timebox_alarm``)."""

from __future__ import annotations

from tte.core.learning import Gain, knowledge_gain
from tte.core.templates import ROLE_LABELS
from tte.i18n import _, scenario_text

from .document import Bullets, Para, Section, Table, dur
from .figures import Report


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _gain(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:+.0f} points"


def _row(label: str, g: Gain) -> list[str | int | float | None]:
    return [
        label,
        f"{_pct(g.before)} ({g.before_right}/{g.before_asked})",
        f"{_pct(g.after)} ({g.after_right}/{g.after_asked})",
        _gain(g.gain),
    ]


def knowledge(rep: Report) -> Section:
    sc = rep.scenario
    sec = Section("knowledge", _("Knowledge check"))
    if not sc.knowledge_check:
        sec.blocks.append(Para(_("The scenario has no knowledge check.")))
        return sec
    answers = [e.data for e in rep.events if e.kind == "knowledge_answer"]
    if not answers:
        opened = any(e.kind == "knowledge_opened" for e in rep.events)
        sec.blocks.append(
            Para(f"The knowledge check {'got no answers' if opened else 'was not run'}.")
        )
        return sec
    res = knowledge_gain(sc, answers)

    def tx(source: str) -> str:  # a question's text in the report's language
        return scenario_text(sc.translations, source)

    sec.blocks.append(
        Para(
            f"Right answers before and after play: {res.respondents['before']} respondents "
            f"before, {res.respondents['after']} after (a respondent's last answers count). "
            "The gain is the change in the share of right answers; who answered may differ "
            "between the two stages."
        )
    )
    rows = [_row("Overall", res.overall)]
    rows += [_row(ROLE_LABELS.get(r, r or "—"), g) for r, g in sorted(res.by_role.items())]
    sec.blocks.append(Table([_("Who"), _("Before"), _("After"), _("Gain")], rows, _("By role")))
    texts = {q.id: q for q in sc.knowledge_check}
    qrows = [_row(tx(texts[q].text), g) for q, g in res.by_question.items() if q in texts]
    sec.blocks.append(
        Table([_("Question"), _("Before"), _("After"), _("Gain")], qrows, _("By question"))
    )
    weak = [
        f"{tx(texts[q].text)} — {tx(texts[q].answer)}. {tx(texts[q].explanation)}".strip()
        for q, g in res.by_question.items()
        if q in texts and g.after is not None and g.after < 0.5
    ]
    if weak:
        sec.blocks.append(
            Para(
                _("Still answered wrongly by most after play (revisit in the debrief):"),
                strong=True,
            )
        )
        sec.blocks.append(Bullets(weak))
    return sec


def aids(rep: Report) -> Section:
    """Hint cards released and the running order as it ran."""
    sc = rep.scenario
    sec = Section("aids", _("Hints and running order"))
    hints = [e for e in rep.events if e.kind == "inject" and e.data.get("hint")]
    due = {str(e.data.get("id")) for e in rep.events if e.kind == "hint_due"}
    if sc.hints:
        sec.blocks.append(
            Para(f"{len(hints)} of {len(sc.hints)} hint cards released by the facilitator.")
        )
        released = {str(e.data["hint"]): e for e in hints}
        sec.blocks.append(
            Table(
                ["Hint", "To", "Released", "Condition held"],
                [
                    [
                        scenario_text(sc.translations, h.title),
                        ", ".join(h.to),
                        rep.game_time(released[h.id].t).strftime("%Y-%m-%d %H:%M")
                        if h.id in released
                        else "—",
                        ("yes" if h.id in due else "no") if h.when is not None else "—",
                    ]
                    for h in sc.hints
                ],
            )
        )
    phases = [e for e in rep.events if e.kind == "phase_started"]
    if sc.phases:
        alarms = {str(e.data.get("phase")): e for e in rep.events if e.kind == "timebox_alarm"}
        rows: list[list[str | int | float | None]] = []
        for i, e in enumerate(phases):
            end = phases[i + 1].t if i + 1 < len(phases) else rep.end
            pid = str(e.data.get("id"))
            alarm = alarms.get(pid)
            rows.append(
                [
                    scenario_text(sc.translations, str(e.data.get("name", pid))),
                    rep.game_time(e.t).strftime("%Y-%m-%d %H:%M"),
                    dur(end - e.t),
                    f"{e.data['timebox']:g} min" if e.data.get("timebox") else "—",
                    f"over ({alarm.data.get('minutes')} min)" if alarm else "within",
                    str(e.data.get("by", "")),
                ]
            )
        sec.blocks.append(
            Table(
                ["Phase", "Began", "Game time", "Timebox", "Wall time", "Begun by"],
                rows,
                "Running order as it ran (a timebox overrun is measured by the server)",
            )
        )
    if not sc.hints and not sc.phases:
        sec.blocks.append(Para(_("The scenario has no hint cards and no running order.")))
    return sec

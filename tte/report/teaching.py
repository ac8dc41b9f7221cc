"""The report's sections on the teaching aids: the knowledge check's gain (before vs after,
per role and overall, beside the survey), and the hint cards and running order as they were
used. Read from the event log only (``knowledge_answer``, ``inject`` with ``hint``,
``phase_started``, ``timebox_alarm``)."""

from __future__ import annotations

from tte.core.learning import Gain, knowledge_gain
from tte.core.templates import ROLE_LABELS
from tte.i18n import _, current

from .document import Bullets, Para, Section, Table, dur, scenario_text
from .figures import Report
from .words import by as by_word


def _pct(x: float | None) -> str:
    return "—" if x is None else current().percent(x)


def _gain(x: float | None) -> str:
    return "—" if x is None else _("{n} points").format(n=f"{100 * x:+.0f}")


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
            Para(
                _("The knowledge check got no answers.")
                if opened
                else _("The knowledge check was not run.")
            )
        )
        return sec
    res = knowledge_gain(sc, answers)
    sec.blocks.append(
        Para(
            _(
                "Right answers before and after play: {before} respondents before, {after} "
                "after (a respondent's last answers count). The gain is the change in the "
                "share of right answers; who answered may differ between the two stages."
            ).format(before=res.respondents["before"], after=res.respondents["after"])
        )
    )
    rows = [_row(_("Overall"), res.overall)]
    rows += [_row(_(ROLE_LABELS.get(r, r or "—")), g) for r, g in sorted(res.by_role.items())]
    sec.blocks.append(Table([_("Who"), _("Before"), _("After"), _("Gain")], rows, _("By role")))
    texts = {q.id: q for q in sc.knowledge_check}
    qrows = [
        _row(scenario_text(rep, texts[q].text), g) for q, g in res.by_question.items() if q in texts
    ]
    sec.blocks.append(
        Table([_("Question"), _("Before"), _("After"), _("Gain")], qrows, _("By question"))
    )
    weak = [
        f"{scenario_text(rep, texts[q].text)} — {scenario_text(rep, texts[q].answer)}. "
        f"{scenario_text(rep, texts[q].explanation)}".strip()
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
            Para(
                _("{n} of {total} hint cards released by the facilitator.").format(
                    n=len(hints), total=len(sc.hints)
                )
            )
        )
        released = {str(e.data["hint"]): e for e in hints}
        sec.blocks.append(
            Table(
                [_("Hint"), _("To"), _("Released"), _("Condition held")],
                [
                    [
                        scenario_text(rep, h.title),
                        ", ".join(h.to),
                        rep.game_time(released[h.id].t).strftime("%Y-%m-%d %H:%M")
                        if h.id in released
                        else "—",
                        (_("yes") if h.id in due else _("no")) if h.when is not None else "—",
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
                    scenario_text(rep, str(e.data.get("name", pid))),
                    rep.game_time(e.t).strftime("%Y-%m-%d %H:%M"),
                    dur(end - e.t),
                    _("{n} min").format(n=f"{e.data['timebox']:g}")
                    if e.data.get("timebox")
                    else "—",
                    _("over ({n} min)").format(n=alarm.data.get("minutes"))
                    if alarm
                    else _("within"),
                    by_word(str(e.data.get("by", ""))),
                ]
            )
        sec.blocks.append(
            Table(
                [
                    _("Phase"),
                    _("Began"),
                    _("Game time"),
                    _("Timebox"),
                    _("Wall time"),
                    _("Begun by"),
                ],
                rows,
                _("Running order as it ran (a timebox overrun is measured by the server)"),
            )
        )
    if not sc.hints and not sc.phases:
        sec.blocks.append(Para(_("The scenario has no hint cards and no running order.")))
    return sec

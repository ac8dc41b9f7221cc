"""The report's charts as PNG bytes, drawn with matplotlib's Agg backend (no display).

Figures are built with ``matplotlib.figure.Figure`` directly, not pyplot, so no global
state is touched and nothing tries to open a window.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from tte.i18n import _, current

from .figures import QuestionResult, Report, TimeStats

DAY = 86400.0
COLOURS = {
    "domestic": "#9ecae1",
    "transit": "#3182bd",
    "abroad": "#fd8d3c",
    "limit": "#d62728",
    "deleted": "#7f7f7f",
}
STATUS_MARK = {"fulfilled": "o", "refused": "X", "expired": "s", "withdrawn": "D"}


def _safe(text: str, limit: int = 60) -> str:
    """Chart text: no mathtext (a '$' would be parsed), bounded length."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def timeline(rep: Report) -> bytes | None:
    """One bar per request: drafting at home, in transit, at the requested Party."""
    rows = rep.requests
    if not rows:
        return None
    end = rep.end
    fig = Figure(figsize=(9, 1.6 + 0.45 * len(rows)))
    ax = fig.add_subplot()
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        stop = r.answered if r.answered is not None else end
        sent = r.sent if r.sent is not None else stop
        recv = r.received if r.received is not None else stop
        spans = [
            (r.created, sent, COLOURS["domestic"]),
            (sent, recv, COLOURS["transit"]),
            (recv, stop, COLOURS["abroad"]),
        ]
        for a, b, colour in spans:
            if b > a:
                ax.barh(y, (b - a) / DAY, left=a / DAY, color=colour, height=0.6)
        if r.answered is not None and r.status in STATUS_MARK:
            ax.plot(stop / DAY, y, STATUS_MARK[r.status], color="black", markersize=6)
        if r.limit:
            x = (r.created + r.limit) / DAY
            ax.plot([x, x], [y - 0.4, y + 0.4], color=COLOURS["limit"], linewidth=2)
    for ev in rep.evidence:
        gone = ev.deleted_at if ev.deleted_at is not None else ev.deletes_at
        if gone is not None and gone <= max(end, rep.summary.planned):
            what = (
                _("{id} deleted") if ev.deleted_at is not None else _("{id} retention ends")
            ).format(id=ev.id)
            ax.axvline(gone / DAY, color=COLOURS["deleted"], linestyle="--", linewidth=1)
            ax.text(
                gone / DAY,
                len(rows) - 0.45,
                " " + _safe(what, 40),
                fontsize=7,
                color=COLOURS["deleted"],
                va="bottom",
                ha="left",
            )
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.set_yticks(
        range(len(rows)),
        [_safe(f"{r.id} {r.template} ({r.channel})", 45) for r in reversed(rows)],
        fontsize=8,
    )
    ax.set_xlabel(_("game days since the start"))
    ax.set_xlim(left=0)
    handles = [
        Patch(color=COLOURS["domestic"], label=_("drafting and approval at home")),
        Patch(color=COLOURS["transit"], label=_("sent, in transit")),
        Patch(color=COLOURS["abroad"], label=_("at the requested Party")),
        Line2D([], [], color=COLOURS["limit"], linewidth=2, label=_("legal time limit")),
        Line2D([], [], color="black", marker="o", linestyle="", label=_("answered")),
        Line2D([], [], color="black", marker="X", linestyle="", label=_("refused")),
    ]
    ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_("Requests: sent → received → answered"))
    return _png(fig)


def response_times(stats: list[TimeStats]) -> bytes | None:
    """Median and worst response per request type and channel, with the legal limit."""
    rows = [s for s in stats if s.answered]
    if not rows:
        return None
    fig = Figure(figsize=(8, 1.0 + 0.5 * len(rows)))
    ax = fig.add_subplot()
    ys = range(len(rows))
    ax.barh(
        [y + 0.2 for y in ys],
        [(s.worst or 0) / DAY for s in rows],
        height=0.4,
        color="#fdae6b",
        label=_("worst"),
    )
    ax.barh(
        [y - 0.2 for y in ys],
        [(s.median or 0) / DAY for s in rows],
        height=0.4,
        color="#3182bd",
        label=_("median"),
    )
    for y, s in zip(ys, rows, strict=True):
        if s.limit:
            x = s.limit / DAY
            ax.plot([x, x], [y - 0.45, y + 0.45], color=COLOURS["limit"], linewidth=2)
    ax.set_yticks(list(ys), [_safe(" / ".join(s.key), 40) for s in rows], fontsize=8)
    ax.set_xlabel(_("game days from request to answer"))
    ax.legend(fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_("Response times"))
    return _png(fig)


def survey_question(q: QuestionResult) -> bytes | None:
    """Answers to one scale or choice question as a bar chart."""
    if q.kind == "text" or not q.counts:
        return None
    labels = list(q.counts)
    values = [q.counts[k] for k in labels]
    fig = Figure(figsize=(6, 0.8 + 0.35 * max(len(labels), 3)))
    ax = fig.add_subplot()
    ax.barh(range(len(labels)), values, color="#31a354")
    ax.set_yticks(range(len(labels)), [_safe(x, 40) for x in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_("answers"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    title = _safe(q.text, 70)
    if q.mean is not None:
        title += "  " + _("(mean {mean}/5)").format(mean=current().number(q.mean, 1))
    ax.set_title(title, fontsize=9)
    return _png(fig)


def all_charts(rep: Report) -> dict[str, bytes]:
    """Every chart of a report by name (``timeline``, ``swimlanes``, ``response_times``,
    ``survey_ID``)."""
    out: dict[str, bytes] = {}
    from .swimlanes import chart as swimlanes

    for name, png in (
        ("timeline", timeline(rep)),
        ("swimlanes", swimlanes(rep)),
        ("response_times", response_times(rep.by_type)),
    ):
        if png is not None:
            out[name] = png
    for q in rep.survey.questions:
        if rep.survey.submissions:
            png = survey_question(q)
            if png is not None:
                out[f"survey_{q.id}"] = png
    return out

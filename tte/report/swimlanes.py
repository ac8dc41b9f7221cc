"""The swimlane timeline: one lane per country, a mark for each thing that happened there
(requests sent, received, answered; evidence preserved, deleted, obtained). The rows come
from the report's figures (pure); the chart is drawn like the others in ``charts``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tte.i18n import N_, _

from .charts import DAY, _png, _safe
from .figures import Report
from .words import reason

What = Literal["sent", "received", "answered", "preserved", "deleted", "obtained"]

# How each kind of moment is drawn: marker, colour, legend label (drawn through _). A new
# kind is a row here.
STYLE: dict[What, tuple[str, str, str]] = {
    "sent": (">", "#3182bd", N_("request sent")),
    "received": ("<", "#fd8d3c", N_("request received")),
    "answered": ("o", "#31a354", N_("answer")),
    "preserved": ("s", "#756bb1", N_("evidence preserved")),
    "deleted": ("X", "#d62728", N_("evidence deleted")),
    "obtained": ("D", "#000000", N_("evidence obtained")),
}


@dataclass(frozen=True)
class Moment:
    country: str
    t: float  # game seconds
    what: What
    about: str  # request or evidence id
    note: str = ""


def moments(rep: Report) -> list[Moment]:
    """Every moment of the run on a country's lane, in game time order."""
    out: list[Moment] = []
    for r in rep.requests:
        if r.sent is not None:
            out.append(Moment(r.country, r.sent, "sent", r.id, _("to {to}").format(to=r.target)))
        if r.received is not None and r.target_country:
            out.append(
                Moment(
                    r.target_country,
                    r.received,
                    "received",
                    r.id,
                    _("from {sender}").format(sender=r.sender),
                )
            )
        if r.answered is not None:
            out.append(Moment(r.country, r.answered, "answered", r.id, _(r.status)))
    for e in rep.evidence:
        home = e.holder_country or ""
        if e.preserved_at is not None and home:
            out.append(Moment(home, e.preserved_at, "preserved", e.id))
        if e.deleted_at is not None and home:
            out.append(Moment(home, e.deleted_at, "deleted", e.id, reason(e.delete_reason)))
        for o in e.obtained:
            note = (
                _("via {via}, admissible") if o.admissible else _("via {via}, not admissible")
            ).format(via=o.via)
            out.append(Moment(o.country, o.t, "obtained", e.id, note))
    return sorted(out, key=lambda m: (m.t, m.country, m.what))


def chart(rep: Report) -> bytes | None:
    """The swimlanes as a PNG, or None when nothing happened on any lane."""
    found = moments(rep)
    if not found:
        return None
    lanes = [c.code for c in rep.scenario.countries]
    lanes += sorted({m.country for m in found} - set(lanes))
    fig = Figure(figsize=(9, 1.4 + 0.5 * len(lanes)))
    ax = fig.add_subplot()
    for what, (marker, colour, _label) in STYLE.items():
        pts = [
            (m.t / DAY, len(lanes) - 1 - lanes.index(m.country)) for m in found if m.what == what
        ]
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.scatter(xs, ys, marker=marker, color=colour, s=40, alpha=0.85, zorder=3)
    ax.set_yticks(range(len(lanes)), [_safe(c, 12) for c in reversed(lanes)])
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.set_xlabel(_("game days since the start"))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(
        handles=[
            Line2D([], [], marker=mk, color=col, linestyle="", label=_(label))
            for mk, col, label in STYLE.values()
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15 - 0.3 / len(lanes)),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return _png(fig)

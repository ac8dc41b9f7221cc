"""Figures from practice and law that a run's response times are set against.

Each figure names the article it comes from, checked against the primary text before being
quoted: 2AP Art 8(6) (45 days to serve; 20 days for subscriber information, 45 for traffic
data, to return) and Regulation (EU) 2023/1543 Art 10 (10 days, 8 hours in an emergency)
and Art 11(1) (preservation 60 days, extendable once by 30). A report prints no "(check)":
a reader cannot act on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tte.i18n import N_

DAY = 86400.0
MONTH = 365.25 / 12 * DAY


@dataclass(frozen=True)
class Reference:
    label: str  # what the figure says, for people (a catalogue string: drawn through _)
    source: str
    high: float | None  # game seconds: a response slower than this exceeds the figure
    low: float | None = None  # lower end of a range from practice
    measures: str = "response"  # "response" (request to answer) or "preservation" (period)


REFERENCES: dict[str, Reference] = {
    "mla_stored_data": Reference(
        N_("6–24 months in practice"),
        N_("T-CY assessment report on MLA, December 2014"),
        high=24 * MONTH,
        low=6 * MONTH,
    ),
    "preservation": Reference(
        N_("data kept at least 60 days once preserved"),
        "BC Art 29(7)",
        high=60 * DAY,
        measures="preservation",
    ),
    "subscriber_order": Reference(N_("30 days for the provider"), "2AP Art 7", high=30 * DAY),
    "giving_effect": Reference(
        N_("45 days to serve; 20 days (subscriber) / 45 days (traffic) to return"),
        "2AP Art 8(6)",
        high=90 * DAY,
        low=65 * DAY,
    ),
}

# Context quoted under the response-time table.
CONTEXT = (
    N_(
        "EU e-Evidence Regulation 2023/1543 (applies from 18 August 2026): production orders "
        "within 10 days, 8 hours in an emergency (Art 10); preservation 60 days, extendable "
        "by 30 (Art 11)."
    ),
    N_("Lisbon 2023 training: “time of response to cross-border requests needs to be expedited”."),
)

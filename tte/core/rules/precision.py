"""Precision of a request: the mandatory elements and a specific object
(domain.md "Precision of a request", failures 5 and 6)."""

from __future__ import annotations

import re

from ..state import Request, State
from ..templates import TEMPLATES
from .common import filled

_OVERBROAD = re.compile(
    r"\b(all|any and all|every|entire)\b.{0,30}\b(data|information|records|content|account)\b"
    r"|\beverything\b",
    re.IGNORECASE,
)


def missing_fields(st: State, r: Request) -> list[str]:
    """Mandatory elements not given: a requested Party returns such a request."""
    tpl = TEMPLATES[r.template]
    miss = [f for f in tpl.mandatory if not filled(r.fields.get(f))]
    # IP-based data identifies no one without date, time and time zone (domain failure 5).
    tz_field = tpl.field("time_zone")
    if (
        tz_field is not None
        and "time_zone" not in miss
        and any(_needs_tz(st, e) for e in r.evidence)
        and not filled(r.fields.get("time_zone"))
    ):
        miss.append("time_zone")
    return miss


def _needs_tz(st: State, eid: str) -> bool:
    item = st.scenario.item(eid)
    return bool(item and item.needs_timezone)


def is_overbroad(r: Request) -> bool:
    text = " ".join(str(r.fields.get(k, "")) for k in ("data_sought", "question"))
    return bool(_OVERBROAD.search(text))

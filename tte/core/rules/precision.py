"""Precision of a request (domain.md "Precision of a request", failures 5 and 6): the
mandatory elements, a specific object, and identifiers that match the holder's records.

A request is compared with the item as the holder indexes it (`evidence[].index`) only
when the holder executes it: a wrong UTC offset or a missing port behind carrier-grade NAT
names another customer or none, and that is learnt when the answer comes back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tte.i18n import N_

from ..scenario import EvidenceItem, parse_instant
from ..state import Request, State
from ..templates import TEMPLATES
from .common import filled

_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_TOLERANCE = 60.0  # seconds: logs and requests quote the same session to the minute
_TEXT_FIELDS = ("data_sought", "question", "identifier", "time_zone", "moment")


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


def _text(r: Request) -> str:
    return " ".join(str(r.fields.get(k, "")) for k in _TEXT_FIELDS).casefold()


def unspecific(st: State, r: Request) -> list[str]:
    """Why the request is overbroad, by substance: it names no item, an item by none of
    the identifiers that scope it, or traffic or content data with no bounded period. The
    word "all" is no fault: "all subscriber information for account X" is standard."""
    if not r.evidence:
        return ["no item named"]
    text = _text(r)
    if not text.strip():
        return []  # nothing described at all: incomplete, not overbroad
    out: list[str] = []
    for eid in r.evidence:
        item = st.scenario.item(eid)
        if item is None:
            continue
        scope = item.scope or item.identifiers
        if scope and not any(s.casefold() in text for s in scope):
            out.append(f"{item.title}: none of its identifiers")
        elif item.kind in ("traffic", "content") and not (
            _DATE.search(text) or parse_instant(str(r.fields.get("moment", "")))
        ):
            out.append(f"{item.title}: no period")
    return out


def is_overbroad(st: State, r: Request) -> bool:
    return bool(unspecific(st, r))


@dataclass(frozen=True)
class Match:
    """What the holder finds for one requested item."""

    item: str  # the item asked for
    found: str | None  # what it hands over: the item, a decoy (another customer) or nothing
    problem: str = ""  # identifier | time | offset | port ("" when found as asked)


def match(st: State, r: Request, item: EvidenceItem) -> Match:
    """Compare the request with the holder's index of the item."""
    ix = item.index
    if ix is None:
        return Match(item.id, item.id)
    text = _text(r)
    if ix.value.casefold() not in text:
        return Match(item.id, None, "identifier")
    if ix.kind != "ip_time":
        return Match(item.id, item.id)
    asked = parse_instant(str(r.fields.get("moment", "")))
    actual = parse_instant(ix.at)
    assert actual is not None  # validated with the scenario
    if asked is None:
        return Match(item.id, None, "time")
    delta = abs((asked - actual) / dt.timedelta(seconds=1))
    if delta > _TOLERANCE:
        hours = round(delta / 3600)
        off_by_hours = hours and abs(delta - hours * 3600) <= _TOLERANCE
        return Match(
            item.id, ix.decoy if off_by_hours else None, "offset" if off_by_hours else "time"
        )
    if ix.port is not None and str(r.fields.get("port", "")) != str(ix.port):
        return Match(item.id, ix.decoy, "port")
    return Match(item.id, item.id)


PROBLEMS = {
    "identifier": N_("no record matches the identifier given"),
    "time": N_("no session at the date and time given"),
    "offset": N_("the time given is hours off the holder's logs (a wrong UTC offset)"),
    "port": N_("the address is shared behind carrier-grade NAT and no source port matched"),
}

"""How long the other side takes (domain.md "How time really passes in MLA"): fast
transmission, months of translation and execution at the requested side, hours in an
emergency."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..duration import parse_duration
from ..templates import TEMPLATES
from .common import filled
from .emergency import expedited

if TYPE_CHECKING:
    from ..state import Request, State

HOUR = 3600.0
DAY = 86400.0
EMERGENCY_DESK_DELAY = 2 * HOUR  # authorities on call act within hours (2AP Art 9, 10)
EMERGENCY_PROVIDER_DELAY = 8 * HOUR  # Regulation (EU) 2023/1543 Art 10(4): 8 hours


def execution_time(st: State, r: Request, nxt: dict[str, Any]) -> float:
    """Translation and execution at the requested side, added to the hop from its
    authority to the provider. Urgency (BC Art 25(3), Directive 2014/41/EU Art 12(2))
    halves it; within a JIT there is no new request to execute."""
    here = r.at()
    if nxt["kind"] != "org" or here["kind"] != "seat" or here["country"] == r.country:
        return 0.0
    if r.channel == "jit":
        return 0.0
    base = st.scenario.execution_time(r.template)
    return base / 2 if filled(r.fields.get("urgency")) else base


def accepted_languages(st: State, code: str) -> list[str]:
    c = st.scenario.country(code)
    return [x.lower() for x in c.languages] if c else []


def request_language(st: State, r: Request) -> str:
    """The language chosen on the form, else the sender's own (its first declared)."""
    chosen = str(r.fields.get("language") or "").lower()
    own = accepted_languages(st, r.country)
    return chosen or (own[0] if own else "")


def translation_time(st: State, r: Request, nxt: dict[str, Any]) -> float:
    """Translating a request into a language other than the sender's own takes the
    sender's translation desk its time, on the hop that leaves the country; urgency halves
    it (domain.md "How time really passes in MLA")."""
    here = r.at()
    if here["country"] != r.country or nxt["country"] in (None, r.country):
        return 0.0
    if TEMPLATES[r.template].field("language") is None:
        return 0.0
    own = accepted_languages(st, r.country)
    if not own or request_language(st, r) in ("", own[0]):
        return 0.0
    c = st.scenario.country(r.country)
    assert c is not None
    base = parse_duration(c.translation)
    return base / 2 if filled(r.fields.get("urgency")) else base


def desk_delay(st: State, r: Request, role: str) -> float:
    delay = st.scenario.desk_delay(role)
    if TEMPLATES[r.template].emergency:
        delay = min(delay, EMERGENCY_DESK_DELAY)
    return delay


def provider_delay(st: State, r: Request, org: str) -> float:
    """A provider answers on its own time; emergency requests and orders within hours."""
    delay = float(st.orgs[org]["answer_delay"])
    if TEMPLATES[r.template].emergency or (r.template == "epoc" and expedited(st, r)):
        delay = min(delay, EMERGENCY_PROVIDER_DELAY)
    return delay


def preservation_period(st: State, r: Request) -> float:
    """How long executed preservation keeps the data frozen: BC Art 29(7) at least 60 days
    (the scenario's `preservation_days`); a European Preservation Order 60 days, and 30 more
    on a further order for the same data (Regulation (EU) 2023/1543 Art 11(1)) (check)."""
    if r.template != "epoc_pr":
        return st.scenario.exercise.preservation_days * DAY
    again = any(
        st.items[e].preserved_until is not None and st.items[e].preserved_for == r.country
        for e in r.evidence
    )
    return 30 * DAY if again else 60 * DAY

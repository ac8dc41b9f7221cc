"""Which instrument applies between which pair of countries (domain.md, "Which instrument
between which pair of countries"). Per-country status is scenario data."""

from __future__ import annotations

from ..state import State

# Which reservation of the requested Party excludes which template (2AP Art 19 and the
# declarations each Party may make; scenario data per country).
RESERVATION_FOR = {
    "domain_registration": "art6",
    "subscriber_order": "art7",
    "emergency_disclosure": "art9",
    "emergency_mla": "art10",
    "jit_agreement": "art12",
}


def both_apply_2ap(st: State, a: str, b: str | None) -> bool:
    sc = st.scenario
    ca, cb = sc.country(a), sc.country(b) if b else None
    return bool(ca and cb and ca.second_protocol and cb.second_protocol)


def both_eu(st: State, a: str, b: str | None) -> bool:
    sc = st.scenario
    ca, cb = sc.country(a), sc.country(b) if b else None
    return bool(ca and cb and ca.eu and cb.eu)

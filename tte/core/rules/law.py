"""Which instrument applies between which pair of countries (domain.md, "Which instrument
between which pair of countries"). What each country has ratified, reserved and declared
is scenario data; the articles that make a pair's status matter are cited here.
"""

from __future__ import annotations

import datetime as dt

from ..scenario import Country, Organisation, Scenario
from ..state import State

# Regulation (EU) 2023/1543 Art 34: it applies from 18 August 2026.
E_EVIDENCE_APPLIES_FROM = dt.date(2026, 8, 18)


def _pair(sc: Scenario, a: str, b: str | None) -> tuple[Country, Country] | None:
    ca, cb = sc.country(a), sc.country(b) if b else None
    return (ca, cb) if ca and cb else None


def both_budapest(st: State, a: str, b: str | None) -> bool:
    """BC Arts 29-31 need both ends to be Parties (BC Art 23, 29(1), 31(1))."""
    p = _pair(st.scenario, a, b)
    return bool(p and p[0].budapest and p[1].budapest)


def both_apply_2ap(st: State, a: str, b: str | None) -> bool:
    """2AP Arts 6-12 apply only between Parties that ratified it (domain failure 8)."""
    p = _pair(st.scenario, a, b)
    return bool(p and p[0].second_protocol and p[1].second_protocol)


def both_eu(st: State, a: str, b: str | None) -> bool:
    p = _pair(st.scenario, a, b)
    return bool(p and p[0].eu and p[1].eu)


def bound_by_eio(c: Country) -> bool:
    """Directive 2014/41/EU binds the member states but Denmark and Ireland (data)."""
    return c.eu if c.eio is None else c.eio


def bound_by_e_evidence(c: Country) -> bool:
    """Regulation (EU) 2023/1543 binds the member states but Denmark (data)."""
    return c.eu if c.e_evidence is None else c.e_evidence


def both_eio(st: State, a: str, b: str | None) -> bool:
    p = _pair(st.scenario, a, b)
    return bool(p and bound_by_eio(p[0]) and bound_by_eio(p[1]))


def shares_treaty(st: State, a: str, b: str | None, treaty: str) -> bool:
    p = _pair(st.scenario, a, b)
    if treaty == "uncc" and not st.scenario.exercise.uncc_in_force:
        return False
    return bool(p and treaty in p[0].treaties and treaty in p[1].treaties)


def mla_basis(st: State, a: str, b: str | None) -> str | None:
    """The treaty an MLA request between the pair rests on, or None (reciprocity only).
    BC Art 27 applies only where no other treaty exists (BC Art 27(1))."""
    if shares_treaty(st, a, b, "ets30"):
        return "1959 Convention (ETS 30)"
    if both_budapest(st, a, b):
        return "Budapest Convention"
    if shares_treaty(st, a, b, "uncc"):
        return "UN Convention against Cybercrime"
    return None


def jit_basis(st: State, a: str, b: str | None) -> str | None:
    """A JIT rests on any basis the pair shares (domain.md, request types): EU rules,
    ETS 182 Art 20, 2AP Art 12 (unless declared otherwise), UNTOC Art 19."""
    if both_eu(st, a, b):
        return "EU rules (Framework Decision 2002/465/JHA)"
    if shares_treaty(st, a, b, "ets182"):
        return "ETS 182 Art 20"
    if both_apply_2ap(st, a, b):
        return "2AP Art 12"
    if shares_treaty(st, a, b, "untoc"):
        return "UNTOC Art 19"
    return None


def e_evidence_applies(st: State) -> bool:
    """On the game's date, not the real one: a 2019 scenario has no e-Evidence orders."""
    return st.scenario.game_datetime(st.now).date() >= E_EVIDENCE_APPLIES_FROM


def enforcing_state(st: State, org: Organisation, issuing: str) -> str | None:
    """Where an e-Evidence order is addressed: the member state of the provider's designated
    establishment or legal representative, bound by the Regulation and not the issuing
    state (a domestic order there). None: the Regulation cannot reach the provider."""
    sc = st.scenario
    rep = sc.country(org.eu_representative) if org.eu_representative else None
    own = sc.country(issuing)
    if rep is None or own is None or rep.code == issuing:
        return None
    if not (bound_by_e_evidence(rep) and bound_by_e_evidence(own)):
        return None
    return rep.code


def reserved(c: Country, name: str) -> bool:
    """A reservation under 2AP Art 19(1) or a declaration the Party made."""
    return name in c.reservations or name in c.declarations


def instruments_between(st: State, a: str, b: str) -> list[str]:
    """The instruments in force between two countries on the game's date, as the directory
    shows them to a seat of `a` (each from the rules above, nothing decided elsewhere)."""
    pair = _pair(st.scenario, a, b)
    if pair is None or a == b:
        return []
    out: list[str] = []
    if both_budapest(st, a, b):
        out.append("Budapest")
    if shares_treaty(st, a, b, "ets30"):
        out.append("1959 Conv.")
    if shares_treaty(st, a, b, "uncc"):
        out.append("UNCC")
    if both_apply_2ap(st, a, b):
        out.append("2AP")
    if both_eio(st, a, b):
        out.append("EIO")
    if e_evidence_applies(st) and bound_by_e_evidence(pair[0]) and bound_by_e_evidence(pair[1]):
        out.append("e-Evidence")
    basis = jit_basis(st, a, b)
    if basis:  # short: "EU rules", "ETS 182", "2AP", "UNTOC"
        out.append("JIT: " + basis.split(" (")[0].split(" Art ")[0])
    return out

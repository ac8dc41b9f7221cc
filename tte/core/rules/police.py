"""Police cooperation is intelligence (domain.md, request type `police_info`).

Europol, INTERPOL and foreign police share what the *police* hold (records, earlier cases,
open sources): a lead, never admissible and never a provider's own data, which only an
order in the provider's State compels (BC Arts 29-31). Both ends must reach the body:
Europol exchanges personal data with EU members and operational partners only.
"""

from __future__ import annotations

from tte.i18n import said

from ..scenario import Country, Scenario
from ..state import Request, State
from .common import Finding


def has_access(sc: Scenario, body: str, code: str) -> bool:
    """Operational access: EU members and operational partners for Europol (strategic
    partners exchange no personal data); every country for INTERPOL unless listed."""
    c = sc.country(code)
    spec = next((b for b in sc.bodies if b.id == body), None)
    if c is None:
        return False
    if body == "europol":
        return c.eu or bool(spec and code in spec.members)
    if body == "interpol":
        return not spec or not spec.members or code in spec.members
    return True


def _asked_about(sc: Scenario, r: Request) -> set[str]:
    out = set(r.evidence)
    for eid in r.evidence:
        item = sc.item(eid)
        if item:
            out.update(item.identifiers)
    text = " ".join(str(r.fields.get(k, "")) for k in ("question", "data_sought"))
    out.update(w.strip(".,;()") for w in text.split())
    return out


def _held_by(sc: Scenario, r: Request) -> list[Country]:
    """The countries whose police the question concerns: where the named items' holders
    are, and the requester itself (its own records are not asked for)."""
    codes: list[str] = []
    for eid in r.evidence:
        item = sc.item(eid)
        org = sc.org(item.holder) if item else None
        if org and org.country != r.country and org.country not in codes:
            codes.append(org.country)
    if not codes:
        codes = [c.code for c in sc.countries if c.code != r.country]
    return [c for code in codes if (c := sc.country(code))]


def police_answer(st: State, r: Request, via: str | None) -> tuple[Finding | None, list[str]]:
    """What a police channel answers: a refusal, or the leads the police there hold.

    `via` is the body (europol, interpol) or None for foreign police answering directly.
    """
    sc = st.scenario
    if via is not None and not has_access(sc, via, r.country):
        name = next((b.name for b in sc.bodies if b.id == via and b.name), via.capitalize())
        return (
            Finding(
                "refuse",
                "other",
                said(
                    "{country} has no operational agreement with {name}: no personal data "
                    "can be exchanged (use INTERPOL or a liaison officer).",
                    country=r.country,
                    name=name,
                ),
            ),
            [],
        )
    asked = _asked_about(sc, r)
    leads: list[str] = []
    unreachable: list[str] = []
    for c in _held_by(sc, r):
        if via is not None and not has_access(sc, via, c.code):
            unreachable.append(c.name)
            continue
        leads += [i.text for i in c.police_intel if set(i.about) & asked]
    if unreachable:
        leads.append(
            said(
                "The police of {countries} cannot be asked through this channel.",
                countries=", ".join(unreachable),
            )
        )
    return None, leads

"""Refusal and postponement grounds, cited by the treaty in force between the pair.

BC Art 27 applies only where no other treaty binds the pair (BC Art 27(1)): between
Council of Europe states the 1959 Convention and its protocols are cited, between states
bound by the EIO Directive its own grounds; preservation has its own (BC Art 29(4), (5)).
What a Party invokes, and when, is scenario data (`countries[].grounds`), applied by its
desk as by a person in its seat.
"""

from __future__ import annotations

from tte.i18n import said

from ..duration import parse_duration
from ..scenario import GroundRule
from ..state import Request, State
from ..templates import REFUSAL_GROUNDS, TEMPLATES
from .common import Finding
from .law import both_budapest, both_eio, shares_treaty

# (framework, ground) -> the article invoked. Frameworks: the instrument's own regime
# first, then the treaty the pair shares.
CITATIONS: dict[tuple[str, str], str] = {
    ("eio", "political_offence"): "Directive 2014/41/EU Art 11(1)",
    ("eio", "sovereignty"): "Directive 2014/41/EU Art 11(1)(b)",
    ("eio", "dual_criminality"): "Directive 2014/41/EU Art 11(1)(g)",
    ("eio", "postponed"): "Directive 2014/41/EU Art 15(1)(a)",
    ("eio", "conditions"): "Directive 2014/41/EU Art 19",
    ("e_evidence", "sovereignty"): "Regulation (EU) 2023/1543 Art 12 (check)",
    ("e_evidence", "dual_criminality"): "Regulation (EU) 2023/1543 Art 12 (check)",
    ("preservation", "political_offence"): "BC Art 29(5)(a)",
    ("preservation", "sovereignty"): "BC Art 29(5)(b)",
    ("preservation", "dual_criminality"): "BC Art 29(4)",
    ("2ap_notified", "political_offence"): "2AP Art 7(5)(c)",
    ("2ap_notified", "sovereignty"): "2AP Art 7(5)(c)",
    ("2ap_notified", "postponed"): "2AP Art 7(5)(c)",
    ("ets30", "political_offence"): "1959 Convention Art 2(a)",
    ("ets30", "sovereignty"): "1959 Convention Art 2(b)",
    ("ets30", "dual_criminality"): "1959 Convention Art 5",
    ("ets30", "postponed"): "ETS 182 Art 7",
    ("ets30", "conditions"): "ETS 182 Art 25",
    ("bc", "political_offence"): "BC Art 27(4)(a)",
    ("bc", "sovereignty"): "BC Art 27(4)(b)",
    ("bc", "dual_criminality"): "BC Art 25(5)",
    ("bc", "postponed"): "BC Art 27(5)",
    ("bc", "conditions"): "BC Art 28",
}


def framework(st: State, r: Request, requested: str) -> str:
    """Which regime's grounds apply to this request between this pair."""
    instrument = TEMPLATES[r.template].instrument
    if instrument in ("eio", "e_evidence"):
        return instrument
    if r.template == "preservation":
        return "preservation"
    if r.template == "subscriber_order":
        return "2ap_notified"
    if r.template == "mla_stored_data" and both_eio(st, r.country, requested):
        return "eio"
    if shares_treaty(st, r.country, requested, "ets30"):
        return "ets30"
    if both_budapest(st, r.country, requested):
        return "bc"
    return "none"


def citation(st: State, r: Request, requested: str, ground: str) -> str:
    return CITATIONS.get((framework(st, r, requested), ground), "national law")


def explain(st: State, r: Request, requested: str, ground: str) -> str:
    """The ground's words with the article the treaty in force gives it."""
    label = REFUSAL_GROUNDS[ground].split(" (", 1)[0]
    if ground not in {g for _f, g in CITATIONS}:
        return said("{ground_term}", ground_term=REFUSAL_GROUNDS[ground])
    return said(
        "{ground_term} ({citation})",
        ground_term=label,
        citation=citation(st, r, requested, ground),
    )


def _applies(g: GroundRule, st: State, r: Request) -> bool:
    return (
        (not g.evidence or bool(set(g.evidence) & set(r.evidence)))
        and (not g.templates or r.template in g.templates)
        and (not g.requesting or r.country in g.requesting)
    )


def invoked(st: State, r: Request, requested: str) -> Finding | None:
    """The first ground the requested Party's data invokes against this request: a
    refusal, or a postponement (a forward that waits)."""
    c = st.scenario.country(requested)
    if c is None:
        return None
    for g in c.grounds:
        if not _applies(g, st, r):
            continue
        text = explain(st, r, requested, g.ground)
        if g.note:
            message = said("{name}: {ground}. {note}", name=c.name, ground=text, note=g.note)
        else:
            message = said("{name}: {ground}.", name=c.name, ground=text)
        if g.ground == "postponed":
            return Finding("forward", "postponed", message, delay=parse_duration(g.postpone))
        return Finding("refuse", g.ground, message)
    return None

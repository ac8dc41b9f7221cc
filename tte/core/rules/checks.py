"""What a requested Party, or a provider receiving a direct order, objects to.

``legal_check`` runs an ordered table of small checks, one per ground; the first that
objects decides. Each check cites the article it applies.
"""

from __future__ import annotations

from collections.abc import Callable

from ..state import Request, State
from ..templates import TEMPLATES
from .common import Finding
from .law import RESERVATION_FOR, both_apply_2ap, both_eu
from .precision import is_overbroad, missing_fields

Check = Callable[[State, Request, str], Finding | None]


def _mla_on_24_7(st: State, r: Request, where: str) -> Finding | None:
    """Wrong channel (domain failure 4): an MLA request through the 24/7 network is no
    request; the central authority transmits it (BC Art 25, 27)."""
    if r.template in ("mla_stored_data", "giving_effect", "emergency_mla") and r.channel == (
        "network_24_7"
    ):
        return Finding(
            "refuse",
            "invalid_channel",
            "A mutual assistance request is not valid through the 24/7 network: the "
            "central authority must transmit it (BC Art 25, 27).",
        )
    return None


def _no_jit(st: State, r: Request, where: str) -> Finding | None:
    if r.channel == "jit" and not st.jit_between(r.country, where):
        return Finding(
            "refuse",
            "invalid_channel",
            "There is no joint investigation team between us: use mutual assistance.",
        )
    return None


def _eu_jit(st: State, r: Request, where: str) -> bool:
    return r.template == "jit_agreement" and both_eu(st, r.country, where)


def _2ap_not_in_force(st: State, r: Request, where: str) -> Finding | None:
    """2AP instruments apply only between Parties that both apply the Protocol (domain 8);
    a JIT may instead rest on EU rules between member states."""
    tpl = TEMPLATES[r.template]
    if tpl.instrument == "2ap" and not _eu_jit(st, r, where):
        if not both_apply_2ap(st, r.country, where):
            return Finding(
                "refuse",
                "instrument_not_in_force",
                f"The Second Additional Protocol is not in force between {r.country} and "
                f"{where}: use the Budapest Convention (MLA, BC Art 31).",
            )
    return None


def _reserved(st: State, r: Request, where: str) -> Finding | None:
    """A reservation of the requested Party (2AP Art 19) excludes the measure."""
    requested = st.scenario.country(where)
    res = RESERVATION_FOR.get(r.template)
    if requested and res and res in requested.reservations and not _eu_jit(st, r, where):
        return Finding(
            "refuse",
            "reservation",
            f"{requested.name} reserved the right not to apply 2AP {res.replace('art', 'Art ')}.",
        )
    if r.template == "giving_effect" and requested and "art8_traffic" in requested.reservations:
        if "traffic" in _kinds(st, r):
            return Finding(
                "refuse",
                "reservation",
                f"{requested.name} does not give effect to orders for traffic data "
                "(2AP Art 8 reservation).",
            )
    return None


def _kinds(st: State, r: Request) -> set[str]:
    return {item.kind for e in r.evidence if (item := st.scenario.item(e))}


def _wrong_data_kind(st: State, r: Request, where: str) -> Finding | None:
    """The data kind decides the instrument (BC Art 18(3), 1(d); 2AP Art 7: subscriber only)."""
    tpl = TEMPLATES[r.template]
    bad = sorted(k for k in _kinds(st, r) if k not in tpl.data_kinds)
    if bad:
        return Finding(
            "refuse",
            "data_kind",
            f"{tpl.basis} cannot obtain {', '.join(bad)} data (only {', '.join(tpl.data_kinds)}).",
        )
    return None


def _no_emergency(st: State, r: Request, where: str) -> Finding | None:
    """2AP Art 9/10 need a significant and imminent risk to life or safety (Art 3(2)(c))."""
    if TEMPLATES[r.template].emergency and not st.emergency:
        return Finding(
            "refuse",
            "no_emergency",
            "No significant and imminent risk to the life or safety of a person is shown "
            "(2AP Art 3(2)(c)): use the ordinary procedure.",
        )
    return None


def _overbroad(st: State, r: Request, where: str) -> Finding | None:
    """A request must name what it seeks (domain failure 6)."""
    tpl = TEMPLATES[r.template]
    if tpl.target == "org" and tpl.outcome != "disclose_traffic":
        if not r.evidence or is_overbroad(r):
            return Finding(
                "return",
                "overbroad",
                "The data sought is not specific: name the account, address or item and the "
                "period.",
            )
    return None


def _incomplete(st: State, r: Request, where: str) -> Finding | None:
    """A missing mandatory element gets the request returned (domain failure 5)."""
    miss = missing_fields(st, r)
    if miss:
        return Finding(
            "return",
            "incomplete",
            "Returned for missing information: "
            + "; ".join(TEMPLATES[r.template].labels(miss))
            + ".",
            missing=miss,
        )
    return None


# In the order a requested Party looks at a request: is it a request at all, does an
# instrument apply between us, may it obtain this data, is it precise and complete.
CHECKS: tuple[Check, ...] = (
    _mla_on_24_7,
    _no_jit,
    _2ap_not_in_force,
    _reserved,
    _wrong_data_kind,
    _no_emergency,
    _overbroad,
    _incomplete,
)


def legal_check(st: State, r: Request, where: str) -> Finding | None:
    """The first objection of the country `where` deciding, or None."""
    for check in CHECKS:
        found = check(st, r, where)
        if found is not None:
            return found
    return None

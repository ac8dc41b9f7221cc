"""Which obtainment counts at trial (domain.md "Evidence and admissibility")."""

from __future__ import annotations

from ..state import State

# Templates whose obtained evidence counts at trial, per data kind, unless an item says
# otherwise: only a formal path (MLA, 2AP order, JIT, EIO, e-Evidence order) is evidence.
FORMAL_PATHS = frozenset(
    {
        "mla_stored_data",
        "giving_effect",
        "emergency_mla",
        "emergency_disclosure",
        "domestic_order",
        "jit",
        "eio",  # Directive 2014/41/EU
        "epoc",  # Regulation (EU) 2023/1543
    }
)


def admissible_via(st: State, eid: str, via: str) -> bool:
    item = st.scenario.item(eid)
    if item is None:
        return False
    if item.admissible_via:
        return via in item.admissible_via
    if via in FORMAL_PATHS:
        return True
    if via == "subscriber_order":
        return item.kind == "subscriber"
    if via == "domain_registration":
        return item.kind == "registration"
    return False

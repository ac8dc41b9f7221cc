"""The legal rules: who may send what, and what a requested Party or provider decides.

Every legal decision of the game is made in this package, as pure functions of the state;
the engine turns their findings into events, and clients only display them. A desk (the
engine playing a seat) and a provider use the same findings, so a human player can be
measured against what the rules say.

- ``law``: which instrument applies between which pair of countries;
- ``checks``: what a requested Party or provider objects to (``legal_check``);
- ``precision``: mandatory elements, time zones, overbreadth;
- ``evidence``: which obtainment counts at trial;
- ``desk``: what a seat nobody plays decides;
- ``addressing``: whom a seat may address each form to;
- ``decisions``: which decisions an actor may take on a request where it stands.
"""

from .checks import legal_check
from .common import Finding, country_of, filled, role_of
from .desk import action_word, desk_decision
from .evidence import FORMAL_PATHS, admissible_via
from .law import (
    both_apply_2ap,
    both_budapest,
    both_eio,
    both_eu,
    e_evidence_applies,
    enforcing_state,
    jit_basis,
    mla_basis,
    reserved,
)
from .precision import is_overbroad, match, missing_fields, unspecific

__all__ = [
    "FORMAL_PATHS",
    "Finding",
    "action_word",
    "admissible_via",
    "both_apply_2ap",
    "both_budapest",
    "both_eio",
    "both_eu",
    "country_of",
    "desk_decision",
    "e_evidence_applies",
    "enforcing_state",
    "filled",
    "is_overbroad",
    "jit_basis",
    "legal_check",
    "match",
    "missing_fields",
    "mla_basis",
    "reserved",
    "role_of",
    "unspecific",
]

"""What the engine decides for a seat nobody plays (a desk)."""

from __future__ import annotations

from tte.i18n import said
from tte.i18n.message import listed

from ..state import Request, State
from ..templates import NEEDS_SIGNATURE, TEMPLATES
from .checks import legal_check
from .common import Finding, country_of, role_of
from .grounds import invoked
from .precision import missing_fields


def desk_decision(st: State, r: Request) -> Finding:
    """What the engine does for a seat nobody plays, when a request waits at it."""
    seat = r.at()["ref"]
    role = role_of(seat)
    here = country_of(seat)
    last = r.stop == len(r.route) - 1
    if here == r.country:
        # Domestic steps: the prosecutor signs, the central authority checks completeness.
        if role in ("prosecutor", "central_authority") and (
            r.template in NEEDS_SIGNATURE or role == "central_authority"
        ):
            miss = missing_fields(st, r)
            if miss:
                return Finding(
                    "return",
                    "incomplete",
                    said(
                        "Not signed: complete {fields}.",
                        fields=listed(TEMPLATES[r.template].labels(miss)),
                    ),
                    missing=miss,
                )
        return Finding("answer" if last else "forward")
    found = legal_check(st, r, here)
    if found is not None:
        return found
    # The requested Party's own grounds (its data), as a person in the seat would invoke
    # them: a refusal, or a postponement before the request goes on for execution.
    ground = invoked(st, r, here)
    if ground is not None and (ground.decision == "refuse" or not last):
        return ground
    if last:
        return Finding("answer")
    return Finding("forward")


def action_word(role: str) -> str:
    return {
        "prosecutor": "approved and signed",
        "central_authority": "transmitted",
        "poc": "forwarded",
    }.get(role, "forwarded")

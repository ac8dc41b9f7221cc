"""Which requests get the emergency treatment: those for the items the emergency concerns.

An emergency (a significant and imminent risk to a person's life or safety, 2AP Art 3(2)(c))
is about particular data: an Art 9 expedited disclosure and an Art 10 emergency MLA must
show how the data sought relates to it (2AP Art 9(3), 10(3)); BC Art 25(3) lets urgent
requests go by expedited means, and the EU e-Evidence Regulation (Art 10(4)) answers an
emergency EPOC within 8 hours — for that data, not for everything else in the case. The
scenario's emergency (or the facilitator's) names its items; none named: every item the
scenario marks ``emergency_relevant``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import Request, State


def concerns(st: State, eid: str) -> bool:
    """Does the declared emergency concern this evidence item?"""
    if not st.emergency:
        return False
    if st.emergency_items:
        return eid in st.emergency_items
    item = st.scenario.item(eid)
    return item is not None and item.emergency_relevant


def unrelated(st: State, evidence: Iterable[str]) -> list[str]:
    """The items (ids) a request seeks that the emergency does not concern."""
    return [e for e in evidence if not concerns(st, e)]


def expedited(st: State, r: Request) -> bool:
    """An emergency request, or an EPOC, for data the emergency concerns: the fast path
    (2AP Art 9/10; BC Art 25(3); Regulation (EU) 2023/1543 Art 10(4))."""
    return st.emergency and bool(r.evidence) and not unrelated(st, r.evidence)

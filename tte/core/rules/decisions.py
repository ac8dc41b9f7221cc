"""Which decisions an actor may take on a request where it stands now.

One rule for the engine (``request.respond`` is refused unless the decision is listed
here) and for the clients: every request snapshot carries its holder's decisions (and the
mandatory elements left empty, which a return names by default), so the player's tracker
and the console's answer dialog show them instead of working them out.

- A seat decides only on what waits at it, after its sender: it forwards (or, at the
  last stop, answers), returns or refuses.
- A provider or a body decides by its own rules (``engine._execute_org``/``_execute_body``);
  the facilitator may act in its place: fulfil (execute it now), return or refuse.
- The facilitator may also act in place of any seat, with that seat's decisions.
"""

from __future__ import annotations

from typing import Final, Literal

from tte.i18n import N_

from ..state import TERMINAL, Request
from ..templates import TEMPLATES
from .common import filled

Decision = Literal["forward", "answer", "fulfil", "return", "refuse"]
DECISIONS: Final[tuple[Decision, ...]] = ("forward", "answer", "fulfil", "return", "refuse")
FACILITATOR: Final = "facilitator"

# Why a decision the holder may not take is refused (the others are unknown decisions).
WHY_NOT: Final[dict[str, str]] = {
    "forward": N_("This is the last stop: answer it"),
    "answer": N_("Forward it: it has further to go"),
}

# What "forward" means at each role, as the player's buttons say it.
FORWARD_WORDS: Final[dict[str, str]] = {
    "poc": "Forward",
    "prosecutor": "Approve & sign",
    "central_authority": "Transmit",
    "investigator": "Forward",
}
# What answering means, by the template's outcome where it is more than an answer.
ANSWER_WORDS: Final[dict[str, str]] = {"agree": "Agree JIT"}


def waits(r: Request) -> bool:
    """Does `r` wait for a decision at its current stop (not travelling, closed or back
    with its sender)?"""
    return not (r.status in TERMINAL or r.status == "returned" or r.in_transit)


def holds(r: Request, actor: str) -> bool:
    """May `actor` decide on `r` where it waits: its seat (not the sender's own first
    stop), or the facilitator anywhere."""
    stop = r.at()
    if actor == FACILITATOR:
        return True
    return stop["kind"] == "seat" and stop["ref"] == actor and r.stop > 0


def decisions(r: Request, actor: str) -> list[Decision]:
    """The decisions `actor` may take on `r` now, in the order a form offers them."""
    if not waits(r) or not holds(r, actor):
        return []
    if r.at()["kind"] != "seat":
        return ["fulfil", "return", "refuse"]
    last = r.stop == len(r.route) - 1
    return ["answer" if last else "forward", "return", "refuse"]


def holder_decisions(r: Request) -> list[Decision]:
    """The decisions of whoever holds `r` now: its seat, or for a provider or a body, the
    facilitator acting in its place. What a request snapshot carries."""
    stop = r.at()
    return decisions(r, stop["ref"] if stop["kind"] == "seat" else FACILITATOR)


def unfilled(r: Request) -> list[str]:
    """The mandatory elements left empty: what a return names unless its holder says
    otherwise (a form pre-selects them; whether they matter is the holder's call)."""
    tpl = TEMPLATES[r.template]
    return [f for f in tpl.mandatory if not filled(r.fields.get(f))]


def forward_words(r: Request) -> str:
    """What forwarding `r` from where it waits does, as its holder's button says it: the
    requesting prosecutor approves and signs; a central authority transmits to the
    requested Party's central authority, and there sends the request for execution
    (domain.md, Seats: "transmits and receives MLA requests (BC Art 31, 2AP Art 8,
    Art 10) ... forwards for execution"); a 24/7 point of contact sends a request abroad
    and, when it is the requested one, on to the provider (BC Art 29(3), 35)."""
    stop = r.at()
    role = str(stop["ref"]).partition("/")[2]
    if r.stop + 1 >= len(r.route):
        return FORWARD_WORDS.get(role, "Forward")
    nxt = r.route[r.stop + 1]
    here = stop.get("country")
    if role == "prosecutor" and here == r.country:
        return FORWARD_WORDS["prosecutor"]
    if nxt["kind"] == "seat":
        if nxt.get("country") and nxt.get("country") != here:
            verb = "Transmit to" if role == "central_authority" else "Send to"
            return f"{verb} {nxt['country']}"
        return "Forward"
    if nxt["kind"] == "org":
        return "Send to the provider" if role == "poc" else "Send for execution"
    return "Forward"


def words(r: Request) -> dict[str, str]:
    """The words for each decision its holder may take on `r` now, where they depend on
    the route (forwarding); what a request snapshot carries next to its decisions."""
    stop = r.at()
    if stop["kind"] != "seat" or "forward" not in holder_decisions(r):
        return {}
    return {"forward": forward_words(r)}


def labels(role: str, template: str) -> dict[str, str]:
    """The words for each decision on a `template` request, for a seat of `role`."""
    tpl = TEMPLATES.get(template)
    return {
        "forward": FORWARD_WORDS.get(role, "Forward"),
        "answer": ANSWER_WORDS.get(tpl.outcome if tpl else "", "Answer"),
        "fulfil": "Fulfil",
        "return": "Return",
        "refuse": "Refuse",
    }

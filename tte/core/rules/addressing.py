"""Who a request may be addressed to: one rule, used by the engine to validate
``request.submit`` and by the welcome to tell a seat whom each of its forms can reach.

Generic over the templates table: a template's ``target`` says what kind of addressee it
takes, its ``senders`` who its counterparts abroad are, its ``channels`` whether it stays
at home. A new template is a row in ``TEMPLATES``, never a new branch here.

- ``org``: a provider or registrar abroad; at home when the template only travels on the
  ``domestic`` channel (a domestic production order).
- ``body``: an international police body (Europol, INTERPOL), or a foreign counterpart.
- ``seat``: a foreign counterpart: a seat of another country whose role may itself send
  the template (a JIT is agreed between prosecutors; spontaneous information goes to any
  seat).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from tte.i18n import said

from ..channels import Stop
from ..scenario import BODY_NAMES, Organisation, Scenario
from ..templates import ROLE_LABELS, Template
from .common import country_of, role_of

RecipientKind = Literal["org", "body", "seat"]
# Bodies a seat may address. Eurojust is a stop of the `eurojust` channel (prosecutors'
# coordination), reached through the route, never an addressee of its own.
ADDRESSABLE_BODIES: dict[str, str] = {b: n for b, n in BODY_NAMES.items() if b != "eurojust"}


class AddressError(ValueError):
    """An addressee the rules refuse; the message says why, for the sender."""


@dataclass(frozen=True)
class Recipient:
    id: str  # organisation id, body id or seat id ("NL/poc")
    kind: RecipientKind


def stays_home(tpl: Template) -> bool:
    """A template that only travels within the sender's country (a domestic order)."""
    return all(c == "domestic" for c in tpl.channels)


def _org_refusal(tpl: Template, org: Organisation, country: str) -> str | None:
    home = stays_home(tpl)
    if home and org.country != country:
        return f"{org.name} is abroad: a {tpl.title.lower()} cannot reach it"
    if not home and org.country == country:
        return said("{name} is in your own country: use a domestic production order", name=org.name)
    return None


def _seat_refusal(tpl: Template, seat: str, country: str) -> str | None:
    if country_of(seat) == country:
        return said("Send it to another country's seat")
    if role_of(seat) not in tpl.senders:
        if tpl.target == "body":
            bodies = ", ".join(ADDRESSABLE_BODIES.values())
            return said(
                "{title_term} goes to {bodies} or a foreign counterpart",
                title_term=tpl.title,
                bodies=bodies,
            )
        who = " or ".join(ROLE_LABELS.get(r, r).lower() for r in tpl.senders)
        return f"A {tpl.title} goes to a foreign {who}"
    return None


def addressee(sc: Scenario, seats: Collection[str], tpl: Template, to: str, country: str) -> Stop:
    """The stop a request of `tpl` from `country` addressed `to` goes to, or AddressError.
    `seats` are the scenario's seat ids (the engine passes its set, checked on every call)."""
    if tpl.target == "org":
        org = sc.org(to)
        if org is None:
            raise AddressError(said("Unknown provider or registrar '{id}'", id=to))
        why = _org_refusal(tpl, org, country)
        if why:
            raise AddressError(why)
        return Stop("org", org.id, org.country)
    if tpl.target == "body" and to in ADDRESSABLE_BODIES:
        return Stop("body", to, None)
    if "/" in to and to in seats:
        why = _seat_refusal(tpl, to, country)
        if why:
            raise AddressError(why)
        return Stop("seat", to, country_of(to))
    raise AddressError(said("Unknown recipient '{id}'", id=to))


def recipients(sc: Scenario, tpl: Template, seat: str) -> list[Recipient]:
    """Everyone a seat may address a request of `tpl` to, in the scenario's order."""
    country = country_of(seat)
    if tpl.target == "org":
        return [
            Recipient(o.id, "org")
            for o in sc.organisations
            if _org_refusal(tpl, o, country) is None
        ]
    out: list[Recipient] = []
    if tpl.target == "body":
        out += [Recipient(b, "body") for b in ADDRESSABLE_BODIES]
    out += [Recipient(s, "seat") for s in sc.seats() if _seat_refusal(tpl, s, country) is None]
    return out

"""What a provider or registrar does with a request addressed to it directly."""

from __future__ import annotations

from tte.i18n import said

from ..scenario import Organisation
from ..state import Request, State
from .common import Finding
from .emergency import expedited

SILENT = Finding("ignore", None, "does not answer")


def provider_objection(st: State, r: Request, org: Organisation) -> Finding | None:
    """Beyond the law between the States: answers that are the provider's own choice.

    - 2AP Art 6: a registrar's answer is voluntary; it may decline.
    - 2AP Art 7: a provider may stay silent; the order is not enforceable abroad, so only
      Art 8 or MLA compel it once the 30 days pass (Art 7(7)).
    - Outside any treaty a provider answers on its own policy: subscriber data, emergencies
      only, or nothing (voluntary cooperation).
    """
    live = st.orgs[org.id]
    if r.template == "domain_registration" and not live["accepts_art6"]:
        return Finding(
            "refuse",
            "declined",
            said("{name} declines to answer (2AP Art 6 answers are voluntary).", name=org.name),
        )
    if r.template == "subscriber_order" and not live["accepts_art7"]:
        return SILENT
    if r.template == "voluntary_request":
        kinds = {item.kind for e in r.evidence if (item := st.scenario.item(e))}
        policy = org.voluntary
        # An emergency policy discloses only what the emergency concerns (2AP Art 9(3)).
        if policy == "none" or (policy == "emergency" and not expedited(st, r)):
            if policy == "emergency":
                why = said(
                    "{name} answers only in an emergency: it discloses nothing voluntarily "
                    "to a foreign authority.",
                    name=org.name,
                )
            else:
                why = said(
                    "{name} needs an order: it discloses nothing voluntarily to a foreign "
                    "authority.",
                    name=org.name,
                )
            return Finding("refuse", "declined", why)
        if policy == "subscriber" and kinds - {"subscriber"}:
            return Finding(
                "refuse",
                "declined",
                said(
                    "{name} discloses subscriber data only on its own policy; anything else "
                    "needs an order.",
                    name=org.name,
                ),
            )
    return None

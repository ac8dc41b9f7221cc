"""What a requested Party, or a provider receiving a direct order, objects to.

``legal_check`` runs an ordered table of small checks, one per ground; the first that
objects decides. Each check cites the article it applies. Sending the wrong instrument for
a pair is not blocked by the form: the other side returns or refuses it with the reason,
as in life.
"""

from __future__ import annotations

from collections.abc import Callable

from tte.i18n import said
from tte.i18n.message import listed

from ..state import Request, State
from ..templates import TEMPLATES
from .common import Finding, filled
from .grounds import invoked
from .law import (
    E_EVIDENCE_APPLIES_FROM,
    both_apply_2ap,
    both_budapest,
    both_eio,
    e_evidence_applies,
    enforcing_state,
    jit_basis,
    mla_basis,
    reserved,
    shares_treaty,
)
from .precision import missing_fields, unspecific
from .timing import accepted_languages, request_language

Check = Callable[[State, Request, str], Finding | None]
_MLA = ("mla_stored_data", "giving_effect", "emergency_mla")


def _kinds(st: State, r: Request) -> set[str]:
    return {item.kind for e in r.evidence if (item := st.scenario.item(e))}


def _not_in_force(message: str) -> Finding:
    return Finding("refuse", "instrument_not_in_force", message)


def _mla_on_24_7(st: State, r: Request, where: str) -> Finding | None:
    """Wrong channel (domain failure 4): an MLA request through the 24/7 network is no
    request; the central authority transmits it (BC Art 25, 27)."""
    if r.template in _MLA and r.channel == "network_24_7":
        return Finding(
            "refuse",
            "invalid_channel",
            said(
                "A mutual assistance request is not valid through the 24/7 network: the "
                "central authority must transmit it (BC Art 25, 27)."
            ),
        )
    return None


def _no_jit(st: State, r: Request, where: str) -> Finding | None:
    if r.channel == "jit" and not st.jit_between(r.country, where):
        return Finding(
            "refuse",
            "invalid_channel",
            said("There is no joint investigation team between us: use mutual assistance."),
        )
    return None


def _budapest_not_in_force(st: State, r: Request, where: str) -> Finding | None:
    """BC Arts 26, 29-31 bind only Parties (BC Art 23, 29(1), 31(1)); MLA may also rest on
    the 1959 Convention or the UN Convention against Cybercrime where both are Parties."""
    if TEMPLATES[r.template].instrument != "bc" or r.channel == "jit":
        return None
    if both_budapest(st, r.country, where) or shares_treaty(st, r.country, where, "uncc"):
        return None
    if r.template == "mla_stored_data" and mla_basis(st, r.country, where):
        return None
    if r.template == "spontaneous_info" and shares_treaty(st, r.country, where, "ets182"):
        return None  # ETS 182 Art 11
    return _not_in_force(
        said(
            "{country} and {where} are not both Parties to the Budapest Convention and share "
            "no other treaty for this measure: ask on reciprocity, through diplomatic channels.",
            country=r.country,
            where=where,
        )
    )


def _use_an_eio(st: State, r: Request, where: str) -> Finding | None:
    """Between member states bound by Directive 2014/41/EU, the EIO replaces mutual legal
    assistance for gathering evidence (Directive Art 34): the MLA request is returned."""
    if r.template == "mla_stored_data" and r.channel == "mla" and both_eio(st, r.country, where):
        return Finding(
            "return",
            "wrong_instrument",
            said(
                "Between {country} and {where}, two member states bound by Directive "
                "2014/41/EU, evidence is gathered by a European Investigation Order (Art 34): "
                "issue an EIO.",
                country=r.country,
                where=where,
            ),
        )
    return None


def _eio_not_in_force(st: State, r: Request, where: str) -> Finding | None:
    """An EIO binds only member states bound by the Directive (not Denmark, Ireland)."""
    if TEMPLATES[r.template].instrument == "eio" and not both_eio(st, r.country, where):
        return _not_in_force(
            said(
                "The EIO Directive does not bind both {country} and {where}: use mutual "
                "legal assistance.",
                country=r.country,
                where=where,
            )
        )
    return None


def _e_evidence_not_applicable(st: State, r: Request, where: str) -> Finding | None:
    """Regulation (EU) 2023/1543: from 18 August 2026 (Art 34), addressed to the provider's
    designated establishment or legal representative in another bound member state (Art 7)."""
    if TEMPLATES[r.template].instrument != "e_evidence":
        return None
    if not e_evidence_applies(st):
        return _not_in_force(
            said(
                "The e-Evidence Regulation applies only from {from_date}: use preservation "
                "and an EIO or MLA.",
                from_date=E_EVIDENCE_APPLIES_FROM.isoformat(),
            )
        )
    org = st.scenario.org(r.target["ref"])
    if org is None or enforcing_state(st, org, r.country) is None:
        name = org.name if org else r.target["ref"]
        return _not_in_force(
            said(
                "{name} has no designated establishment or legal representative in another "
                "member state bound by the Regulation: use an EIO or MLA.",
                name=name,
            )
        )
    return None


def _2ap_not_in_force(st: State, r: Request, where: str) -> Finding | None:
    """2AP instruments apply only between Parties that both apply the Protocol (domain 8)."""
    if TEMPLATES[r.template].instrument == "2ap" and not both_apply_2ap(st, r.country, where):
        return _not_in_force(
            said(
                "The Second Additional Protocol is not in force between {country} and "
                "{where}: use the Budapest Convention (MLA, BC Art 31).",
                country=r.country,
                where=where,
            )
        )
    return None


def _no_jit_basis(st: State, r: Request, where: str) -> Finding | None:
    """A JIT needs a legal basis both share (EU rules, ETS 182 Art 20, 2AP Art 12, UNTOC
    Art 19)."""
    if r.template == "jit_agreement" and jit_basis(st, r.country, where) is None:
        return _not_in_force(
            said(
                "{country} and {where} share no legal basis for a joint investigation team "
                "(EU rules, ETS 182 Art 20, 2AP Art 12, UNTOC Art 19): use mutual assistance.",
                country=r.country,
                where=where,
            )
        )
    return None


def _reserved(st: State, r: Request, where: str) -> Finding | None:
    """The requested Party's reservations (2AP Art 19(1)) and declarations."""
    c = st.scenario.country(where)
    if c is None:
        return None
    why = None
    if r.template == "subscriber_order" and reserved(c, "art7_9a"):
        why = said("{name} reserved the right not to apply Art 7 (2AP Art 7(9)(a)).", name=c.name)
    elif r.template == "giving_effect" and reserved(c, "art8_13") and "traffic" in _kinds(st, r):
        why = said(
            "{name} does not give effect to orders for traffic data (2AP Art 8(13)).",
            name=c.name,
        )
    elif (
        r.template == "emergency_disclosure"
        and reserved(c, "art9_1b")
        and _kinds(st, r) == {"subscriber"}
    ):
        why = said(
            "{name} declared it does not execute Art 9 requests seeking only subscriber "
            "information (2AP Art 9(1)(b)).",
            name=c.name,
        )
    return Finding("refuse", "reservation", why) if why else None


def _wrong_data_kind(st: State, r: Request, where: str) -> Finding | None:
    """The data kind decides the instrument (BC Art 18(3), 1(d); 2AP Art 7: subscriber only)."""
    tpl = TEMPLATES[r.template]
    bad = sorted(k for k in _kinds(st, r) if k not in tpl.data_kinds)
    if bad:
        return Finding(
            "refuse",
            "data_kind",
            said(
                "{basis} cannot obtain {kinds} data (only {allowed}).",
                basis=tpl.basis,
                kinds=", ".join(bad),
                allowed=", ".join(tpl.data_kinds),
            ),
        )
    return None


def _no_emergency(st: State, r: Request, where: str) -> Finding | None:
    """2AP Art 9/10 need a significant and imminent risk to life or safety (Art 3(2)(c)), and
    data that relates to it (Art 9(3), 10(3)); once it is over, the ordinary paths apply."""
    if not TEMPLATES[r.template].emergency:
        return None
    if not st.emergency:
        return Finding(
            "refuse",
            "no_emergency",
            said(
                "No significant and imminent risk to the life or safety of a person is shown "
                "(2AP Art 3(2)(c)): use the ordinary procedure."
            ),
        )
    from .emergency import unrelated

    titles = [item.title for e in unrelated(st, r.evidence) if (item := st.scenario.item(e))]
    if titles:
        return Finding(
            "refuse",
            "no_emergency",
            said(
                "{items}: not shown to relate to the threat to life "
                "(2AP Art 9(3), 10(3)); ask for it by the ordinary procedure.",
                items="; ".join(titles),
            ),
        )
    return None


def _notification_missing(st: State, r: Request, where: str) -> Finding | None:
    """2AP Art 7(5)(a): where the provider's Party requires simultaneous notification, an
    order sent without it is not executed."""
    c = st.scenario.country(where)
    if r.template == "subscriber_order" and c and c.notification:
        if not filled(r.fields.get("notification")):
            return Finding(
                "refuse",
                "notification_missing",
                said(
                    "{name} requires simultaneous notification of Art 7 orders "
                    "(2AP Art 7(5)(a)); none was made, so the order is not executed.",
                    name=c.name,
                ),
            )
    return None


def _notified_authority_stops_it(st: State, r: Request, where: str) -> Finding | None:
    """A State notified of an order sent straight to a provider on its territory may stop
    it on its grounds (its data: `countries[].grounds`): 2AP Art 7(5)(c) where it requires
    notification; the enforcing State of an EPOC for traffic or content data, notified under
    Regulation (EU) 2023/1543 Art 8, raises grounds under Art 12 (check)."""
    if r.channel != "direct":
        return None
    notified = _notified(st, r, where)
    if notified is not None:
        found = invoked(st, r, notified)
        if found is not None and found.decision == "refuse":
            return found
    return None


def _notified(st: State, r: Request, where: str) -> str | None:
    """Which State an order straight to a provider in `where` is notified to, if any."""
    c = st.scenario.country(where)
    if r.template == "subscriber_order" and c and c.notification:
        return where
    if r.template == "epoc" and _kinds(st, r) & {"traffic", "content"}:
        org = st.scenario.org(r.target["ref"])
        return enforcing_state(st, org, r.country) if org else None
    return None


def notified_state(st: State, r: Request, nxt: dict[str, object]) -> str | None:
    """The State to notify as an order leaves for a provider, where the notification was
    made (the form's box ticked); None otherwise."""
    if nxt["kind"] != "org" or r.channel != "direct":
        return None
    made = r.fields.get("notification") or r.fields.get("enforcing_notified")
    where = str(nxt["country"])
    return _notified(st, r, where) if made else None


def _epoc_judicial_safeguards(st: State, r: Request, where: str) -> Finding | None:
    """Regulation (EU) 2023/1543: traffic (beyond identification) and content data only by
    order of a judge or validated by one (Art 4(2)); the enforcing State is notified where
    the person does not live in the issuing State (Art 8) (check)."""
    if r.template != "epoc" or not _kinds(st, r) & {"traffic", "content"}:
        return None
    missing = [
        f for f in ("judicial_validation", "enforcing_notified") if not filled(r.fields.get(f))
    ]
    if missing:
        return Finding(
            "return",
            "incomplete",
            said(
                "An order for traffic or content data must be issued or validated by a judge "
                "(Art 4(2)) and notified to the enforcing State (Art 8)."
            ),
            missing=missing,
        )
    return None


def _overbroad(st: State, r: Request, where: str) -> Finding | None:
    """A request must name what it seeks, by substance (domain failure 6): an identifier of
    each item and, for traffic or content data, a bounded period."""
    tpl = TEMPLATES[r.template]
    if tpl.target == "org" and tpl.outcome != "disclose_traffic":
        why = unspecific(st, r)
        if why:
            return Finding(
                "return",
                "overbroad",
                said(
                    "The data sought is not specific ({why}): name the account, "
                    "address or item and the period.",
                    why="; ".join(why),
                ),
            )
    return None


def _language_not_accepted(st: State, r: Request, where: str) -> Finding | None:
    """A request in a language the requested Party does not accept is returned (1959
    Convention Art 16 and the Parties' declarations; per country in the scenario)."""
    if TEMPLATES[r.template].field("language") is None:
        return None
    accepts = accepted_languages(st, where)
    lang = request_language(st, r)
    if accepts and lang and lang not in accepts:
        return Finding(
            "return",
            "language",
            said(
                "Not in a language {where} accepts: send it in {languages}.",
                where=where,
                languages=", ".join(accepts),
            ),
            missing=["language"],
        )
    return None


def _incomplete(st: State, r: Request, where: str) -> Finding | None:
    """A missing mandatory element gets the request returned (domain failure 5)."""
    miss = missing_fields(st, r)
    if miss:
        return Finding(
            "return",
            "incomplete",
            said(
                "Returned for missing information: {fields}.",
                fields=listed(TEMPLATES[r.template].labels(miss)),
            ),
            missing=miss,
        )
    return None


# In the order a requested Party looks at a request: is it a request at all, which
# instrument binds us, may it obtain this data, what our law requires, is it precise and
# complete.
CHECKS: tuple[Check, ...] = (
    _mla_on_24_7,
    _no_jit,
    _budapest_not_in_force,
    _use_an_eio,
    _eio_not_in_force,
    _e_evidence_not_applicable,
    _2ap_not_in_force,
    _no_jit_basis,
    _reserved,
    _wrong_data_kind,
    _no_emergency,
    _notification_missing,
    _epoc_judicial_safeguards,
    _notified_authority_stops_it,
    _overbroad,
    _language_not_accepted,
    _incomplete,
)


def execution_check(st: State, r: Request) -> Finding | None:
    """Rechecked when the provider executes: what may have changed since the request was
    accepted (an emergency that ended, 2AP Art 3(2)(c))."""
    return _no_emergency(st, r, r.target.get("country") or "")


def legal_check(st: State, r: Request, where: str) -> Finding | None:
    """The first objection of the country `where` deciding, or None."""
    for check in CHECKS:
        found = check(st, r, where)
        if found is not None:
            return found
    return None

"""The legal rules: who may send what, and what a requested Party or provider decides.

Pure functions of the state; the engine turns their findings into events. A desk (the
engine playing a seat) and a provider use the same findings, so a human player can be
measured against what the rules say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .state import Request, State
from .templates import NEEDS_SIGNATURE, TEMPLATES

# Which reservation of the requested Party excludes which template (2AP Art 19 and the
# declarations each Party may make; scenario data per country).
RESERVATION_FOR = {
    "domain_registration": "art6",
    "subscriber_order": "art7",
    "emergency_disclosure": "art9",
    "emergency_mla": "art10",
    "jit_agreement": "art12",
}

# Templates whose obtained evidence counts at trial, per data kind, unless an item says
# otherwise (shared/domain.md "Evidence and admissibility").
FORMAL_PATHS = frozenset(
    {
        "mla_stored_data",
        "giving_effect",
        "emergency_mla",
        "emergency_disclosure",
        "domestic_order",
        "jit",
    }
)

_OVERBROAD = re.compile(
    r"\b(all|any and all|every|entire)\b.{0,30}\b(data|information|records|content|account)\b"
    r"|\beverything\b",
    re.IGNORECASE,
)


@dataclass
class Finding:
    decision: str  # forward | return | refuse | answer | ignore
    ground: str | None = None
    message: str = ""
    missing: list[str] = field(default_factory=list)


def country_of(seat: str) -> str:
    return seat.split("/", 1)[0]


def role_of(seat: str) -> str:
    return seat.split("/", 1)[1] if "/" in seat else seat


def filled(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str | int | float) and str(value).strip() != ""


def missing_fields(st: State, r: Request) -> list[str]:
    """Mandatory elements not given: a requested Party returns such a request."""
    tpl = TEMPLATES[r.template]
    miss = [f for f in tpl.mandatory if not filled(r.fields.get(f))]
    # IP-based data identifies no one without date, time and time zone (domain failure 5).
    tz_field = tpl.field("time_zone")
    if (
        tz_field is not None
        and "time_zone" not in miss
        and any(_needs_tz(st, e) for e in r.evidence)
        and not filled(r.fields.get("time_zone"))
    ):
        miss.append("time_zone")
    return miss


def _needs_tz(st: State, eid: str) -> bool:
    item = st.scenario.item(eid)
    return bool(item and item.needs_timezone)


def both_apply_2ap(st: State, a: str, b: str | None) -> bool:
    sc = st.scenario
    ca, cb = sc.country(a), sc.country(b) if b else None
    return bool(ca and cb and ca.second_protocol and cb.second_protocol)


def both_eu(st: State, a: str, b: str | None) -> bool:
    sc = st.scenario
    ca, cb = sc.country(a), sc.country(b) if b else None
    return bool(ca and cb and ca.eu and cb.eu)


def is_overbroad(r: Request) -> bool:
    text = " ".join(str(r.fields.get(k, "")) for k in ("data_sought", "question"))
    return bool(_OVERBROAD.search(text))


def legal_check(st: State, r: Request, where: str) -> Finding | None:
    """What the requested Party (or a provider receiving a direct order) objects to.

    `where` is the country deciding. None means nothing stands in the way.
    """
    tpl = TEMPLATES[r.template]
    sc = st.scenario
    requested = sc.country(where)
    # Wrong channel (domain failure 4): an MLA request through the 24/7 network is no request.
    if r.template in ("mla_stored_data", "giving_effect", "emergency_mla") and r.channel == (
        "network_24_7"
    ):
        return Finding(
            "refuse",
            "invalid_channel",
            "A mutual assistance request is not valid through the 24/7 network: the "
            "central authority must transmit it (BC Art 25, 27).",
        )
    if r.channel == "jit" and not st.jit_between(r.country, where):
        return Finding(
            "refuse",
            "invalid_channel",
            "There is no joint investigation team between us: use mutual assistance.",
        )
    # 2AP instruments apply only between Parties that both apply the Protocol (domain 8);
    # a JIT may instead rest on EU rules between member states.
    eu_jit = r.template == "jit_agreement" and both_eu(st, r.country, where)
    if tpl.instrument == "2ap" and not eu_jit and not both_apply_2ap(st, r.country, where):
        return Finding(
            "refuse",
            "instrument_not_in_force",
            f"The Second Additional Protocol is not in force between {r.country} and "
            f"{where}: use the Budapest Convention (MLA, BC Art 31).",
        )
    res = RESERVATION_FOR.get(r.template)
    if requested and res and res in requested.reservations and not eu_jit:
        return Finding(
            "refuse",
            "reservation",
            f"{requested.name} reserved the right not to apply 2AP {res.replace('art', 'Art ')}.",
        )
    kinds = {sc.item(e).kind for e in r.evidence if sc.item(e)}  # type: ignore[union-attr]
    if r.template == "giving_effect" and requested and "art8_traffic" in requested.reservations:
        if "traffic" in kinds:
            return Finding(
                "refuse",
                "reservation",
                f"{requested.name} does not give effect to orders for traffic data "
                "(2AP Art 8 reservation).",
            )
    bad_kinds = sorted(k for k in kinds if k not in tpl.data_kinds)
    if bad_kinds:
        return Finding(
            "refuse",
            "data_kind",
            f"{tpl.basis} cannot obtain {', '.join(bad_kinds)} data "
            f"(only {', '.join(tpl.data_kinds)}).",
        )
    if tpl.emergency and not st.emergency:
        return Finding(
            "refuse",
            "no_emergency",
            "No significant and imminent risk to the life or safety of a person is shown "
            "(2AP Art 3(2)(c)): use the ordinary procedure.",
        )
    if tpl.target == "org" and tpl.outcome != "disclose_traffic":
        if not r.evidence or is_overbroad(r):
            return Finding(
                "return",
                "overbroad",
                "The data sought is not specific: name the account, address or item and the "
                "period.",
            )
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
                    "Not signed: complete " + "; ".join(TEMPLATES[r.template].labels(miss)) + ".",
                    missing=miss,
                )
        return Finding("answer" if last else "forward")
    found = legal_check(st, r, here)
    if found is not None:
        return found
    if last:
        return Finding("answer")
    return Finding("forward")


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


def action_word(role: str) -> str:
    return {
        "prosecutor": "approved and signed",
        "central_authority": "transmitted",
        "poc": "forwarded",
    }.get(role, "forwarded")

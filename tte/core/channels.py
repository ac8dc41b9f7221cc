"""Channels between authorities, their default latencies, and the route a request takes.

A route is the list of stops a request passes: seats (country, role), an organisation or an
international body. Latency between two stops depends on the channel the hop uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from .templates import DAY, NEEDS_SIGNATURE

HOUR = 3600.0

CHANNELS: dict[str, str] = {
    "domestic": "Within one country: drafts for approval, hand-overs",
    "network_24_7": "24/7 network of points of contact (BC Art 35)",
    "mla": "Mutual legal assistance between central authorities",
    "direct": "Directly to a foreign provider or registrar (2AP Art 6, 7)",
    "police": "Police cooperation: Europol SIENA, INTERPOL I-24/7, police attachés",
    "eurojust": "Eurojust coordination (prosecutors)",
    "jit": "Within a joint investigation team (2AP Art 12)",
    "judicial": "Directly between judicial authorities (EIO Directive 2014/41/EU Art 7)",
}

# Game-time latency of one hop on each channel (docs/scenario-authoring.md lists them).
# Scenarios override any of them under `channels:`.
DEFAULT_LATENCY: dict[str, float] = {
    "domestic": 30 * 60,
    "network_24_7": 12 * HOUR,
    # BC Art 25(3): urgent requests go by e-mail, formal confirmation after; the months go
    # to translation and execution at the requested side (DEFAULT_EXECUTION).
    "mla": 3 * DAY,
    "mla_emergency": 2 * DAY,
    "direct": 1 * HOUR,
    "police": 1 * DAY,
    "eurojust": 7 * DAY,
    "jit": 1 * DAY,
    "judicial": 1 * DAY,
}

# Translation and execution at the requested side, by template (domain.md "How time really
# passes in MLA"): figures (check), defaults a scenario overrides under `execution:`. An
# urgent request (its urgency filled in) takes half.
DEFAULT_EXECUTION: dict[str, float] = {
    "mla_stored_data": 60 * DAY,  # T-CY 2014: 6-24 months in practice, end to end
    "eio": 45 * DAY,  # Directive 2014/41/EU Art 12: recognition <= 30 d, execution <= 90 d
    "giving_effect": 20 * DAY,  # 2AP Art 8(6): 20 days for subscriber data (check)
    "emergency_mla": 1 * DAY,  # 2AP Art 10: by the most rapid means
}

# How long a desk (the engine playing a seat) takes to act on what reaches it.
DEFAULT_DESK_DELAY: dict[str, float] = {
    "investigator": 2 * HOUR,
    "poc": 2 * HOUR,
    "prosecutor": 1 * DAY,
    "central_authority": 5 * DAY,
}


@dataclass(frozen=True)
class Stop:
    """One place a request passes: a seat, an organisation or a body."""

    kind: str  # "seat" | "org" | "body"
    ref: str  # "RO/poc", org id, or body id
    country: str | None

    @property
    def label(self) -> str:
        return self.ref


def seat_id(country: str, role: str) -> str:
    return f"{country}/{role}"


def build_route(
    template: str,
    channel: str,
    sender_country: str,
    sender_role: str,
    target: Stop,
) -> list[tuple[Stop, str]]:
    """The stops after the sender, each with the channel of the hop that reaches it.

    The sender's own stop comes first with channel "" so that every request begins where it
    was drafted. Domestic steps follow the domain: investigator drafts, prosecutor signs,
    the central authority or the 24/7 point of contact sends it abroad.
    """
    s = sender_country
    t = target.country
    route: list[tuple[Stop, str]] = [(Stop("seat", seat_id(s, sender_role), s), "")]

    def add(stop: Stop, ch: str) -> None:
        if route[-1][0] != stop:
            route.append((stop, ch))

    def seat(country: str | None, role: str) -> Stop:
        assert country is not None
        return Stop("seat", seat_id(country, role), country)

    if channel == "network_24_7":
        add(seat(s, "poc"), "domestic")
        if target.kind == "seat":
            add(seat(t, "poc"), "network_24_7")
            add(target, "domestic")
        else:
            add(seat(t, "poc"), "network_24_7")
            add(target, "domestic")
    elif channel == "mla":
        if template in NEEDS_SIGNATURE or sender_role == "investigator":
            add(seat(s, "prosecutor"), "domestic")
        add(seat(s, "central_authority"), "domestic")
        hop = "mla_emergency" if template == "emergency_mla" else "mla"
        add(seat(t, "central_authority"), hop)
        add(target, "domestic")
    elif channel == "judicial":
        # EIO: issued or validated by a judicial authority, sent straight to the executing
        # authority, which has the provider execute it (Directive 2014/41/EU Art 2(c), 7).
        add(seat(s, "prosecutor"), "domestic")
        add(seat(t, "prosecutor"), "judicial")
        add(target, "domestic")
    elif channel == "direct":
        if template in NEEDS_SIGNATURE and sender_role != "prosecutor":
            add(seat(s, "prosecutor"), "domestic")
        add(target, "direct")
    elif channel == "police":
        add(target, "police")
    elif channel == "eurojust":
        add(seat(s, "prosecutor"), "domestic")
        add(Stop("body", "eurojust", None), "eurojust")
        add(target, "eurojust")
    elif channel == "jit":
        add(seat(s, "prosecutor"), "domestic")
        if target.kind == "org":
            add(seat(t, "prosecutor"), "jit")
            add(target, "domestic")
        else:
            add(target, "jit")
    elif channel == "domestic":
        if template in NEEDS_SIGNATURE and sender_role != "prosecutor":
            add(seat(s, "prosecutor"), "domestic")
        add(target, "domestic")
    else:  # pragma: no cover - callers validate the channel first
        raise ValueError(f"unknown channel {channel!r}")
    return route

"""Generic players for headless runs: ``golden`` follows the procedure, ``careless`` does not.

They read the state and choose moves by the rules, for any scenario (no scenario has a
script): ``tte simulate``, the tests and the benchmarks' scripted clients all use them.
"""

from __future__ import annotations

from typing import Any

from .engine import Engine
from .rules import RESERVATION_FOR, both_apply_2ap, both_eu, country_of
from .scenario import EvidenceItem
from .state import TERMINAL, Request, State
from .templates import TEMPLATES

Move = tuple[str, str, dict[str, Any]]  # actor, op, args


def fill_fields(
    template: str, items: list[EvidenceItem], *, careful: bool = True
) -> dict[str, Any]:
    """Plausible values for every field of a template, as a diligent official writes them."""
    ids = "; ".join(f"{i.title} ({', '.join(i.identifiers)})" for i in items) or "see facts"
    values: dict[str, Any] = {}
    for f in TEMPLATES[template].fields:
        if f.kind == "bool":
            values[f.name] = True
        elif f.kind == "request":
            continue
        elif f.name == "data_sought":
            values[f.name] = f"Stored data: {ids}, period of the offence"
        elif f.name == "time_zone":
            values[f.name] = (
                "Dates and times as given, time zone UTC+01:00 (CET), source ports included"
            )
        elif f.name == "domain":
            values[f.name] = ", ".join(i.identifiers[0] for i in items if i.identifiers) or "n/a"
        elif f.name == "emergency_facts":
            values[f.name] = "Hospital systems encrypted: patients' lives at imminent risk"
        else:
            values[f.name] = f"{f.label}: as per case file"
    if not careful:
        for k in ("confidentiality", "time_zone", "necessity", "link_to_offence"):
            values.pop(k, None)
    return values


class Policy:
    name = "policy"

    def __init__(self) -> None:
        self.asked: dict[tuple[str, str, str], str] = {}  # (country, item, purpose) -> request id

    def moves(self, eng: Engine, now: float) -> list[Move]:
        raise NotImplementedError

    def wake_at(self, now: float) -> float | None:
        return None

    def record(self, key: tuple[str, str, str], result: dict[str, Any]) -> None:
        self.asked[key] = result["id"]

    def _open(self, st: State, key: tuple[str, str, str]) -> Request | None:
        rid = self.asked.get(key)
        return st.requests.get(rid) if rid else None


class Golden(Policy):
    """Preserve what is volatile at once, then obtain everything through a formal path."""

    name = "golden"

    def moves(self, eng: Engine, now: float) -> list[Move]:
        st = eng.state
        sc = eng.scenario
        out: list[Move] = []
        for lead in sc.lead_countries:
            inv = f"{lead}/investigator"
            for item in sc.evidence:
                it = st.items[item.id]
                if lead not in it.known or it.deleted or it.admissible_for(lead):
                    continue
                org = sc.org(item.holder)
                assert org is not None
                volatile = item.deleted_at is not None or item.wiped_on_tipoff
                if org.country == lead:
                    out += self._ask(
                        st,
                        (lead, item.id, "produce"),
                        inv,
                        "domestic_order",
                        org.id,
                        [item],
                        "domestic",
                    )
                    continue
                if (
                    volatile
                    and it.preserved_at is None
                    and not self._emergency_path(st, lead, org.country)
                ):
                    out += self._ask(
                        st,
                        (lead, item.id, "preserve"),
                        inv,
                        "preservation",
                        org.id,
                        [item],
                        "network_24_7",
                    )
                    continue
                out += self._produce(st, lead, item, org.country, org.id)
            out += self._objectives(eng, lead)
            out += self._amend_returned(st, lead)
        return out

    def _emergency_path(self, st: State, a: str, b: str) -> bool:
        c = st.scenario.country(b)
        return (
            st.emergency
            and both_apply_2ap(st, a, b)
            and c is not None
            and "art9" not in c.reservations
        )

    def _produce(
        self, st: State, lead: str, item: EvidenceItem, where: str, org: str
    ) -> list[Move]:
        inv = f"{lead}/investigator"
        key = (lead, item.id, "produce")
        prev = self._open(st, key)
        if prev is not None and prev.status not in TERMINAL | {"returned"}:
            return []
        tried = {
            st.requests[r].template
            for k, r in self.asked.items()
            if k[1] == item.id and k[0] == lead
        }
        tried |= {prev.template} if prev else set()
        live = st.orgs[org]
        c = st.scenario.country(where)
        reserved = set(c.reservations) if c else set()
        options: list[tuple[str, str]] = []
        if self._emergency_path(st, lead, where):
            options.append(("emergency_disclosure", "network_24_7"))
        if both_apply_2ap(st, lead, where):
            if (
                item.kind == "subscriber"
                and live["accepts_art7"]
                and RESERVATION_FOR["subscriber_order"] not in reserved
            ):
                options.append(("subscriber_order", "direct"))
            if item.kind == "registration" and live["accepts_art6"] and "art6" not in reserved:
                options.append(("domain_registration", "direct"))
            if item.kind in ("subscriber", "traffic") and not (
                item.kind == "traffic" and "art8_traffic" in reserved
            ):
                if "subscriber_order" in tried:
                    options.append(("giving_effect", "mla"))
        if st.jit_between(lead, where):
            options.append(("mla_stored_data", "jit"))
        options.append(("mla_stored_data", "mla"))
        for tid, channel in options:
            if tid in tried and not (prev and prev.template == tid and prev.status == "returned"):
                continue
            return self._ask(st, key, inv, tid, org, [item], channel, force=True)
        return []

    def _ask(
        self,
        st: State,
        key: tuple[str, str, str],
        actor: str,
        tid: str,
        to: str,
        items: list[EvidenceItem],
        channel: str,
        force: bool = False,
    ) -> list[Move]:
        prev = self._open(st, key)
        if prev is not None and not force:
            return []
        if prev is not None and prev.status not in TERMINAL:
            return []
        args = {
            "template": tid,
            "to": to,
            "channel": channel,
            "evidence": [i.id for i in items],
            "fields": fill_fields(tid, items),
        }
        return [(actor, "request.submit", {**args, "_key": key})]

    def _objectives(self, eng: Engine, lead: str) -> list[Move]:
        st, sc = eng.state, eng.scenario
        out: list[Move] = []
        others = [c.code for c in sc.countries if c.code != lead]
        for ob in sc.objectives:
            if ob.jit_agreed and not st.jits and others:
                partner = max(
                    others,
                    key=lambda c: sum(
                        1 for e in sc.evidence if (o := sc.org(e.holder)) and o.country == c
                    ),
                )
                if both_apply_2ap(st, lead, partner) or both_eu(st, lead, partner):
                    ch = "eurojust" if both_eu(st, lead, partner) else "mla"
                    out += self._ask(
                        st,
                        (lead, "jit", "jit"),
                        f"{lead}/prosecutor",
                        "jit_agreement",
                        f"{partner}/prosecutor",
                        [],
                        ch,
                    )
            if ob.request_sent == "spontaneous_info" and others:
                out += self._ask(
                    st,
                    (lead, "spont", "inform"),
                    f"{lead}/poc",
                    "spontaneous_info",
                    f"{others[0]}/poc",
                    [],
                    "network_24_7",
                )
        return out

    def _amend_returned(self, st: State, lead: str) -> list[Move]:
        out: list[Move] = []
        for key, rid in self.asked.items():
            r = st.requests.get(rid)
            if r is None or r.country != lead or r.status != "returned":
                continue
            items = [i for e in r.evidence if (i := st.scenario.item(e))]
            fields = fill_fields(r.template, items)
            out.append((r.sender, "request.amend", {"id": r.id, "fields": fields, "_amend": key}))
        return out


class Careless(Policy):
    """Waits a day, skips preservation, and asks the police channel for the evidence."""

    name = "careless"
    delay = 86400.0

    def wake_at(self, now: float) -> float | None:
        return self.delay if now < self.delay else None

    def moves(self, eng: Engine, now: float) -> list[Move]:
        if now < self.delay:
            return []
        st, sc = eng.state, eng.scenario
        out: list[Move] = []
        for lead in sc.lead_countries:
            c = sc.country(lead)
            body = "europol" if c and c.eu else "interpol"
            for item in sc.evidence:
                it = st.items[item.id]
                key = (lead, item.id, "police")
                if lead not in it.known or it.deleted or key in self.asked:
                    continue
                fields = fill_fields("police_info", [item], careful=False)
                out.append(
                    (
                        f"{lead}/investigator",
                        "request.submit",
                        {
                            "template": "police_info",
                            "to": body,
                            "channel": "police",
                            "evidence": [item.id],
                            "fields": fields,
                            "_key": key,
                        },
                    )
                )
        return out


POLICIES: dict[str, type[Policy]] = {"golden": Golden, "careless": Careless}


def country_seat(seat: str) -> str:
    return country_of(seat)

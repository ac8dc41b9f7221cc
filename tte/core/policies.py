"""Generic players for headless runs: ``golden`` follows the procedure, ``careless`` does not.

They read the state and choose moves by the rules, for any scenario (no scenario has a
script): ``tte simulate``, the tests and the benchmarks' scripted clients all use them.
"""

from __future__ import annotations

from typing import Any

from .engine import Engine
from .rules import RESERVATION_FOR, both_apply_2ap, both_eu
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
    """Preserve what is volatile at once, then obtain everything through a formal path.

    It plays with what a well-trained official knows: the law, the reservations each Party
    published, and what its own requests returned; never a provider's hidden behaviour
    (whether it will answer an Art 6 request or an Art 7 order is learnt by trying).
    """

    name = "golden"
    extend_before = 10 * 86400.0  # ask to extend a preservation this long before it lapses

    def __init__(self) -> None:
        super().__init__()
        self._wakes: list[float] = []

    def wake_at(self, now: float) -> float | None:
        later = [t for t in self._wakes if t > now]
        return min(later) if later else None

    def moves(self, eng: Engine, now: float) -> list[Move]:
        st = eng.state
        sc = eng.scenario
        out: list[Move] = []
        self._wakes = []
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
                    pres = self._open(st, (lead, item.id, "preserve"))
                    if pres is None or pres.status not in TERMINAL:
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
                    # preservation refused or failed: go straight for the data
                out += self._keep_preserved(st, lead, item, org.id, now)
                out += self._disclose_traffic(st, lead, item, org.id)
                out += self._produce(st, lead, item, org.country, org.id)
            out += self._objectives(eng, lead)
            out += self._amend_returned(st, lead)
        return out

    def _preservation_of(self, st: State, lead: str, eid: str) -> str | None:
        """The latest executed preservation request of `lead` for the item."""
        rid = None
        for r in st.requests.values():
            if (
                r.template == "preservation"
                and r.country == lead
                and eid in r.evidence
                and r.status == "fulfilled"
            ):
                rid = r.id
        return rid

    def _keep_preserved(
        self, st: State, lead: str, item: EvidenceItem, org: str, now: float
    ) -> list[Move]:
        """Ask to extend a preservation before it lapses while the data is still sought
        (BC Art 29(7): at least 60 days; a new request before the end keeps it frozen)."""
        it = st.items[item.id]
        if it.preserved_until is None or it.preserved_for != lead:
            return []
        due = it.preserved_until - self.extend_before
        if now < due:
            self._wakes.append(due)
            return []
        key = (lead, item.id, f"extend@{int(it.preserved_until)}")
        return self._ask(
            st, key, f"{lead}/investigator", "preservation", org, [item], "network_24_7"
        )

    def _disclose_traffic(self, st: State, lead: str, item: EvidenceItem, org: str) -> list[Move]:
        """BC Art 30: once traffic data is preserved, ask for enough of it to find the next
        provider in the chain (only when it points somewhere not yet known)."""
        it = st.items[item.id]
        if item.kind != "traffic" or it.preserved_until is None or lead in it.obtained:
            return []
        if all(lead in st.items[e].known for e in item.reveals.evidence):
            return []
        pres = self._preservation_of(st, lead, item.id)
        if pres is None:
            return []
        return self._ask(
            st,
            (lead, item.id, "disclose"),
            f"{lead}/poc",
            "traffic_disclosure",
            org,
            [item],
            "network_24_7",
            extra={"preservation_ref": pres},
            ref=pres,
        )

    def _jit_pending(self, st: State, lead: str, where: str) -> bool:
        return any(
            r.template == "jit_agreement"
            and r.country == lead
            and r.target.get("country") == where
            and r.status not in TERMINAL
            for r in st.requests.values()
        )

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
        c = st.scenario.country(where)
        reserved = set(c.reservations) if c else set()
        options: list[tuple[str, str]] = []
        if self._emergency_path(st, lead, where):
            options.append(("emergency_disclosure", "network_24_7"))
        two_ap = both_apply_2ap(st, lead, where)
        art7_reserved = RESERVATION_FOR["subscriber_order"] in reserved
        if two_ap:
            if item.kind == "subscriber" and not art7_reserved:
                options.append(("subscriber_order", "direct"))
            if item.kind == "registration" and "art6" not in reserved:
                options.append(("domain_registration", "direct"))
        if st.jit_between(lead, where):
            options.append(("mla_stored_data", "jit"))
        elif self._jit_pending(st, lead, where):
            options.append(("wait", ""))  # the team being set up will cover it
        if two_ap and item.kind in ("subscriber", "traffic"):
            # 2AP Art 8: the requested Party compels its provider; for subscriber data
            # after an unanswered Art 7 order, or at once where Art 7 is reserved.
            if not (item.kind == "traffic" and "art8_traffic" in reserved) and (
                "subscriber_order" in tried or (item.kind == "subscriber" and art7_reserved)
            ):
                options.append(("giving_effect", "mla"))
        options.append(("mla_stored_data", "mla"))
        pres = self._preservation_of(st, lead, item.id)
        for tid, channel in options:
            if tid == "wait":
                return []
            if tid in tried and not (prev and prev.template == tid and prev.status == "returned"):
                continue
            tpl = TEMPLATES[tid]
            extra = {"preservation_ref": pres} if pres and tpl.field("preservation_ref") else {}
            return self._ask(st, key, inv, tid, org, [item], channel, force=True, extra=extra)
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
        extra: dict[str, Any] | None = None,
        ref: str | None = None,
    ) -> list[Move]:
        prev = self._open(st, key)
        if prev is not None and not force:
            return []
        if prev is not None and prev.status not in TERMINAL:
            return []
        args: dict[str, Any] = {
            "template": tid,
            "to": to,
            "channel": channel,
            "evidence": [i.id for i in items],
            "fields": {**fill_fields(tid, items), **(extra or {})},
        }
        if ref:
            args["ref"] = ref
        return [(actor, "request.submit", {**args, "_key": key})]

    def _objectives(self, eng: Engine, lead: str) -> list[Move]:
        st, sc = eng.state, eng.scenario
        out: list[Move] = []
        others = [c.code for c in sc.countries if c.code != lead]
        for ob in sc.objectives:
            if ob.jit_agreed and not st.jits and others:
                # A JIT rests on the 2AP (Art 12) or, between EU members, on EU rules;
                # the partner is the eligible country holding most of the evidence.
                eligible = [
                    c
                    for c in others
                    if both_eu(st, lead, c)
                    or (
                        both_apply_2ap(st, lead, c)
                        and "art12" not in getattr(sc.country(c), "reservations", [])
                    )
                ]
                if eligible:
                    partner = max(
                        eligible,
                        key=lambda c: sum(
                            1 for e in sc.evidence if (o := sc.org(e.holder)) and o.country == c
                        ),
                    )
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
            if ob.request_sent == "police_info":
                out += self._police(st, lead)
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

    def _police(self, st: State, lead: str) -> list[Move]:
        """Police-to-police checks in parallel with the formal path, one per country holding
        evidence: Europol where both ends have access, INTERPOL otherwise. Leads only."""
        sc = st.scenario
        by_country: dict[str, list[EvidenceItem]] = {}
        for item in sc.evidence:
            it = st.items[item.id]
            org = sc.org(item.holder)
            if org is None or org.country == lead or lead not in it.known or it.deleted:
                continue
            if lead in it.obtained:
                continue
            by_country.setdefault(org.country, []).append(item)
        out: list[Move] = []
        for where, items in by_country.items():
            body = (
                "europol"
                if _europol_access(st, lead) and _europol_access(st, where)
                else "interpol"
            )
            out += self._ask(
                st,
                (lead, where, "police"),
                f"{lead}/investigator",
                "police_info",
                body,
                items,
                "police",
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


def _europol_access(st: State, code: str) -> bool:
    """EU members, and the countries a scenario lists as Europol's operational partners."""
    c = st.scenario.country(code)
    members = next((b.members for b in st.scenario.bodies if b.id == "europol"), [])
    return bool(c and (c.eu or code in members))


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

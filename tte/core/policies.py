"""Generic players for headless runs: ``golden`` follows the procedure, ``careless`` does not.

They read the state and choose moves by the rules, for any scenario (no scenario has a
script): ``tte simulate``, the tests and the benchmarks' scripted clients all use them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .engine import Engine
from .rules import both_eu, jit_basis, legal_check
from .rules.emergency import concerns
from .rules.timing import accepted_languages
from .scenario import EvidenceItem
from .state import TERMINAL, Request, State
from .templates import AS_PER_CASE_FILE, DESK_TEXTS, TEMPLATES

Move = tuple[str, str, dict[str, Any]]  # actor, op, args


def fill_fields(
    template: str, items: list[EvidenceItem], *, careful: bool = True, period: str = ""
) -> dict[str, Any]:
    """Plausible values for every field of a template, as a diligent official writes them."""
    ids = "; ".join(f"{i.title} ({', '.join(i.identifiers)})" for i in items) or "see facts"
    values: dict[str, Any] = {}
    index = next((i.index for i in items if i.index is not None), None)
    for f in TEMPLATES[template].fields:
        if f.kind == "bool":
            values[f.name] = True
        elif f.kind in ("request", "language"):
            continue  # a reference is chosen, the language depends on the addressee
        elif f.kind in ("identifier", "datetime", "port"):
            # The structured identifiers as the case file has them (evidence[].index).
            value = {
                "identifier": index.value if index else None,
                "datetime": index.at if index else None,
                "port": index.port if index else None,
            }[f.kind]
            if value is not None:
                values[f.name] = value
        elif f.name == "data_sought":
            values[f.name] = f"Stored data: {ids}, {period or 'period of the offence'}"
        elif f.name == "time_zone":
            values[f.name] = DESK_TEXTS[0]
        elif f.name == "domain":
            values[f.name] = ", ".join(i.identifiers[0] for i in items if i.identifiers) or "n/a"
        elif f.name == "emergency_facts":
            values[f.name] = DESK_TEXTS[1]
        else:
            values[f.name] = AS_PER_CASE_FILE.format(label=f.label)
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
    avoid: frozenset[str] = frozenset()  # instruments this player never reaches for

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
                    and not self._emergency_path(st, lead, item)
                ):
                    tid, channel = _preservation_for(st, lead, item)
                    pres = self._open(st, (lead, item.id, "preserve"))
                    if pres is None or pres.status not in TERMINAL:
                        out += self._ask(
                            st, (lead, item.id, "preserve"), inv, tid, org.id, [item], channel
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
        tid, channel = _preservation_for(st, lead, item)
        return self._ask(st, key, f"{lead}/investigator", tid, org, [item], channel)

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

    def _emergency_path(self, st: State, a: str, item: EvidenceItem) -> bool:
        if "emergency_disclosure" in self.avoid:
            return False
        # Only for what the emergency concerns (rules.emergency: 2AP Art 9(3)).
        return concerns(st, item.id) and _lawful(
            st, a, "emergency_disclosure", "network_24_7", item
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
        # The instruments in the order a practitioner reaches for them; the law between the
        # pair (rules.legal_check on a probe) keeps those that apply.
        options: list[tuple[str, str]] = []
        if self._emergency_path(st, lead, item):
            options.append(("emergency_disclosure", "network_24_7"))
        for tid, channel in (
            ("epoc", "direct"),
            ("subscriber_order", "direct"),
            ("domain_registration", "direct"),
        ):
            if _lawful(st, lead, tid, channel, item):
                options.append((tid, channel))
        if st.jit_between(lead, where):
            options.append(("mla_stored_data", "jit"))
        elif self._jit_pending(st, lead, where):
            options.append(("wait", ""))  # the team being set up will cover it
        if _lawful(st, lead, "eio", "judicial", item):
            options.append(("eio", "judicial"))
        # 2AP Art 8: the requested Party compels its provider; after an unanswered Art 7
        # order, or at once where Art 7 does not apply.
        if _lawful(st, lead, "giving_effect", "mla", item) and (
            "subscriber_order" in tried or not _lawful(st, lead, "subscriber_order", "direct", item)
        ):
            options.append(("giving_effect", "mla"))
        if _lawful(st, lead, "mla_stored_data", "mla", item):
            options.append(("mla_stored_data", "mla"))
        pres = self._preservation_of(st, lead, item.id)
        for tid, channel in options:
            if tid in self.avoid:
                continue
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
            "fields": {**fill_fields(tid, items, period=period_of(st)), **(extra or {})},
        }
        if ref:
            args["ref"] = ref
        if TEMPLATES[tid].field("language") is not None:
            args["fields"]["language"] = language_for(st, actor, to)
        return [(actor, "request.submit", {**args, "_key": key})]

    def _objectives(self, eng: Engine, lead: str) -> list[Move]:
        st, sc = eng.state, eng.scenario
        out: list[Move] = []
        others = [c.code for c in sc.countries if c.code != lead]
        for ob in sc.objectives:
            if ob.jit_agreed and not st.jits and others:
                # A JIT rests on any basis the pair shares (rules.jit_basis); the partner is
                # the eligible country holding most of the evidence.
                eligible = [c for c in others if jit_basis(st, lead, c) is not None]
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
            if r.ground not in ("incomplete", "language"):
                continue  # what filling in cannot mend; another instrument is tried
            items = [i for e in r.evidence if (i := st.scenario.item(e))]
            fields = fill_fields(r.template, items, period=period_of(st))
            if r.ground == "language":
                fields["language"] = language_for(st, r.sender, r.target["ref"])
            out.append((r.sender, "request.amend", {"id": r.id, "fields": fields, "_amend": key}))
        return out


def period_of(st: State) -> str:
    """The period a request names: from a fortnight before the exercise to today."""
    start = st.scenario.start_datetime() - dt.timedelta(days=14)
    return f"from {start:%Y-%m-%d} to {st.scenario.game_datetime(st.now):%Y-%m-%d}"


def language_for(st: State, actor: str, to: str) -> str:
    """Its own language where the addressee accepts it, else the first one it accepts."""
    sc = st.scenario
    org = sc.org(to)
    where = org.country if org else to.split("/", 1)[0]
    own = accepted_languages(st, actor.split("/", 1)[0])
    accepts = accepted_languages(st, where)
    if not accepts or (own and own[0] in accepts):
        return own[0] if own else ""
    return accepts[0]


def _probe(st: State, lead: str, tid: str, channel: str, item: EvidenceItem) -> Request:
    org = st.scenario.org(item.holder)
    assert org is not None
    return Request(
        id="probe",
        template=tid,
        channel=channel,
        sender=f"{lead}/investigator",
        country=lead,
        target={"kind": "org", "ref": org.id, "country": org.country},
        fields=fill_fields(tid, [item], period=period_of(st)),
        evidence=[item.id],
        ref=None,
        route=[],
    )


def _lawful(st: State, lead: str, tid: str, channel: str, item: EvidenceItem) -> bool:
    """Would the requested side accept this instrument for this item, by the law between the
    pair? What an official knows beforehand; a provider's hidden behaviour is not asked."""
    org = st.scenario.org(item.holder)
    assert org is not None
    tpl = TEMPLATES[tid]
    if item.kind not in tpl.data_kinds:
        return False
    return legal_check(st, _probe(st, lead, tid, channel, item), org.country) is None


def _preservation_for(st: State, lead: str, item: EvidenceItem) -> tuple[str, str]:
    """BC Art 29 through the 24/7 network where both are Parties; else, between member
    states, a European Preservation Order (Regulation (EU) 2023/1543 Art 6)."""
    for tid, channel in (("preservation", "network_24_7"), ("epoc_pr", "direct")):
        if _lawful(st, lead, tid, channel, item):
            return tid, channel
    return "preservation", "network_24_7"


def preservation_instruments(st: State, lead: str, item: EvidenceItem) -> list[str]:
    """The templates that freeze `item` for `lead` by the law between the pair: BC Art 29
    through the 24/7 network, a European Preservation Order, or both."""
    return [
        tid
        for tid, channel in (("preservation", "network_24_7"), ("epoc_pr", "direct"))
        if _lawful(st, lead, tid, channel, item)
    ]


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


class BudapestOnly(Golden):
    """A well-trained official who knows only the Budapest Convention: preservation, MLA and
    police, never a 2AP instrument (2AP Arts 6-10). The 2AP scenario must score it well
    below golden, or its 2AP objectives measure nothing."""

    name = "budapest_only"
    avoid = frozenset(
        {
            "domain_registration",  # 2AP Art 6
            "subscriber_order",  # 2AP Art 7
            "giving_effect",  # 2AP Art 8
            "emergency_disclosure",  # 2AP Art 9
            "emergency_mla",  # 2AP Art 10
        }
    )


POLICIES: dict[str, type[Policy]] = {
    "golden": Golden,
    "careless": Careless,
    "budapest_only": BudapestOnly,
}

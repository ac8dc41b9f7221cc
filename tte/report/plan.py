"""The improvement plan: findings of a run turned into recommendations, by fixed rules.

Each rule reads the figures (never the events) and adds rows of (finding, recommendation,
owner role, legal basis). Rules are ordered by how much evidence the mistake costs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from tte.core.duration import format_duration
from tte.core.templates import ROLE_LABELS, TEMPLATES

if TYPE_CHECKING:
    from .figures import PlanRow, Report

# Recommendation and owner for each refusal ground (REFUSAL_GROUNDS).
GROUND_ADVICE: dict[str, tuple[str, str, str]] = {
    "invalid_channel": (
        "Send mutual assistance requests only through the central authorities",
        "prosecutor, central_authority",
        "BC Art 25, 27",
    ),
    "instrument_not_in_force": (
        "Check both Parties' 2AP status before choosing a 2AP instrument; use MLA otherwise",
        "investigator, prosecutor",
        "2AP Art 16",
    ),
    "reservation": (
        "Check the requested Party's reservations and declarations before drafting",
        "prosecutor",
        "2AP Art 19",
    ),
    "data_kind": (
        "Choose the instrument by the kind of data (Art 7: subscriber only; content: MLA/JIT)",
        "investigator, prosecutor",
        "BC Art 18(3); 2AP Art 7, 8",
    ),
    "no_emergency": (
        "Reserve emergency procedures for a significant and imminent risk to life or safety",
        "poc, prosecutor",
        "2AP Art 3, 9, 10",
    ),
    "overbroad": (
        "Name the account, address or item and the period; never 'all data'",
        "investigator",
        "BC Art 31",
    ),
    "data_unavailable": (
        "Preserve through the 24/7 network on day one, before the data is deleted",
        "investigator, poc",
        "BC Art 29, 35",
    ),
    "no_data": (
        "Confirm who holds the data (traffic disclosure, registration data) before asking",
        "investigator",
        "BC Art 30",
    ),
    "declined": (
        "When a registrar declines, use MLA or an Art 8 order",
        "investigator, prosecutor",
        "2AP Art 6, 8",
    ),
    "conditions": (
        "Agree conditions on use and confidentiality early",
        "central_authority",
        "BC Art 28",
    ),
    "dual_criminality": (
        "Describe the conduct so that dual criminality is evident",
        "prosecutor",
        "BC Art 25(5)",
    ),
}


def _owner(roles: str) -> str:
    return ", ".join(ROLE_LABELS.get(r.strip(), r.strip()) for r in roles.split(","))


def derive(rep: Report) -> list[PlanRow]:
    from .figures import PlanRow

    rows: list[PlanRow] = []

    def add(finding: str, rec: str, owner: str, basis: str = "") -> None:
        rows.append(PlanRow(finding, rec, _owner(owner), basis))

    # Evidence lost and how.
    for ev in rep.evidence:
        if not ev.lost:
            continue
        if ev.delete_reason == "tipped_off":
            add(
                f"{ev.title}: wiped after the provider warned its customer",
                "Always tick 'confidentiality requested' on preservation and production requests",
                "investigator, poc",
                "BC Art 27(8), 28",
            )
        elif ev.delete_reason == "preservation_lapsed":
            add(
                f"{ev.title}: lost when its preservation lapsed",
                "Follow a preservation with an MLA request or ask for an extension before "
                "the 60 days run out",
                "prosecutor, central_authority",
                "BC Art 29(7)",
            )
        else:
            late = f" ({format_duration(ev.lateness)} too late)" if ev.lateness is not None else ""
            add(
                f"{ev.title}: deleted by the provider, {ev.preservation_note}{late}",
                "Preserve through the 24/7 network on day one",
                "investigator, poc",
                "BC Art 29, 35",
            )
    # Evidence held only as intelligence.
    for ev in rep.evidence:
        if ev.obtained and not ev.admissible:
            add(
                f"{ev.title}: {ev.why_not}",
                "Follow intelligence with a formal request (MLA, 2AP Art 7/8 order or JIT) "
                "so that it counts at trial",
                "prosecutor, investigator",
                "BC Art 31; 2AP Art 7, 8, 12",
            )
    # Requests returned incomplete, by missing element.
    missing: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for m in rep.mistakes:
        if m.kind == "returned":
            key = TEMPLATES[m.template].title if m.template in TEMPLATES else "request"
            missing[key].update(m.missing or [m.ground or "incomplete"])
            if m.sender:
                owners[key].add(m.sender.split("/", 1)[-1])
    for title, fields in missing.items():
        add(
            f"{title} returned incomplete: {', '.join(sorted(fields))}",
            "Check every mandatory element against the template before sending; the "
            "prosecutor and central authority check again",
            ", ".join(sorted(owners[title] | {"prosecutor"})),
            "BC Art 27, 29(2), 31",
        )
    # Refusals by ground.
    seen: set[str] = set()
    for m in rep.mistakes:
        if m.kind != "refused" or not m.ground or m.ground in seen:
            continue
        seen.add(m.ground)
        rec, owner, basis = GROUND_ADVICE.get(
            m.ground, ("Discuss the refusal ground in the hot wash", "prosecutor", "")
        )
        add(f"{m.request} refused: {m.detail}", rec, owner, basis)
    # Wrong channel.
    for m in rep.mistakes:
        if m.kind == "wrong_channel" and m.template in TEMPLATES:
            tpl = TEMPLATES[m.template]
            add(
                f"{m.request}: {m.detail}",
                f"Send a {tpl.title} through {tpl.channels[0]}",
                m.sender.split("/", 1)[-1] if m.sender else "investigator",
                tpl.basis,
            )
        elif m.kind == "expired":
            add(
                f"{m.request}: {m.detail}",
                "Track legal time limits; when an order goes unanswered, use Art 8 or MLA",
                "prosecutor",
                "2AP Art 7, 8",
            )
        elif m.kind == "tip_off" and not any("tip-off" in r.finding for r in rows):
            add(
                f"{m.request}: {m.detail}",
                "Always request confidentiality",
                "investigator, poc",
                "BC Art 27(8), 28",
            )
    # Slow answers against the legal limit.
    for s in rep.by_type:
        if s.over_limit and s.limit:
            slow = TEMPLATES.get(s.key[0])
            add(
                f"{s.over_limit} of {s.count} {slow.title if slow else s.key[0]} "
                f"over the {format_duration(s.limit)} limit",
                "Agree a fast track and a named contact for cross-border requests",
                "central_authority, poc",
                slow.basis if slow else "",
            )
    # Objectives not met and evaluators' concerns.
    for o in rep.summary.objectives:
        if not o.met:
            add(
                f"Objective not met: {o.title}",
                "Walk through the expected path in the hot wash and repeat the exercise",
                "investigator, prosecutor",
            )
    for r in rep.ratings:
        if r.rating >= 3:
            add(
                f"Evaluator ({r.by}) rated “{r.objective_title}”: {r.label}",
                f"Discuss with the evaluator: {r.comment}"
                if r.comment
                else "Discuss with the evaluator",
                "investigator, prosecutor",
                "HSEEP",
            )
    for q in rep.survey.questions:
        if q.kind == "scale" and q.mean is not None and q.mean < 3:
            add(
                f"Participants rated “{q.text}” {q.mean:.1f}/5",
                "Review the scenario and briefings with the participants' comments",
                "facilitator",
            )
    if not rows:
        add(
            "No evidence lost, no request returned or refused",
            "Raise the difficulty: more countries, a 2AP Party, a tip-off risk",
            "facilitator",
        )
    return rows

"""The improvement plan: findings of a run turned into recommendations, by fixed rules.

Each rule reads the figures (never the events) and adds rows of (priority, finding,
recommendation, owner roles, legal basis). Priority follows what the mistake costs: 1 the
evidence is gone, 2 it cannot be used at trial, 3 a request was refused or went the wrong
way, 4 it came back incomplete, 5 time, 6 objectives and 7 what evaluators and participants
said. The owner is the seat that does the step in practice (domain.md): the 24/7 point of
contact preserves through the network, the central authority transmits MLA requests, the
prosecutor issues orders, EIOs and EPOCs, the investigator drafts. Rows with the same
recommendation are merged (their findings listed together), so no line repeats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from tte.core.duration import format_duration
from tte.core.templates import ROLE_LABELS, TEMPLATES
from tte.i18n import N_, _, current, scenario_text
from tte.i18n.cite import bare_title

from . import words

if TYPE_CHECKING:
    from tte.core.scenario import Objective

    from .figures import EvidenceRow, PlanRow, Report

# Who does the step each instrument needs, first the one who answers for it.
TEMPLATE_OWNERS: dict[str, str] = {
    "preservation": "poc, investigator",  # BC Art 29 through the 24/7 network (Art 35)
    "traffic_disclosure": "poc",  # BC Art 30
    "mla_stored_data": "central_authority, prosecutor",  # BC Art 31, 25, 27
    "spontaneous_info": "poc",  # BC Art 26
    "police_info": "investigator",
    "domain_registration": "investigator",  # 2AP Art 6: the competent authority asks
    "subscriber_order": "prosecutor",  # 2AP Art 7: an order
    "giving_effect": "prosecutor, central_authority",  # 2AP Art 8
    "emergency_disclosure": "poc",  # 2AP Art 9 through the 24/7 network
    "emergency_mla": "central_authority, prosecutor",  # 2AP Art 10
    "jit_agreement": "prosecutor",
    "eio": "prosecutor",  # Directive 2014/41/EU Art 2(c): issued or validated
    "epoc": "prosecutor",  # Regulation (EU) 2023/1543 Art 4
    "epoc_pr": "prosecutor",  # Regulation (EU) 2023/1543 Art 4
    "voluntary_request": "investigator",
    "domestic_order": "prosecutor",
}

# Recommendation, owner and basis for each refusal ground (REFUSAL_GROUNDS); a ground
# whose advice depends on the item (data_unavailable) is handled in _refusals.
GROUND_ADVICE: dict[str, tuple[str, str, str]] = {
    "invalid_channel": (
        N_("Send mutual assistance requests only through the central authorities"),
        "central_authority, prosecutor",
        "BC Art 25, 27",
    ),
    "instrument_not_in_force": (
        N_("Check both Parties' 2AP status before choosing a 2AP instrument; use MLA otherwise"),
        "prosecutor, investigator",
        "2AP Art 16",
    ),
    "reservation": (
        N_("Check the requested Party's reservations and declarations before drafting"),
        "prosecutor",
        "2AP Art 19",
    ),
    "data_kind": (
        N_("Choose the instrument by the kind of data (Art 7: subscriber only; content: MLA/JIT)"),
        "prosecutor, investigator",
        "BC Art 18(3); 2AP Art 7, 8",
    ),
    "no_emergency": (
        N_("Reserve emergency procedures for a significant and imminent risk to life or safety"),
        "poc, prosecutor",
        "2AP Art 3, 9, 10",
    ),
    "overbroad": (
        N_("Name the account, address or item and the period; never 'all data'"),
        "investigator",
        "BC Art 31",
    ),
    "no_data": (
        N_("Confirm who holds the data (traffic disclosure, registration data) before asking"),
        "investigator, poc",
        "BC Art 30",
    ),
    "declined": (
        N_("When a registrar declines, use MLA or an Art 8 order"),
        "prosecutor, central_authority",
        "2AP Art 6, 8",
    ),
    "conditions": (
        N_("Agree conditions on use and confidentiality early"),
        "central_authority",
        "BC Art 28",
    ),
    "dual_criminality": (
        N_("Describe the conduct so that dual criminality is evident"),
        "prosecutor",
        "BC Art 25(5)",
    ),
}

CONFIDENTIALITY = (
    N_(
        "Tick 'confidentiality requested' on every preservation and production request, and "
        "check it before it leaves"
    ),
    "investigator, poc",
    "BC Art 27(8), 28",
)


def _owner(roles: str) -> str:
    seen = dict.fromkeys(r.strip() for r in roles.split(",") if r.strip())
    return ", ".join(_(ROLE_LABELS[r]) if r in ROLE_LABELS else _owner_word(r) for r in seen)


def _owner_word(code: str) -> str:
    return _("facilitator") if code == "facilitator" else code


class Done(str):
    """A recommendation already in the reader's language (made with ``_().format``)."""


def preserve_advice(ev: EvidenceRow | None) -> tuple[str, str, str]:
    """How the item should have been frozen, by the law between the pair: BC Art 29
    through the 24/7 network where both are Parties; between member states under the
    e-Evidence Regulation (from 18 August 2026) an EPOC-PR straight to the provider, the
    only way where BC Art 29 does not apply (a member state that is no Party)."""
    ways = ev.preserve_with if ev is not None else ()
    if "epoc_pr" in ways and "preservation" not in ways:
        return (
            N_(
                "Issue a European Preservation Order (EPOC-PR) to the provider the day the data "
                "is identified"
            ),
            "prosecutor, investigator",
            "Regulation (EU) 2023/1543 Art 6",
        )
    if "epoc_pr" in ways:
        return (
            N_(
                "Freeze the data the day it is identified: an EPOC-PR to the provider or a "
                "preservation through the own 24/7 point of contact"
            ),
            "prosecutor, poc, investigator",
            "Regulation (EU) 2023/1543 Art 6; BC Art 29, 35",
        )
    return (
        N_("Ask the own 24/7 point of contact for a preservation the day the data is identified"),
        "poc, investigator",
        "BC Art 29, 35",
    )


def derive(rep: Report) -> list[PlanRow]:
    rows: list[tuple[int, str, str, str, str]] = []  # priority, finding, rec, owner, basis

    def add(prio: int, finding: str, advice: tuple[str, str, str]) -> None:
        rec, owner, basis = advice  # a catalogue string (N_), or Done: already translated
        rows.append((prio, finding, rec if isinstance(rec, Done) else _(rec), owner, basis))

    _evidence(rep, add)
    _requests(rep, add)
    _objectives(rep, add)
    _voices(rep, add)
    if not rows:
        add(
            9,
            _("No evidence lost, no request returned or refused"),
            (
                N_("Raise the difficulty: more countries, a 2AP Party, a tip-off risk"),
                "facilitator",
                "",
            ),
        )
    return _merged(rows)


def _merged(rows: list[tuple[int, str, str, str, str]]) -> list[PlanRow]:
    """One row per recommendation (its findings together, its owners joined), by priority."""
    from .figures import PlanRow

    order: list[tuple[str, str]] = []
    prio: dict[tuple[str, str], int] = {}
    findings: dict[tuple[str, str], list[str]] = defaultdict(list)
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p, finding, rec, owner, basis in rows:
        key = (rec, basis)
        if key not in prio:
            order.append(key)
            prio[key] = p
        prio[key] = min(prio[key], p)
        if finding not in findings[key]:
            findings[key].append(finding)
        owners[key] += [o.strip() for o in owner.split(",")]
    order.sort(key=lambda k: prio[k])
    return [
        PlanRow("; ".join(findings[k]), k[0], _owner(",".join(owners[k])), k[1], prio[k])
        for k in order
    ]


Add = Callable[[int, str, tuple[str, str, str]], None]


def _evidence(rep: Report, add: Add) -> None:
    for ev in rep.evidence:
        if not ev.lost or not ev.sought:
            continue
        if ev.delete_reason == "tipped_off":
            add(
                1,
                _("{item}: wiped after the provider warned its customer").format(item=ev.title),
                CONFIDENTIALITY,
            )
        elif ev.delete_reason == "preservation_lapsed":
            add(
                1,
                _("{item}: lost when its preservation lapsed").format(item=ev.title),
                (
                    N_(
                        "Send the request for the data (MLA, EIO or order) within the 60 days a "
                        "preservation lasts, or ask for an extension before they run out"
                    ),
                    "central_authority, prosecutor",
                    "BC Art 29(7)",
                ),
            )
        elif ev.delete_reason == "retention":
            finding = (
                _("{item}: deleted by the provider, {note} ({span} too late)")
                if ev.lateness is not None
                else _("{item}: deleted by the provider, {note}")
            ).format(
                item=ev.title,
                note=ev.preservation_note,
                span=format_duration(ev.lateness or 0.0),
            )
            add(1, finding, preserve_advice(ev))
    for m in rep.mistakes:
        if m.kind == "police_only":
            add(
                2,
                m.detail,
                (
                    N_(
                        "Use police cooperation for leads only, and send the formal request "
                        "(MLA, EIO, EPOC or 2AP order) for anything the trial needs"
                    ),
                    "investigator, prosecutor",
                    "BC Art 25, 31",
                ),
            )
    for ev in rep.evidence:
        if ev.lead_obtained and not ev.admissible:
            add(
                2,
                _("{item}: {why}").format(item=ev.title, why=ev.why_not),
                (
                    N_(
                        "Follow police information with a formal request (MLA, EIO, EPOC, 2AP "
                        "Art 7/8 order or JIT) so that it counts at trial"
                    ),
                    "prosecutor, central_authority",
                    "BC Art 31; 2AP Art 7, 8, 12",
                ),
            )


def _requests(rep: Report, add: Add) -> None:
    by_item = {ev.id: ev for ev in rep.evidence}
    by_id = {r.id: r for r in rep.requests}
    # Refusals by ground (once per ground: the advice is the same).
    for m in rep.mistakes:
        if m.kind != "refused" or not m.ground:
            continue
        if m.ground == "data_unavailable":
            row = by_id.get(m.request or "")
            items = [by_item[e] for e in (row.evidence if row else []) if e in by_item]
            advice = preserve_advice(items[0] if items else None)
        else:
            advice = GROUND_ADVICE.get(
                m.ground, (N_("Discuss the refusal ground in the hot wash"), "prosecutor", "")
            )
        add(3, _("{id} refused: {detail}").format(id=m.request, detail=m.detail), advice)
    for m in rep.mistakes:
        if m.kind == "wrong_channel" and m.template in TEMPLATES:
            tpl = TEMPLATES[m.template]
            add(
                3,
                _("{id}: {detail}").format(id=m.request, detail=m.detail),
                (
                    Done(
                        _("Send a {title} through {channel}").format(
                            title=_(tpl.title), channel=tpl.channels[0]
                        )
                    ),
                    TEMPLATE_OWNERS.get(tpl.id, "investigator"),
                    tpl.basis,
                ),
            )
        elif m.kind == "tip_off":
            add(3, _("{id}: {detail}").format(id=m.request, detail=m.detail), CONFIDENTIALITY)
        elif m.kind == "expired":
            add(
                5,
                _("{id}: {detail}").format(id=m.request, detail=m.detail),
                (
                    N_(
                        "Track legal time limits; when an order goes unanswered, give it effect "
                        "through the requested Party (2AP Art 8) or MLA"
                    ),
                    "prosecutor",
                    "2AP Art 7, 8",
                ),
            )
        elif m.kind == "imprecise":
            add(
                4,
                m.detail,
                (
                    N_("Give every IP address with its date, time, UTC offset and source port"),
                    "investigator",
                    "BC Art 29(2), 31",
                ),
            )
    # Requests returned incomplete, by template: the drafter and whoever checks it.
    missing: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for m in rep.mistakes:
        if m.kind == "returned" and m.template:
            missing[m.template].update(m.missing or [m.ground or "incomplete"])
            if m.sender:
                owners[m.template].add(m.sender.split("/", 1)[-1])
    for tid, fields in missing.items():
        name = _(TEMPLATES[tid].title) if tid in TEMPLATES else tid
        checker = TEMPLATE_OWNERS.get(tid, "prosecutor")
        add(
            4,
            _("{title} returned incomplete: {fields}").format(
                title=name, fields=", ".join(sorted(_(f) for f in fields))
            ),
            (
                Done(
                    _(
                        "Check every mandatory element of the {title} against the template "
                        "before it leaves"
                    ).format(title=name)
                ),
                ", ".join([*sorted(owners[tid]), checker]),
                TEMPLATES[tid].basis if tid in TEMPLATES else "",
            ),
        )
    # Slow answers against the legal limit (timed from receipt by the requested Party).
    for s in rep.by_type:
        if s.over_limit and s.limit:
            kind = _(TEMPLATES[s.key[0]].title) if s.key[0] in TEMPLATES else s.key[0]
            add(
                5,
                _("{n} of {total} {title} over the {limit} limit from receipt").format(
                    n=s.over_limit, total=s.count, title=kind, limit=format_duration(s.limit)
                ),
                (
                    Done(
                        _("Agree a fast track and a named contact for the {title}").format(
                            title=kind
                        )
                    ),
                    TEMPLATE_OWNERS.get(s.key[0], "central_authority"),
                    TEMPLATES[s.key[0]].basis if s.key[0] in TEMPLATES else "",
                ),
            )


def objective_advice(ob: Objective, rep: Report) -> tuple[str, str, str]:
    """What to rehearse for a missed objective, and who: by what the objective measures."""
    if ob.evidence_preserved or ob.evidence_not_lost:
        row = next(
            (e for e in rep.evidence if e.id in (ob.evidence_preserved, ob.evidence_not_lost)),
            None,
        )
        ways = row.preserve_with if row is not None else ()
        if "epoc_pr" in ob.via or ways == ("epoc_pr",):
            return (
                N_(
                    "Rehearse the first day: the prosecutor issues the EPOC-PR as soon as the "
                    "data is identified"
                ),
                "prosecutor, investigator",
                "Regulation (EU) 2023/1543 Art 6",
            )
        return (
            N_(
                "Rehearse the first day: the 24/7 point of contact sends the preservation as "
                "soon as the investigator names the data"
            ),
            "poc, investigator",
            "BC Art 29, 35",
        )
    if ob.evidence_admissible or ob.evidence_obtained:
        vias = [v for v in ob.via if v in TEMPLATES]
        if vias:
            names = _(" or ").join(_(TEMPLATES[v].title) for v in vias)
            owners = ", ".join(TEMPLATE_OWNERS.get(v, "prosecutor") for v in vias)
            basis = "; ".join(dict.fromkeys(TEMPLATES[v].basis for v in vias))
            rec = _("Practise choosing and drafting the {titles} for this pair").format(
                titles=names
            )
            return (Done(rec), owners, basis)
        return (
            N_(
                "Map before the class which instrument obtains evidence between each pair "
                "(MLA, EIO, EPOC, 2AP orders) and draft it once the data is preserved"
            ),
            "prosecutor, central_authority, investigator",
            "",
        )
    if ob.request_sent and ob.request_sent in TEMPLATES:
        tpl = TEMPLATES[ob.request_sent]
        return (
            Done(
                _("Practise the {title} ({basis})").format(
                    title=bare_title(_(tpl.title), tpl.basis), basis=tpl.basis
                )
            ),
            TEMPLATE_OWNERS.get(tpl.id, "investigator"),
            tpl.basis,
        )
    if ob.jit_agreed:
        return (
            N_("Propose a joint investigation team when several States investigate one group"),
            "prosecutor",
            "EU JIT rules; 2AP Art 12",
        )
    return (N_("Walk through the expected path in the hot wash"), "facilitator", "")


def _objectives(rep: Report, add: Add) -> None:
    defs = {o.id: o for o in rep.scenario.objectives}
    for o in rep.summary.objectives:
        if not o.met and o.id in defs:
            title = scenario_text(rep.scenario.translations, o.title)
            finding = _("Objective not met: {title}").format(title=title)
            add(6, finding, objective_advice(defs[o.id], rep))


def _voices(rep: Report, add: Add) -> None:
    for r in rep.ratings:
        if r.rating >= 3:
            add(
                7,
                _("Evaluator ({by}) rated “{objective}”: {label}").format(
                    by=words.by(r.by),
                    objective=scenario_text(rep.scenario.translations, r.objective_title),
                    label=_(r.label),
                )
                + (f" — {r.comment}" if r.comment else ""),
                (N_("Discuss the evaluator's rating in the hot wash"), "facilitator", "HSEEP"),
            )
    for q in rep.survey.questions:
        if q.kind == "scale" and q.mean is not None and q.mean < 3:
            add(
                7,
                _("Participants rated “{question}” {mean}/5").format(
                    question=scenario_text(rep.scenario.translations, q.text),
                    mean=current().number(q.mean, 1),
                ),
                (
                    N_("Review the scenario and briefings with the participants' comments"),
                    "facilitator",
                    "",
                ),
            )

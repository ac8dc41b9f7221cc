"""The welcome frame's `exercise` map: what a seat needs besides the events — the
exercise, the directory of countries and bodies, the forms its role may send, and for
staff the MSEL, objectives and evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from .channels import CHANNELS
from .duration import parse_duration
from .events import STAFF
from .rules import addressing, country_of, decisions, role_of
from .rules.law import instruments_between
from .templates import REFUSAL_GROUNDS, ROLE_LABELS, TEMPLATES, Template

if TYPE_CHECKING:
    from .engine import Engine


def welcome_info(engine: Engine, seat: str) -> dict[str, Any]:
    """What a client needs besides the events: the exercise, directory and forms."""
    sc = engine.scenario
    ex = sc.exercise
    role = role_of(seat) if "/" in seat else seat
    country = country_of(seat) if "/" in seat else None
    c = sc.country(country) if country else None
    staff = seat in STAFF
    info: dict[str, Any] = {
        "id": ex.id,
        "title": ex.title,
        "briefing": ex.briefing,
        # The scenario's texts in other languages (tte.core.languages): each client draws
        # them for its reader; absent when the scenario is in one language.
        **({"translations": sc.translations} if sc.translations else {}),
        "mode": engine.state.mode,
        "start": sc.start_datetime().isoformat(),
        "timezone": ex.timezone,
        "duration": parse_duration(ex.duration),
        "role_label": ROLE_LABELS.get(role, role),
        "seat_briefing": (c.briefings.get(role, "") if c else ""),
        "seat_timezone": c.timezone if c else ex.timezone,
        "lead": sc.lead_countries,
        "countries": [
            {
                "code": k.code,
                "name": k.name,
                "flag": k.flag,
                "timezone": k.timezone,
                "budapest": k.budapest,
                "second_protocol": k.second_protocol,
                "eu": k.eu,
                "reservations": k.reservations,
                "declarations": k.declarations,
                "languages": k.languages,
                "with_us": instruments_between(engine.state, country, k.code) if country else [],
                "notification": k.notification,
                "poc_name": k.poc_name,
                "central_authority_name": k.central_authority_name,
                "humans": k.humans,
            }
            for k in sc.countries
        ],
        "organisations": [
            {"id": o.id, "name": o.name, "country": o.country, "kind": o.kind}
            for o in sc.organisations
        ],
        "bodies": [{"id": b, "name": n} for b, n in addressing.ADDRESSABLE_BODIES.items()],
        "templates": [
            _form(engine, t, seat, staff) for t in TEMPLATES.values() if staff or role in t.senders
        ],
        "channels": dict(CHANNELS),
        "refusal_grounds": dict(REFUSAL_GROUNDS),
        # The words of each decision on each form, for this role (the decisions a request
        # allows come with its snapshot).
        "decision_labels": {tid: decisions.labels(role, tid) for tid in TEMPLATES},
        "survey": [
            {"id": q.id, "text": q.text, "kind": q.kind, "choices": q.choices} for q in sc.survey
        ],
    }
    if staff:
        info["debrief"] = ex.debrief
        # Each role's briefing per country, for the join cards the console prints.
        info["briefings"] = {c.code: dict(c.briefings) for c in sc.countries}
        # The condition travels too, so a remote console can judge objectives that no
        # event announces (evidence_not_lost is only settled at the end).
        info["objectives"] = [
            {"title": o.title, "weight": o.weight, "notes": o.notes} | dict(_struct_items(o))
            for o in sc.objectives
        ]
        info["injects"] = [
            {
                "id": i.id,
                "title": i.title,
                "to": i.to,
                "text": i.text,
                "at": parse_duration(i.at) if i.at is not None else None,
                "when": {k: v for k, v in _struct_items(i.when)} if i.when else None,
                "manual": i.manual,
                "notes": i.notes,
                "expected": i.expected,
            }
            for i in sc.injects
        ]
        info["seats"] = engine.seats()
        info["evidence"] = [engine.item_view(e.id) for e in sc.evidence]
        info.update(_teaching(engine))
    return info


def _teaching(engine: Engine) -> dict[str, Any]:
    """The facilitator's teaching aids: hint cards (with who gets them and when they are
    due), the running order, and how many questions the knowledge check asks."""
    from .scenario import target_seats
    from .teaching import phase_wire

    sc = engine.scenario
    return {
        "hints": [
            {
                "id": h.id,
                "title": h.title,
                "text": h.text,
                "to": target_seats(sc, h.to),
                "when": dict(_struct_items(h.when)) if h.when else None,
                "notes": h.notes,
            }
            for h in sc.hints
        ],
        "phases": [
            phase_wire(ph, i)
            | {
                "at": parse_duration(ph.at) if ph.at is not None else None,
                "after_inject": ph.after_inject,
            }
            for i, ph in enumerate(sc.phases)
        ],
        "knowledge_questions": len(sc.knowledge_check),
    }


def _form(engine: Engine, tpl: Template, seat: str, staff: bool) -> dict[str, Any]:
    """A form as a seat gets it: the template, and the ids of whom this seat may send it to
    (organisations, bodies, seats: the rule ``request.submit`` checks). Staff send no
    requests: no recipients."""
    to = [] if staff else addressing.recipients(engine.scenario, tpl, seat)
    return tpl.to_wire() | {"recipients": [r.id for r in to]}


def _struct_items(s: Any) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in msgspec.structs.asdict(s).items() if v is not None]

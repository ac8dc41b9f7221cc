"""Objectives, inject conditions and the outcome of a run, read from the state."""

from __future__ import annotations

from collections.abc import Callable
from statistics import median
from typing import Any

from .duration import parse_duration
from .scenario import Objective, Trigger
from .state import Request, State


def _leads(st: State, country: str | None) -> list[str]:
    return [country] if country else st.scenario.lead_countries


def _requests(
    st: State,
    template: str,
    country: str | None = None,
    to: str | None = None,
    item: str | None = None,
) -> list[Request]:
    """The requests of a template ("any": all) from `country`, to `to`, about `item`."""
    return [
        r
        for r in st.requests.values()
        if template in ("any", r.template)
        and (country is None or r.country == country)
        and (to is None or r.target.get("country") == to)
        and (item is None or item in r.evidence)
    ]


def _about(
    r: Request, template: str, country: str | None, to: str | None, item: str | None
) -> bool:
    """The filter of `_requests`, for one request."""
    return (
        template in ("any", r.template)
        and (country is None or r.country == country)
        and (to is None or r.target.get("country") == to)
        and (item is None or item in r.evidence)
    )


RequestTest = Callable[[Request], bool]


def trigger_request_test(st: State, tr: Trigger) -> RequestTest | None:
    """`trigger_true` as a test of one request, when the trigger is "some request is (or
    was made) so": it then holds iff some request passes, and a request can only start
    to pass when a fold changes it (State.touched), so the engine tests only those
    (issue 19: no scan of every request per event). None for the other triggers (cheap
    already, or decided by a timer)."""
    if tr.evidence_obtained or tr.evidence_preserved or tr.evidence_lost:
        return None
    scope = (tr.country, tr.to, tr.item)
    if tr.request_refused:
        t = tr.request_refused
        return lambda r: r.status == "refused" and _about(r, t, *scope)
    if tr.request_returned:
        t = tr.request_returned
        return lambda r: _about(r, t, *scope) and any(h["what"] == "returned" for h in r.history)
    if tr.request_expired:
        t = tr.request_expired
        return lambda r: r.status == "expired" and _about(r, t, *scope)
    if tr.request_sent:
        t = tr.request_sent
        return lambda r: _about(r, t, *scope)
    if tr.not_sent:
        return None
    if tr.tip_off:
        org = tr.tip_off
        return lambda r: (
            _about(r, "any", *scope)
            and any(org in ("any", tip["org_id"]) for tip in st.tips_of.get(r.id, ()))
        )
    return None


def trigger_true(st: State, tr: Trigger) -> bool:
    leads = st.scenario.lead_countries

    def reqs(template: str) -> list[Request]:
        return _requests(st, template, tr.country, tr.to, tr.item)

    if tr.evidence_obtained:
        return any(c in leads for c in st.items[tr.evidence_obtained].obtained)
    if tr.evidence_preserved:
        return st.items[tr.evidence_preserved].preserved_at is not None
    if tr.evidence_lost:
        it = st.items[tr.evidence_lost]
        return it.deleted and not any(it.admissible_for(c) for c in leads)
    if tr.request_refused:
        return any(r.status == "refused" for r in reqs(tr.request_refused))
    if tr.request_returned:
        # a request sent back for what it lacks (even if amended since)
        return any(
            any(h["what"] == "returned" for h in r.history) for r in reqs(tr.request_returned)
        )
    if tr.request_expired:
        return any(r.status == "expired" for r in reqs(tr.request_expired))
    if tr.request_sent:
        return bool(reqs(tr.request_sent))
    if tr.not_sent:
        # decided by the inject's timer at `by` (state.py schedules it), not before
        by = parse_duration(tr.by) if tr.by is not None else 0.0
        return not any(
            (r.sent_at if r.sent_at is not None else r.created) <= by for r in reqs(tr.not_sent)
        )
    if tr.tip_off:
        return any(
            tr.tip_off in ("any", tip["org_id"])
            and (tr.country is None or st.requests[tip["request"]].country == tr.country)
            and (tr.to is None or st.requests[tip["request"]].target.get("country") == tr.to)
            and (tr.item is None or tr.item in st.requests[tip["request"]].evidence)
            for tip in st.tip_offs
        )
    if tr.inject_released:
        return st.injects.get(tr.inject_released) == "released"
    if tr.jit_agreed:
        return bool(st.jits)
    return False


def objective_met(st: State, ob: Objective, final: bool = True) -> bool:
    """Whether the objective is met; `final` judges those that can only fail late."""
    by = parse_duration(ob.by) if ob.by is not None else None
    after = parse_duration(ob.after) if ob.after is not None else 0.0

    def in_time(t: float | None) -> bool:
        return t is not None and t >= after and (by is None or t <= by)

    countries = _leads(st, ob.country)
    if ob.evidence_preserved:
        it = st.items[ob.evidence_preserved]
        return in_time(it.preserved_at)
    if ob.evidence_obtained or ob.evidence_admissible:
        eid = ob.evidence_obtained or ob.evidence_admissible
        assert eid is not None
        it = st.items[eid]
        return any(
            in_time(it.obtained[c]["t"])
            and (ob.evidence_obtained or it.obtained[c]["admissible"])
            and (not ob.via or _obtained_via(st, eid, c, ob.via))
            for c in countries
            if c in it.obtained
        )
    if ob.evidence_not_lost:
        it = st.items[ob.evidence_not_lost]
        lost = it.deleted and not any(it.admissible_for(c) for c in countries)
        return final and not lost
    if ob.request_sent:
        return any(
            r.country in countries
            and in_time(r.sent_at or r.created)
            and _request_outcome(r, ob.outcome)
            and all(_filled(r.fields.get(f)) for f in ob.fields_filled)
            for r in _requests(st, ob.request_sent, to=ob.to, item=ob.item)
        )
    if ob.jit_agreed:
        return bool(st.jits)
    return False


def objective_request_test(st: State, ob: Objective) -> RequestTest | None:
    """`objective_met` (not final) as a test of one request, for the objectives met by
    some request (see `trigger_request_test`); None for the others."""
    if (
        ob.evidence_preserved
        or ob.evidence_obtained
        or ob.evidence_admissible
        or ob.evidence_not_lost
        or not ob.request_sent
    ):
        return None
    by = parse_duration(ob.by) if ob.by is not None else None
    after = parse_duration(ob.after) if ob.after is not None else 0.0
    countries = _leads(st, ob.country)
    template = ob.request_sent

    def test(r: Request) -> bool:
        t = r.sent_at or r.created
        return (
            _about(r, template, None, ob.to, ob.item)
            and r.country in countries
            and t >= after
            and (by is None or t <= by)
            and _request_outcome(r, ob.outcome)
            and all(_filled(r.fields.get(f)) for f in ob.fields_filled)
        )

    return test


def _obtained_via(st: State, eid: str, country: str, via: list[str]) -> bool:
    """The country holds the item through one of `via`: as recorded, or delivered by an
    executed request of one of those instruments (a later path does not erase it)."""
    if st.items[eid].obtained[country]["via"] in via:
        return True
    return any(
        r.status == "fulfilled" and eid in r.delivered and r.country == country
        for r in st.requests.values()
        if r.template in via
    )


def _request_outcome(r: Request, outcome: str) -> bool:
    if outcome == "sent":
        return True
    if r.status != "fulfilled":
        return False
    return outcome == "fulfilled" or not any(h["what"] == "returned" for h in r.history)


def _filled(v: Any) -> bool:
    return v is not None and v is not False and (not isinstance(v, str) or bool(v.strip()))


def outcome(st: State, events: int) -> dict[str, Any]:
    """The result of a run in the shape `tte simulate --json` prints."""
    sc = st.scenario
    leads = sc.lead_countries
    objectives = [
        {"id": o.id, "title": o.title, "weight": o.weight, "met": objective_met(st, o)}
        for o in sc.objectives
    ]
    total_w = sum(o.weight for o in sc.objectives) or 1.0
    met_w = sum(o.weight for o, row in zip(sc.objectives, objectives, strict=True) if row["met"])
    score = round(100 * met_w / total_w)
    # A decoy (what an imprecise request names instead) is no part of the case.
    decoys = sc.decoys()
    items = [it for it in st.items.values() if it.id not in decoys]
    lost = [it for it in items if it.deleted and not any(it.admissible_for(c) for c in leads)]
    return {
        "score": score,
        "evidence": {
            "total": len(items),
            "preserved": sum(1 for it in items if it.preserved_at is not None),
            "lost": len(lost),
            "obtained": sum(1 for it in items if any(c in it.obtained for c in leads)),
            "admissible": sum(1 for it in items if any(it.admissible_for(c) for c in leads)),
        },
        "objectives": [{"id": o["id"], "met": o["met"]} for o in objectives],
        "events": events,
    }


def response_times(st: State) -> dict[str, dict[str, Any]]:
    """Per template: how long answered requests took (game seconds) against their limit,
    timed from receipt by the requested Party."""
    from .templates import TEMPLATES

    out: dict[str, dict[str, Any]] = {}
    for r in st.requests.values():
        if r.answered_at is None:
            continue
        limit = TEMPLATES[r.template].limit
        if r.template in st.scenario.limits:  # the scenario's override
            limit = parse_duration(st.scenario.limits[r.template])
        d = out.setdefault(r.template, {"times": [], "limit": limit})
        # from receipt by the requested Party (the one the limit binds), else submission
        start = r.received_at if r.received_at is not None else r.created
        d["times"].append(r.answered_at - start)
    for d in out.values():
        d["median"] = median(d["times"])
        d["worst"] = max(d["times"])
        d["count"] = len(d["times"])
        d["over_limit"] = sum(1 for x in d["times"] if d["limit"] and x > d["limit"])
    return out

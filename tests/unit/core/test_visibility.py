"""Every event kind reaches only the seats allowed to see it; staff see everything."""

from __future__ import annotations

from tte.core.events import Event
from tte.core.state import KNOWN_EVENT_KINDS
from tte.core.templates import ROLES

from .kit import DAY, scenario

EVERYONE = ("*",)
STAFF_ONLY = ()


def country(code):
    return {f"{code}/{r}" for r in ROLES}


def full_game(game):
    """One run that emits every kind of event there is."""
    sc = scenario(
        countries="""
        - {code: AA, name: Aland, second_protocol: true}
        - {code: BB, name: Borduria, second_protocol: true, notification: true}
        """,
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d, tips_off: true,
           accepts_art7: false}
        """,
        evidence="""
        - {id: logs, title: Logs, kind: traffic, holder: host, deleted_at: 4d, known_to: [AA],
           reveals: {evidence: [sub], leads: ["a lead"]}}
        - {id: sub, title: Sub, kind: subscriber, holder: host, known_to: [AA]}
        - {id: image, title: Image, kind: server_image, holder: host, wiped_on_tipoff: true,
           known_to: [AA, BB]}
        """,
        injects="""
        - {id: a, title: A, at: 1h, to: [AA/poc]}
        - {id: b, title: B, when: {inject_released: a}, delay: 1h, to: [BB]}
        - {id: c, title: C, manual: true, to: [BB/poc]}
        """,
        objectives="[{id: o, title: O, evidence_preserved: logs}]",
        survey="[{id: q, text: Q}]",
        channels="{mla: 3d, eurojust: 1d}",
        knowledge_check="[{id: k, text: 'K?', choices: [x, y], answer: x}]",
        hints="[{id: h, title: H, text: Try, to: [AA/poc], when: {inject_released: a}}]",
        phases="[{id: p1, name: One, at: 0, timebox: 5}, {id: p2, name: Two, at: 2h, speed: 30}]",
    )
    g = game(sc, humans=("AA/prosecutor",))
    g.do("facilitator", "inject.skip", id="c")
    g.do("facilitator", "emergency.declare", emergency=False)
    g.do("facilitator", "mode.set", mode="coaching")
    p = g.submit("AA/investigator", "preservation", "host", ["logs"], confidentiality=False)
    g.until(lambda: g.req(p).status == "fulfilled")  # preserved, tip_off, image deleted
    order = g.submit("AA/investigator", "subscriber_order", "host", ["sub"])
    g.reach(order, "AA/prosecutor")
    g.do("AA/prosecutor", "request.return", id=order, message="Add the period")
    g.do("AA/investigator", "request.amend", id=order, fields={})
    g.reach(order, "AA/prosecutor")
    g.do("AA/prosecutor", "request.approve", id=order)  # host stays silent: note, expiry
    w = g.submit("AA/investigator", "police_info", "interpol", ["sub"])
    g.do("AA/investigator", "request.withdraw", id=w)
    refused = g.submit(
        "AA/investigator", "mla_stored_data", "host", ["logs"], channel="network_24_7"
    )
    g.submit("AA/prosecutor", "jit_agreement", "BB/prosecutor", channel="eurojust")
    g.submit("AA/prosecutor", "mla_stored_data", "host", ["logs"])
    g.settle(200 * DAY)  # MLA obtains logs (revealing sub and a lead); lapse at last
    assert g.req(refused).status == "refused"
    g.do("facilitator", "survey.open")
    g.do("AA/poc", "survey.answer", answers={"q": 4})
    g.do("observer", "rating.submit", objective="o", rating=2)
    g.presence("BB/poc", True)
    g.do("facilitator", "knowledge.open", stage="after")
    g.do("AA/poc", "knowledge.answer", stage="after", answers={"k": "y"})
    g.do("facilitator", "hint.release", id="h")
    g.take(g.eng.timebox_alarm("p2", 20.0, g.now))
    return g


def request_seats(ev: Event) -> set[str]:
    """Seats on the request's route up to the last stop it reached, and the sender: a seat
    it travels to learns of it only when it arrives."""
    r = ev.data["request"]
    last = r["stop"] - 1 if r["in_transit"] else r["stop"]
    seats = {r["sender"]} | {s["ref"] for s in r["route"][: last + 1] if s["kind"] == "seat"}
    return seats


def expected(ev: Event, g) -> set[str] | tuple[str, ...]:
    k, d = ev.kind, ev.data
    if k in (
        "exercise_started",
        "exercise_ending",
        "exercise_ended",
        "clock",
        "emergency",
        "mode",
        "survey_opened",
        "knowledge_opened",
    ):
        return EVERYONE
    if k in (
        "presence",
        "tip_off",
        "note",
        "inject_scheduled",
        "inject_skipped",
        "retention_passed",
        "survey_answer",
        "rating",
        "objective_met",
        "timer_skipped",
        "knowledge_answer",
        "hint_due",
        "phase_started",
        "timebox_alarm",
    ):
        return STAFF_ONLY
    if k.startswith("request_"):
        return request_seats(ev)
    if k == "evidence_known":
        return set().union(*(country(c) for c in d["countries"]))
    if k in ("evidence_obtained", "lead"):
        return country(d["country"])
    if k in ("evidence_preserved", "preservation_lapsed", "evidence_deleted"):
        return set().union(*(country(c) for c in g.item(d["id"]).known))
    if k == "inject":
        return set(d["to"])
    if k == "notification":  # the State notified of an order (2AP Art 7(5)(a))
        return country(g.sc.org(g.req(d["request"]).target["ref"]).country)
    if k == "jit_agreed":
        return country(d["countries"][0]) | country(d["countries"][1])
    raise AssertionError(f"no visibility rule for {k}")


def test_every_event_kind_has_the_right_audience(game):
    g = full_game(game)
    seen = {e.kind for e in g.events}
    assert KNOWN_EVENT_KINDS - seen == {"timer_skipped"}, "the run should emit every kind"
    for ev in g.events:
        want = expected(ev, g)
        got = ev.visible if want in (EVERYONE, STAFF_ONLY) else set(ev.visible)
        assert got == want, (ev.kind, ev.data.get("id"))
        assert ev.visible_to("facilitator") and ev.visible_to("observer")


def test_a_seat_sees_only_what_names_it(game):
    g = full_game(game)
    bb = g.seen_by("BB/investigator")
    assert not [e for e in bb if e.kind in ("evidence_obtained", "lead", "tip_off", "rating")]
    assert all(e.kind != "request_submitted" for e in bb)  # none of AA's requests reached it
    assert {e.kind for e in g.seen_by("AA/investigator")} >= {"evidence_obtained", "lead"}
    nothing_private = {"presence", "survey_answer", "rating", "tip_off", "note"}
    for seat in g.sc.seats():
        assert not nothing_private & {e.kind for e in g.seen_by(seat)}
    assert len(g.seen_by("observer")) == len(g.seen_by("facilitator")) == len(g.events)


def test_foreign_seat_sees_a_request_once_it_heads_its_way(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    assert not any(e.visible_to("BB/poc") for e in g.of("request_submitted"))
    g.reach(rid, "BB/poc")
    assert g.of("request_arrived", at="BB/poc")[0].visible_to("BB/poc")
    assert not any(e.visible_to("BB/investigator") for e in g.events if e.data.get("id") == rid)

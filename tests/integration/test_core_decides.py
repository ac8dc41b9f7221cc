"""Clients show what core decided: over a real server, the form's dry run (request.check),
the recipients in the welcome and the decisions carried by request snapshots."""

from __future__ import annotations

from sample_requests import PRESERVATION
from wsclient import Join, server_events

from tte import protocol as p
from tte.server import ExerciseServer


async def test_request_check_answers_like_submit_and_appends_nothing(
    server: ExerciseServer, join: Join
) -> None:
    ro = await join("RO/investigator")
    assert await ro.ok("request.check", PRESERVATION) == {"warnings": []}
    before = [e.kind for e in server_events(server)]  # the seat's presence came first
    assert before[-1] == "presence"
    incomplete = {**PRESERVATION, "fields": {**PRESERVATION["fields"], "offence": ""}}
    data = await ro.ok("request.check", incomplete)
    assert [w["field"] for w in data["warnings"]] == ["offence"]
    refused = await ro.cmd("request.check", {**PRESERVATION, "to": "nowhere"})
    assert not refused.ok and isinstance(refused.error, p.ErrorBody)
    assert (refused.error.code, refused.error.field) == ("bad_args", "to")
    assert [e.kind for e in server_events(server)] == before
    assert server.engine.state.requests == {}
    sent = await ro.ok("request.submit", incomplete)
    assert sent["warnings"] == data["warnings"]


async def test_the_welcome_lists_whom_each_form_may_go_to(
    server: ExerciseServer, join: Join
) -> None:
    ro = await join("RO/investigator")
    assert ro.welcome is not None
    forms = {t["id"]: t for t in ro.welcome.exercise["templates"]}
    assert "polderhost" in forms["preservation"]["recipients"]
    assert all(not r.startswith("RO/") for r in forms["police_info"]["recipients"])


async def test_request_snapshots_carry_the_decisions_of_the_seat_holding_them(
    server: ExerciseServer, join: Join
) -> None:
    ro = await join("RO/investigator")
    poc = await join("RO/poc")  # a person holds the seat: no desk decides in its place
    fac = await join("facilitator")
    rid = (await ro.ok("request.submit", PRESERVATION))["id"]
    await fac.ok("clock.advance", {"seconds": 3 * 3600, "reason": "the hop to the PoC"})

    def arrived() -> list[p.EventMsg]:
        return [
            e for e in poc.events if e.kind == "request_arrived" and e.data["request"]["id"] == rid
        ]

    await poc.until(lambda: bool(arrived()))
    snap = arrived()[-1].data["request"]
    assert (snap["at"], snap["decisions"]) == ("RO/poc", ["forward", "return", "refuse"])
    submitted = next(e for e in ro.events if e.kind == "request_submitted")
    assert submitted.data["request"]["decisions"] == []  # on its way
    wrong = await poc.cmd("request.respond", {"id": rid, "decision": "answer"})
    assert not wrong.ok and isinstance(wrong.error, p.ErrorBody)
    assert wrong.error.field == "decision"
    await poc.ok("request.respond", {"id": rid, "decision": "forward"})

"""Engagement: a desk-played country starts a request to a human seat (issue 22)."""

from __future__ import annotations

from tte.core.scenario import parse
from tte.core.simulate import seat_decisions

from .kit import HOUR, scenario, scenario_text

# BB's desk asks AA to preserve the logs of AA's own ISP: AA's 24/7 point of contact must
# decide (BC Art 29, BC Art 35).
INCOMING = """
- id: bb_asks
  title: Borduria asks for preservation
  at: 2h
  to: [AA/poc]
  effects:
    request:
      template: preservation
      from: BB/investigator
      to: local
      evidence: [local_logs]
"""
EVIDENCE = """
- {id: local_logs, title: Logs at the local ISP, kind: traffic, holder: local}
"""


def test_an_inject_starts_a_preservation_request_from_a_desk_country(game):
    g = game(scenario(injects=INCOMING, evidence=EVIDENCE), humans=("AA/poc",))
    g.advance(2 * HOUR)
    sub = g.one("request_submitted")
    req = sub.data["request"]
    assert sub.data["inject"] == "bb_asks" and sub.t == 2 * HOUR
    assert (req["sender"], req["template"], req["target"]["ref"]) == (
        "BB/investigator",
        "preservation",
        "local",
    )
    assert "BB" in g.st.items["local_logs"].known  # the asking country knows its item
    assert req["fields"]["confidentiality"] is True  # filled as a diligent official would
    g.until(lambda: g.req(req["id"]).at()["ref"] == "AA/poc" and not g.req(req["id"]).in_transit)
    g.do("AA/poc", "request.forward", id=req["id"])
    counts = seat_decisions(g.sc, g.events)
    assert counts["AA/poc"] == 1
    assert counts["BB/investigator"] == 0  # the scenario sent it; the seat decided nothing


def test_scenario_fields_override_the_diligent_defaults(game):
    injects = INCOMING + "      fields: {confidentiality: false}\n"
    g = game(scenario(injects=injects, evidence=EVIDENCE))
    g.advance(2 * HOUR)
    assert g.one("request_submitted").data["request"]["fields"]["confidentiality"] is False


def test_an_incoming_request_that_cannot_be_sent_is_a_note_to_staff(game):
    injects = INCOMING.replace("to: local", "to: host")  # local_logs is not held by host
    g = game(scenario(injects=injects, evidence=EVIDENCE))
    g.advance(2 * HOUR)
    assert not g.of("request_submitted")
    note = g.one("note")
    assert note.visible == () and "could not send" in note.data["text"]


def test_incoming_request_is_validated():
    text = scenario_text(
        injects="""
        - id: x
          title: X
          at: 1h
          effects:
            request: {template: nope, from: ZZ/poc, evidence: [ghost]}
        - id: y
          title: Y
          at: 1h
          effects:
            request: {template: preservation, from: BB/central_authority, to: local,
                      fields: {nope: 1}, channel: eurojust}
        """
    )
    _sc, problems = parse(text)
    paths = {p.path for p in problems}
    assert {
        "injects[0].effects.request.template",
        "injects[0].effects.request.from",
        "injects[0].effects.request.to",
        "injects[0].effects.request.evidence[0]",
        "injects[1].effects.request.from",
        "injects[1].effects.request.fields.nope",
        "injects[1].effects.request.channel",
    } <= paths

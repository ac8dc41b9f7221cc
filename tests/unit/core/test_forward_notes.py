"""A note travels one step: a forward without a new message carries no earlier
(domestic) note abroad."""

from __future__ import annotations

from .kit import DAY, scenario


def test_a_forward_without_a_message_carries_no_earlier_domestic_note_abroad(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d}
        """,
        evidence="""
        - {id: logs, title: Logs, kind: traffic, holder: host, known_to: [AA]}
        """,
    )
    g = game(sc, humans=("AA/prosecutor", "AA/central_authority", "BB/central_authority"))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["logs"])
    g.reach(rid, "AA/prosecutor")
    g.do("AA/prosecutor", "request.approve", id=rid, message="AA-DOMESTIC-SECRET for our CA")
    g.reach(rid, "AA/central_authority")
    assert g.req(rid).message == "AA-DOMESTIC-SECRET for our CA"  # the next stop reads it
    g.do("AA/central_authority", "request.transmit", id=rid)  # no note of its own
    g.reach(rid, "BB/central_authority", limit=200 * DAY)
    for ev in g.seen_by("BB/central_authority"):
        assert "AA-DOMESTIC-SECRET" not in repr(ev.data), ev.kind

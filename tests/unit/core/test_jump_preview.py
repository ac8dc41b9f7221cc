"""The jump preview: what a clock jump would delete, fire and expire, without doing it."""

from __future__ import annotations

from tte.core.preview import jump_preview

from .kit import DAY, HOUR, scenario

INJECTS = """
- {id: nudge, title: Nudge, at: 2d, to: [AA]}
- {id: gone, title: Logs gone, when: {evidence_lost: logs}, to: [AA]}
"""


def test_jump_past_the_retention_of_unpreserved_logs_previews_their_deletion(game):
    g = game(scenario(injects=INJECTS))
    seq = g.st.seq
    p = jump_preview(g.eng, g.now, 5 * DAY)
    assert p.delete == ["Connection logs of 192.0.2.7 (retention)"]
    assert p.fire == ["Nudge", "Logs gone"]  # the scheduled and the triggered one
    assert p.text().startswith("Advancing by 5d would delete: Connection logs of 192.0.2.7")
    # nothing happened: the real state is untouched
    assert g.st.seq == seq and not g.item("logs").deleted and g.st.injects["nudge"] == "scheduled"


def test_a_short_jump_previews_nothing(game):
    g = game(scenario(injects=INJECTS))
    p = jump_preview(g.eng, g.now, HOUR)
    assert (p.delete, p.fire, p.expire, p.lapse) == ([], [], [], [])
    assert p.text() == "Advancing by 1h deletes, fires and expires nothing."


def test_preview_names_a_request_that_would_expire(game):
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, accepts_art7: false}
        """,
        limits="{subscriber_order: 5d}",
    )
    g = game(sc)
    rid = g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    assert jump_preview(g.eng, g.now, 6 * DAY).expire == [f"{rid} subscriber_order"]


def test_clock_preview_is_a_staff_dry_run(game):
    g = game(scenario(injects=INJECTS))
    seq = g.st.seq
    data = g.do("facilitator", "clock.preview", seconds=5 * DAY)
    assert data["delete"] and "would delete" in data["text"]
    assert g.st.seq == seq and not g.last

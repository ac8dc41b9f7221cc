"""Desks play empty seats; a human who arrives takes over, and hands back on leaving."""

from __future__ import annotations

from .kit import DAY, HOUR


def desk_timers(g, rid):
    return [t for t in g.st.timers.values() if t.kind == "desk" and t.ref == rid]


def test_desk_acts_for_an_empty_seat_after_its_delay(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "AA/poc")
    (timer,) = desk_timers(g, rid)
    assert timer.due == g.now + 2 * HOUR  # the poc desk's default delay
    g.advance(timer.due)
    assert g.of("request_forwarded")[0].data["by"] == "desk:AA/poc"


def test_scenario_overrides_desk_delay(game):
    from .kit import scenario

    g = game(scenario(desks="{poc: 5m}"))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "AA/poc")
    assert desk_timers(g, rid)[0].due == g.now + 300


def test_human_arriving_takes_over_from_the_desk(game):
    g = game()
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "AA/poc")
    assert desk_timers(g, rid)
    evs = g.presence("AA/poc", True)
    assert [e.kind for e in evs] == ["presence"] and evs[0].visible == ()
    assert desk_timers(g, rid) == []  # the desk's pending decision is dropped
    assert g.st.is_human("AA/poc")
    g.advance(by=10 * DAY)
    assert g.waiting_at(rid) == "AA/poc"  # nobody acted for the human
    g.do("AA/poc", "request.forward", id=rid)
    assert g.last[0].data["by"] == "AA/poc"


def test_human_leaving_hands_back_to_the_desk(game):
    g = game(humans=("BB/poc",))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(rid, "BB/poc")
    assert desk_timers(g, rid) == []
    left_at = g.now + HOUR
    g.advance(left_at)
    g.presence("BB/poc", False)
    (timer,) = desk_timers(g, rid)
    assert timer.due == left_at + 2 * HOUR
    g.settle(3 * DAY)
    assert g.req(rid).status == "fulfilled"
    assert g.one("request_forwarded", by="desk:BB/poc")


def test_presence_change_to_the_same_state_or_unknown_seat_emits_nothing(game):
    g = game(humans=("AA/poc",))
    assert g.presence("AA/poc", True) == []
    assert g.presence("ZZ/poc", True) == []
    assert g.presence("facilitator", True) == []


def test_requests_elsewhere_keep_their_desks(game):
    g = game()
    a = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.reach(a, "AA/poc")
    g.presence("BB/poc", True)
    assert desk_timers(g, a)


def test_desks_play_every_seat_a_whole_case(game):
    """With no human at all, a preservation and an MLA request run to the end."""
    from .kit import scenario

    g = game(scenario(channels="{mla: 20d}"))
    p = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.until(lambda: g.req(p).status == "fulfilled")
    m = g.submit("AA/investigator", "mla_stored_data", "host", ["logs", "sub"])
    g.settle()
    assert g.req(m).status == "fulfilled"
    assert g.item("logs").admissible_for("AA") and g.item("sub").admissible_for("AA")
    assert all(e.data["by"].startswith(("desk:", "org:")) for e in g.of("request_forwarded"))

"""Injects: scheduled, triggered, manual; skip, move, ad-hoc; effects; who sees them."""

from __future__ import annotations

import pytest

from tte.core.events import CommandError

from .kit import DAY, HOUR, scenario

INJECTS = """
- {id: opening, title: Opening, at: 0h, to: [AA], text: "**Go**",
   attachments: [{name: fw.log, text: "ALLOW tcp"}]}
- {id: nudge, title: Nudge, at: 2d, to: [AA/investigator, "*/poc"]}
- {id: frozen, title: Frozen, when: {evidence_preserved: logs}, to: [AA/investigator]}
- {id: later, title: Later, when: {inject_released: frozen}, delay: 6h, to: [BB]}
- {id: refused, title: Refused, when: {request_refused: any}, to: [facilitator]}
- {id: press, title: Press leak, manual: true, to: [all]}
"""


@pytest.fixture
def g(game):
    return game(scenario(injects=INJECTS))


def seats_of(ev):
    return set(ev.visible)


def test_scheduled_injects_fire_at_their_time_to_their_targets(g):
    opening = g.one("inject", id="opening")
    assert opening.t == 0 and opening.data["by"] == "schedule"
    assert seats_of(opening) == {
        f"AA/{r}" for r in ("investigator", "poc", "central_authority", "prosecutor")
    }
    assert opening.data["attachments"] == [{"name": "fw.log", "text": "ALLOW tcp"}]
    assert g.st.injects["nudge"] == "scheduled" and g.st.inject_times["nudge"] == 2 * DAY
    g.advance(2 * DAY - 1)
    assert not g.of("inject", id="nudge")
    g.advance(2 * DAY)
    nudge = g.one("inject", id="nudge")
    assert nudge.t == 2 * DAY
    assert seats_of(nudge) == {"AA/investigator", "AA/poc", "BB/poc"}
    assert not nudge.visible_to("BB/investigator") and nudge.visible_to("observer")


def test_triggered_inject_fires_when_its_condition_becomes_true(g):
    assert g.st.injects["frozen"] == "pending"
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.until(lambda: g.req(rid).status == "fulfilled")
    frozen = g.one("inject", id="frozen")
    assert frozen.t == g.item("logs").preserved_at and frozen.data["by"] == "trigger"
    # a chained trigger with a delay is scheduled, then fires
    sched = g.one("inject_scheduled", id="later")
    assert sched.data["due"] == frozen.t + 6 * HOUR and sched.visible == ()
    g.advance(frozen.t + 6 * HOUR)
    assert g.one("inject", id="later").data["to"] == [
        f"BB/{r}" for r in ("investigator", "poc", "central_authority", "prosecutor")
    ]


def test_request_refused_trigger_targets_only_the_facilitator(g):
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"], channel="network_24_7")
    g.until(lambda: g.req(rid).status == "refused")
    ev = g.one("inject", id="refused")
    assert ev.visible == () and ev.data["to"] == []
    assert ev.visible_to("facilitator") and not ev.visible_to("AA/investigator")


def test_manual_inject_waits_for_the_facilitator(g):
    g.settle(100 * DAY)
    assert g.st.injects["press"] == "pending" and not g.of("inject", id="press")
    g.do("facilitator", "inject.release", id="press")
    ev = g.one("inject", id="press")
    assert ev.data["by"] == "facilitator" and ev.visible == tuple(g.sc.seats())
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "inject.release", id="press")
    assert e.value.code == "bad_state"
    with pytest.raises(CommandError):
        g.do("facilitator", "inject.release", id="no_such")


def test_skipped_inject_never_fires(g):
    g.do("facilitator", "inject.skip", id="nudge")
    assert g.st.injects["nudge"] == "skipped" and g.last[0].visible == ()
    g.settle(10 * DAY)
    assert not g.of("inject", id="nudge")
    for op in ("inject.release", "inject.skip"):
        with pytest.raises(CommandError):
            g.do("facilitator", op, id="nudge")
    with pytest.raises(CommandError):
        g.do("facilitator", "inject.move", id="nudge", at=5 * DAY)


def test_moved_inject_fires_at_its_new_time(g):
    g.do("facilitator", "inject.move", id="nudge", at=3 * DAY)
    assert g.st.inject_times["nudge"] == 3 * DAY
    g.advance(2.5 * DAY)
    assert not g.of("inject", id="nudge")
    g.advance(3 * DAY)
    assert g.one("inject", id="nudge").t == 3 * DAY
    # a manual inject can be scheduled too
    g.do("facilitator", "inject.move", id="press", at=4 * DAY)
    g.advance(4 * DAY)
    assert g.one("inject", id="press").data["by"] == "schedule"


@pytest.mark.parametrize("at", [-1, "3d", True, None])
def test_move_needs_a_game_time_not_in_the_past(g, at):
    g.advance(DAY)
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "inject.move", id="nudge", at=at if at != -1 else DAY - 1)
    assert e.value.field == "at"


def test_adhoc_inject_reaches_only_its_targets(g):
    data = g.do("facilitator", "inject.send", title="Call me", text="Now", to=["BB/poc", "AA"])
    assert data == {"adhoc": 1}
    ev = g.last[0]
    assert ev.kind == "inject" and ev.data["id"] is None and ev.data["adhoc"] == 1
    assert set(ev.visible) == {"BB/poc"} | {
        f"AA/{r}" for r in ("investigator", "poc", "central_authority", "prosecutor")
    }
    assert g.do("facilitator", "inject.send", title="Again", to=["all"]) == {"adhoc": 2}
    assert g.st.adhoc == 2
    for bad in ([], "all", ["ZZ"], [3]):
        with pytest.raises(CommandError):
            g.do("facilitator", "inject.send", title="x", to=bad)
    with pytest.raises(CommandError):
        g.do("facilitator", "inject.send", to=["all"])  # no title


def test_inject_effects_reveal_delete_and_change_a_provider(game):
    sc = scenario(
        injects="""
        - id: tip
          title: Anonymous tip
          manual: true
          to: [BB]
          effects: {reveal: [sub], delete: [logs], org: host, tips_off: true,
                    accepts_art7: false, answer_delay: 5h}
        """
    )
    g = game(sc)
    g.do("facilitator", "inject.release", id="tip")
    known = g.one("evidence_known", source="tip")
    assert known.data["countries"] == ["BB"] and {s[:2] for s in known.visible} == {"BB"}
    assert "BB" in g.item("sub").known
    gone = g.one("evidence_deleted", id="logs")
    assert gone.data["reason"] == "inject" and gone.data["item"]["deleted"] is True
    assert g.st.orgs["host"] == {
        "tips_off": True,
        "accepts_art6": True,
        "accepts_art7": False,
        "answer_delay": 5 * HOUR,
    }
    assert g.one("inject", id="tip").data["effects"]["org"] == "host"

"""The game clock (pure arithmetic) and the facilitator's clock commands."""

from __future__ import annotations

import pytest

from tte.core.clock import GameClock
from tte.core.events import CommandError

from .kit import DAY, HOUR, scenario


def test_paused_clock_stands_still():
    c = GameClock(game_anchor=100.0, wall_anchor=0.0, speed=60.0, paused=True)
    assert c.now(0.0) == c.now(1000.0) == 100.0
    assert c.wall_until(500.0, 0.0) is None


def test_running_clock_moves_at_its_speed():
    c = GameClock(speed=60.0)
    c.resume(10.0)
    assert c.now(10.0) == 0.0 and c.now(11.5) == 90.0
    assert c.wall_until(180.0, 11.5) == pytest.approx(1.5)
    assert c.wall_until(0.0, 11.5) == 0.0  # already due


def test_pause_resume_speed_and_jump_keep_game_time_continuous():
    c = GameClock(speed=10.0)
    c.resume(0.0)
    c.pause(5.0)  # 50 game seconds
    assert c.now(100.0) == 50.0
    c.resume(100.0)
    c.set_speed(102.0, 100.0)  # 70 at the change, then 100 per wall second
    assert c.now(103.0) == pytest.approx(170.0)
    c.jump(103.0, 1000.0)
    assert c.now(103.0) == pytest.approx(1170.0)
    assert c.now(104.0) == pytest.approx(1270.0)


def test_clock_rejects_bad_speed_and_backward_jump():
    c = GameClock()
    with pytest.raises(ValueError):
        c.set_speed(0.0, 0.0)
    with pytest.raises(ValueError):
        c.jump(0.0, -1.0)


def test_facilitator_pauses_resumes_and_sets_speed(game):
    g = game()
    assert g.st.paused and g.st.speed == 60.0
    assert g.do("facilitator", "clock.resume") == {"speed": 60.0, "paused": False}
    assert not g.st.paused
    g.do("facilitator", "clock.set_speed", speed=600)
    assert g.st.speed == 600.0 and not g.st.paused
    g.do("facilitator", "clock.pause")
    assert g.st.paused
    clocks = g.of("clock")
    assert [(e.data["speed"], e.data["paused"]) for e in clocks] == [
        (60.0, True),
        (60.0, False),
        (600.0, False),
        (600.0, True),
    ]
    assert all(e.visible == ("*",) for e in clocks)


@pytest.mark.parametrize("speed", [0, -5, True, "fast", None, 2_000_000])
def test_bad_speed_is_refused(game, speed):
    g = game()
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "clock.set_speed", speed=speed)
    assert e.value.field == "speed"


@pytest.mark.parametrize("seconds", [0, -1, True, "2w", None, 3651 * DAY])
def test_bad_jump_is_refused(game, seconds):
    g = game()
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "clock.advance", seconds=seconds)
    assert e.value.field == "seconds"


def test_jump_fires_every_timer_due_in_order(game):
    sc = scenario(
        injects="""
        - {id: a, title: A, at: 1d}
        - {id: b, title: B, at: 3d}
        - {id: c, title: C, at: 20d}
        """
    )
    g = game(sc)
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"])
    g.do("facilitator", "clock.advance", seconds=14 * DAY, reason="Two weeks later")
    evs = g.last
    assert evs[0].kind == "clock"
    assert evs[0].data["jump"] == 14 * DAY and evs[0].data["reason"] == "Two weeks later"
    fired = evs[1:]
    assert [e.t for e in fired] == sorted(e.t for e in fired)
    assert all(e.t <= 14 * DAY for e in fired)
    assert [e.data["id"] for e in fired if e.kind == "inject"] == ["a", "b"]
    assert g.req(rid).status == "fulfilled"
    assert g.one("retention_passed").t == 4 * DAY  # fired at its own due time, not at the jump
    assert g.st.injects["c"] == "scheduled"


def test_advance_to_fires_timers_that_fell_due_while_away(game):
    sc = scenario(injects="[{id: a, title: A, at: 1h}, {id: b, title: B, at: 2h}]")
    g = game(sc)
    evs = g.advance(10 * DAY)  # e.g. a server restarting after a long stop
    assert [(e.kind, e.t) for e in evs] == [
        ("inject", 1 * HOUR),
        ("inject", 2 * HOUR),
        ("evidence_deleted", 4 * DAY),
    ]
    assert g.advance(10 * DAY) == []  # nothing fires twice


def test_start_is_idempotent_and_fires_time_zero_injects(game):
    g = game(scenario(injects="[{id: a, title: A, at: 0s}]"), start=False)
    evs = g.take(g.eng.start(0.0))
    assert [e.kind for e in evs][:2] == ["exercise_started", "clock"]
    assert g.one("inject", id="a").t == 0
    assert g.eng.start(0.0) == []

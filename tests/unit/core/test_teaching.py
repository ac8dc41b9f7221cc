"""Teaching aids in the engine: the knowledge check, hint cards, the running order, and an
emergency scoped to the items it concerns."""

from __future__ import annotations

import pytest

from tte.core.events import CommandError
from tte.core.learning import knowledge_gain
from tte.core.scenario import check, parse

from .kit import DAY, HOUR, scenario, scenario_text

QUESTIONS = """
- id: instrument
  text: Which instrument for stored subscriber data from a 2AP Party?
  choices: [2AP Art 7 order, Police request, Art 29 preservation]
  answer: 2AP Art 7 order
  explanation: 2AP Art 7 lets an authority order a provider in another Party directly.
  roles: [investigator, prosecutor]
- id: freeze
  text: What keeps volatile logs from being deleted?
  choices: [BC Art 29 preservation, An MLA request]
  answer: BC Art 29 preservation
  explanation: BC Art 29 freezes data while the MLA request is prepared.
"""


@pytest.fixture
def kc(game):
    return game(scenario(knowledge_check=QUESTIONS))


# ------------------------------------------------------------------ the knowledge check
def test_knowledge_check_answers_are_staff_only_and_the_key_comes_after_the_after_check(kc):
    with pytest.raises(CommandError) as e:
        kc.do("AA/poc", "knowledge.answer", stage="before", answers={"freeze": "An MLA request"})
    assert e.value.code == "bad_state"
    kc.do("facilitator", "knowledge.open", stage="before")
    opened = kc.last[0]
    assert opened.visible == ("*",) and "key" not in opened.data
    assert all("answer" not in q and "explanation" not in q for q in opened.data["questions"])
    kc.do("AA/poc", "knowledge.answer", stage="before", answers={"freeze": "An MLA request"})
    ans = kc.last[0]
    assert ans.kind == "knowledge_answer" and ans.visible == ()
    assert ans.data["role"] == "poc" and "seat" not in ans.data
    kc.do("facilitator", "knowledge.open", stage="before", open=False)
    assert "key" not in kc.last[0].data  # the after-check still has to ask
    kc.do("facilitator", "knowledge.open", stage="after")
    kc.do("AA/poc", "knowledge.answer", stage="after", answers={"freeze": "BC Art 29 preservation"})
    kc.do("facilitator", "knowledge.open", stage="after", open=False)
    key = {k["id"]: k for k in kc.last[0].data["key"]}
    assert key["instrument"]["answer"] == "2AP Art 7 order"
    assert "BC Art 29" in key["freeze"]["explanation"]


def test_knowledge_check_asks_each_role_only_its_questions(kc):
    kc.do("facilitator", "knowledge.open", stage="before")
    with pytest.raises(CommandError) as e:  # the poc is not asked about orders
        kc.do("AA/poc", "knowledge.answer", stage="before", answers={"instrument": "x"})
    assert "No question" in e.value.message
    with pytest.raises(CommandError):
        kc.do("AA/investigator", "knowledge.answer", stage="before", answers={"freeze": "Fax"})
    with pytest.raises(CommandError):  # one stage open at a time
        kc.do("facilitator", "knowledge.open", stage="after")
    assert kc.st.knowledge_answers == 0


def test_knowledge_gain_counts_the_last_answers_per_role_and_overall(kc):
    kc.do("facilitator", "knowledge.open", stage="before")
    kc.do("AA/poc", "knowledge.answer", stage="before", answers={"freeze": "An MLA request"})
    kc.do(
        "AA/investigator",
        "knowledge.answer",
        stage="before",
        answers={"freeze": "An MLA request", "instrument": "2AP Art 7 order"},
    )
    kc.do("facilitator", "knowledge.open", stage="before", open=False)
    kc.do("facilitator", "knowledge.open", stage="after")
    kc.do("AA/poc", "knowledge.answer", stage="after", answers={"freeze": "An MLA request"})
    kc.do("AA/poc", "knowledge.answer", stage="after", answers={"freeze": "BC Art 29 preservation"})
    kc.do(
        "AA/investigator",
        "knowledge.answer",
        stage="after",
        answers={"freeze": "BC Art 29 preservation", "instrument": "2AP Art 7 order"},
    )
    res = knowledge_gain(kc.sc, [e.data for e in kc.of("knowledge_answer")])
    assert res.respondents == {"before": 2, "after": 2}
    assert (res.overall.before_right, res.overall.before_asked) == (1, 3)
    assert (res.overall.after_right, res.overall.after_asked) == (3, 3)
    assert res.by_role["poc"].gain == pytest.approx(1.0)
    assert res.by_question["instrument"].gain == pytest.approx(0.0)


# ------------------------------------------------------------------ hint cards
HINTS = """
- {id: freeze, title: Freeze first, text: "Logs are volatile: who can freeze them today?",
   to: [AA/investigator, AA/poc], when: {evidence_lost: logs}}
- {id: plain, title: Ask the 24/7, text: Call the network., to: [AA]}
"""


def test_hint_reaches_the_seats_inbox_once_and_is_marked_released(game):
    g = game(scenario(hints=HINTS))
    g.do("facilitator", "hint.release", id="freeze")
    ev = g.last[0]
    assert ev.kind == "inject" and ev.data["hint"] == "freeze"
    assert set(ev.visible) == {"AA/investigator", "AA/poc"}
    assert ev.data["title"] == "Hint: Freeze first"
    assert g.st.hints_released == {"freeze"}
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "hint.release", id="freeze")
    assert "already released" in e.value.message
    with pytest.raises(CommandError):
        g.do("facilitator", "hint.release", id="nope")
    g.do("facilitator", "hint.release", id="plain", to=["AA/prosecutor"])
    assert g.last[0].visible == ("AA/prosecutor",)


def test_hint_with_a_condition_is_marked_due_for_the_facilitator_when_it_comes_true(game):
    g = game(scenario(hints=HINTS))
    assert not g.of("hint_due")
    g.advance(5 * DAY)  # the unpreserved logs are deleted at 4d
    due = g.one("hint_due")
    assert due.data["id"] == "freeze" and due.visible == ()
    assert g.st.hints_due == {"freeze"}


# ------------------------------------------------------------------ the running order
PHASES = """
- {id: start, name: Briefing, at: 0, speed: 10, timebox: 10}
- {id: race, name: The race, at: 2h, speed: 120, timebox: 30,
   jumps: [{by: 14d, reason: The MLA request travels}]}
- {id: late, name: Aftermath, after_inject: news}
"""
INJECTS = "[{id: news, title: News, manual: true}]"


def test_phases_begin_on_time_and_set_the_clock_speed(game):
    g = game(scenario(phases=PHASES, injects=INJECTS))
    assert g.st.phase == "start" and g.st.speed == 10
    started = g.one("phase_started", id="start")
    assert started.visible == () and started.data["timebox"] == 10
    g.do("facilitator", "clock.set_speed", speed=60)  # the facilitator overrides
    g.advance(2 * HOUR)
    assert g.st.phase == "race" and g.st.speed == 120
    race = g.one("phase_started", id="race")
    assert race.data["jumps"] == [{"seconds": 14 * DAY, "reason": "The MLA request travels"}]
    g.do("facilitator", "inject.release", id="news")
    assert g.st.phase == "late" and g.st.speed == 120  # no speed of its own


def test_facilitator_starts_a_phase_out_of_order_and_a_timebox_alarms_once(game):
    g = game(scenario(phases=PHASES, injects=INJECTS))
    g.do("facilitator", "phase.start", id="race")
    assert g.st.phase == "race" and g.st.speed == 120
    with pytest.raises(CommandError):
        g.do("facilitator", "phase.start", id="race")
    g.advance(3 * HOUR)
    assert len(g.of("phase_started", id="race")) == 1  # its planned start is spent
    g.take(g.eng.timebox_alarm("start", 12.0, g.now))  # not the current phase: nothing
    assert not g.of("timebox_alarm")
    g.take(g.eng.timebox_alarm("race", 31.5, g.now))
    g.take(g.eng.timebox_alarm("race", 40.0, g.now))
    alarm = g.one("timebox_alarm")
    assert alarm.data == {"phase": "race", "name": "The race", "timebox": 30, "minutes": 31.5}


# ------------------------------------------------------------------ scoped emergency
def test_art9_request_for_an_item_the_emergency_does_not_concern_is_refused(game):
    """2AP Art 9(3): an emergency request shows how the data sought relates to the threat;
    the declared emergency concerns the subscriber only, not the connection logs."""
    g = game()
    g.do("facilitator", "emergency.declare", emergency=True, items=["sub"], reason="Threat")
    assert g.st.emergency_items == {"sub"}
    assert g.last[0].data["titles"] == ["Subscriber of 192.0.2.7"]
    logs = g.submit("AA/poc", "emergency_disclosure", "host", ["logs"])
    sub = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    assert (g.req(logs).status, g.req(logs).ground) == ("refused", "no_emergency")
    assert "relate to the threat" in g.req(logs).message
    assert g.req(sub).status == "fulfilled"


def test_emergency_named_by_an_inject_concerns_only_its_items(game):
    sc = scenario(
        injects="""
        - {id: icu, title: ICU offline, manual: true,
           effects: {emergency: true, emergency_items: [logs]}}
        """
    )
    g = game(sc)
    g.do("facilitator", "inject.release", id="icu")
    assert g.st.emergency and g.st.emergency_items == {"logs"}
    sub = g.submit("AA/poc", "emergency_disclosure", "host", ["sub"])
    g.settle()
    assert g.req(sub).ground == "no_emergency"
    g.do("facilitator", "emergency.declare", emergency=False)
    assert not g.st.emergency and not g.st.emergency_items


def test_emergency_declare_refuses_unknown_items(game):
    g = game()
    with pytest.raises(CommandError) as e:
        g.do("facilitator", "emergency.declare", emergency=True, items=["ghost"])
    assert e.value.field == "items" and not g.st.emergency


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("section", "snippet", "problem"),
    [
        (
            "knowledge_check",
            "[{id: q, text: Q, choices: [a, b], answer: c}]",
            "not one of the choices",
        ),
        ("knowledge_check", "[{id: q, text: Q, choices: [a], answer: a}]", "two choices"),
        (
            "knowledge_check",
            "[{id: q, text: Q, choices: [a, b], answer: a, roles: [judge]}]",
            "unknown role",
        ),
        ("hints", "[{id: h, title: H, text: T, to: [ZZ]}]", "names no seat"),
        ("hints", "[{id: h, title: H, text: T, when: {inject_released: x}}]", "unknown inject"),
        ("phases", "[{id: p, name: P}]", "exactly one of 'at'"),
        ("phases", "[{id: p, name: P, at: 0, timebox: 0}]", "wall minutes"),
        ("phases", "[{id: p, name: P, at: 0, jumps: [{by: 1d, reason: ''}]}]", "say why"),
        ("phases", "[{id: a, name: A, at: 2h}, {id: b, name: B, at: 1h}]", "in order"),
        ("injects", "[{id: i, title: I, effects: {emergency_items: [logs]}}]", "emergency: true"),
    ],
)
def test_scenario_teaching_blocks_are_validated(section, snippet, problem):
    sc, problems = parse(scenario_text(**{section: snippet}))
    found = problems if sc is None else check(sc)
    assert any(problem in p.message for p in found), found


def test_hint_on_nothing_sent_by_a_deadline_is_due_only_at_the_deadline(game):
    g = game(
        scenario(
            hints="""
            - {id: late, title: Freeze, text: Preserve now., to: [AA/poc],
               when: {not_sent: preservation, by: 1d}}
            """
        )
    )
    g.advance(12 * HOUR)
    assert not g.of("hint_due")
    g.advance(2 * DAY)
    assert g.one("hint_due").data["id"] == "late"


# ------------------------------------------------------------------ exam mode
def test_exam_mode_requires_the_channel_where_a_form_has_more_than_one(game):
    g = game()
    g.do("facilitator", "mode.set", mode="exam")
    args = {"template": "preservation", "to": "host", "evidence": ["logs"], "fields": {}}
    with pytest.raises(CommandError) as e:
        g.do("AA/investigator", "request.submit", **args)
    assert e.value.field == "channel" and "Choose the channel" in e.value.message
    rid = g.do("AA/investigator", "request.submit", **args, channel="network_24_7")["id"]
    assert g.req(rid).channel == "network_24_7"
    # A form with one channel needs no choice.
    g.do("AA/investigator", "request.submit", template="police_info", to="BB/investigator")


def test_pedagogy_warns_about_roles_without_questions_untimed_phases_and_no_hints():
    from tte.core.learning import teaching_warnings

    sc = scenario(
        knowledge_check="[{id: q, text: Q, choices: [a, b], answer: a, roles: [poc]}]",
        phases="[{id: p, name: P, at: 0}]",
    )
    warned = teaching_warnings(sc)
    assert "knowledge_check asks no question of the investigator seats people take" in warned
    assert not any("of the poc" in w for w in warned)
    assert "phases: p has no timebox (no alarm when it overruns)" in warned
    assert any("no hint cards" in w for w in warned)


def test_emergency_only_provider_discloses_only_what_the_emergency_concerns(game):
    """A provider whose policy answers only in an emergency (2AP Art 9(3) by analogy)
    discloses the data the threat concerns, not the rest of the case."""
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d,
           voluntary: emergency}
        """
    )
    g = game(sc)
    g.do("facilitator", "emergency.declare", emergency=True, items=["sub"])
    sub = g.submit("AA/investigator", "voluntary_request", "host", ["sub"])
    logs = g.submit("AA/investigator", "voluntary_request", "host", ["logs"])
    g.settle()
    assert g.req(sub).status == "fulfilled"
    assert (g.req(logs).status, g.req(logs).ground) == ("refused", "declined")


def test_jump_preview_names_the_phase_the_jump_begins(game):
    g = game(scenario(phases=PHASES, injects=INJECTS))
    preview = g.do("facilitator", "clock.preview", seconds=3 * HOUR)
    assert preview["begin"] == ["The race"] and "begin the phase: The race" in preview["text"]
    assert g.st.phase == "start"  # a dry run

"""Which decisions an actor may take on a request where it stands (tte.core.rules.decisions):
request.respond validates with it, and every request snapshot carries its holder's
decisions, so clients show them. Read as a list of legal facts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tte.core.events import CommandError
from tte.core.rules.decisions import decisions, holder_decisions, labels, words

from .kit import DAY, Game

MakeGame = Callable[..., Game]


def _preservation(g: Game) -> str:
    """AA/investigator -> AA/poc -> BB/poc -> host, on the 24/7 network."""
    return g.submit("AA/investigator", "preservation", "host", ["logs"])


def test_a_request_on_its_way_waits_for_no_one(game: MakeGame) -> None:
    g = game()
    rid = _preservation(g)
    r = g.req(rid)
    assert r.in_transit
    for actor in ("AA/investigator", "AA/poc", "facilitator"):
        assert decisions(r, actor) == []
    assert g.last[-1].data["request"]["decisions"] == []


# (stop the request waits at, actor, decisions)
FACTS = [
    ("AA/poc", "AA/poc", ["forward", "return", "refuse"]),
    ("AA/poc", "AA/investigator", []),  # the sender does not decide on its own request
    ("AA/poc", "BB/poc", []),  # nor does a seat further down the route
    ("AA/poc", "facilitator", ["forward", "return", "refuse"]),  # in place of the seat
    ("BB/poc", "BB/poc", ["forward", "return", "refuse"]),
    ("host", "facilitator", ["fulfil", "return", "refuse"]),  # in place of the provider
    ("host", "BB/poc", []),
]


@pytest.mark.parametrize("stop,actor,expected", FACTS, ids=[f"{a}@{s}" for s, a, _ in FACTS])
def test_who_may_decide_what_where_a_preservation_request_waits(
    game: MakeGame, stop: str, actor: str, expected: list[str]
) -> None:
    g = game(humans=("AA/poc", "BB/poc"))  # people hold the seats: no desk decides first
    rid = _preservation(g)
    g.reach(rid, "AA/poc")
    if stop != "AA/poc":
        g.do("AA/poc", "request.forward", id=rid)
        g.reach(rid, "BB/poc")
    if stop == "host":
        g.do("BB/poc", "request.forward", id=rid)
        g.reach(rid, "host", limit=g.now + 3600)
    assert decisions(g.req(rid), actor) == expected


def test_at_the_last_seat_a_request_is_answered_not_forwarded(game: MakeGame) -> None:
    g = game(humans=("BB/poc", "AA/poc"))
    rid = g.submit("AA/investigator", "spontaneous_info", "BB/poc")
    g.reach(rid, "AA/poc")
    g.do("AA/poc", "request.forward", id=rid)
    g.reach(rid, "BB/poc")
    assert decisions(g.req(rid), "BB/poc") == ["answer", "return", "refuse"]
    with pytest.raises(CommandError, match="last stop: answer it") as e:
        g.do("BB/poc", "request.forward", id=rid)
    assert e.value.field == "decision"
    g.do("BB/poc", "request.answer", id=rid)
    assert decisions(g.req(rid), "BB/poc") == []  # fulfilled: closed


def test_a_returned_request_waits_for_its_sender_to_amend_not_for_a_decision(
    game: MakeGame,
) -> None:
    g = game(humans=("AA/poc",))
    rid = _preservation(g)
    g.reach(rid, "AA/poc")
    g.do("AA/poc", "request.return", id=rid, missing=["offence"])
    assert g.req(rid).status == "returned"
    assert holder_decisions(g.req(rid)) == []
    with pytest.raises(CommandError) as e:
        g.do("AA/poc", "request.refuse", id=rid, ground="other")
    assert e.value.code == "bad_state"


def test_each_request_event_carries_the_decisions_of_whoever_holds_it(game: MakeGame) -> None:
    g = game(humans=("AA/poc",))
    rid = _preservation(g)
    g.reach(rid, "AA/poc")
    arrived = g.of("request_arrived", id=rid)[-1]
    assert arrived.data["request"]["at"] == "AA/poc"
    assert arrived.data["request"]["decisions"] == ["forward", "return", "refuse"]
    g.do("AA/poc", "request.forward", id=rid)
    assert g.last[-1].data["request"]["decisions"] == []  # on its way again
    g.settle(g.now + 3 * DAY)  # desks and the provider take it from here
    for ev in g.of("request_arrived", id=rid):
        assert ev.data["request"]["decisions"], ev.data["request"]["at"]
    assert g.req(rid).status == "fulfilled"
    assert g.events[-1].data.get("request", {}).get("decisions", []) == []


def test_a_seat_may_not_take_a_decision_its_stop_does_not_allow(game: MakeGame) -> None:
    g = game(humans=("AA/poc",))
    rid = _preservation(g)
    g.reach(rid, "AA/poc")
    cases = [
        ("AA/poc", "answer", "bad_args", "further to go"),
        ("AA/poc", "fulfil", "bad_args", "Unknown decision"),
        ("AA/poc", "approve_all", "bad_args", "Unknown decision"),
        ("BB/poc", "forward", "not_yours", "not waiting for you"),
        ("AA/investigator", "forward", "not_yours", "not waiting for you"),
    ]
    for actor, decision, code, why in cases:
        with pytest.raises(CommandError, match=why) as e:
            g.do(actor, "request.respond", id=rid, decision=decision)
        assert e.value.code == code, (actor, decision)


def test_a_prosecutor_approves_and_signs_where_a_poc_forwards() -> None:
    assert labels("prosecutor", "mla_stored_data")["forward"] == "Approve & sign"
    assert labels("central_authority", "mla_stored_data")["forward"] == "Transmit"
    assert labels("poc", "preservation")["forward"] == "Forward"
    assert labels("prosecutor", "jit_agreement")["answer"] == "Agree JIT"
    assert labels("poc", "spontaneous_info")["answer"] == "Answer"


def test_a_snapshot_names_the_mandatory_elements_left_empty(game: MakeGame) -> None:
    g = game(humans=("AA/poc",))
    rid = g.submit("AA/investigator", "preservation", "host", ["logs"], offence=None)
    assert g.last[-1].data["request"]["unfilled"] == ["offence"]
    full = g.submit("AA/investigator", "preservation", "host", ["logs"])
    assert g.last[-1].data["request"]["unfilled"] == []
    assert rid != full


def _words_along(g: Game, rid: str, seats: list[str]) -> list[str]:
    """The forward button's words at each seat of the route, forwarding as a person."""
    out = []
    for seat in seats:
        g.reach(rid, seat)
        snap = [e for e in g.events if e.data.get("request", {}).get("id") == rid][-1]
        assert snap.data["request"]["words"] == words(g.req(rid))  # what clients show
        out.append(words(g.req(rid)).get("forward", ""))
        g.do(seat, "request.forward", id=rid)
    return out


def test_a_requesting_24_7_point_sends_abroad_and_the_requested_one_to_the_provider(
    game: MakeGame,
) -> None:
    g = game(humans=("AA/poc", "BB/poc"))
    rid = _preservation(g)
    assert _words_along(g, rid, ["AA/poc", "BB/poc"]) == ["Send to BB", "Send to the provider"]


def test_mla_is_signed_transmitted_abroad_and_sent_for_execution_by_the_requested_ca(
    game: MakeGame,
) -> None:
    """BC Art 31 with Art 27(2): the requesting central authority transmits the request
    to the requested one, which sends it for execution; a seat never reads "Transmit"
    where the requested Party executes."""
    seats = ["AA/prosecutor", "AA/central_authority", "BB/central_authority"]
    g = game(humans=tuple(seats))
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["sub"])
    assert _words_along(g, rid, seats) == [
        "Approve & sign",
        "Transmit to BB",
        "Send for execution",
    ]

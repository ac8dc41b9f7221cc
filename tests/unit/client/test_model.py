"""The client model folds what a seat receives: driven by the real engine, no server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sample_requests import PRESERVATION

from tte import protocol as p
from tte.client.model import ClientModel, format_span
from tte.client.net import ConnState, LinkStatus
from tte.core.engine import Engine
from tte.core.events import Event
from tte.core.scenario import load


class Game:
    """An engine and one model per seat, fed exactly what the server would send them."""

    def __init__(self, tutorial: Path, *seats: str) -> None:
        self.engine = Engine(load(tutorial))
        self.now = 0.0
        self.models: dict[str, ClientModel] = {}
        first = self.engine.start()
        for seat in seats:
            self.engine.set_presence(seat, True, 0.0)
        for seat in seats:
            m = ClientModel()
            m.apply(
                p.Welcome(
                    seat=p.seat_of(seat),
                    seq=0,
                    clock=p.ClockState(game_time="", elapsed=0.0, speed=600.0, paused=True),
                    exercise=self.engine.welcome_info(seat),
                )
            )
            self.models[seat] = m
        self.feed(first)

    def feed(self, events: list[Event]) -> None:
        for seat, m in self.models.items():
            for ev in events:
                if ev.visible_to(seat):
                    m.apply(
                        p.EventMsg(
                            seq=ev.seq, kind=ev.kind, game_time="", elapsed=ev.t, data=ev.data
                        )
                    )

    def do(self, seat: str, op: str, args: dict[str, Any]) -> dict[str, Any]:
        events, data = self.engine.handle(seat, op, args, self.now)
        self.feed(events)
        return data

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.feed(self.engine.advance_to(self.now))


@pytest.fixture
def game(tutorial: Path) -> Game:
    return Game(tutorial, "RO/investigator", "RO/poc", "NL/poc", "NL/central_authority")


def test_welcome_gives_directory_templates_and_seat_time(game: Game) -> None:
    m = game.models["RO/investigator"]
    assert m.seat == "RO/investigator" and m.role_label == "Investigator"
    assert {"RO", "NL"} <= set(m.countries)
    assert m.countries["NL"].poc_name.startswith("National High Tech")
    sendable = {t.id for t in m.sendable_templates()}
    assert "preservation" in sendable and "jit_agreement" not in sendable
    # Non-sendable templates are still known for labels (a CA returning an MLA request).
    assert m.field_label("mla_stored_data", "time_zone") == "Date, time and time zone"
    assert m.seat_datetime(0).strftime("%H:%M %Z") == "08:00 EET"
    assert m.recipients(m.templates["preservation"]) == [("polderhost", "Polderhost B.V. (NL)")]


def test_inject_goes_to_inbox_unread_and_first_backlog_is_quiet(game: Game) -> None:
    m = game.models["RO/investigator"]
    assert m.unread() == 1
    item = m.inbox_newest_first()[0]
    assert item.kind == "inject" and item.attachments[0].name == "firewall-excerpt.log"
    m.mark_read(item.key)
    assert m.unread() == 0
    # NL seats get no RO inject.
    assert game.models["NL/poc"].inbox == []


def test_preservation_travels_and_each_seat_sees_its_part(game: Game) -> None:
    rid = game.do("RO/investigator", "request.submit", PRESERVATION)["id"]
    inv, ro, nl = (game.models[s] for s in ("RO/investigator", "RO/poc", "NL/poc"))
    assert inv.requests[rid].status == "draft" and inv.requests[rid].in_transit
    assert nl.requests == {}
    game.advance(3600)  # domestic hop: 30 min
    assert ro.waiting() and ro.waiting()[0].id == rid
    assert any(i.kind == "request" and i.request_id == rid for i in ro.inbox)
    game.do("RO/poc", "request.forward", {"id": rid})
    game.advance(86400)  # the 24/7 hop takes about 12 h
    assert [r.id for r in nl.waiting() if r.template == "preservation"] == [rid]
    r = nl.requests[rid]
    assert not r.last_stop and r.route[r.stop + 1]["ref"] == "polderhost"
    game.do("NL/poc", "request.forward", {"id": rid})
    game.advance(3 * 86400)
    assert inv.requests[rid].status == "fulfilled"
    assert any(i.kind == "answer" for i in inv.inbox)
    logs = inv.evidence["c2_logs"]
    assert logs.preserved_until is not None and logs.holder == "polderhost"
    kinds = [h.kind for h in inv.requests[rid].history]
    assert kinds[0] == "request_submitted" and kinds[-1] == "request_fulfilled"


def test_return_and_refuse_are_recorded(game: Game) -> None:
    args = {**PRESERVATION, "fields": {"requesting_authority": "DIICOT"}}
    rid = game.do("RO/investigator", "request.submit", args)["id"]
    game.advance(3600)
    game.do("RO/poc", "request.return", {"id": rid, "missing": ["offence"], "message": "more"})
    inv = game.models["RO/investigator"]
    r = inv.requests[rid]
    assert r.status == "returned" and r.missing == ["offence"]
    assert inv.returned_to_me() == [r]
    assert "Missing: Offence and brief facts" in inv.inbox_newest_first()[0].text


def test_deadlines_are_announced_once(game: Game) -> None:
    m = game.models["RO/investigator"]
    assert m.evidence["c2_logs"].source == "briefing"
    assert m.due_soon(0.0) == []
    soon = m.due_soon(3.5 * 86400)
    assert [n.title for n in soon] == ["Data will be deleted"]
    assert "12h" in soon[0].message
    assert m.due_soon(3.6 * 86400) == []


def test_clock_and_status() -> None:
    m = ClientModel()
    m.apply(p.ClockMsg(game_time="", elapsed=100.0, speed=60.0, paused=False), wall=10.0)
    assert m.now(12.0) == 220.0
    m.apply(p.ClockMsg(game_time="", elapsed=300.0, speed=60.0, paused=True), wall=20.0)
    assert m.now(99.0) == 300.0
    m.apply(LinkStatus(ConnState.RECONNECTING, "dropped", 1, 0.5))
    assert m.status and m.status.state is ConnState.RECONNECTING
    assert format_span(90061) == "1d 1h" and format_span(3700) == "1h 01m"


def test_a_request_is_closed_when_core_says_it_was_answered() -> None:
    from tte.client.model import RequestView

    assert not RequestView({"id": "R1", "status": "sent", "answered_at": None}).closed
    for status in ("fulfilled", "refused", "expired", "withdrawn"):
        assert RequestView({"id": "R1", "status": status, "answered_at": 5.0}).closed


def test_player_app_does_not_load_the_scenario_loader() -> None:
    """Every SSH session is a player process: YAML and the scenario loader would cost each
    one ~1.6 MiB for nothing (the client only folds what the server sends)."""
    import subprocess
    import sys

    code = (
        "import sys, tte.client.player.app\n"
        "print(sorted({'yaml', 'tte.core.scenario', 'tte.core.state'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_directory_shows_what_core_says_is_in_force_with_us(game: Game) -> None:
    """The tutorial's pair are EU member states and Budapest Parties in March 2026: the
    directory lists what core decided, the client works out nothing."""
    m = game.models["RO/investigator"]
    assert m.countries["NL"].with_us == ["Budapest", "EIO", "JIT: EU rules"]
    assert m.countries["RO"].with_us == []


def test_spontaneous_information_arrives_as_an_inbox_item_with_its_conditions(
    game: Game,
) -> None:
    info = {
        "template": "spontaneous_info",
        "to": "NL/poc",
        "channel": "network_24_7",
        "fields": {"facts": "A second victim [b]in NL[/b]", "conditions": "Not as evidence"},
    }
    game.do("RO/poc", "request.submit", info)
    game.advance(3 * 86400)
    m = game.models["NL/poc"]
    item = next(i for i in m.inbox if i.kind == "info")
    assert item.title == "Spontaneous information from Romania"
    assert "A second victim [b]in NL[/b]" in item.text  # as typed: drawn inert, never markup
    assert "Conditions on use (BC Art 26(2)): Not as evidence" in item.text


def test_an_exam_switch_reaches_the_model(game: Game) -> None:
    game.do("facilitator", "mode.set", {"mode": "exam"})
    assert game.models["RO/investigator"].mode == "exam"


def test_an_emergency_for_some_items_names_them_in_the_seats_inbox(game: Game) -> None:
    game.do(
        "facilitator",
        "emergency.declare",
        {"emergency": True, "reason": "Hospital hit", "items": ["c2_subscriber"]},
    )
    m = game.models["NL/poc"]
    assert m.emergency and m.emergency_items == ["Subscriber of the server 203.0.113.47"]
    note = m.inbox_newest_first()[0]
    assert note.text == "Hospital hit\nIt concerns: Subscriber of the server 203.0.113.47"


def test_knowledge_check_questions_by_role_and_the_key_after(game: Game) -> None:
    game.do("facilitator", "knowledge.open", {"stage": "after"})
    ca, inv = game.models["NL/central_authority"], game.models["RO/investigator"]
    assert ca.knowledge.open == "after" and "wrong_instrument" in [
        q.id for q in ca.knowledge.questions
    ]
    assert "wrong_instrument" not in [q.id for q in inv.knowledge.questions]
    assert all(q.answer == "" for q in inv.knowledge.questions)  # no key while it is open
    game.do("facilitator", "knowledge.open", {"stage": "after", "open": False})
    assert inv.knowledge.keyed and inv.knowledge.open is None
    first = inv.knowledge.questions[0]
    assert first.answer.startswith("A preservation request") and "BC Art 29" in first.explanation


def test_a_planned_jumps_reason_reads_in_the_readers_language(game: Game) -> None:
    """The running order's jump reason is the scenario's text: a French reader reads its
    French; words the facilitator types are shown as typed."""
    from tte.i18n import use

    planned = game.engine.scenario.phases[2].jumps[0].reason
    m = game.models["RO/investigator"]
    # The French of the texts this seat is shown, as the server sends it with them.
    m.exercise.setdefault("translations", game.engine.scenario.translations)
    game.now += 1
    use("fr")
    try:
        for reason in (planned, "Pause café"):
            game.do("facilitator", "clock.advance", {"seconds": 3600, "reason": reason})
        said = [i.text for i in m.inbox if i.kind == "facilitator"]
    finally:
        use("en")
    assert said == [
        "Deux semaines plus tard : la décision d'enquête européenne est en cours d'exécution "
        "aux Pays-Bas",
        "Pause café",
    ]


def test_the_words_a_desk_writes_into_a_request_read_in_the_readers_language(
    game: Game,
) -> None:
    """A desk fills a field it has nothing particular for with "<label>: as per case
    file" (tte.core.policies): a French reader reads it in French, an English one as it
    was written, and a player's own words stay as typed."""
    from tte.i18n import use

    m = game.models["RO/investigator"]
    desk = "Conditions on use / confidentiality: as per case file"
    assert m.value(desk, "spontaneous_info", "conditions") == desk
    use("fr")
    try:
        shown = m.value(desk, "spontaneous_info", "conditions")
        typed = m.value("Conditions on use: as per case file", "spontaneous_info", "conditions")
        zone = m.value("Dates and times as given, time zone UTC+01:00 (CET), source ports included")
        yes = m.value(True)
    finally:
        use("en")
    assert shown == "Conditions d'utilisation / confidentialité : selon le dossier"
    assert typed == "Conditions on use: as per case file"  # not the desk's words
    assert zone.startswith("Dates et heures telles qu'indiquées")
    assert yes == "oui"

"""The engine's notes and near misses travel as keys and parameters and read in French
where they are drawn: a near miss in the seat's case history (the player's model), a note
in the console's Log; the English sentence the event stores is unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tte import protocol as p
from tte.client.console.view import describe
from tte.client.model import ClientModel, Notice
from tte.i18n import use

from .kit import DAY, scenario
from .test_precision import SESSION, _ask, _game


@pytest.fixture
def french() -> Iterator[None]:
    use("fr")
    try:
        yield
    finally:
        use("en")


def _model(g, seat: str, toasts: list[Notice] | None = None) -> ClientModel:  # type: ignore[no-untyped-def]
    """The seat's model fed exactly what the server would send it (its toasts kept)."""
    from tte.core.languages import TextIndex

    m = ClientModel()
    texts = TextIndex(g.sc.translations)  # the other languages, as the server sends them
    info = texts.attach(g.eng.welcome_info(seat))
    clock = p.ClockState(game_time="", elapsed=0.0, speed=1.0, paused=True)
    m.apply(p.Welcome(seat=p.seat_of(seat), seq=0, clock=clock, exercise=info))
    for ev in g.events:
        if ev.visible_to(seat):
            msg = p.event_msg(ev, g.sc, texts)
            said = m.apply(msg)
            if toasts is not None:
                toasts += said
    return m


def test_a_near_miss_reads_in_french_in_the_seats_case_history(game, french: None) -> None:
    g = _game(game)
    # Local time given as UTC: the holder finds another customer three hours off.
    r = _ask(g, **SESSION, moment="2019-05-07T00:14:09+00:00", port=41872)
    said = g.one("request_fulfilled", id=r.id).data
    assert said["message"] == (
        "Host BV produced 1 item(s). Subscriber behind 198.51.100.23: the time given is hours "
        "off the holder's logs (a wrong UTC offset); another record returned."
    )
    assert said["message_key"] == "{first} {then}"
    toasts: list[Notice] = []
    m = _model(g, "AA/investigator", toasts)
    view = m.requests[r.id]
    assert view.message == (
        "Host BV a produit 1 élément(s). Subscriber behind 198.51.100.23 : l'heure donnée est "
        "décalée de plusieurs heures par rapport aux journaux du détenteur (un mauvais "
        "décalage UTC) ; un autre enregistrement a été renvoyé."
    )
    assert view.history[-1].message == view.message
    assert view.message in [t.message for t in toasts]  # the toast, and the inbox answer
    assert [i for i in m.inbox if i.request_id == r.id and view.message in i.text]


def test_engine_notes_read_in_french_in_the_console_log(game, french: None) -> None:
    g = game(scenario(limits="{mla_stored_data: 10d}"))
    rid = g.submit("AA/prosecutor", "mla_stored_data", "host", ["sub"])
    g.settle()
    note = g.one("note", id=rid)
    assert (
        note.data["text"] == "Time limit of BC Art 31 (+25, 27, 28) passed"
    )  # old clients and logs
    assert describe("note", note.data) == "Délai de BC Art 31 (+25, 27, 28) dépassé"
    # A log written before notes had keys shows its sentence as it was.
    assert describe("note", {"id": rid, "text": "Time limit passed"}) == "Time limit passed"
    assert g.req(rid).received_at + 10 * DAY == note.t


def test_a_silent_provider_is_a_french_note_and_its_english_is_unchanged(
    game, french: None
) -> None:
    sc = scenario(
        organisations="""
        - {id: host, name: Host BV, country: BB, kind: hosting, accepts_art7: false}
        """
    )
    g = game(sc)
    g.submit("AA/prosecutor", "subscriber_order", "host", ["sub"])
    g.settle()
    note = g.one("note").data
    assert note["text"] == "Host BV does not answer"
    assert describe("note", note) == "Host BV ne répond pas"


def test_a_hint_card_is_titled_in_french_in_the_inbox_and_the_console_log(french: None) -> None:
    from pathlib import Path

    from tte.core.scenario import load

    from .kit import Game

    g = Game(load(Path(__file__).resolve().parents[3] / "scenarios" / "tutorial.yaml"))
    hint = g.sc.hints[0]
    g.do("facilitator", "hint.release", id=hint.id)
    ev = g.one("inject", hint=hint.id)
    assert ev.data["title"] == f"Hint: {hint.title}"  # as old clients and logs read it
    french_title = g.sc.translations["fr"][hint.title]
    seat = ev.data["to"][0]
    inbox = _model(g, seat).inbox
    assert f"Indice : {french_title}" in [i.title for i in inbox]
    assert describe("inject", ev.data).startswith(f"Indice : {french_title} → ")


def test_a_clock_jump_preview_reads_in_french_in_the_console(game, french: None) -> None:
    from tte.client.console.app import preview_text
    from tte.client.console.view import ConsoleView

    from .test_jump_preview import INJECTS

    g = game(scenario(injects=INJECTS))
    data = g.do("facilitator", "clock.preview", seconds=5 * DAY)
    assert data["text"] == (
        "Advancing by 5d would delete: Connection logs of 192.0.2.7 (retention); "
        "fire: Nudge, Logs gone."
    )
    view = ConsoleView(g.sc)
    assert preview_text(view, data, 5 * DAY).splitlines() == [
        "Avancer de 5j :",
        "Supprimer : Connection logs of 192.0.2.7 (durée de conservation écoulée)",
        "Publier les injections : Nudge; Logs gone",
    ]
    use("en")
    assert preview_text(view, {"text": "Advancing by 1h deletes"}, 3600) == (
        "Advancing by 1h deletes"  # an older server's sentence, as it wrote it
    )


def test_a_duration_a_trainer_mistyped_is_explained_in_french(french: None) -> None:
    from tte.core.duration import parse_duration
    from tte.i18n import Msg, current

    with pytest.raises(ValueError) as e:
        parse_duration("3 jours")
    said = e.value.args[0]
    assert str(e.value).startswith("cannot read duration '3 jours': use a number")
    assert isinstance(said, Msg)
    assert current().render(said.key, said.params).startswith("durée illisible '3 jours' :")

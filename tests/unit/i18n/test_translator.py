"""Messages as data and per-reader translation (tte.i18n)."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from tte.i18n import Msg, fields, negotiate, said, translator
from tte.i18n.pseudo import pseudo
from tte.i18n.translator import Translator, current, use


def test_a_said_sentence_is_the_english_sentence_and_carries_its_key() -> None:
    m = said("{name}: the data no longer exists.", name="Hostico")
    assert m == "Hostico: the data no longer exists."
    assert isinstance(m, Msg) and m.key == "{name}: the data no longer exists."
    assert fields(m) == {
        "message": "Hostico: the data no longer exists.",
        "message_key": "{name}: the data no longer exists.",
        "message_params": {"name": "Hostico"},
    }


def test_a_plain_sentence_travels_as_before_with_no_key() -> None:
    assert fields("Urgent: logs rotate on Friday") == {"message": "Urgent: logs rotate on Friday"}


def test_two_readers_of_one_event_read_it_each_in_their_language() -> None:
    m = said("{name}: the data no longer exists.", name="Hostico")
    data = fields(m)
    assert translator("en").message(data) == "Hostico: the data no longer exists."
    assert translator("fr").message(data) == "Hostico : les données n'existent plus."


def test_an_old_log_without_keys_shows_its_stored_sentence() -> None:
    assert translator("fr").message({"message": "Returned for lack of detail"}) == (
        "Returned for lack of detail"
    )


def test_a_date_parameter_is_a_long_date_in_the_readers_language() -> None:
    m = said(
        "The e-Evidence Regulation applies only from {from_date}: use preservation and an EIO "
        "or MLA.",
        from_date=dt.date(2026, 8, 18),
    )
    assert "from 18 August 2026:" in m
    assert "à partir du 18 août 2026 :" in translator("fr").message(fields(m))


def test_a_sentence_inside_a_sentence_is_rendered_in_turn() -> None:
    ground = said("{ground_term} ({citation})", ground_term="Other ground", citation="BC Art 28")
    m = said("{name}: {ground}.", name="RO", ground=ground)
    assert m == "RO: Other ground (BC Art 28)."
    assert translator("fr").message(fields(m)) == "RO : Autre motif (BC Art 28)."


def test_a_translation_missing_a_field_falls_back_to_the_source_sentence() -> None:
    class Broken(Translator):
        def gettext(self, text: str) -> str:
            return "{nowhere}"

    assert Broken("de").render("{name} sent", {"name": "X"}) == "X sent"


def test_msgspec_writes_a_said_sentence_as_plain_text() -> None:
    from tte.i18n import plain

    enc = msgspec.msgpack.Encoder(enc_hook=plain)
    assert msgspec.msgpack.decode(enc.encode({"m": said("Nobody to coordinate with")})) == {
        "m": "Nobody to coordinate with"
    }


def test_numbers_and_dates_follow_the_locale() -> None:
    assert translator("fr").number(1234.5, 1) == "1\u202f234,5"
    assert translator("en").number(1234.5, 1) == "1,234.5"
    assert translator("fr").date("2026-12-02") == "2 décembre 2026"


def test_the_pseudo_locale_wraps_lengthens_and_keeps_fields_and_markup() -> None:
    out = pseudo("[b]{id}[/b] sent to {where}")
    assert out.startswith("⟦[b]{id}[/b]") and out.endswith("⟧")
    assert "{where}" in out
    assert len(out) >= len("[b]{id}[/b] sent to {where}") * 1.1
    assert translator("xx").render("{id} sent", {"id": "R-1"}).startswith("⟦R-1")


def test_a_language_is_chosen_from_what_the_program_has() -> None:
    assert negotiate("fr_FR.UTF-8") == "fr"
    assert negotiate("de_DE.UTF-8", "fr") == "fr"
    assert negotiate("C.UTF-8") == "en"
    assert negotiate(None, "") == "en"


def test_each_context_has_its_own_reader() -> None:
    import contextvars

    def read(lang: str) -> str:
        use(lang)
        return current().lang

    assert contextvars.copy_context().run(read, "fr") == "fr"
    assert contextvars.copy_context().run(read, "en") == "en"


def test_an_ssh_session_passes_only_a_known_language_to_its_app() -> None:
    from tte.ssh.gateway import child_env, session_lang

    assert session_lang({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert session_lang({"LANG": "de_DE.UTF-8"}) is None
    assert session_lang({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}) == "fr"
    assert session_lang({"LANG": "$(reboot)"}) is None
    assert child_env("xterm", None, None, "fr")["TTE_LANG"] == "fr"
    assert "TTE_LANG" not in child_env("xterm", None, None, None)


def test_a_refused_command_carries_its_sentence_as_data() -> None:
    """The refusal reads as before in English, and in French from its key."""
    import pytest

    from tte import protocol as p
    from tte.core.engine import Engine
    from tte.core.events import CommandError
    from tte.core.scenario import find, load

    eng = Engine(load(find("tutorial")))
    eng.start()
    sent = {
        "template": "preservation",
        "to": "polderhost",
        "channel": "network_24_7",
        "evidence": ["c2_logs"],
        "fields": {"offence": "Ransomware"},
    }
    eng.handle("RO/investigator", "request.submit", sent, 0.0)
    eng.advance_to(3600.0)  # it waits at Romania's 24/7 point
    with pytest.raises(CommandError) as refused:
        eng.handle("RO/prosecutor", "request.respond", {"id": "R1", "decision": "refuse"}, 3600.0)
    e = refused.value
    body = p.error_result("c1", e.code, e.message, e.field).error
    assert isinstance(body, p.ErrorBody)
    assert body.message == "Request R1 is not waiting for you"
    data = {
        "message": body.message,
        "message_key": body.message_key,
        "message_params": body.message_params,
    }
    assert translator("fr").message(data) == "La demande R1 ne vous attend pas"


def test_durations_are_written_in_the_readers_language_and_english_is_unchanged() -> None:
    from tte.core.duration import format_duration, format_span, parse_duration

    assert (format_duration(3 * 86400 + 4 * 3600), format_span(3700)) == ("3d 4h", "1h 01m")
    use("fr")
    try:
        assert format_duration(3 * 86400 + 4 * 3600) == "3j 4h"
        assert format_duration(-45 * 60) == "-45min"
        assert format_span(3700) == "1h 01min"
        assert parse_duration("3d") == 3 * 86400  # what a trainer types stays as written
    finally:
        use("en")


def test_the_cli_speaks_the_readers_language(capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from tte.cli import main

    tutorial = str(Path(__file__).parents[3] / "scenarios" / "tutorial.yaml")
    try:
        assert main(["validate", "--lang", "fr", tutorial]) == 0
        assert capsys.readouterr().out == f"{tutorial} : ok\n"
        assert main(["validate", "--lang", "en", tutorial]) == 0
        assert capsys.readouterr().out == f"{tutorial}: ok\n"
    finally:
        use("en")


def test_a_scenario_name_inside_an_engine_sentence_reads_in_the_readers_language() -> None:
    """The engine writes "{name} reserved the right not to apply Art 7…" with the country's
    name as the scenario gives it; a French reader gets the scenario's French name."""
    from tte.i18n import translator, use_scenario_texts

    use_scenario_texts({"fr": {"Georgia": "Géorgie"}})
    said = {
        "message": "Georgia reserved the right not to apply Art 7 (2AP Art 7(9)(a)).",
        "message_key": "{name} reserved the right not to apply Art 7 (2AP Art 7(9)(a)).",
        "message_params": {"name": "Georgia"},
    }
    assert translator("fr").message(said).startswith("Géorgie ")
    assert translator("en").message(said) == said["message"]
    ids = {**said, "message_params": {"name": "R7"}}  # not a scenario text: as it is
    assert translator("fr").message(ids).startswith("R7 ")

"""The scenario's own texts in the player app for a French reader, by keys at 80×24: the
seats' names in the Directory, evidence titles in the case file, the facts of a request the
scenario starts (inbox, Cases, and the lead in the case file), and the survey's questions
and choices, whose answer still reaches the server as the scenario's own text."""

from __future__ import annotations

from pathlib import Path

from player_support import Seats, until
from test_player_flows import waits_at
from test_player_keys import online, press_and_see, tab_to
from textual.widgets import DataTable, RadioSet, Static

from tte.client.player.app import PlayerApp
from tte.i18n import use

FACTS_EN = "A Rotterdam freight company was encrypted on Saturday by the same ransomware"
FACTS_FR = "Une entreprise de fret de Rotterdam a été chiffrée samedi par le même rançongiciel"


def text_of(app: PlayerApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def reaches(seats: Seats, seat: str) -> None:
    """Move game time on, an hour at a time, until R1 waits at `seat`."""
    for _ in range(24):
        if waits_at(seats, "R1", seat):
            return
        await seats.advance(3600)
    raise AssertionError(f"R1 never reached {seat}: {seats.request('R1')}")


async def test_a_french_reader_reads_the_scenarios_names_facts_leads_and_survey_in_french(
    seats: Seats, tmp_path: Path
) -> None:
    app = PlayerApp(seats.url, seats.code("RO/investigator"), config=tmp_path / "cfg", lang="fr")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.animation_level = "none"
            await until(pilot, lambda: online(app) and app.model.countries)
            # The Directory: each country's 24/7 point and central authority.
            await press_and_see(app, pilot, "f6", "directory-tab")
            table = app.screen.query_one("#countries", DataTable)
            await until(pilot, lambda: table.row_count == 2)
            ro, nl = ([str(c) for c in table.get_row(code)] for code in ("RO", "NL"))
            assert ro[4:] == [
                "Point de contact 24/7, DIICOT",
                "Ministère de la Justice (Direction du droit international)",
            ]
            assert nl[5] == "Centre d'entraide judiciaire internationale (IRC)"
            # Day 3: the Dutch police send spontaneous information the scenario wrote; both
            # 24/7 points (people) pass it on.
            await seats.advance(2 * 86400 + 18 * 3600)
            await reaches(seats, "NL/poc")
            await seats.do("NL/poc", "request.forward", {"id": "R1"})
            await reaches(seats, "RO/poc")
            await seats.do("RO/poc", "request.forward", {"id": "R1"})
            for _ in range(24):  # game hours until it reaches the investigator
                if app.model.leads:
                    break
                await seats.advance(3600)
            await until(pilot, lambda: app.model.leads)
            await press_and_see(app, pilot, "f5", "casefile-tab")
            await until(pilot, lambda: FACTS_FR in text_of(app, "#leads"))
            assert FACTS_EN not in text_of(app, "#leads")
            items = app.screen.query_one("#evidence-table", DataTable)
            titles = [str(items.get_row_at(i)[0]) for i in range(items.row_count)]
            assert titles == ["Abonné du serveur 203.0.1…", "Journaux de connexion du …"]
            await press_and_see(app, pilot, "f2", "inbox-tab")
            info = next(i for i in app.model.inbox if i.kind == "info")
            assert FACTS_FR in info.text and FACTS_EN not in info.text
            assert "Conditions d'utilisation / confidentialité : selon le dossier" in info.text
            assert "as per case file" not in info.text
            await press_and_see(app, pilot, "f4", "cases-tab")
            await until(pilot, lambda: "R1" in text_of(app, "#case-head"))
            body = text_of(app, "#case-body")
            assert FACTS_FR in body and "as per case file" not in body
            # The survey: the question and its choices in French, picked by keys.
            await seats.do("facilitator", "survey.open", {})
            await until(pilot, lambda: app.model.survey.open)
            await press_and_see(app, pilot, "f7", "survey-tab")
            await until(pilot, lambda: app.screen.query("#sq-1"))
            choices = app.screen.query_one("#sq-1", RadioSet)
            labels = [str(b.label) for b in choices.query("RadioButton")]
            assert labels == [
                "Réseau 24/7",
                "Entraide judiciaire",
                "Coopération policière",
                "Directement auprès du fournisseur",
            ]
            questions = [str(q.render()) for q in app.screen.query(".q-text")]
            assert questions[1] == (
                "2. Quel canal utiliseriez-vous d'abord pour des données volatiles à l'étranger ?"
            )
            await tab_to(pilot, app, "#sq-1")
            await pilot.press("down", "enter")  # the second choice: Entraide judiciaire
            await until(pilot, lambda: choices.pressed_index == 1)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.model.survey.sent is not None)
    finally:
        use("en")
    answers = [e for e in seats.server.log.read_all() if e.kind == "survey_answer"]
    assert answers[-1].data["answers"]["channel"] == "MLA"  # the scenario's own text

"""Evaluator ratings from the console, and the Figures tab against tte report's figures
after a short scripted run."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from console_kit import SIZE, Player, cell, ready, until
from sample_requests import PRESERVATION
from textual.widgets import Select, Static, TextArea

from tte.client.console import keyfigures
from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import RatingDialog
from tte.core.policies import fill_fields
from tte.core.scenario import Scenario
from tte.report.figures import compute
from tte.server.exercise import ExerciseServer

Join = Callable[[str], Awaitable[Player]]


async def test_rating_from_the_console_is_logged_with_its_hseep_label(
    console: ConsoleApp, server: ExerciseServer
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(console.screen, RatingDialog), "the form")
        form = console.screen
        form.query_one("#objective", Select).value = "preserve_logs"
        # the scenario's evaluation guide: what to look for before rating
        guide = form.query_one("#guide", Static)
        await until(pilot, lambda: "own 24/7 point of contact" in str(guide.render()), "guide")
        form.query_one("#rating", Select).value = 2
        form.query_one("#comment", TextArea).text = "Asked on day 3, one day from deletion"
        await pilot.press("ctrl+s")

        def logged() -> list[Any]:
            return [e for e in server.log.read_all() if e.kind == "rating"]

        await until(pilot, lambda: bool(logged()), "the rating in the event log")
        assert logged()[0].data == {
            "objective": "preserve_logs",
            "rating": 2,
            "label": "Performed with some challenges",
            "comment": "Asked on day 3, one day from deletion",
            "by": "facilitator",
        }
        row = console.view.objectives["preserve_logs"]
        await until(pilot, lambda: row.rating is not None, "the console's rating")
        await pilot.press("4")
        table = console.case_pane.objectives
        await until(pilot, lambda: "some challenges" in cell(table, "preserve_logs", 3))


async def test_figures_tab_matches_the_report(
    console: ConsoleApp, server: ExerciseServer, join: Join, scenario: Scenario
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        inv = await join("RO/investigator")  # every other seat is a desk: things move
        await until(pilot, lambda: inv.welcome is not None, "the investigator")
        # A good preservation, a careless one (returned) and an MLA on the wrong channel.
        assert (await inv.link.call("request.submit", PRESERVATION)).ok
        careless = dict(PRESERVATION, fields={"offence": "ransomware"})
        assert (await inv.link.call("request.submit", careless)).ok
        item = scenario.item("c2_logs")
        assert item is not None
        fields = fill_fields("mla_stored_data", [item])
        wrong = dict(PRESERVATION, template="mla_stored_data", channel="network_24_7")
        wrong["fields"] = fields
        assert (await inv.link.call("request.submit", wrong)).ok
        await console.command("survey.open", {"open": True})
        assert (await inv.link.call("survey.answer", {"answers": {"useful": 4}})).ok
        await console.command("rating.submit", {"objective": "preserve_logs", "rating": 3})
        await console.command("clock.advance", {"seconds": 6 * 86400, "reason": "later"})

        last = server.log.read_all()[-1].seq
        await until(pilot, lambda: console.view.last_seq == last, "every event")
        await pilot.press("6")
        pane = console.figures_pane
        await until(pilot, lambda: pane.figures is not None and pane.figures.seq == last, "shown")

        want = keyfigures.from_report(compute(scenario, server.log.read_all()))
        assert pane.figures == want
        # the investigator's three, and the Dutch desks' requests the tutorial starts
        log = server.log.read_all()
        incoming = sum(1 for e in log if e.kind == "request_submitted" and e.data.get("inject"))
        assert want.requests == 3 + incoming and want.mistakes["wrong_channel"] >= 1
        assert want.mistakes["returned"] + want.mistakes["refused"] >= 1
        assert want.survey_answers == 1 and want.ratings == 1
        text = str(pane.summary.render())
        assert f"{want.requests} sent, {want.answered} answered" in text
        ev = want.evidence
        assert ev is not None and f"{ev['preserved']} preserved, {ev['lost']} lost" in text
        for ch in want.channels:
            row = pane.table.get_row(ch.channel)
            assert (str(row[1]), str(row[2])) == (str(ch.count), str(ch.answered))

        # What a remote console without the scenario shows agrees where it can.
        subset = keyfigures.from_view(console.view)
        full = dataclasses.replace(want, evidence=None, score=None, full=False, notes=[])
        full.mistakes = {k: n for k, n in want.mistakes.items() if k != "wrong_channel"}
        assert dataclasses.replace(subset, notes=[]) == full

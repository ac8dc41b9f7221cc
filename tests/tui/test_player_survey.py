"""The hotwash survey end to end: the facilitator opens it, players answer in the player
app, the answers land in the server's event log and in `tte report`'s report.md."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from player_support import Seats, Toasts, click, type_text, until
from textual.widgets import Button, RadioButton, TextArea

from tte import cli
from tte.client.player.app import PlayerApp
from tte.client.player.composer import FieldError
from tte.client.player.survey import THANKS, SurveyPane, status_text

SIZE = (80, 24)


def player(seats: Seats, seat: str, tmp_path: Path) -> PlayerApp:
    return PlayerApp(seats.url, seats.code(seat), config=tmp_path / "cfg")


def online(app: PlayerApp) -> bool:
    return bool(app.model.status and app.model.status.online)


def box(app: PlayerApp) -> Any:
    pane = app.query_one(SurveyPane)
    assert pane.box is not None
    return pane.box


def error_at(app: PlayerApp, n: int) -> FieldError:
    return box(app).query_one(f"#err-sq-{n}", FieldError)


def status(app: PlayerApp) -> str:
    return str(app.query_one("#survey-status").render())


def radio(app: PlayerApp, question: int, choice: int) -> RadioButton:
    return list(box(app).query(f"#sq-{question} RadioButton").results(RadioButton))[choice]


async def test_survey_end_to_end(seats: Seats, tmp_path: Path) -> None:
    server = seats.server
    # Player 1 is online when the facilitator opens the survey (a live event).
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: online(app))
        assert not app.query_one("#tabs").get_tab("survey-tab").display  # type: ignore[attr-defined]
        await seats.do("facilitator", "survey.open", {})
        await until(pilot, lambda: toasts.has("Survey", "is open"))
        await pilot.press("f7")
        await until(pilot, lambda: app.query("#sq-2"))
        assert app.query_one("#tabs").active == "survey-tab"  # type: ignore[attr-defined]
        await click(pilot, radio(app, 0, 3))  # useful: 4
        await click(pilot, radio(app, 1, 0))  # channel: 24/7 network
        # An invalid answer: a pasted text beyond the server's limit is refused at once.
        area = app.query_one("#sq-2", TextArea)
        area.text = "x" * 20_001
        await pilot.press("ctrl+s")
        await until(pilot, lambda: error_at(app, 2).has_class("-shown"))
        assert "Answer with text" in str(error_at(app, 2).render())
        assert not [e for e in server.log.read_all() if e.kind == "survey_answer"]
        area.text = ""
        await click(pilot, "#sq-2")
        await type_text(pilot, "Faster MLA")
        await click(pilot, "#survey-send")
        await until(pilot, lambda: THANKS in status(app))
        assert not error_at(app, 2).has_class("-shown")
        first = {"useful": 4, "channel": "24/7 network", "comments": "Faster MLA"}
        assert app.model.survey.sent == first
        # Changing one's mind while the survey is open: the last answers count.
        await click(pilot, radio(app, 0, 4))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: (app.model.survey.sent or {}).get("useful") == 5)
        assert "Change answers" in str(app.query_one("#survey-send", Button).label)

    # Player 2 joins afterwards: the survey is learnt from the backlog, still announced.
    app = player(seats, "NL/poc", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: online(app) and toasts.has("Survey", "is open"))
        await pilot.press("f7")
        await until(pilot, lambda: app.query("#sq-2"))
        # A refusal from the server goes next to its question: this client believes in a
        # choice the server's survey does not have.
        app.model.survey.questions[1].choices.append("Carrier pigeon")
        app.refresh_views()
        await until(pilot, lambda: len(box(app).query("#sq-1 RadioButton")) == 5)
        await click(pilot, radio(app, 1, 4))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: error_at(app, 1).has_class("-shown"))
        assert "Pick one of the choices" in str(error_at(app, 1).render())
        await click(pilot, radio(app, 1, 1))  # MLA
        await click(pilot, radio(app, 0, 1))  # useful: 2
        await pilot.press("ctrl+s")
        await until(pilot, lambda: THANKS in status(app))
        assert "recorded with your role" in status(app)  # the tutorial survey is anonymous
        # The facilitator closes it: the screen says so and sends nothing more.
        await seats.do("facilitator", "survey.open", {"open": False})
        await until(pilot, lambda: "closed" in status(app))
        assert app.query_one("#survey-send", Button).disabled
        assert toasts.has("Survey", "closed")

    answers = [e for e in server.log.read_all() if e.kind == "survey_answer"]
    assert [e.data["answers"] for e in answers] == [
        first,
        {**first, "useful": 5},
        {"useful": 2, "channel": "MLA"},
    ]
    # Anonymous (the tutorial's default): the role, never the seat; staff-only events.
    assert [e.data.get("role") for e in answers] == ["investigator", "investigator", "poc"]
    assert all("seat" not in e.data and not e.visible for e in answers)
    assert answers[0].data["respondent"] == answers[1].data["respondent"]

    data_dir = server.data_dir
    assert await asyncio.to_thread(cli.main, ["report", str(data_dir)]) == 0
    md = (data_dir / "report" / "report.md").read_text()
    survey = md[md.index("Hot wash survey") :]
    assert "2 respondents (3 submissions; the last counts)" in survey
    assert "Faster MLA" in survey
    assert "mean 3.50/5" in survey  # 5 (the changed answer) and 2


def test_anonymity_is_said_only_when_the_server_says_it() -> None:
    from tte.client.model import Survey

    assert "Anonymous" not in status_text(Survey(open=True)).plain
    assert "with your role, not your seat" in status_text(Survey(open=True, anonymous=True)).plain
    assert "with your seat" in status_text(Survey(open=True, anonymous=False)).plain
    closed = status_text(Survey(open=False, sent={"useful": 3})).plain
    assert closed.startswith("The survey is closed") and "were recorded" in closed

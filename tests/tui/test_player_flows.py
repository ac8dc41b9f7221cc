"""More of the player app against a real server: amend & resend a returned request, a
deadline about to pass, agreeing a joint investigation team."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from player_support import PRESERVATION, TUTORIAL, Seats, Toasts, click, type_text, until
from textual.widgets import Input, Static, TextArea

from tte.client.player.actions import DecisionScreen
from tte.client.player.app import PlayerApp
from tte.client.player.tracker import TrackerPane
from tte.core.scenario import load
from tte.server.exercise import ExerciseServer

SIZE = (80, 24)


def player(seats: Seats, seat: str, tmp_path: Path) -> PlayerApp:
    return PlayerApp(seats.url, seats.code(seat), config=tmp_path / "cfg")


def online(app: PlayerApp) -> bool:
    return bool(app.model.status and app.model.status.online)


def label(app: PlayerApp, selector: str) -> str:
    return str(app.screen.query_one(selector).label)  # type: ignore[attr-defined]


def rendered(app: PlayerApp, selector: str) -> str:
    """What a Static shows; "" while its pane is not built yet."""
    found = app.query(selector)
    return str(found.first(Static).render()) if found else ""


def waits_at(seats: Seats, rid: str, seat: str) -> bool:
    r = seats.request(rid)
    return r is not None and r.at()["ref"] == seat and not r.in_transit


def incomplete_preservation() -> dict[str, Any]:
    fields = {k: v for k, v in PRESERVATION["fields"].items() if k != "necessity"}
    return {**PRESERVATION, "fields": fields}


async def test_amend_and_resend_a_returned_request(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and "c2_logs" in app.model.evidence)
        for s in ("RO/poc", "NL/poc"):
            await seats.link(s)  # humans there: no desk decides
        sent = await app.call("request.submit", incomplete_preservation())
        assert sent.ok, sent.error
        await seats.advance(3600)
        await until(pilot, lambda: waits_at(seats, "R1", "RO/poc"))
        await seats.do("RO/poc", "request.forward", {"id": "R1"})
        await seats.advance(86400)  # the 24/7 network takes about 12 hours
        await until(pilot, lambda: waits_at(seats, "R1", "NL/poc"))
        await seats.do(
            "NL/poc", "request.return", {"id": "R1", "missing": ["necessity"], "message": "Why?"}
        )
        await pilot.press("f4")
        await until(pilot, lambda: app.query_one("#act-amend").display)
        assert label(app, "#act-amend") == "Amend & resend"
        await click(pilot, "#act-amend")
        await until(pilot, lambda: app.query_one("#tabs").active == "compose-tab")  # type: ignore[attr-defined]
        form = app.query_one("#form-preservation")
        await until(pilot, lambda: label(app, "#form-preservation #send") == "Resend R1")
        # The returned request's fields are in the form; what was missing is marked.
        assert form.query_one("#field-offence", TextArea).text == PRESERVATION["fields"]["offence"]
        assert "Returned: complete this" in str(form.query_one("#err-necessity").render())
        await click(pilot, form.query_one("#field-necessity", Input))
        await type_text(pilot, "Deleted in four days")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: seats.request("R1").status != "returned")
        assert seats.request("R1").fields["necessity"] == "Deleted in four days"
        kinds = [e.kind for e in seats.server.log.read_all() if e.data.get("id") == "R1"]
        assert "request_amended" in kinds
        await until(pilot, lambda: app.model.requests["R1"].status != "returned")
        assert not app.query_one("#act-amend").display


@asynccontextmanager
async def serve(tmp_path: Path, yaml: str) -> AsyncIterator[Seats]:
    """A server running a variant of the tutorial."""
    scenario = tmp_path / "variant.yaml"
    scenario.write_text(yaml)
    srv = ExerciseServer(load(scenario), tmp_path / "data-variant")
    await srv.start("127.0.0.1", 0)
    s = Seats(srv)
    try:
        yield s
    finally:
        await s.close()
        await srv.stop()


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Seats]:
    """The tutorial with a legal time limit of two days on preservation requests."""
    async with serve(tmp_path, TUTORIAL.read_text() + "\nlimits:\n  preservation: 2d\n") as s:
        yield s


@pytest.fixture
async def prosecutors(tmp_path: Path) -> AsyncIterator[Seats]:
    """The tutorial with a person at the Dutch prosecutor's seat, and 30 game days: a JIT
    through Eurojust takes 17, past the tutorial's 12-day end."""
    text = TUTORIAL.read_text()
    humans = "humans: [poc, central_authority]"
    assert text.count(humans) == 1 and text.count("duration: 8d") == 1
    text = text.replace(humans, humans[:-1] + ", prosecutor]")
    async with serve(tmp_path, text.replace("duration: 8d", "duration: 30d")) as s:
        yield s


async def test_deadline_about_to_pass_is_announced(limited: Seats, tmp_path: Path) -> None:
    seats = limited
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: online(app))
        await seats.link("NL/poc")  # a human who does not answer: R1 stays open
        sent = await app.call("request.submit", PRESERVATION)
        assert sent.ok, sent.error
        await until(pilot, lambda: "R1" in app.model.requests)
        assert app.model.requests["R1"].deadline == pytest.approx(2 * 86400)
        assert not toasts.has("R1 time limit")
        await seats.advance(2 * 86400 - 6 * 3600)  # the clock stays paused
        await until(pilot, lambda: toasts.has("R1 time limit", "Legal deadline passes in 6h"))
        assert len([t for t, _ in toasts.seen if t == "R1 time limit"]) == 1


JIT: dict[str, Any] = {
    "template": "jit_agreement",
    "to": "NL/prosecutor",
    "channel": "eurojust",
    "fields": {
        "purpose": "Ransomware on a Romanian logistics company",
        "members": "DIICOT; Dutch Public Prosecution Service",
        "duration": "Six months",
        "location": "Bucharest and The Hague",
        "evidence_use": "In both countries' proceedings",
        "confidentiality": True,
    },
}


async def test_foreign_prosecutor_agrees_a_jit(prosecutors: Seats, tmp_path: Path) -> None:
    seats = prosecutors
    app = player(seats, "NL/prosecutor", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: online(app))
        await seats.do("RO/prosecutor", "request.submit", JIT)
        await seats.advance(17 * 86400)  # via Eurojust
        await until(pilot, lambda: app.model.waiting())
        await pilot.press("f4")
        # the JIT among the Dutch case's own requests the tutorial sends in this seat's name
        app.query_one(TrackerPane).select("R1")
        await pilot.pause()
        await until(pilot, lambda: app.query_one("#act-answer").display)
        assert label(app, "#act-answer") == "Agree JIT"
        assert app.query_one("#act-refuse").display  # or refuse on a legal ground
        await click(pilot, "#act-answer")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert label(app, "#decision-send") == "Agree JIT"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.model.jit_teams)
        assert seats.server.engine.state.jits == [("RO", "NL")]
        assert toasts.has("JIT agreed")
        await pilot.press("f5")  # the case file is built when first shown
        await until(pilot, lambda: "Joint investigation teams" in rendered(app, "#leads"))
        leads = rendered(app, "#leads")
        assert "RO Romania + " in leads
        assert "R1" in leads
        await pilot.press("f6")
        await until(pilot, lambda: "Joint investigation teams" in rendered(app, "#orgs"))
        row = app.query_one("#countries").get_row("RO")  # type: ignore[attr-defined]
        assert "· JIT" in str(row[0])


async def test_hidden_tabs_are_built_when_first_shown(seats: Seats, tmp_path: Path) -> None:
    """Only the Inbox is built at start: the other tabs (tables, a form of some sixty
    widgets, the survey's questions) when first shown, so a session does not carry tabs
    its player never opens (under the SSH gateway each session is a process of its own)."""
    from tte.client.player.composer import TemplateForm
    from tte.client.player.lazy import BuiltWhenShown
    from tte.client.player.tracker import TrackerPane

    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and app.model.survey.questions)
        await pilot.pause()
        panes = [w for w in app.query("*") if isinstance(w, BuiltWhenShown)]
        assert len(panes) == 6 and not any(p.built for p in panes)
        assert not app.query(TemplateForm) and not app.query("#cases")
        await pilot.press("f3")  # the default form opens with the tab
        first = app.model.sendable_templates()[0].id
        await until(pilot, lambda: app.query(f"#form-{first}"))
        await seats.do("RO/investigator", "request.submit", PRESERVATION)
        await until(pilot, lambda: "R1" in app.model.requests)
        await pilot.press("f4")  # the table shows what came before it was built
        await until(pilot, lambda: app.query_one(TrackerPane).built and app.query("#cases"))
        await until(pilot, lambda: app.query_one("#cases").row_count == 1)  # type: ignore[attr-defined]
        assert "R1" in str(app.query_one("#case-head", Static).render())
        assert [p.built for p in panes].count(False) == 4  # Case file, Directory, Survey, Briefing

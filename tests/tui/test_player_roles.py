"""Each role does its moves in the player app, against a real server."""

from __future__ import annotations

from pathlib import Path

from player_support import PRESERVATION, TUTORIAL, Seats, until
from textual.widgets import Button, Select, SelectionList, TextArea

from tte.client.player.actions import DecisionScreen
from tte.client.player.app import PlayerApp
from tte.client.player.composer import FieldError
from tte.client.player.header import SeatHeader

SIZE = (80, 24)


def player(seats: Seats, seat: str, tmp_path: Path) -> PlayerApp:
    return PlayerApp(seats.url, seats.code(seat), config=tmp_path / "cfg")


def online(app: PlayerApp) -> bool:
    return bool(app.model.status and app.model.status.online)


async def test_investigator_sends_a_preservation_request(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and "c2_logs" in app.model.evidence)
        assert (tmp_path / "cfg" / "last_server").read_text().strip() == seats.url
        await pilot.press("f3")
        form = await app.compose_template("preservation")
        assert form is not None
        await pilot.pause()
        form.query_one("#to", Select).value = "polderhost"
        await pilot.pause()
        for name, value in PRESERVATION["fields"].items():
            w = form.query_one(f"#field-{name}")
            if isinstance(w, TextArea):
                w.text = value
            else:
                w.value = value  # type: ignore[attr-defined]
        # Tab to the evidence list: Space ticks its first item at once (no Down first).
        evidence = form.query_one("#evidence", SelectionList)
        for _ in range(40):
            if evidence.has_focus:
                break
            await pilot.press("tab")
        assert evidence.has_focus
        await pilot.press("space")
        assert list(evidence.selected) == ["c2_logs"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: seats.request("R1") is not None)
        sent = seats.request("R1")
        assert sent.template == "preservation" and sent.evidence == ["c2_logs"]
        assert sent.fields["confidentiality"] is True
        # The tracker shows it, from the server's event.
        await until(pilot, lambda: "R1" in app.model.requests)
        assert app.query_one("#tabs").active == "cases-tab"  # type: ignore[attr-defined]


async def test_missing_elements_warn_before_sending(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        form = await app.compose_template("preservation")
        assert form is not None
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = form.query_one("#err-to", FieldError)
        assert err.has_class("-shown") and "'to' is required" in str(err.render())
        form.query_one("#to", Select).value = "polderhost"
        await pilot.press("ctrl+s")
        await pilot.pause()
        warn = form.query_one("#err-offence", FieldError)
        assert "Offence and brief facts is missing" in str(warn.render())
        assert seats.request("R1") is None  # first press only warns
        await pilot.press("ctrl+s")  # "Send anyway"
        await until(pilot, lambda: seats.request("R1") is not None)


async def test_poc_refusal_needs_a_ground_then_forwards(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/poc", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        await seats.do("RO/investigator", "request.submit", PRESERVATION)
        await seats.advance(3600)
        await until(pilot, lambda: app.model.waiting())
        assert any(i.request_id == "R1" for i in app.model.inbox)
        await pilot.press("f4")
        await until(pilot, lambda: app.query_one("#act-forward").display)
        # A refused command: no ground chosen -> the server's message next to the ground.
        await pilot.click("#act-refuse")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.click("#decision-send")
        err = app.screen.query_one("#err-ground", FieldError)
        await until(pilot, lambda: err.has_class("-shown"))
        assert "Choose a legal ground" in str(err.render())
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DecisionScreen))
        assert str(app.query_one("#act-forward", Button).label) == "Send to NL"
        await pilot.click("#act-forward")
        await until(pilot, lambda: seats.request("R1").stop == 2)
        assert seats.request("R1").route[2]["ref"] == "NL/poc"


async def test_prosecutor_approves_a_draft(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/prosecutor", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        mla = {
            "template": "mla_stored_data",
            "to": "polderhost",
            "channel": "mla",
            "evidence": ["c2_logs"],
            "fields": {"requesting_authority": "DIICOT", "offence": "Ransomware"},
        }
        await seats.do("RO/investigator", "request.submit", mla)
        await seats.advance(3600)
        await pilot.press("f4")
        await until(pilot, lambda: app.query_one("#act-forward").display)
        assert str(app.query_one("#act-forward").label) == "Approve & sign"  # type: ignore[attr-defined]
        await pilot.click("#act-forward")
        await until(pilot, lambda: seats.request("R1").stop == 2)
        assert seats.request("R1").route[2]["ref"] == "RO/central_authority"


async def test_foreign_central_authority_returns_an_incomplete_mla(
    seats: Seats, tmp_path: Path
) -> None:
    app = player(seats, "NL/central_authority", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        for s in ("RO/prosecutor", "RO/central_authority"):
            await seats.link(s)  # humans there: no desk checks the draft
        mla = {
            "template": "mla_stored_data",
            "to": "polderhost",
            "channel": "mla",
            "evidence": ["c2_logs"],
            "fields": {"requesting_authority": "DIICOT", "offence": "Ransomware"},
        }
        await seats.do("RO/investigator", "request.submit", mla)
        await seats.advance(3600)
        await seats.do("RO/prosecutor", "request.approve", {"id": "R1"})
        await seats.advance(3600)
        await seats.do("RO/central_authority", "request.transmit", {"id": "R1"})
        # the tutorial's MLA hop is 2 days; the Dutch prosecutor's own transmissions reach
        # this seat from day 3, so the MLA is the one request waiting here
        await seats.advance(2.5 * 86400)
        await pilot.press("f4")
        await until(pilot, lambda: app.query_one("#act-return").display)
        # The requested central authority executes: its button never says "Transmit".
        assert str(app.query_one("#act-forward", Button).label) == "Send for execution"
        await pilot.click("#act-return")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        missing = app.screen.query_one("#missing", SelectionList)
        assert "time_zone" in missing.selected and "requesting_authority" not in missing.selected
        await pilot.press("ctrl+s")
        await until(pilot, lambda: seats.request("R1").status == "returned")
        assert "time_zone" in seats.request("R1").missing
        await until(pilot, lambda: app.model.requests["R1"].status == "returned")


async def test_clock_and_reconnect_indicator(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        header = app.query_one(SeatHeader)
        await until(pilot, lambda: online(app) and "online" in header.text.plain)
        assert "Mon 02 Mar 2026 08:00 EET" in header.text.plain and "paused" in header.text.plain
        await seats.advance(86400 + 1800)
        await until(pilot, lambda: "Tue 03 Mar 2026 08:30 EET" in header.text.plain)
        await seats.do("facilitator", "clock.set_speed", {"speed": 1200})
        await seats.do("facilitator", "clock.resume", {})
        await until(pilot, lambda: "×1200" in header.text.plain)
        await seats.do("facilitator", "clock.pause", {})
        # Server down: the header says so; back up: online again, same port.
        server = seats.server
        port = server.port
        await seats.close()
        seats.links.clear()
        await server.stop()
        await until(pilot, lambda: "RECONNECTING" in header.text.plain)
        from tte.core.scenario import load
        from tte.server.exercise import ExerciseServer

        again = ExerciseServer(load(TUTORIAL), server.data_dir)
        await again.start("127.0.0.1", port)
        try:
            await until(pilot, lambda: "online" in header.text.plain)
        finally:
            await again.stop()

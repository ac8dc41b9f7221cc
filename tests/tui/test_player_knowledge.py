"""The knowledge check and hint cards in the player app at 80x24, by keys: the facilitator
opens the before-check, the investigator answers with arrows, Tab and Ctrl+S, the answers
reach the server's log; after the after-check closes the key and the explanation show."""

from __future__ import annotations

from pathlib import Path

from player_support import Seats, Toasts, until
from textual.widgets import RadioSet

from tte.client.player.app import PlayerApp
from tte.client.player.knowledge import KnowledgeScreen

SIZE = (80, 24)


async def test_knowledge_check_by_keys_and_its_key_after(seats: Seats, tmp_path: Path) -> None:
    server = seats.server
    app = PlayerApp(seats.url, seats.code("RO/investigator"), config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: bool(app.model.status and app.model.status.online))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: toasts.has("Knowledge check", "No knowledge check"))
        await seats.do("facilitator", "knowledge.open", {"stage": "before"})
        await until(pilot, lambda: toasts.has("Knowledge check", "Ctrl+T"))
        # The investigator's questions only: not the central authority's "wrong_instrument".
        ids = [q.id for q in app.model.knowledge.questions]
        assert ids == ["first_step", "instrument", "confidentiality", "police_lead"]
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        assert isinstance(app.focused, RadioSet) and app.focused.id == "kq-0"
        await pilot.press("enter")  # first_step: the first choice (preservation)
        await pilot.press("tab", "down", "enter")  # instrument: the second (MLA) - wrong
        await pilot.press("ctrl+s")
        await until(pilot, lambda: toasts.has("Knowledge check", "recorded"))
        logged = [e for e in server.log.read_all() if e.kind == "knowledge_answer"]
        assert len(logged) == 1 and logged[0].data["stage"] == "before"
        assert logged[0].data["answers"] == {
            "first_step": "A preservation request through the 24/7 network (BC Art 29)",
            "instrument": "A mutual legal assistance request (BC Art 31)",
        }
        await seats.do("facilitator", "knowledge.open", {"stage": "before", "open": False})
        await seats.do("facilitator", "knowledge.open", {"stage": "after"})
        await until(pilot, lambda: app.model.knowledge.open == "after")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        await pilot.press("tab", "enter", "ctrl+s")  # instrument: the EIO this time
        await until(pilot, lambda: "after" in app.model.knowledge.sent)
        await seats.do("facilitator", "knowledge.open", {"stage": "after", "open": False})
        await until(pilot, lambda: toasts.has("Knowledge check", "answers are out"))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        shown = " ".join(str(w.render()) for w in app.screen.query(".k-key"))
        assert "Right answer: A European Investigation Order" in shown
        assert "You chose: A European Investigation Order" in shown
        assert "Art 34" in shown  # the explanation
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, KnowledgeScreen))


async def test_hint_card_lands_in_the_inbox_with_a_toast(seats: Seats, tmp_path: Path) -> None:
    app = PlayerApp(seats.url, seats.code("RO/poc"), config=tmp_path / "cfg")
    async with app.run_test(size=SIZE) as pilot:
        toasts = Toasts(app)
        await until(pilot, lambda: bool(app.model.status and app.model.status.online))
        await seats.do("facilitator", "hint.release", {"id": "freeze_first"})
        await until(pilot, lambda: toasts.has("Hint from the facilitator", "will not wait"))
        assert any(i.title.startswith("Hint: ") for i in app.model.inbox)

"""Check boxes and radio buttons tell on from off by shape ([x] [ ] (•) ( )), so a
monochrome terminal or a colour-blind player sees the state."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from tte.client.marks import Choice, Tick, TickList


class Marks(App[None]):
    def compose(self) -> ComposeResult:
        yield Tick("Yes", id="tick")
        with RadioSet(id="radios"):
            yield Choice("24/7 network", value=True)
            yield Choice("MLA")
        yield TickList(("c2 logs", "c2", True), ("subscriber", "sub"), id="list")


async def test_on_and_off_differ_in_shape() -> None:
    app = Marks()
    async with app.run_test(size=(40, 12)) as pilot:
        tick = app.query_one(Tick)
        assert tick._button.plain == "[ ]"
        await pilot.click(tick)
        assert tick._button.plain == "[x]"
        on, off = app.query(Choice)
        assert on._button.plain == "(•)" and off._button.plain == "( )"
        tl = app.query_one(TickList)
        rows = ["".join(s.text for s in tl.render_line(y)) for y in range(2)]
        assert rows[0].startswith("[x] c2 logs") and rows[1].startswith("[ ] subscriber")

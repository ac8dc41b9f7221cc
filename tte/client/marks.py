"""Check boxes and radio buttons whose state shows in shape, not only in colour.

Textual draws every toggle as the same ``▐X▌`` and tells on from off by colour alone,
which a monochrome terminal, a projector or a colour-blind player cannot see. Here a
check box reads ``[x]``/``[ ]`` and a radio button ``(•)``/``( )``; the colours stay.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton


def _marked(widget: ToggleButton, left: str, on: str, right: str) -> Content:
    button_style = widget.get_visual_style("toggle--button")
    side_style = Style(foreground=button_style.background, background=widget.background_colors[1])
    return Content.assemble(
        (left, side_style),
        (on if widget.value else " ", button_style),
        (right, side_style),
    )


class Tick(Checkbox):
    """A check box: ``[x]`` or ``[ ]``."""

    @property
    def _button(self) -> Content:
        return _marked(self, "[", "x", "]")


class Choice(RadioButton):
    """A radio button: ``(•)`` or ``( )``."""

    @property
    def _button(self) -> Content:
        return _marked(self, "(", "•", ")")


class TickList(SelectionList[str]):
    """A selection list whose boxes read ``[x]``/``[ ]``. Focus lands on its first item,
    so Space ticks it at once (a plain SelectionList highlights nothing until Down)."""

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segs = list(strip)
        for i, seg in enumerate(segs[1:-1], start=1):
            meta = seg.style.meta if seg.style else {}
            if seg.text != ToggleButton.BUTTON_INNER or "option" not in meta:
                continue
            value = self.get_option_at_index(int(meta["option"])).value
            segs[i - 1] = Segment("[", segs[i - 1].style)
            segs[i] = Segment("x" if value in self.selected else " ", seg.style)
            segs[i + 1] = Segment("]", segs[i + 1].style)
            return Strip(segs, strip.cell_length)
        return strip

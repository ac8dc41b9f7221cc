"""The two themes: Textual's readable dark default and a high-contrast one."""

from __future__ import annotations

from textual.theme import Theme

READABLE = "textual-dark"
HIGH_CONTRAST = Theme(
    name="tte-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaa00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
)

"""Rendering text from other players inertly.

Free text (request fields, messages, inject text) comes from other people. It must never
reach the terminal as control characters or escape sequences, nor be parsed as Textual
markup: every untrusted string goes through :func:`inert` and is shown as a plain
``Text``/``Content``, never as markup.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, e.g. CSI 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(s: object, limit: int | None = None) -> str:
    """`s` as text with every control character made visible (ESC -> '␛')."""
    text = _CONTROL.sub(_picture, str(s))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    return chr(0x2400 + c) if c < 0x20 else ("␡" if c == 0x7F else "�")


def plain(s: object, style: str = "", limit: int | None = None) -> Text:
    """A rich Text holding `s` literally (no markup parsing)."""
    return Text(inert(s, limit), style=style)


def one_line(s: object, limit: int = 80) -> str:
    return inert(" ".join(str(s).split()), limit)


def columns(*labels: str) -> list[Text]:
    """DataTable headings as Text: a str heading is parsed as Rich markup, which also loads
    Rich's table of 3,600 emoji names (~0.5 MiB in every player process) for nothing."""
    return [Text(label) for label in labels]

"""Untrusted text made inert: the one function every screen, log and report writer uses.

Free text (request fields, messages, names in a hello, a scenario's strings) comes from
other people. Wherever it is drawn or written it must never act: no control character or
escape sequence reaches a terminal or a file (OSC 52 would set the clipboard, CSI would
move the cursor), no bidi override reorders what is shown (RLO makes ``exe.txt`` read
``txt.exe``). :func:`inert` shows each such character visibly instead of dropping it, so
a reader sees that something was there. Markup is a separate matter: callers draw the
result as plain text (``rich.text.Text``, ``markup=False``), never as markup.

It lives in core, the lowest layer, so the clients, the server's log and the report
writers share it (``tte.client.player.safe`` re-exports it for the widgets).
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x80-0x9f, e.g. CSI 0x9b), and
# the Unicode bidi controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, and newline and tab too: for one-line outputs (log lines, CSV cells, titles).
_CONTROL_LINE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _picture(m: re.Match[str]) -> str:
    """One visible character for one control character, so a string keeps its length
    (a rich ``Text`` keeps its styles when its plain text is made inert)."""
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # ␀ .. ␟ (ESC -> ␛, newline -> ␊)
    if c == 0x7F:
        return "␡"
    if c <= 0x9F:
        return "�"  # C1, e.g. a one-byte CSI (0x9b)
    if c in (0x2028, 0x2029):
        return "␤"  # line and paragraph separators
    return "⇆"  # a bidi control (LRM, RLM, ALM, LRE..RLO, LRI..PDI)


def inert(s: object, limit: int | None = None, *, one_line: bool = False) -> str:
    """`s` as text with every control character made visible, one character for one
    (ESC -> '␛', RLO -> '⇆'); tab and newline kept unless `one_line`. At most `limit`
    characters."""
    text = (_CONTROL_LINE if one_line else _CONTROL).sub(_picture, str(s))
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


def inert_line(s: object, limit: int | None = None) -> str:
    """One line for a log, a CSV cell or a title: newlines and tabs made visible too."""
    return inert(s, limit, one_line=True)

"""Game-time durations as trainers write them: ``90s``, ``45m``, ``4h``, ``3d``, ``2w``."""

from __future__ import annotations

import re

from tte.i18n import N_, _, said

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


def parse_duration(value: object) -> float:
    """Seconds from a number or a string such as ``"2d 4h"``; ValueError names the problem."""
    if isinstance(value, bool):
        raise ValueError(
            said("expected a duration like '4h' or '3d', got {value}", value=repr(value))
        )
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(said("a duration cannot be negative: {value}", value=repr(value)))
        return float(value)
    if not isinstance(value, str):
        raise ValueError(
            said("expected a duration like '4h' or '3d', got {value}", value=repr(value))
        )
    text = value.strip().lower().replace(" ", "")
    if not text:
        raise ValueError(said("empty duration"))
    pos = 0
    total = 0.0
    for m in _PART.finditer(text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos != len(text):
        raise ValueError(
            said(
                "cannot read duration {value}: use a number and a unit s, m, h, d or w "
                "(e.g. '36h')",
                value=repr(value),
            )
        )
    return total


# A number of each unit in the reader's language (English "3d", French "3j"); what a
# trainer types (parse_duration) stays s, m, h, d, w in every language.
# TRANSLATORS: short unit forms in tables and countdowns: keep them short.
UNIT_WORDS = {
    "d": N_("{n}d"),
    "h": N_("{n}h"),
    "m": N_("{n}m"),
    "s": N_("{n}s"),
}


def _unit(n: int | str, unit: str) -> str:
    return _(UNIT_WORDS[unit]).format(n=n)


def format_duration(seconds: float) -> str:
    """Short human form: ``3d 4h``, ``45m``, ``-2h`` (largest two units), in the reader's
    language."""
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            parts.append(_unit(s // size, unit))
            s %= size
        if len(parts) == 2:
            break
    return sign + (" ".join(parts) if parts else _unit(0, "m"))


def format_span(seconds: float) -> str:
    """A game-time span for people: '3d 4h', '5h 10m', '12m'."""
    s = int(max(0.0, seconds))
    d, rem = divmod(s, 86400)
    h, rem = divmod(rem, 3600)
    m = rem // 60
    if d:
        return f"{_unit(d, 'd')} {_unit(h, 'h')}"
    if h:
        return f"{_unit(h, 'h')} {_unit(f'{m:02d}', 'm')}"
    return _unit(m, "m")

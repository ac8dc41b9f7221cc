"""Small formatting and parsing helpers for game times, durations and speeds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from tte.core.duration import format_duration, parse_duration
from tte.core.text import inert_line
from tte.i18n import N_, _, current

__all__ = ["actor", "clip", "format_duration", "game_time", "parse_at", "parse_speed", "short_seat"]

# A seat in a narrow column: "NL/central_authority" reads "NL CA" (the roster tab and the
# detail line under the table give the full names).
ROLE_SHORT = {
    "investigator": "Inv",
    "poc": "24/7",
    "central_authority": "CA",
    "prosecutor": "Pros",
}


def game_time(start: datetime | None, t: float | None, *, long: bool = False) -> str:
    """Game seconds since the start as the exercise's local date and time."""
    if t is None:
        return "—"
    if start is None:
        return f"+{format_duration(t)}"
    when = start + timedelta(seconds=t)
    shown = current().datetime(when, "EEE dd MMM HH:mm")  # the reader's day and month names
    return shown + when.strftime(" %Z") if long else shown


def clip(text: object, width: int) -> str:
    """One line of at most `width` characters, made inert (it may be a player's text)."""
    return inert_line(" ".join(str(text).split()), width)


def read_duration(text: str) -> float:
    """Seconds from what a trainer typed (``2w``, ``3d 4h``); a ValueError in the reader's
    language names what cannot be read."""
    try:
        return parse_duration(text)
    except ValueError as e:
        said = _("cannot read the duration “{text}”: use a number and a unit s, m, h, d or w (36h)")
        raise ValueError(said.format(text=text)) from e


def parse_at(text: str, now: float, start: datetime | None) -> float:
    """An inject's new time, in game seconds since the start. Accepts ``+2h`` (from now),
    ``3d 4h`` (from the start) or ``2026-03-04 10:00`` (exercise local time)."""
    text = text.strip()
    if not text:
        raise ValueError(_("give a time: +2h, 3d 4h or 2026-03-04 10:00"))
    if text.startswith("+"):
        return now + read_duration(text[1:])
    if text[0].isdigit() and "-" in text[:8]:
        if start is None:
            raise ValueError(_("the exercise start is unknown: use +2h or 3d 4h"))
        try:
            when = datetime.fromisoformat(text)
        except ValueError as e:
            said = _("cannot read the date “{text}”: write it as 2026-03-04 10:00")
            raise ValueError(said.format(text=text)) from e
        if when.tzinfo is None:
            when = when.replace(tzinfo=start.tzinfo)
        return (when - start).total_seconds()
    return read_duration(text)


def parse_speed(text: str) -> float:
    """Game seconds per wall second: ``60``, or a duration per second such as ``10m``."""
    text = text.strip().lower().removesuffix("/s")
    try:
        value = float(text)
    except ValueError:
        value = read_duration(text)
    if not value > 0:
        raise ValueError(_("the speed must be above 0"))
    return value


def speed_label(speed: float) -> str:
    return _("real time") if speed == 1 else f"{format_duration(speed)}/s"


def short_seat(ref: str) -> str:
    """A seat reference as a few letters (``RO/poc`` → ``RO 24/7``); others unchanged."""
    kind, colon, rest = ref.partition(":")  # "desk:RO/poc", "body:europol", "org:host"
    if colon:
        short = short_seat(rest)
        return _("{seat} (desk)").format(seat=short) if kind == "desk" else short
    country, sep, role = ref.partition("/")
    if sep and role in ROLE_SHORT:
        return f"{country} {ROLE_SHORT[role]}"
    return ref


# Who acted, as the engine writes it in an event's ``by`` (tte.core.engine): a seat id, the
# facilitator, a desk answering by rule, an organisation or body, or a timer's cause.
ACTORS = {
    "facilitator": N_("the facilitator"),
    "observer": N_("an evaluator"),
    "schedule": N_("the schedule"),
    "trigger": N_("its trigger"),
    "condition": N_("its condition"),
    "clock": N_("the clock"),
}


def actor(by: str, names: Mapping[str, str] | None = None) -> str:
    """Who acted, in words: ``desk:RO/poc`` reads "the RO/poc desk", ``org:host`` the
    organisation's name (from `names`, id -> name), ``schedule`` "the schedule"; a seat id
    (a person at it) stays as it is."""
    words = ACTORS.get(by)
    if words is not None:
        return _(words)
    kind, colon, rest = by.partition(":")
    if not colon:
        return by
    if kind == "desk":
        return _("the {seat} desk").format(seat=rest)
    return (names or {}).get(rest, rest)

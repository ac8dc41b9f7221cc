"""The seat header: who you are, the game clock in your time zone, and the connection.

Two lines that never wrap: a wrapped first line (a long role name plus the unread count)
pushed the second out of the header, and with it the clock, paused/running,
RECONNECTING and EMERGENCY. So each line is built to fit the header's width, dropping
detail in a fixed order; what a player must always see (the status words) comes last
to go, and never goes at 80 columns.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from tte.client.model import ClientModel
from tte.client.net import ConnState
from tte.i18n import SOURCE, _, current, ngettext

from .safe import inert, one_line

LONG_CLOCK = "%a %d %b %Y %H:%M %Z"
SHORT_CLOCK = "%d %b %H:%M %Z"
# The same clocks in Babel's patterns, for the reader's language (the zone stays as is).
PATTERNS = {LONG_CLOCK: "EEE dd MMM y HH:mm", SHORT_CLOCK: "dd MMM HH:mm"}
MIN_TITLE = 12  # columns: a title cut shorter than this says nothing


def clock_words(t: dt.datetime, fmt: str = LONG_CLOCK) -> str:
    """A game time as the reader's locale writes it (English: exactly `fmt`)."""
    tr = current()
    if tr.locale == SOURCE or fmt not in PATTERNS:
        return t.strftime(fmt)
    return f"{tr.datetime(t, PATTERNS[fmt])} {t.strftime('%Z')}"


def clock_text(model: ClientModel, now: float, fmt: str = LONG_CLOCK) -> Text:
    out = Text(clock_words(model.seat_datetime(now), fmt), style="bold")
    if model.ended is not None:
        out.append("  ■ " + _("exercise over"), style="bold reverse green")
    elif model.clock.paused:
        out.append("  ⏸ " + _("paused"), style="bold yellow")
    else:
        out.append("  ▶ ×", style="")
        out.append(f"{model.clock.speed:g}")
    return out


def connection_text(model: ClientModel, detail: bool = True) -> Text:
    st = model.status
    if st is None or st.state is ConnState.CONNECTING:
        tail = f" ({inert(st.reason, 40)})" if detail and st and st.reason else ""
        return Text("◌ " + _("connecting") + tail, style="bold yellow")
    if st.state is ConnState.ONLINE:
        return Text("● " + _("online"), style="bold green")
    if st.state is ConnState.RECONNECTING:
        retry = (
            _(", retry in {seconds}s").format(seconds=f"{st.retry_in:.0f}") if st.retry_in else ""
        )
        tail = " (" + _("attempt {n}").format(n=st.attempt) + f"{retry})" if detail else ""
        return Text("◌ " + _("RECONNECTING") + tail, style="bold reverse yellow")
    if st.state is ConnState.FAILED:
        tail = f": {inert(st.reason, 60)}" if detail else ""
        return Text("✖ " + _("failed") + tail, style="bold reverse red")
    return Text("○ " + _("closed"), style="dim")


def status_line(model: ClientModel, now: float, width: int) -> Text:
    """Clock, paused/running, connection, emergency (with the facilitator's reason when
    there is room): the first variant that fits."""
    line = Text()
    reasons = (True, False) if model.emergency_reason else (False,)
    for fmt, detail, why in (
        (f, d, w)
        for f, d in ((LONG_CLOCK, True), (LONG_CLOCK, False), (SHORT_CLOCK, False))
        for w in reasons
    ):
        line = clock_text(model, now, fmt)
        line.append("   ")
        line.append_text(connection_text(model, detail))
        if model.emergency:
            line.append("   ⚠ " + _("EMERGENCY"), style="bold red")
            if why:
                line.append(": " + one_line(model.emergency_reason, 60), style="red")
        if line.cell_len <= width:
            return line
    line.truncate(width, overflow="ellipsis")
    return line


def seat_line(model: ClientModel, width: int) -> Text:
    """Seat and unread count in full; the exercise title gets what is left, if enough."""
    c = model.country
    seat = Text()
    if c is not None:
        seat.append(f"{inert(c.flag)} {c.code} ", style="bold")
    seat.append(inert(model.role_label), style="bold cyan")
    unread = model.unread()
    unread_text = ngettext("{n} unread", "{n} unread", unread).format(n=unread)
    tail = Text(f"  ✉ {unread_text}", style="bold yellow") if unread else Text()
    room = width - seat.cell_len - tail.cell_len - len("  ·  ")
    if model.title and room >= MIN_TITLE:
        title = Text(inert(" ".join(model.title.split())), style="dim")
        title.truncate(room, overflow="ellipsis")
        seat.append("  ·  ", style="dim")
        seat.append_text(title)
    seat.append_text(tail)
    seat.truncate(width, overflow="ellipsis")
    return seat


class SeatHeader(Static):
    """Two lines: seat and exercise; clock and connection."""

    DEFAULT_CSS = """
    SeatHeader {
        dock: top;
        height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    text: Text = Text()
    _last: tuple[ClientModel, float] | None = None

    def show(self, model: ClientModel, now: float) -> None:
        self._last = (model, now)
        width = self.content_size.width or 1000  # not laid out yet: on_resize redraws
        self.text = Text("\n").join([seat_line(model, width), status_line(model, now, width)])
        self.update(self.text)  # self.text is what is shown, for tests

    def on_resize(self, event: Resize) -> None:
        if self._last is not None:
            self.show(*self._last)

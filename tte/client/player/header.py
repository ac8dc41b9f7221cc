"""The seat header: who you are, the game clock in your time zone, and the connection."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tte.client.model import ClientModel
from tte.client.net import ConnState

from .safe import inert


def clock_text(model: ClientModel, now: float) -> Text:
    t = model.seat_datetime(now)
    out = Text(t.strftime("%a %d %b %Y %H:%M %Z"), style="bold")
    if model.clock.paused:
        out.append("  ⏸ paused", style="bold yellow")
    else:
        out.append("  ▶ ×", style="")
        out.append(f"{model.clock.speed:g}")
    return out


def connection_text(model: ClientModel) -> Text:
    st = model.status
    if st is None or st.state is ConnState.CONNECTING:
        tail = f" ({inert(st.reason, 40)})" if st and st.reason else ""
        return Text("◌ connecting" + tail, style="bold yellow")
    if st.state is ConnState.ONLINE:
        return Text("● online", style="bold green")
    if st.state is ConnState.RECONNECTING:
        retry = f", retry in {st.retry_in:.0f}s" if st.retry_in else ""
        return Text(f"◌ RECONNECTING (attempt {st.attempt}{retry})", style="bold reverse yellow")
    if st.state is ConnState.FAILED:
        return Text(f"✖ failed: {inert(st.reason, 60)}", style="bold reverse red")
    return Text("○ closed", style="dim")


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

    def show(self, model: ClientModel, now: float) -> None:
        c = model.country
        seat = Text()
        if c is not None:
            seat.append(f"{inert(c.flag)} {c.code} ", style="bold")
        seat.append(inert(model.role_label), style="bold cyan")
        if model.title:
            seat.append("  ·  " + inert(model.title, 60), style="dim")
        unread = model.unread()
        if unread:
            seat.append(f"  ✉ {unread} unread", style="bold yellow")
        line2 = clock_text(model, now)
        line2.append("   ")
        line2.append_text(connection_text(model))
        if model.emergency:
            line2.append("   ⚠ EMERGENCY", style="bold red")
        self.text = Text("\n").join([seat, line2])  # what is shown, for tests
        self.update(self.text)

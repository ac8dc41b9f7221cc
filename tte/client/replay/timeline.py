"""The replay's timeline: one lane per country across the game time of the exercise, a
mark where something happened there, and the cursor at the event being shown. A click
on a lane seeks to the last event at or before that moment."""

from __future__ import annotations

import bisect

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from tte.i18n import N_, current, ngettext

from .source import LABEL, MARKS, Head, Mark, ReplayLog, countries_of, describe

# How each mark is drawn, and which wins when two share a cell (first wins).
GLYPHS: dict[Mark, tuple[str, str]] = {
    "deletion": ("x", "bold red"),
    "refusal": ("!", "bold red"),
    "mistake": ("?", "bold yellow"),
    "inject": ("I", "bold magenta"),
    "request": ("r", "cyan"),
    "evidence": ("e", "green"),
}
PRIORITY: list[Mark] = list(GLYPHS)
# What each mark is called in the help's legend.
MARK_WORDS: dict[Mark, str] = {
    "deletion": N_("deletion"),
    "refusal": N_("refusal"),
    "mistake": N_("mistake"),
    "inject": N_("inject"),
    "request": N_("request"),
    "evidence": N_("evidence"),
}
# The top line's moment (a CLDR pattern: weekday and month in the reader's language).
WHEN = "EEE dd MMM HH:mm"


class Timeline(Widget):
    """Status line, then the lanes. ``seq`` is set by the app."""

    DEFAULT_CSS = """
    Timeline { height: auto; background: $panel; }
    """

    class Seek(Message):
        def __init__(self, seq: int) -> None:
            super().__init__()
            self.seq = seq

    def __init__(self, log: ReplayLog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.replay = log
        self.seq = 1
        self.status = ""
        self.seat_country: str | None = None  # set by the app: its lane comes first
        self._cache: dict[str, list[Mark | None]] = {}
        self._cache_key = (0, 0)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 1 + len(self.lanes())

    def lanes(self) -> list[str]:
        """The countries drawn: all of them while they fit in a third of the screen; else
        as many as fit, the shown seat's country first (the status line counts the rest)."""
        countries = self.replay.countries
        room = max(1, self.app.size.height // 3 - 1)
        if len(countries) <= room:
            return countries
        first = self.seat_country
        ordered = (
            [first, *(c for c in countries if c != first)] if first in countries else countries
        )
        return ordered[:room]

    def _span(self) -> float:
        return self.replay.span

    def _col(self, t: float, cols: int) -> int:
        return min(cols - 1, int(t / self._span() * (cols - 1) + 0.5))

    def render(self) -> Text:
        width = max(self.size.width, LABEL + 10)
        cols = width - LABEL
        now = self.replay.event(self.seq)
        out = Text(no_wrap=True, overflow="crop")
        tr = current()
        when = tr.datetime(self.replay.scenario.game_datetime(now.t), WHEN)
        head = f"{self.seq}/{self.replay.last} {when} {describe(now)}"
        lanes = self.lanes()
        hidden = len(self.replay.countries) - len(lanes)
        more = ""
        if hidden:
            more = " " + ngettext(
                "(+{n} country: a taller terminal shows it)",
                "(+{n} countries: a taller terminal shows them)",
                hidden,
            ).format(n=hidden)
        out.append(f"{head} {self.status}{more}"[:width].ljust(width), style="bold")
        cursor = self._col(now.t, cols)
        for country in lanes:
            out.append("\n")
            out.append_text(self._lane(country, cols, cursor, now.t))
        return out

    def _cells(self, cols: int) -> dict[str, list[Mark | None]]:
        """The mark of each lane's cells; computed once per width and log length, so a
        step redraws the cursor without rescanning the log."""
        key = (cols, self.replay.last)
        if self._cache_key != key:
            countries = self.replay.countries
            cells: dict[str, list[Mark | None]] = {c: [None] * cols for c in countries}
            lanes: dict[str | None, list[list[Mark | None]]] = {}  # events share seat sets
            rank = {m: i for i, m in enumerate(PRIORITY)}
            # 100,000 events in the bench: what differs (column, kind, seats) is few, and
            # SQLite finds them (the heads may not even be read yet).
            for col, kind, seats in self.replay.timeline_marks(cols):
                mark = MARKS.get(kind)
                if mark is None:
                    continue
                rows = lanes.get(seats)
                if rows is None:
                    head = Head(0, kind, 0.0, seats)
                    rows = lanes[seats] = [cells[c] for c in countries_of(head, countries)]
                for row in rows:
                    held = row[col]
                    if held is None or rank[mark] < rank[held]:
                        row[col] = mark
            self._cache, self._cache_key = cells, key
        return self._cache

    def _lane(self, country: str, cols: int, cursor: int, t_now: float) -> Text:
        lane = Text(f"{country:<{LABEL - 1}}│"[:LABEL], style="bold")
        run, run_style = "", ""  # cells of one style are appended together: few spans
        for c, m in enumerate(self._cells(cols)[country]):
            glyph, style = GLYPHS[m] if m else ("─", "dim")
            if c == cursor:
                style = f"{style} reverse"
            elif c > cursor:
                style = f"{style} dim"
            if style != run_style and run:
                lane.append(run, style=run_style)
                run = ""
            run, run_style = run + glyph, style
        lane.append(run, style=run_style)
        return lane

    def on_click(self, event: Click) -> None:
        cols = max(self.size.width, LABEL + 10) - LABEL
        x = event.x - LABEL
        if x < 0 or event.y < 1:
            return
        t = x / max(cols - 1, 1) * self._span()
        self.post_message(self.Seek(max(1, bisect.bisect_right(self.replay.times, t))))

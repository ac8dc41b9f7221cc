"""``tte replay DIR``: scrub an exercise and see any seat's screens at any moment.

The seat view *is* the player app: ReplayApp is a PlayerApp whose model is swapped for
the fold of the log up to the current seq (``ReplayLog.seat_model``), so stepping shows
exactly the inbox, cases and case file that seat had then. The facilitator's view is the
console's own traffic and case panes over the console's fold of the same events. Nothing
is sent anywhere: the app has no link, and the log is opened read-only.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, TabbedContent
from textual.widgets.option_list import Option

from tte import protocol as p
from tte.client.lang import translate_bindings
from tte.client.player import app as player_app
from tte.client.player.app import HelpScreen, PlayerApp
from tte.client.player.header import SeatHeader
from tte.client.player.help import role_help
from tte.core.events import FACILITATOR
from tte.core.text import inert
from tte.i18n import N_, _, use

from .source import ReplayLog
from .timeline import GLYPHS, MARK_WORDS, Timeline

if TYPE_CHECKING:
    from .staff import StaffView

SPEEDS = (1.0, 2.0, 5.0, 10.0, 25.0)  # events per second when playing
LIVE_POLL = 2.0  # wall seconds between looks for events a running exercise committed

HELP = N_(
    """\
# Replay

The timeline shows one lane per country across the game time of the exercise; the
highlighted column is the event shown. Below it is the chosen seat's screen exactly as
that seat had it then; the facilitator's view is the console's traffic, case and score,
log and key figures as they stood after that event.

| key | |
|---|---|
| `.` / `,` | next / previous event |
| `]` / `[` | scrub forward / back (a fortieth of the exercise) |
| `g` / `G` | first / last event |
| `i` / `I` | next / previous inject |
| `m` / `M` | next / previous mistake (refusal, return, expiry, deletion, tip-off) |
| `d` / `D` | next / previous deletion |
| `space` | play / pause; `+` / `-` change the speed |
| `s` | choose the seat whose view is shown (the first one listed: the facilitator) |
| `3` `4` `5` `6` | the facilitator's traffic, case and score, log, figures (as the console) |
| `/` | search a request id, an evidence item or a seat |
| click | on a lane: jump to that moment |

Marks: {marks}"""
)

# "Jump to the next ..." found nothing that way: one whole sentence per mark and way.
NOTHING_THERE = {
    ("inject", False): N_("No later inject."),
    ("inject", True): N_("No earlier inject."),
    ("mistake", False): N_("No later mistake."),
    ("mistake", True): N_("No earlier mistake."),
    ("deletion", False): N_("No later deletion."),
    ("deletion", True): N_("No earlier deletion."),
}


def replay_help() -> str:
    """The replay's keys and marks in the reader's language (English exactly as written)."""
    marks = ", ".join(f"`{g}` {_(MARK_WORDS[m])}" for m, (g, _s) in GLYPHS.items())
    return _(HELP).format(marks=marks)


class SeatPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    SeatPicker { align: center middle; }
    SeatPicker > OptionList { width: 40; max-height: 80%; border: thick $accent; }
    """
    BINDINGS = [("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, seats: list[str], current: str) -> None:
        super().__init__()
        self.seats, self.current = seats, current
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield OptionList(*[Option(s, id=s) for s in self.seats], id="seat-list")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = self.seats.index(self.current)
        ol.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SearchBox(ModalScreen[str | None]):
    DEFAULT_CSS = """
    SearchBox { align: center top; }
    SearchBox > Input { width: 60; margin-top: 3; border: thick $accent; }
    """
    BINDINGS = [("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("request id, item or seat (Enter: next match)"), id="search")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ReplayApp(PlayerApp, inherit_bindings=False):
    TITLE = "tte replay"
    # The player's stylesheet, found beside the player app rather than this module.
    CSS_PATH = str(Path(player_app.__file__).with_name("player.tcss"))
    BINDINGS: ClassVar = [
        # The footer shows those with a word, in this order: eight fit 80 columns in
        # English and French; F1 lists them all (the jumps to an inject or a deletion
        # too), and the tab bar names the player's tabs (F2, F4, F5, F6, F8 as there).
        # TRANSLATORS: the replay's footer words are short: the eight must fit 80 columns.
        Binding("full_stop", "step(1)", N_("Next")),
        Binding("comma", "step(-1)", N_("Back")),
        Binding("i", "jump('inject')", N_("Inject"), show=False),
        Binding("m", "jump('mistake')", N_("Mistake")),
        Binding("d", "jump('deletion')", N_("Deleted"), show=False),
        Binding("space", "play", N_("Play")),
        Binding("s", "seat", N_("Seat")),
        Binding("slash", "search", N_("Find")),
        Binding("f1", "help", N_("Help")),
        Binding("ctrl+q,q", "quit", N_("Quit")),
        Binding("right_square_bracket", "scrub(1)", N_("Scrub"), show=False),
        Binding("left_square_bracket", "scrub(-1)", N_("Scrub back"), show=False),
        Binding("I", "jump('inject', True)", show=False),
        Binding("M", "jump('mistake', True)", show=False),
        Binding("D", "jump('deletion', True)", show=False),
        Binding("g", "go(1)", N_("First"), show=False),
        Binding("G", "go(0)", N_("Last"), show=False),
        Binding("plus", "speed(1)", N_("Faster"), show=False),
        Binding("minus", "speed(-1)", N_("Slower"), show=False),
        *[
            Binding(key, f"tab('{tab}')", show=False)
            for key, tab in (
                ("f2", "inbox"),
                ("f4", "cases"),
                ("f5", "casefile"),
                ("f6", "directory"),
                ("f8", "briefing"),
            )
        ],
        Binding("f9", "toggle_theme", N_("Theme"), show=False),
        *[
            Binding(key, f"staff_tab('{tab}')", show=False)
            for key, tab in (("3", "traffic"), ("4", "case"), ("5", "log"), ("6", "figures"))
        ],
    ]

    def __init__(
        self,
        log: ReplayLog,
        seat: str | None = None,
        seq: int | None = None,
        *,
        lang: str | None = None,
    ) -> None:
        """`lang`: the reader's language (``--lang``, ``LANG``), English when None; the
        seat's and the facilitator's views are drawn in it, whoever had the seat."""
        use(lang)  # the seat's view folds in it (its inbox texts are made as events arrive)
        self.replay = log
        self.seat = seat or log.default_seat()
        self.seq = seq or log.last
        # The facilitator's view is the console's panes: the player panes (hidden then)
        # hold only the welcome, not a fold of every event (12 s for 100,000 events).
        at = 0 if self.seat == FACILITATOR else self.seq
        super().__init__(model=log.seat_model(self.seat, at), lang=lang)
        self.playing = False
        self.speed = 0  # index into SPEEDS
        self._play_timer: Any = None
        self._search = ""
        self._drawn: tuple[str, int] | None = None  # the seat and seq the panes show

    def compose(self) -> ComposeResult:
        yield Timeline(self.replay, id="timeline")
        yield from super().compose()
        # The facilitator's view (staff.py: the console's panes) is built when first shown.

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#tabs", TabbedContent).hide_tab("compose-tab")
        self.set_interval(LIVE_POLL, self._poll)
        self.show_at(self.seq)
        # Every event's head (for stepping to marks, scrubbing, search) is read once the
        # first screen is painted, in a thread; a key needing them sooner waits for it.
        self.call_after_refresh(self._read_heads)

    def _read_heads(self) -> None:
        self.run_worker(self.replay.load_heads, thread=True, group="heads")

    # ---- read-only: a replay sends nothing ------------------------------------------

    async def call(self, op: str, args: dict[str, Any]) -> p.Result:
        return p.error_result("", "forbidden", _("This is a replay: nothing can be sent from it"))

    def _announce_deadlines(self, now: float) -> None:
        """No toasts while scrubbing: the timeline shows what fell due."""

    async def action_quit(self) -> None:
        self.exit()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(replay_help() + "\n\n" + role_help(self.model.role)))

    # ---- moving ----------------------------------------------------------------------

    def show_at(self, seq: int) -> None:
        """Show the moment after event `seq` from the chosen seat."""
        self.seq = max(1, min(seq, self.replay.last))
        staff = self.seat == FACILITATOR
        self.query_one(SeatHeader).display = not staff
        self.query_one("#tabs").display = not staff
        shown = self.staff_view
        if shown is not None:
            shown.display = staff
        if staff:
            self._show_staff()
        else:
            self.model = self.replay.seat_model(self.seat, self.seq)
            if self._drawn != (self.seat, self.seq):  # not drawn by the player's on_mount
                self.refresh_views()
        self._show_timeline()

    def refresh_views(self) -> None:
        super().refresh_views()
        if self.mounted():
            self._drawn = (self.seat, self.seq)

    def _show_timeline(self) -> None:
        found = self.query(Timeline)
        if not found:  # the app is closing
            return
        tl = found.first(Timeline)
        tl.seq = self.seq
        tl.seat_country = self.seat.partition("/")[0] if "/" in self.seat else None
        play = f"▶×{SPEEDS[self.speed]:g}" if self.playing else ""
        tl.status = f"· {self.seat} {play}"
        tl.refresh(layout=True)

    def _show_staff(self) -> None:
        staff = self.staff_view
        if staff is None:
            self.run_worker(self._build_staff(), group="staff", exclusive=True)
            return
        staff.show(self.replay.console_view(self.seq))

    @property
    def staff_view(self) -> StaffView | None:
        """The facilitator's view, once it was first shown (imported and built then)."""
        found = self.query("#staff-view")
        return cast("StaffView", found.first()) if found else None

    async def _build_staff(self) -> None:
        from .staff import StaffView

        if self.staff_view is None:
            await self.mount(StaffView(self.replay.scenario, id="staff-view"))
        if self.seat == FACILITATOR:
            self.show_at(self.seq)

    def action_staff_tab(self, tab: str) -> None:
        staff = self.staff_view
        if staff is not None and self.seat == FACILITATOR:
            staff.select(tab)

    def action_step(self, by: int) -> None:
        self.show_at(self.seq + by)

    def action_go(self, seq: int) -> None:
        self.show_at(seq or self.replay.last)

    def action_scrub(self, by: int) -> None:
        span = max(self.replay.times[-1], 1.0) / 40
        t = self.replay.event(self.seq).t + by * span
        target = bisect.bisect_right(self.replay.times, t)
        if target == self.seq:  # many events at one moment: still move
            target += by
        self.show_at(target)

    def action_jump(self, what: str, back: bool = False) -> None:
        seq = self.replay.next_mark(self.seq, what, back)
        if seq is None:
            self.notify(_(NOTHING_THERE[what, back]), timeout=2)
            return
        self.show_at(seq)

    def action_play(self) -> None:
        self.playing = not self.playing
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None
        if self.playing:
            self._play_timer = self.set_interval(1 / SPEEDS[self.speed], self._play_step)
        self._show_timeline()

    def action_speed(self, by: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + by))
        if self.playing:  # restart at the new pace
            self.action_play()
            self.action_play()
        self._show_timeline()

    def _play_step(self) -> None:
        if not self.query(Timeline):  # the app is closing
            return
        if self.seq >= self.replay.last:
            self.action_play()
            return
        self.show_at(self.seq + 1)

    def _poll(self) -> None:
        """A running exercise: take in what it committed; follow it when at the end."""
        if not self.query(Timeline):  # the app is closing: its widgets are gone
            return
        at_end = self.seq == self.replay.last
        if self.replay.refresh() and at_end:
            self.show_at(self.replay.last)
        elif at_end is False:
            self._show_timeline()

    # ---- choosing --------------------------------------------------------------------

    def action_seat(self) -> None:
        def chosen(seat: str | None) -> None:
            if seat:
                self.seat = seat
                self.show_at(self.seq)

        self.push_screen(SeatPicker(self.replay.seats(), self.seat), chosen)

    def action_search(self) -> None:
        def found(text: str | None) -> None:
            if not text:
                return
            seq = self.replay.search(text, self.seq if text == self._search else 0)
            self._search = text
            if seq is None:
                said = _("Nothing about '{text}'.").format(text=inert(text, 60, one_line=True))
                self.notify(said, timeout=3)
            else:
                self.show_at(seq)

        self.push_screen(SearchBox(), found)

    @on(Timeline.Seek)
    def _seek(self, event: Timeline.Seek) -> None:
        self.show_at(event.seq)

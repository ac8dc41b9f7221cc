"""The facilitator console: a Textual app over one facilitator link.

Frames are folded into a :class:`ConsoleView` as they arrive; a 10 Hz timer draws what
changed (``view.dirty``), so a burst of events costs one redraw, and each table touches
only its changed cells. Commands run as workers: the UI never waits on the network.
Codes, connections and client programs come from the server's ``roster.get`` (every 2 s
and after presence changes); the figures tab is recomputed at most once a second, off the
UI thread, and only while it is shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from tte import protocol as p
from tte.client.lang import (
    ReadersPalette,
    error_text,
    translate_bindings,
)
from tte.client.net import ConnState, Link, LinkStatus
from tte.core.scenario import Scenario
from tte.datadir import ROSTER_FILE, join_cards_file, join_sheet_file
from tte.i18n import N_, _, use

from ..safe import InertToasts, inert, inert_line, inert_text
from . import joinsheet, keyfigures
from .case import DELETE_REASONS, CasePane, delete_reason
from .dialogs import (
    AdvanceDialog,
    Args,
    ConfirmDialog,
    EmergencyDialog,
    EndDialog,
    MoveDialog,
    RatingDialog,
    RespondDialog,
    SendInjectDialog,
    SpeedDialog,
)
from .eventlog import LogPane
from .figures import FiguresPane
from .fmt import clip, game_time, speed_label
from .msel import MselPane
from .projector import ProjectorScreen
from .roster import RosterPane
from .teaching import HINT_HELP, PHASE_HELP, PickDialog, hint_rows, phase_rows
from .traffic import TrafficPane, status_word
from .view import ConsoleView

TABS = ("roster", "msel", "traffic", "case", "log", "figures")
TAB_NAMES = {
    "roster": N_("Roster"),
    "msel": N_("MSEL"),
    "traffic": N_("Traffic"),
    "case": N_("Case"),
    "log": N_("Log"),
    "figures": N_("Figures"),
}
# Actions that belong to one tab: enabled (and in the footer) only while it is shown.
TAB_ACTIONS = {
    "join_sheet": "roster",
    "revoke": "roster",
    "release": "msel",
    "skip": "msel",
    "move": "msel",
    "respond": "traffic",
    "log_filter": "log",
}
ROSTER_EVERY = 2.0  # seconds between roster.get polls
FIGURES_EVERY = 1.0  # at most one figures refresh a second (longer if computing is slow)


class ConsoleApp(ReadersPalette, InertToasts):
    CSS_PATH = Path(__file__).with_name("console.tcss")  # absolute: subclasses live elsewhere
    TITLE = "tte console"
    # The shown tab's own keys come first and work wherever focus is (the tab bar after a
    # click or an arrow key, the table, the detail): check_action enables them on their
    # tab only, so the footer shows exactly the keys that work now.
    BINDINGS = [
        Binding("w", "join_sheet", N_("Join sheet")),
        Binding("w", "join_sheet_anywhere", N_("Join sheet"), show=False),
        Binding("v", "revoke", N_("New code")),
        Binding("r", "release", N_("Release now")),
        Binding("s", "skip", N_("Skip")),
        Binding("m", "move", N_("Move")),
        Binding("a", "respond", N_("Answer / override")),
        Binding("slash", "log_filter", N_("Filter")),
        Binding("p", "toggle_pause", N_("Pause/Resume")),
        Binding("t", "speed", N_("Speed")),
        Binding("plus", "faster", N_("Faster"), show=False),
        Binding("minus", "slower", N_("Slower"), show=False),
        Binding("g", "advance", N_("Jump")),
        Binding("n", "send_inject", N_("New inject")),
        Binding("o", "survey", N_("Survey")),
        Binding("e", "emergency", N_("Emergency")),
        Binding("m", "mode", N_("Exam/Coaching"), show=False),
        Binding("i", "hints", N_("Hints"), show=False),
        Binding("k", "knowledge", N_("Knowledge check"), show=False),
        Binding("f", "phases", N_("Phases"), show=False),
        Binding("j", "planned_jump", N_("Planned jump"), show=False),
        Binding("h", "rate", N_("Rate")),
        Binding("x", "end_exercise", N_("End")),
        Binding("b", "projector", N_("Projector"), show=False),
        Binding("ctrl+q", "quit", N_("Quit")),
        *(
            Binding(str(i + 1), f"show_tab('{t}')", TAB_NAMES[t], show=False)
            for i, t in enumerate(TABS)
        ),
    ]

    def __init__(
        self,
        url: str,
        code: str,
        *,
        scenario: Scenario | None = None,
        codes: dict[str, str] | None = None,
        ssh_port: int | None = None,
        sheet_dir: Path | None = None,
        projector: bool = False,
        lang: str | None = None,
    ) -> None:
        self.tr = use(lang)  # the console's own reader (the server's readers are the seats)
        super().__init__()
        translate_bindings(self)
        self.projector = projector  # start on the projector view (tte console --screen)
        self.url = url
        self.code = code
        self.view = ConsoleView(scenario)
        self.codes = codes
        self.ssh_port = ssh_port
        self.sheet_dir = sheet_dir or Path.cwd()
        self.data_dir: Path | None = None  # the exercise's data directory, when hosted here
        self.link: Link | None = None
        self.link_status = LinkStatus(ConnState.CONNECTING)
        self.last_sheet: Path | None = None
        self.data_note = ""  # where the exercise lives (tte host)
        self.active_tab = "roster"
        self.roster_error = ""  # why roster.get was refused, if it was
        self._roster_due = False
        self._roster_busy = False
        self._figures_busy = False
        self._figures_next = 0.0  # monotonic time of the next allowed refresh
        self._joined_at: int | None = None  # events up to this seq were history at joining

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept as attributes: the timers draw into them without querying the DOM, which
        # also keeps them safe while a dialog is open or the app is shutting down.
        self.status = Static("", id="status")
        self.roster_pane = RosterPane()
        self.msel_pane = MselPane()
        self.traffic_pane = TrafficPane()
        self.case_pane = CasePane()
        self.log_pane = LogPane()
        self.figures_pane = FiguresPane()
        yield self.status
        self.tabs = TabbedContent(initial="roster", id="tabs")
        with self.tabs:
            panes = (
                self.roster_pane,
                self.msel_pane,
                self.traffic_pane,
                self.case_pane,
                self.log_pane,
                self.figures_pane,
            )
            for i, (tab, pane) in enumerate(zip(TABS, panes, strict=True)):
                with TabPane(f"{i + 1} {_(TAB_NAMES[tab])}", id=tab):
                    yield pane
        yield Footer()

    async def on_mount(self) -> None:
        await self.begin()
        if self.projector:
            self.action_projector()

    async def begin(self) -> None:
        """Start the console (Textual calls every class's on_mount: subclasses override
        this instead)."""
        self.roster_pane.table.focus()
        await self.connect(self.url, self.code)

    async def connect(self, url: str, code: str) -> None:
        self.url = url
        self.link = Link(url, code, client="tte-console", initial_attempts=None)
        self.link.start()
        self.run_worker(self._consume(self.link), name="link", group="link")
        self.set_interval(0.1, self.flush)
        self.set_interval(1.0, self._tick)
        self.set_interval(ROSTER_EVERY, self.request_roster)
        self._draw_status()

    async def on_unmount(self) -> None:
        await self.end()

    async def end(self) -> None:
        if self.link is not None:
            await self.link.close()

    # ---- inputs -------------------------------------------------------------------------

    async def _consume(self, link: Link) -> None:
        n = 0
        async for item in link:
            if isinstance(item, p.EventMsg):
                self.view.event(item)
                if item.kind == "presence":
                    self.request_roster()
                elif item.kind == "exercise_ended" and item.seq > (self._joined_at or 0):
                    self.call_later(self.exercise_over)
                elif item.kind in ("timebox_alarm", "hint_due") and item.seq > (
                    self._joined_at or 0
                ):
                    self._teaching_toast(item)
            elif isinstance(item, p.ClockMsg):
                self.view.clock_frame(item)
            elif isinstance(item, p.Welcome):
                if self._joined_at is None:
                    self._joined_at = item.seq
                self.view.welcome(item)
                self._after_welcome(item)
            elif isinstance(item, LinkStatus):
                self.link_status = item
                self.view.dirty.clock = True
            elif isinstance(item, p.Error):
                self.notify(inert(item.message), title=_("Server"), severity="error")
            n += 1
            if n % 500 == 0:  # a long backlog must not starve the screen
                await asyncio.sleep(0)

    def _teaching_toast(self, ev: p.EventMsg) -> None:
        """Say it where the facilitator looks: a phase past its timebox, a hint now due."""
        d = ev.data
        if ev.kind == "timebox_alarm":
            self.notify(
                _(
                    "{name} has run {minutes} min of its {timebox} min: "
                    "move on (f: running order, j: its planned jump)"
                ).format(
                    name=self.view.text(str(d.get("name"))),
                    minutes=d.get("minutes"),
                    timebox=d.get("timebox"),
                ),
                title=_("Timebox over"),
                severity="warning",
                timeout=20,
            )
        else:
            self.notify(
                _("{title} (i to release it)").format(title=self.view.text(str(d.get("title")))),
                title=_("Hint card due"),
                timeout=10,
            )

    def _after_welcome(self, w: p.Welcome) -> None:
        if w.seat.role != "facilitator":
            self.notify(
                _("This code is a {role}'s: you can watch but not steer.").format(role=w.seat.role),
                severity="warning",
            )
        title = self.view.text(str(w.exercise.get("title", "")))
        self.title = inert_line(f"tte console — {title}", 120)
        if self.codes:  # --roster: shown until the server's roster says otherwise
            self.view.set_codes(self.codes)
        self.request_roster()

    # ---- the server's roster ------------------------------------------------------------

    def request_roster(self) -> None:
        """Ask for roster.get soon (at most one in flight; none after a refusal)."""
        self._roster_due = True

    def _poll_roster(self) -> None:
        if not self._roster_due or self._roster_busy or self.roster_error:
            return
        if self.link is None or not self.link_status.online:
            return
        self._roster_due = False
        self._roster_busy = True
        self.run_worker(self._fetch_roster(), group="roster")

    async def _fetch_roster(self) -> None:
        try:
            assert self.link is not None
            res = await self.link.call("roster.get", {})
        finally:
            self._roster_busy = False
        if res.ok and isinstance(res.data, dict):
            self.view.roster(res.data)
        elif isinstance(res.error, p.ErrorBody) and res.error.code in ("forbidden", "unknown_op"):
            self.roster_error = res.error.message  # e.g. an observer's code: stop asking
            self.view.dirty.info = True

    def roster_codes(self) -> dict[str, str] | None:
        codes = {sid: r.code for sid, r in self.view.seats.items() if r.code}
        return codes or self.codes

    # ---- drawing ------------------------------------------------------------------------

    def flush(self) -> None:
        self._poll_roster()
        d = self.view.take_dirty()
        if not d.any():
            return
        with self.batch_update():
            if d.info:
                self.roster_pane.set_info(self.roster_info())
            if d.seats:
                self.roster_pane.sync(self.view, d.seats)
            if d.injects:
                self.msel_pane.sync(self.view, d.injects)
            if d.requests:
                self.traffic_pane.sync(self.view, d.requests)
            if d.items or d.objectives:
                self.case_pane.sync(self.view, d.items, d.objectives)
            if d.clock:
                self.case_pane.show_emergency(self.view)
            if d.log:
                self.log_pane.append(self.view, d.log)
            self._draw_status()

    async def _tick(self) -> None:
        self._draw_status()
        if self.active_tab == "traffic":
            self.traffic_pane.refresh_ages(self.view)
        elif self.active_tab == "roster":
            self.roster_pane.refresh_ages(self.view)
        self.refresh_figures()

    # ---- figures ------------------------------------------------------------------------

    def refresh_figures(self, force: bool = False) -> None:
        """Recompute the figures tab if it is shown, new events came, and the last run
        was long enough ago."""
        if self.active_tab != "figures" or self._figures_busy or not self.view.welcomed:
            return
        shown = self.figures_pane.figures
        if not force and shown is not None and shown.seq == self.view.last_seq:
            return
        if not force and time.monotonic() < self._figures_next:
            return
        self._figures_busy = True
        self.run_worker(self._compute_figures(), group="figures")

    async def _compute_figures(self) -> None:
        started = time.monotonic()
        view = self.view
        try:
            if view.scenario is None:
                figs = keyfigures.from_view(view)
            else:
                events = list(view.events)  # a snapshot: folding goes on meanwhile
                try:
                    figs = await asyncio.to_thread(keyfigures.compute, view.scenario, events)
                except Exception as e:  # e.g. --scenario names another exercise
                    figs = keyfigures.from_view(view)
                    figs.notes = [
                        _("The scenario file does not fit these events ({error})").format(
                            error=repr(e)
                        )
                    ]
            self.figures_pane.show(view, figs)
        finally:
            took = time.monotonic() - started
            self._figures_next = time.monotonic() + max(FIGURES_EVERY, 2 * took)
            self._figures_busy = False

    def roster_info(self) -> list[Text]:
        """Lines of plain Text: titles, URLs and errors are drawn inert, never as markup."""
        info = self.view.info
        title = (inert(self.view.text(str(info.get("title", "")))), "bold")
        lines = [Text.assemble(title, inert(f"  ({info.get('id', '')})"))]
        urls = ", ".join(self.join_urls()) or self.url
        lines.append(Text(inert(_("Join at: {urls}").format(urls=urls))))
        if self.ssh_port:
            host = joinsheet.ssh_hosts(self.join_urls())[0]
            lines.append(Text(inert(f"SSH: ssh -p {self.ssh_port} CODE@{host}")))
        if self.data_note:
            lines.append(Text(inert(self.data_note)))
        if self.roster_error and not self.roster_codes():
            msg = _(
                "Join codes unknown ({error}): start with --roster DIR/{file} to show them"
            ).format(error=self.roster_error, file=ROSTER_FILE)
            lines.append(Text(inert(msg), style="yellow"))
        return lines

    def join_urls(self) -> list[str]:
        """Where players join: the server's own list (roster.get), else our address."""
        return list(self.view.urls) or ([self.url] if self.url else [])

    def _draw_status(self) -> None:
        v = self.view
        c = v.clock
        out = Text()
        if v.ended is not None:
            out.append(" " + _("■ EXERCISE OVER") + " ", style="bold black on cyan")
        elif c.paused:
            out.append(" " + _("⏸ PAUSED") + " ", style="bold white on dark_red")
        else:
            out.append(" " + _("▶ RUNNING") + " ", style="bold black on green")
        if v.teaching.alarm is not None:  # first, so it shows on an 80-column console too
            out.append(" " + _("⏰ TIMEBOX OVER") + " ", style="bold white on red")
        out.append(f"  {game_time(v.start, v.now(), long=True)}", style="bold")
        # The link early, so an 80-column console still says when it is offline.
        st = self.link_status
        if st.online:
            out.append("  " + _("● online"), style="green")
        else:
            reason = f": {st.reason}" if st.reason else ""
            out.append(f"  ○ {st.state.value}{reason}", style="bold yellow")
        out.append("  " + _("speed {speed}").format(speed=speed_label(c.speed)))
        out.append("  " + _("score {score}/100").format(score=v.score()))
        if v.emergency:
            reason = f": {clip(v.emergency_reason, 40)}" if v.emergency_reason else ""
            out.append("  " + _("EMERGENCY") + reason, style="bold red")
            if v.emergency_items:
                items = _("({n} items)").format(n=len(v.emergency_items))
                out.append(" " + items, style="red")
        if v.mode == "exam":
            out.append("  " + _("EXAM"), style="bold magenta")
        if v.survey_open:
            survey = _("survey open ({n} answers)").format(n=v.survey_answers)
            out.append("  " + survey, style="cyan")
        tb = v.teaching
        if tb.knowledge_open:
            n = tb.knowledge_answers.get(tb.knowledge_open, 0)
            check = _("check ({stage}) open: {n} answers").format(stage=tb.knowledge_open, n=n)
            out.append("  " + check, style="cyan")
        out.append_text(tb.status(v.text))
        self.status.update(inert_text(out))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.active_tab = str(event.pane.id)
        self.refresh_bindings()  # the footer shows the new tab's keys
        if self.active_tab == "traffic":
            self.traffic_pane.refresh_ages(self.view)
        elif self.active_tab == "figures":
            self.refresh_figures()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "msel-table":
            self.msel_pane.show_detail(self.view)
        elif event.data_table.id == "traffic-table":
            self.traffic_pane.show_detail(self.view)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "traffic-table":
            self.action_respond()

    # ---- commands -----------------------------------------------------------------------

    async def command(self, op: str, args: Args | None = None, done: str = "") -> p.Result:
        """Send one command; say how it went."""
        if self.link is None:
            return p.error_result("", "offline", "not connected")
        result = await self.link.call(op, args or {})
        if result.ok:
            if done:
                self.notify(done, timeout=3)
        else:
            err = result.error
            msg = error_text(err) if isinstance(err, p.ErrorBody) else _("refused")
            self.notify(
                inert(msg), title=_("{op} refused").format(op=op), severity="error", timeout=8
            )
        return result

    def send(self, op: str, args: Args | None = None, done: str = "") -> None:
        self.run_worker(self.command(op, args, done), group="cmd")

    def _ask(self, screen: Any, then: Any) -> None:
        self.push_screen(screen, then)

    def action_show_tab(self, tab: str) -> None:
        self.tabs.active = tab
        pane = {
            "roster": self.roster_pane,
            "msel": self.msel_pane,
            "traffic": self.traffic_pane,
            "case": self.case_pane,
            "log": self.log_pane,
            "figures": self.figures_pane,
        }[tab]
        tables = pane.query(DataTable)
        if tables:
            tables.last().focus() if tab == "log" else tables.first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = TAB_ACTIONS.get(action)
        return tab is None or tab == self.active_tab

    def action_toggle_pause(self) -> None:
        if self.view.clock.paused:
            self.send("clock.resume", {}, _("Clock running"))
        else:
            self.send("clock.pause", {}, _("Clock paused"))

    def action_faster(self) -> None:
        self.send("clock.set_speed", {"speed": self.view.clock.speed * 2})

    def action_slower(self) -> None:
        self.send("clock.set_speed", {"speed": max(1.0, self.view.clock.speed / 2)})

    def action_speed(self) -> None:
        self._ask(SpeedDialog(self.view.clock.speed), self._then("clock.set_speed", _("Speed set")))

    def action_advance(self) -> None:
        def chosen(args: Args | None) -> None:
            if args is not None:
                self.run_worker(self._advance_after_preview(args), group="cmd")

        self._ask(AdvanceDialog(), chosen)

    async def _advance_after_preview(self, args: Args) -> None:
        """Show what the jump would delete, fire and expire (core's clock.preview, on a copy
        of the state) and move the clock only if the facilitator confirms."""
        preview = await self.command("clock.preview", {"seconds": args["seconds"]})
        if not preview.ok:
            return
        data = preview.data if isinstance(preview.data, dict) else {}
        question = preview_text(self.view, data, float(args["seconds"]))
        question += "\n\n" + _("Advance the clock?")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.send("clock.advance", args, _("Clock moved forward"))

        self.push_screen(ConfirmDialog(question, _("Advance (y)"), _("Cancel (n)")), confirmed)

    def action_send_inject(self) -> None:
        self._ask(SendInjectDialog(self.view), self._then("inject.send", _("Inject sent")))

    def action_survey(self) -> None:
        opening = not self.view.survey_open
        done = _("Survey opened") if opening else _("Survey closed")
        self.send("survey.open", {"open": opening}, done)

    def action_hints(self) -> None:
        """The scenario's hint cards: Enter releases one to its seats' inbox."""
        tb = self.view.teaching
        if not tb.hints:
            self.notify(_("This scenario has no hint cards"), severity="warning")
            return

        def picked(hid: str | None) -> None:
            if hid:
                self.send("hint.release", {"id": hid}, _("Hint released"))

        self._ask(PickDialog(_("Hint cards"), hint_rows(tb, self.view.text), _(HINT_HELP)), picked)

    def action_phases(self) -> None:
        """The running order: Enter begins a phase now (out of its planned order)."""
        tb = self.view.teaching
        if not tb.phases:
            self.notify(_("This scenario has no running order (phases)"), severity="warning")
            return

        def picked(pid: str | None) -> None:
            if pid:
                self.send("phase.start", {"id": pid}, _("Phase begun"))

        rows = phase_rows(tb, self.view.text)
        self._ask(PickDialog(_("Running order"), rows, _(PHASE_HELP)), picked)

    def action_planned_jump(self) -> None:
        """The current phase's next planned jump, through the same preview as g."""
        jump = self.view.teaching.next_jump()
        if jump is None:
            self.notify(_("No planned jump left in this phase"), severity="warning")
            return
        args = {"seconds": jump["seconds"], "reason": jump["reason"]}
        self.run_worker(self._advance_after_preview(args), group="cmd")

    def action_knowledge(self) -> None:
        """Open or close the knowledge check: before, then after (the key comes after)."""
        step = self.view.teaching.knowledge_step()
        if step is None:
            none = not self.view.teaching.questions
            said = _("This scenario has no knowledge check") if none else None
            self.notify(said or _("The knowledge check is done"), severity="warning")
            return
        stage, opening = step
        question, done = KNOWLEDGE_WORDS.get((stage, opening), KNOWLEDGE_WORDS["before", True])
        yes = _("Open (y)") if opening else _("Close (y)")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.send("knowledge.open", {"stage": stage, "open": opening}, _(done))

        self.push_screen(ConfirmDialog(_(question), yes, _("Cancel (n)")), confirmed)

    def action_emergency(self) -> None:
        done = _("Emergency lifted") if self.view.emergency else _("Emergency declared")
        self._ask(EmergencyDialog(self.view), self._then("emergency.declare", done))

    def action_mode(self) -> None:
        """Coaching warns players before they send; an exam lets the consequences arrive."""
        mode = "coaching" if self.view.mode == "exam" else "exam"
        exam = _("Exam mode: no warnings before sending")
        done = exam if mode == "exam" else _("Coaching mode")
        self.send("mode.set", {"mode": mode}, done)

    def action_projector(self) -> None:
        """The big-screen view for the room (Esc or b comes back)."""
        if not isinstance(self.screen, ProjectorScreen):
            self.push_screen(ProjectorScreen(self.view))

    def action_end_exercise(self) -> None:
        if self.view.ended is not None:
            self.notify(_("The exercise has already ended"), severity="warning")
            return
        self._ask(EndDialog(), self._then("exercise.end", _("Exercise ended")))

    def exercise_over(self) -> None:
        """The exercise just ended: say where the report comes from. A remote console
        cannot read the event log; `tte host` overrides this to write it."""
        self.notify(
            _(
                "Every seat sees the end and the debrief. Write the after-action report on "
                "the host: tte report DIR (the exercise's data directory)."
            ),
            title=_("The exercise is over"),
            timeout=30,
        )

    def action_rate(self) -> None:
        if not self.view.objectives:
            self.notify(_("This exercise has no objectives to rate"), severity="warning")
            return
        current = self.case_pane.objectives.current_key if self.active_tab == "case" else None
        self._ask(
            RatingDialog(self.view, current), self._then("rating.submit", _("Rating recorded"))
        )

    def _then(self, op: str, done: str) -> Any:
        def callback(args: Args | None) -> None:
            if args is not None:
                self.send(op, args, done)

        return callback

    def _current_inject(self) -> str | None:
        iid = self.msel_pane.current
        if iid is None or iid.startswith("+"):
            self.notify(_("Choose a scenario inject in the MSEL tab first"), severity="warning")
            return None
        return iid

    def action_release(self) -> None:
        iid = self._current_inject()
        if iid is None:
            return
        row = self.view.injects[iid]

        def go(yes: bool | None) -> None:
            if yes:
                self.send("inject.release", {"id": iid}, _("Released {id}").format(id=iid))

        question = _("Release {id} “{title}” to {seats} now?").format(
            id=iid, title=self.view.text(row.title), seats=", ".join(row.to)
        )
        self._ask(ConfirmDialog(question), go)

    def action_skip(self) -> None:
        iid = self._current_inject()
        if iid is None:
            return

        def go(yes: bool | None) -> None:
            if yes:
                self.send("inject.skip", {"id": iid}, _("Skipped {id}").format(id=iid))

        self._ask(ConfirmDialog(_("Skip {id}? It will not be released.").format(id=iid)), go)

    def action_move(self) -> None:
        iid = self._current_inject()
        if iid is not None:
            self._ask(
                MoveDialog(self.view, iid),
                self._then("inject.move", _("Moved {id}").format(id=iid)),
            )

    def action_respond(self) -> None:
        rid = self.traffic_pane.current
        row = self.view.requests.get(rid) if rid else None
        if row is None:
            self.notify(_("Choose a request in the Traffic tab first"), severity="warning")
            return
        if not row.req.decisions:  # core lists none while it travels or is closed
            said = (
                _("{id} is on its way: nobody holds it now")
                if row.req.in_transit
                else _("{id} is {state}: nobody holds it now")
            )
            state = status_word(row.status)
            self.notify(said.format(id=row.id, state=state), severity="warning")
            return
        self._ask(RespondDialog(self.view, row), self._then("request.respond", _("Answered")))

    def action_log_filter(self) -> None:
        self.log_pane.action_focus_filter()

    def action_join_sheet_anywhere(self) -> None:
        self.action_join_sheet()

    def action_join_sheet(self) -> None:
        text = self.view.text  # the scenario's words in the console's language
        briefings = {
            str(country): {str(role): text(str(md)) for role, md in roles.items()}
            for country, roles in (self.view.info.get("briefings") or {}).items()
            if isinstance(roles, dict)
        }
        info = joinsheet.SheetInfo(
            title=text(str(self.view.info.get("title", ""))),
            exercise=str(self.view.info.get("id", "exercise")),
            urls=self.join_urls(),
            codes=self.roster_codes() or {},
            ssh_port=self.ssh_port,
            country_names={c["code"]: c["name"] for c in self.view.info.get("countries", [])},
            fingerprint=self.ssh_fingerprint(),
            briefings=briefings,
            data_dir=str(self.data_dir) if self.data_dir else "",
        )
        if not info.codes:
            self.notify(_("No join codes known: nothing to print"), severity="error")
            return
        path = join_sheet_file(self.sheet_dir, info.exercise)
        md = join_cards_file(self.sheet_dir, info.exercise, ".md")
        txt = join_cards_file(self.sheet_dir, info.exercise, ".txt")
        try:
            self.last_sheet = joinsheet.write(info, path)
            joinsheet.write(info, md, joinsheet.render_cards_md(info))
            joinsheet.write(info, txt, joinsheet.render_cards_txt(info))
        except OSError as e:
            said = _("Cannot write {path}: {error}").format(path=path, error=e)
            self.notify(said, severity="error", markup=False)
            return
        self.notify(
            _("Join sheet: {path}\nJoin cards, one page per seat: {md} and {txt}").format(
                path=path, md=md, txt=txt
            ),
            timeout=20,
            markup=False,
        )

    def ssh_fingerprint(self) -> str:
        return ""

    def action_revoke(self) -> None:
        seat = self.roster_pane.current_seat
        row = self.view.seats.get(seat) if seat else None
        if seat is None or row is None:
            return
        if seat == "facilitator":
            said = _("The facilitator's own code is changed with tte roster")
            self.notify(said, severity="warning")
            return
        if not row.code:
            said = _("{seat} is played by a desk: it has no join code").format(seat=seat)
            self.notify(said, severity="warning")
            return

        def go(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._revoke(seat), group="cmd")

        question = _("Give {seat} a new join code and disconnect it?").format(seat=seat)
        self._ask(ConfirmDialog(question), go)

    async def _revoke(self, seat: str) -> None:
        code = await self.revoke_code(seat)
        if code:
            self.view.set_codes({seat: code})
            self.request_roster()
            self.notify(_("{seat} has a new code; the old one no longer works").format(seat=seat))

    async def revoke_code(self, seat: str) -> str | None:
        """A new code for `seat` (roster.revoke); None if refused (and said so)."""
        res = await self.command("roster.revoke", {"seat": seat})
        return str(res.data["code"]) if res.ok and isinstance(res.data, dict) else None

    # ---- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)  # Textual's, in the reader's language
        cmds = [
            (title, help_text, getattr(self, f"action_{action}"))
            for title, help_text, action in PALETTE
        ]
        for title, help_text, cb in cmds:
            yield SystemCommand(_(title), _(help_text) if help_text else "", cb)
        for tab in TABS:
            yield SystemCommand(
                _("Show the {tab} tab").format(tab=_(TAB_NAMES[tab])),
                "",
                lambda t=tab: self.action_show_tab(t),  # type: ignore[misc]
            )
        for iid, row in self.view.injects.items():
            if row.status in ("pending", "scheduled") and not row.adhoc:
                done = _("Released {id}").format(id=iid)
                yield SystemCommand(
                    _("Release inject {id}: {title}").format(
                        id=iid, title=inert_line(self.view.text(row.title), 80)
                    ),
                    _("Now, to its seats"),
                    lambda i=iid, d=done: self.send("inject.release", {"id": i}, d),  # type: ignore[misc]
                )


# The facilitator's palette entries (Ctrl+P): title, what it does, the action it runs.
PALETTE = [
    (N_("Pause or resume the clock"), N_("Key p"), "toggle_pause"),
    (N_("Set the clock speed"), N_("Game time per wall second"), "speed"),
    (N_("Jump the clock forward"), N_("With a reason every seat sees"), "advance"),
    (N_("Send an ad-hoc inject"), N_("To chosen seats"), "send_inject"),
    (N_("Open or close the survey"), N_("The hotwash survey every seat answers"), "survey"),
    (N_("Declare or lift an emergency"), N_("2AP Art 3: risk to life or safety"), "emergency"),
    (
        N_("Switch between coaching and exam"),
        N_("Warnings before sending, or none (key m)"),
        "mode",
    ),
    (N_("Rate an objective (HSEEP 1–4)"), N_("An evaluator's rating, with a comment"), "rate"),
    (N_("End the exercise"), N_("Every seat sees the end and the debrief"), "end_exercise"),
    (N_("Give the chosen seat a new join code"), N_("The old code stops working"), "revoke"),
    (
        N_("Write the join sheet and cards"),
        N_("Markdown and text: addresses, codes, commands, each role's briefing"),
        "join_sheet",
    ),
    (N_("Release a hint card"), N_("Key i"), "hints"),
    (N_("Begin a phase of the running order"), N_("Key f"), "phases"),
    (N_("Open or close the knowledge check"), N_("Key k"), "knowledge"),
    (N_("Show the projector view"), N_("Key b; Esc comes back"), "projector"),
]

# The knowledge check's question and the toast once done: (stage, opening) -> words.
KNOWLEDGE_WORDS = {
    ("before", True): (
        N_("Open the knowledge check (before play)?"),
        N_("Knowledge check (before) opened"),
    ),
    ("before", False): (
        N_("Close the knowledge check (before play)?"),
        N_("Knowledge check (before) closed"),
    ),
    ("after", True): (
        N_("Open the knowledge check (after play)?"),
        N_("Knowledge check (after) opened"),
    ),
    ("after", False): (
        N_(
            "Close the knowledge check (after play)? Closing it shows every seat the answers "
            "and why."
        ),
        N_("Knowledge check (after) closed"),
    ),
}

# What a clock jump would do (clock.preview's lists), one line each.
PREVIEW_LINES = (
    ("delete", N_("Delete: {items}")),
    ("fire", N_("Release the injects: {items}")),
    ("expire", N_("Expire: {items}")),
    ("lapse", N_("End the preservation of: {items}")),
    ("begin", N_("Begin the phase: {items}")),
)


def _deleted(view: ConsoleView, entry: str) -> str:
    """A deletion in the preview, ``title (reason)`` as core writes it, in the reader's
    words."""
    title, sep, reason = entry.rpartition(" (")
    if sep and reason.endswith(")") and reason[:-1] in DELETE_REASONS:
        return f"{view.text(title)} ({delete_reason(reason[:-1])})"
    return view.text(entry)


def preview_text(view: ConsoleView, data: dict[str, Any], seconds: float) -> str:
    """clock.preview's answer in the reader's words: its lists, each item a scenario text
    (the server's English sentence only from a server that sends no lists)."""
    from tte.core.duration import format_duration

    if not any(isinstance(data.get(key), list) for key, _w in PREVIEW_LINES):
        return str(data.get("text", ""))
    span = format_duration(seconds)
    shown = {key: [view.text(str(x)) for x in data.get(key) or []] for key, _w in PREVIEW_LINES}
    shown["delete"] = [_deleted(view, str(x)) for x in data.get("delete") or []]
    lines = [
        _(words).format(items="; ".join(shown[key])) for key, words in PREVIEW_LINES if shown[key]
    ]
    if not lines:
        return _("Advancing by {span} deletes, fires and expires nothing.").format(span=span)
    return "\n".join([_("Advancing by {span} would:").format(span=span), *lines])

"""PlayerApp: the Textual app every seat plays in.

It holds no authority: the screens show the ClientModel, which only folds server frames,
and every user action is a command whose result (or refusal) comes back from the server.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static, TabbedContent, TabPane, Tabs

from tte import protocol as p
from tte.client.confirm import ConfirmDialog
from tte.client.lang import (
    ReadersPalette,
    error_text,
    language_choices,
    translate_bindings,
)
from tte.client.model import ClientModel
from tte.client.net import OFFLINE, ConnState, Link, LinkStatus
from tte.i18n import N_, _, ngettext, switch, use

from ..safe import InertToasts
from .actions import DecisionScreen
from .briefing import BriefingPane
from .casefile import CaseFilePane
from .composer import ComposerPane, TemplateForm, findings
from .connect import ConnectScreen, load_last_server, save_last_server, server_problem
from .directory import DirectoryPane
from .ending import EndScreen
from .header import SeatHeader
from .help import role_help
from .inbox import InboxPane
from .knowledge import STAGE_WORDS, KnowledgeScreen
from .lazy import PaneBuilt
from .palette import PlayerCommands
from .safe import inert
from .survey import THANKS, SurveyPane, check_answers
from .tabs import PlayerTabs
from .themes import HIGH_CONTRAST, READABLE
from .tracker import Decide, TrackerPane

WIDE = 110  # columns from which lists and details sit side by side
MIN_SIZE = (80, 24)  # what every screen is laid out for; smaller terminals are told


class HelpScreen(ModalScreen[None]):
    """The role's help; it scrolls by keyboard (Up/Down, PageUp/PageDown, Home/End): the
    Markdown sits in a focused scroll container, since a Markdown widget takes no keys."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-scroll {
        width: 90%; max-width: 110; height: 90%; border: thick $accent;
        background: $surface;
    }
    HelpScreen #help-scroll > Markdown { padding: 0 1; }
    """
    BINDINGS = [("escape,f1,q", "dismiss", N_("Close"))]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_subtitle = _("↑↓ PgUp PgDn Home End scroll · Esc closes")
            yield Markdown(self.text)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()


# Set by the SSH gateway for its sessions: the app runs on someone else's machine, so the
# server is the gateway's (not editable: no fetching arbitrary URLs from there) and no
# command writes files (screenshots) or reads them (theme files).
LOCKED_ENV = "TTE_LOCKED"


LOCKED_TIMEOUT = 5.0  # seconds to reach the server and be answered, under the gateway


def locked() -> bool:
    return os.environ.get(LOCKED_ENV) == "1"


def client_name() -> str:
    """What hello says we are; a launcher such as the SSH gateway adds itself via TTE_CLIENT."""
    via = os.environ.get("TTE_CLIENT", "").strip()
    return f"tte-play ({via[:40]})" if via else "tte-play"


class PlayerApp(ReadersPalette, InertToasts):
    CSS_PATH = "player.tcss"
    TITLE = "tte"
    COMMANDS = App.COMMANDS | {PlayerCommands}
    TABS: ClassVar[list[tuple[str, str]]] = [
        ("inbox", N_("Inbox")),
        ("compose", N_("Compose")),
        ("cases", N_("Cases")),
        ("casefile", N_("Case file")),
        ("directory", N_("Directory")),
        ("briefing", N_("Briefing")),
    ]
    BINDINGS: ClassVar = [
        # In F-key order, with words short enough that every tab's key fits the footer at
        # 80 columns, the survey's too once it is open (the tab bar names each tab in
        # full). F9 (theme) alone is left to F1 help, which lists every key, and Ctrl+P.
        # TRANSLATORS: the footer's words are short: F1 to F8 and ^q must fit 80 columns.
        Binding("f1", "help", N_("Help")),
        Binding("f2", "tab('inbox')", N_("Inbox")),
        Binding("f3", "tab('compose')", N_("Compose")),
        Binding("f4", "tab('cases')", N_("Cases")),
        Binding("f5", "tab('casefile')", N_("File"), tooltip=N_("Case file")),
        Binding("f6", "tab('directory')", N_("Dir"), tooltip=N_("Directory")),
        Binding("f7", "tab('survey')", N_("Survey")),  # shown once a survey was opened
        Binding("f8", "tab('briefing')", N_("Brief"), tooltip=N_("Briefing")),
        Binding("f9", "toggle_theme", N_("Theme"), show=False),
        Binding("ctrl+s", "send", N_("Send"), show=False),
        Binding("ctrl+t", "knowledge", N_("Check"), show=False),  # the knowledge check
        Binding("ctrl+q", "quit", N_("Quit")),
    ]

    # Under the SSH gateway no screenshot is written into the gateway's home (the palette's
    # Screenshot calls deliver_screenshot; the key binding, action_screenshot).
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        if not locked():
            super().action_screenshot(filename, path)

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        if locked():
            self.notify(_("Screenshots are not available over SSH"), severity="warning")
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def __init__(
        self,
        url: str | None = None,
        code: str | None = None,
        *,
        config: Path | None = None,
        model: ClientModel | None = None,
        wall: Callable[[], float] = time.monotonic,
        lang: str | None = None,
        seat_default: bool = False,
    ) -> None:
        """`model` without url/code renders a prepared model with no server (snapshots).

        `lang`: the reader's language (``--lang``, ``LANG``), English when None; with
        `seat_default` (``tte play`` when nobody chose) the seat's country chooses at the
        welcome."""
        self.lang_chosen = lang is not None or not seat_default
        self.tr = use(lang)  # this app's reader: its tasks all draw through it
        super().__init__()
        translate_bindings(self)
        self.url, self.code = url, code
        self.config = config
        self.model = model or ClientModel()
        self.offline = model is not None and not (url and code)
        self.link: Link | None = None
        self.wall = wall
        self._refresh_pending = False
        self._ticks = 0
        self._survey_said: bool | None = None  # the survey state last announced
        self._knowledge_said: tuple[str | None, bool] = (None, False)  # stage, keyed
        self._end_shown = False
        self.register_theme(HIGH_CONTRAST)
        self.theme = READABLE

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")
        yield SeatHeader(id="seat-header")
        with PlayerTabs(id="tabs"):
            with TabPane(_("Inbox"), id="inbox-tab"):
                yield InboxPane()
            with TabPane(_("Compose"), id="compose-tab"):
                yield ComposerPane()
            with TabPane(_("Cases"), id="cases-tab"):
                yield TrackerPane()
            with TabPane(_("Case file"), id="casefile-tab"):
                yield CaseFilePane()
            with TabPane(_("Directory"), id="directory-tab"):
                yield DirectoryPane()
            with TabPane(_("Survey"), id="survey-tab"):
                yield SurveyPane()
            with TabPane(_("Briefing"), id="briefing-tab"):
                yield BriefingPane()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#tabs", TabbedContent).hide_tab("survey-tab")
        self.say_size(self.size.width, self.size.height)
        self.set_interval(1.0, self._tick)
        if self.offline:
            self.refresh_views()
        elif self.url and self.code and server_problem(self.url):
            self.ask_connect(server_problem(self.url), "server")  # `tte play ws//host`
        elif self.url and self.code:
            self.connect(self.url, self.code)
        else:
            self.ask_connect()

    def on_resize(self, event: Resize) -> None:
        self.screen.set_class(event.size.width < WIDE, "narrow")
        self.say_size(event.size.width, event.size.height)

    def say_size(self, width: int, height: int) -> None:
        """A banner while the terminal is smaller than the screens are laid out for."""
        found = self.query("#too-small")
        if not found:
            return
        banner = found.first(Static)
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        banner.display = small
        if small:
            banner.update(
                _(
                    "Terminal too small ({width}×{height}): tte needs at least "
                    "{min_width}×{min_height}. Enlarge the window or make the font smaller."
                ).format(width=width, height=height, min_width=MIN_SIZE[0], min_height=MIN_SIZE[1])
            )

    # ---- connection ---------------------------------------------------------------------

    def ask_connect(self, error: str = "", wrong: str = "") -> None:
        server = self.url or load_last_server(self.config)

        def chosen(result: tuple[str, str] | None) -> None:
            if result:
                self.connect(*result)

        self.push_screen(
            ConnectScreen(server, self.code or "", error, wrong, fixed=locked()), chosen
        )

    def connect(self, url: str, code: str) -> None:
        self.url, self.code = url, code
        if locked():
            # Over SSH the server is fixed and the person cannot fix an address: one short
            # try, then the connect screen says so (no half-minute of silent retries).
            self.link = Link(
                url,
                code,
                client=client_name(),
                open_timeout=LOCKED_TIMEOUT,
                join_timeout=LOCKED_TIMEOUT,
                initial_attempts=1,
            )
        else:
            self.link = Link(url, code, client=client_name())
        self._pump(self.link)

    @work(exclusive=True, group="link")
    async def _pump(self, link: Link) -> None:
        link.start()
        ever_online = False
        code_refused = False  # the server answered and turned the code down
        async for item in link:
            notices = self.model.apply(item, wall=self.wall())
            if isinstance(item, p.Welcome):
                ever_online = True
                self._seat_language()
                if not os.environ.get("TTE_CLIENT"):  # a gateway's children share one home
                    save_last_server(link.url, self.config)
            elif isinstance(item, p.Error):
                code_refused = item.code in (p.ErrorCode.UNAUTHORIZED, p.ErrorCode.RATE_LIMITED)
                self.notify(inert(error_text(item)), title=_("Server"), severity="error")
            elif isinstance(item, LinkStatus) and item.state is ConnState.FAILED:
                if not ever_online:
                    wrong = "code" if code_refused else "server"
                    why = _("Could not join: {reason}").format(reason=inert(item.reason, 120))
                    if locked() and not code_refused:
                        why = _(
                            "Could not reach the exercise server ({reason}). "
                            "Press Enter to try again, or tell your facilitator."
                        ).format(reason=inert(item.reason, 80))
                    self.ask_connect(why, wrong)
            for n in notices:
                self.notify(
                    inert(n.message, 200),
                    title=inert(n.title, 60),
                    severity=n.severity,  # type: ignore[arg-type]
                    markup=False,  # the facilitator's and other seats' words are text
                )
            self.schedule_refresh()
        await link.close()

    async def call(self, op: str, args: dict[str, Any]) -> p.Result:
        if self.link is None:
            return p.error_result("", OFFLINE, _("Not connected to a server"))
        return await self.link.call(op, args)

    # ---- refreshing ---------------------------------------------------------------------

    @on(PaneBuilt)
    def _pane_built(self) -> None:
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """Coalesce a burst of frames (a reconnect backlog) into one redraw."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.call_later(self.refresh_views)

    def now(self) -> float:
        return self.model.now(self.wall())

    def mounted(self) -> bool:
        """Are the screen's widgets there (not yet mounted, or torn down on exit)?"""
        return bool(self.query(SeatHeader))

    def refresh_header(self) -> None:
        if self.mounted():
            self.query_one(SeatHeader).show(self.model, self.now())

    def refresh_views(self) -> None:
        self._refresh_pending = False
        if not self.mounted():
            return
        now = self.now()
        m = self.model
        self.refresh_header()
        self.query_one(InboxPane).show(m)
        self.query_one(ComposerPane).show(m)
        self.query_one(TrackerPane).show(m, now)
        self.query_one(CaseFilePane).show(m, now)
        self.query_one(DirectoryPane).show(m)
        self.query_one(SurveyPane).show(m)
        self.query_one(BriefingPane).show(m)
        self._announce_survey()
        self._announce_knowledge()
        self._announce_deadlines(now)
        self._announce_end()
        unread = m.unread()
        waiting = len(m.waiting())
        # Marked like an unread item until first opened: seats whose inbox starts with an
        # inject would otherwise never learn that their orders are there.
        unread_briefing = not self.query_one(BriefingPane).built and bool(m.seat_briefing)
        self._relabel(
            {
                "inbox-tab": _("Inbox") + (f" ({unread})" if unread else ""),
                "compose-tab": _("Compose"),
                "cases-tab": _("Cases") + (f" ▶{waiting}" if waiting else ""),
                "casefile-tab": _("Case file"),
                "directory-tab": _("Directory"),
                "survey-tab": _("Survey"),
                "briefing-tab": _("Briefing") + (" ●" if unread_briefing else ""),
            }
        )

    def _relabel(self, labels: dict[str, str]) -> None:
        """New tab labels; the underline is moved once the bar is laid out again (Textual
        places it when a label changes, before the tab took its new width)."""
        tabs = self.query_one("#tabs", TabbedContent)
        changed = False
        for tab_id, label in labels.items():
            tab = tabs.get_tab(tab_id)
            if str(tab.label) != label:
                tab.label = label  # type: ignore[assignment]
                changed = True
        if changed:
            bar = tabs.query_one(Tabs)
            self.call_after_refresh(bar._highlight_active, False)

    def _announce_end(self) -> None:
        """The end screen with the debrief, once (also when joining after the end)."""
        if self.model.ended is not None and not self._end_shown:
            self._end_shown = True
            self.push_screen(EndScreen(self.model.ended))

    def _announce_deadlines(self, now: float) -> None:
        for n in self.model.due_soon(now):
            self.notify(inert(n.message, 200), title=inert(n.title), severity="warning")

    def _announce_survey(self) -> None:
        """A toast when the survey opens or closes (also when learnt from the backlog)."""
        state = self.model.survey.open
        if state is None or state == self._survey_said:
            return
        if state:
            self.query_one("#tabs", TabbedContent).show_tab("survey-tab")
            self.notify(
                _("The hotwash survey is open: answer it in the Survey tab (F7)."),
                title=_("Survey"),
            )
        elif self._survey_said:
            self.notify(_("The survey is closed."), title=_("Survey"))
        self._survey_said = state
        self.refresh_bindings()

    def _announce_knowledge(self) -> None:
        """A toast when a knowledge check stage opens, and when its answers are out."""
        k = self.model.knowledge
        state = (k.open, k.keyed)
        if not k.seen or state == self._knowledge_said or not k.questions:
            self._knowledge_said = state
            return
        if k.open:
            stage = _(STAGE_WORDS[k.open]) if k.open in STAGE_WORDS else k.open
            self.notify(
                _("Answer the knowledge check ({stage}): Ctrl+T.").format(stage=stage),
                title=_("Knowledge check"),
            )
        elif k.keyed and not self._knowledge_said[1]:
            self.notify(
                _("The answers are out: Ctrl+T shows them and why."), title=_("Knowledge check")
            )
        self._knowledge_said = state

    async def action_knowledge(self) -> None:
        """The knowledge check, as a dialog: answers sent on Ctrl+S (the server checks)."""
        k = self.model.knowledge
        if not k.questions or (k.open is None and not k.keyed):
            self.notify(_("No knowledge check is open."), title=_("Knowledge check"))
            return
        if isinstance(self.screen, KnowledgeScreen):
            return
        stage = k.open

        async def answered(answers: dict[str, str] | None) -> None:
            if not answers or stage is None:
                return
            result = await self.call("knowledge.answer", {"stage": stage, "answers": answers})
            if not result.ok:
                assert isinstance(result.error, p.ErrorBody)
                self.notify(
                    inert(error_text(result.error)), title=_("Not recorded"), severity="error"
                )
                return
            k.sent[stage] = answers
            self.notify(_("Your answers were recorded."), title=_("Knowledge check"))

        self.push_screen(KnowledgeScreen(k, self.model.text), answered)

    def _tick(self) -> None:
        self._ticks += 1
        if not self.mounted():
            return
        self.refresh_header()
        now = self.now()
        self._announce_deadlines(now)  # a clock advanced while paused brings them closer too
        if self.model.clock.paused:
            return
        if self._ticks % 5 == 0:  # countdowns move in game time
            self.query_one(TrackerPane).show(self.model, now)
            self.query_one(CaseFilePane).show(self.model, now)

    # ---- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("tab", "help", "send") and isinstance(self.screen, ConnectScreen):
            return False  # not joined yet: no tabs to go to (the footer shows none)
        if action == "tab" and parameters == ("survey",):
            return self.model.survey.open is not None
        return True

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#tabs", PlayerTabs)
        if tab == "survey":
            if self.model.survey.open is None:
                return
            tabs.show_tab("survey-tab")
        tabs.switch(f"{tab}-tab")

    async def action_quit(self) -> None:
        """Quit, but ask first when a form holds an unsent draft (it would be lost)."""
        if isinstance(self.screen, ConfirmDialog):
            return  # already asking
        drafts = self.query_one(ComposerPane).drafts()
        if not drafts:
            self.exit()
            return
        names = ", ".join(f"“{_(d.tpl.title)}”" for d in drafts)

        async def answered(yes: bool | None) -> None:
            if yes:
                self.exit()
            else:  # back to the draft
                await self.compose_template(drafts[0].tpl.id)

        self.push_screen(
            ConfirmDialog(
                ngettext(
                    "Quit and lose your unsent {names} form?",
                    "Quit and lose your unsent {names} forms?",
                    len(drafts),
                ).format(names=names),
                yes=_("Quit (y)"),
                no=_("Keep writing (n)"),
            ),
            answered,
        )

    def action_help(self) -> None:
        self.push_screen(HelpScreen(role_help(self.model.role)))

    def _seat_language(self) -> None:
        """Nobody chose a language: the seat's country's first language the program has
        (scenario ``countries[].languages``), once the welcome named the seat."""
        if self.lang_chosen:
            return
        country = self.model.country
        have = dict(language_choices())
        for code in country.languages if country else []:
            if code in have:
                if code != self.tr.lang:
                    self.set_language(code, chosen=False)
                return

    def set_language(self, code: str, chosen: bool = True) -> None:
        """Draw every screen in `code` from now on (the palette's Language entries)."""
        self.lang_chosen = self.lang_chosen or chosen
        self.tr = switch(code)
        translate_bindings(self)
        self.refresh_bindings()
        self.refresh_views()

    def action_toggle_theme(self) -> None:
        self.theme = READABLE if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def action_reconnect(self) -> None:
        if self.link is not None:
            self.link.reconnect_now()

    def action_mark_all_read(self) -> None:
        for i in self.model.inbox:
            i.unread = False
        self.refresh_views()

    async def compose_template(self, tid: str) -> TemplateForm | None:
        self.action_tab("compose")
        pane = self.query_one(ComposerPane)
        if pane.model is None:  # joined a moment ago: the views' refresh is still queued
            pane.show(self.model)
        return await pane.open_template(tid)

    async def action_send(self) -> None:
        active = self.query_one("#tabs", TabbedContent).active
        if active == "survey-tab":
            await self.send_survey()
            return
        form = self.query_one(ComposerPane).current_form()
        if form is not None and active == "compose-tab":
            await self.send_form(form)

    @on(SurveyPane.Send)
    async def _on_survey_send(self) -> None:
        await self.send_survey()

    async def send_survey(self) -> None:
        """Check like the server, then send; a refusal goes next to its question."""
        pane = self.query_one(SurveyPane)
        survey = self.model.survey
        if not survey.open:
            return
        await pane.build()  # Ctrl+S may come before the tab's first Show was handled
        answers = pane.values()
        errors = check_answers(survey.questions, answers)
        pane.show_errors(errors)
        if errors:
            return
        result = await self.call("survey.answer", {"answers": answers})
        if not result.ok:
            assert isinstance(result.error, p.ErrorBody)
            pane.show_result_error(result.error)
            return
        survey.sent = answers
        pane.show(self.model)
        self.notify(_(THANKS) + ".", title=_("Survey"))

    @on(TemplateForm.Send)
    async def _on_send(self, event: TemplateForm.Send) -> None:
        await self.send_form(event.form)

    async def send_form(self, form: TemplateForm) -> None:
        """Check with the server (a dry run), then submit (or amend); refusals go next to
        the field."""
        args = form.values()
        errors, warnings = findings(await self.call("request.check", form.check_args(args)))
        if errors:
            form.show_errors(errors, warnings)
            return
        if warnings and not form.confirm_missing:
            form.show_errors({}, warnings)
            form.confirm_missing = True
            form.query_one("#send").label = _("Send anyway")  # type: ignore[attr-defined]
            self.notify(
                _(
                    "Legal elements are missing: the requested Party will return the request. "
                    "Press Send again to send it anyway."
                ),
                severity="warning",
            )
            return
        form.confirm_missing = False
        if form.amend_id:
            op = "request.amend"
            payload = {"id": form.amend_id, "fields": args["fields"], "evidence": args["evidence"]}
        else:
            op = "request.submit"
            payload = {k: v for k, v in args.items() if v is not None}
        result = await self.call(op, payload)
        if not result.ok:
            assert isinstance(result.error, p.ErrorBody)
            form.show_result_error(result.error)
            return
        data = result.data if isinstance(result.data, dict) else {}
        rid = str(data.get("id", ""))
        self.notify(_("{id} sent").format(id=inert(rid)), title=inert(_(form.tpl.title), 60))
        form.clear()
        self.action_tab("cases")
        self.schedule_refresh()
        self.call_after_refresh(self.query_one(TrackerPane).select, rid)

    @on(InboxPane.OpenRequest)
    async def _open_request(self, event: InboxPane.OpenRequest) -> None:
        self.action_tab("cases")
        tracker = self.query_one(TrackerPane)
        # Built now, not on its first Show: the button that asked lives in the pane just
        # hidden, and the Show that builds Cases may come late or not at all.
        await tracker.build()
        tracker.select(event.request_id)

    @on(Decide)
    async def _decide(self, event: Decide) -> None:
        r = self.model.requests.get(event.request_id)
        if r is None:
            return
        if event.decision == "forward":
            result = await self.call("request.respond", {"id": r.id, "decision": "forward"})
            if result.ok:
                self.notify(_("{id} sent on").format(id=inert(r.id)))
            else:
                assert isinstance(result.error, p.ErrorBody)
                self.notify(inert(error_text(result.error)), title=r.id, severity="error")
        elif event.decision == "amend":
            form = await self.compose_template(r.template)
            if form is not None:
                form.clear()
                form.set_values(r.fields, r.evidence)
                form.amend_id = r.id
                resend = _("Resend {id}").format(id=r.id)
                form.query_one("#send").label = resend  # type: ignore[attr-defined]
                form.show_errors({}, {m: _("Returned: complete this") for m in r.missing})
        else:

            def done(result: p.Result | None) -> None:
                if result is not None:
                    sent = _("{id}: {decision} sent")
                    self.notify(sent.format(id=inert(r.id), decision=_(event.decision)))

            self.push_screen(DecisionScreen(event.decision, r, self.model, self.call), done)

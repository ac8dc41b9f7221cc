"""The player app by keyboard only, from wherever the focus really lands, at 80×24 against
a real server: each role's first minutes, Enter on an inbox request, a form sent with
Ctrl+S, the palette's "Go to …", F-keys after each. A tab counts as shown when the tab
bar underlines it, the screen draws its pane, and the keys go into that pane."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from player_support import PRESERVATION, Seats, type_text, until
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Input,
    ListView,
    Markdown,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.tabbed_content import ContentTab, ContentTabs

from tte.client.player.app import PlayerApp
from tte.client.player.tracker import TrackerPane

SIZE = (80, 24)


def visible_columns(app: PlayerApp, table_id: str) -> list[str]:
    """The headings of a table's columns that fit its width without scrolling."""
    table = app.screen.query_one(table_id, DataTable)
    out, x = [], 0
    for col in table.columns.values():
        x += col.get_render_width(table)
        if x > table.size.width:
            break
        out.append(str(col.label))
    return out


F_KEYS = {
    "f2": "inbox-tab",
    "f3": "compose-tab",
    "f4": "cases-tab",
    "f5": "casefile-tab",
    "f6": "directory-tab",
}


def player(seats: Seats, seat: str, tmp_path: Path) -> PlayerApp:
    return PlayerApp(seats.url, seats.code(seat), config=tmp_path / "cfg")


def online(app: PlayerApp) -> bool:
    return bool(app.model.status and app.model.status.online)


def pane_of(widget: Widget | None) -> str | None:
    if widget is None:
        return None
    return next((a.id for a in widget.ancestors_with_self if isinstance(a, TabPane)), None)


def drawn(app: PlayerApp) -> str | None:
    """The tab whose pane the screen draws in the middle of its body."""
    widget, _ = app.screen.get_widget_at(SIZE[0] // 2, SIZE[1] // 2)
    return pane_of(widget)


def shows(app: PlayerApp, pane: str) -> bool:
    """The person sees `pane`: the tabs say so, the bar underlines it, the screen draws
    it, and what they type goes into it."""
    return (
        app.query_one("#tabs", TabbedContent).active == pane
        and app.query_one(ContentTabs).active == ContentTab.add_prefix(pane)
        and drawn(app) == pane
        and pane_of(app.focused) == pane
    )


def inbox_label_current(app: PlayerApp) -> bool:
    """The Inbox label says the unread count, and every tab is laid out for its label."""
    unread = app.model.unread()
    label = str(app.query_one("#tabs", TabbedContent).get_tab("inbox-tab").label)
    laid_out = all(
        t.region.width == cell_len(str(t.label)) + 2 for t in app.query(ContentTab) if t.display
    )
    return laid_out and label == (f"Inbox ({unread})" if unread else "Inbox")


async def press_and_see(app: PlayerApp, pilot: Pilot[Any], key: str, pane: str) -> None:
    await pilot.press(key)
    await until(pilot, lambda: shows(app, pane))


async def tab_to(pilot: Pilot[Any], app: PlayerApp, selector: str) -> Widget:
    """Press Tab until the widget matching `selector` has the focus (as a person would)."""
    target = app.screen.query_one(selector)
    for _ in range(40):
        if app.focused is target:
            return target
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {selector}; focus is on {app.focused}")


async def every_f_key(app: PlayerApp, pilot: Pilot[Any]) -> None:
    """Each F-key shows its tab; then Tab moves the focus on inside it, as a person
    looking around would, and the next F-key starts from there."""
    for key, pane in [*F_KEYS.items(), ("f2", "inbox-tab"), ("f4", "cases-tab")]:
        await press_and_see(app, pilot, key, pane)
        await pilot.press("tab")


SHORT_PRESERVATION = {  # typed key by key: short, to keep the test quick
    "requesting_authority": "DIICOT",
    "offence": "Ransomware",
    "data_sought": "C2 logs 203.0.113.47 2026-03-01",
    "custodian": "Polderhost",
    "necessity": "Deleted in 4 days",
}


async def type_preservation(pilot: Pilot[Any], app: PlayerApp) -> None:
    """Fill the open preservation form by keys: the recipient picked by typing its name,
    then SHORT_PRESERVATION's texts, each field reached with Tab."""
    to = await tab_to(pilot, app, "#form-preservation #to")
    await pilot.press("enter")
    await type_text(pilot, "Polder")
    await pilot.press("enter")
    assert isinstance(to, Select)
    await until(pilot, lambda: to.value == "polderhost")
    for name, text in SHORT_PRESERVATION.items():
        await tab_to(pilot, app, f"#form-preservation #field-{name}")
        await type_text(pilot, text)


# Every role once; the Dutch seats start with an empty inbox.
ROLES = ["RO/investigator", "RO/prosecutor", "NL/poc", "NL/central_authority"]


@pytest.mark.parametrize("seat", ROLES)
async def test_f_keys_switch_tabs_for_every_role_after_enter_in_the_inbox(
    seats: Seats, tmp_path: Path, seat: str
) -> None:
    app = player(seats, seat, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        # The focus starts in the inbox list: the keys go where the person looks.
        await until(pilot, lambda: shows(app, "inbox-tab"))
        assert isinstance(app.focused, ListView)
        await pilot.press("enter")  # read the highlighted item (if any)
        await every_f_key(app, pilot)


async def test_enter_on_an_inbox_request_then_open_it_in_cases_and_f_keys_still_work(
    seats: Seats, tmp_path: Path
) -> None:
    app = player(seats, "RO/poc", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        await seats.do("RO/investigator", "request.submit", PRESERVATION)
        await seats.advance(3600)
        await until(pilot, lambda: any(i.request_id == "R1" for i in app.model.inbox))
        # As a person would: once the list shows it (the jump's notice came just before).
        inbox = app.screen.query_one("#inbox-list", ListView)
        await until(pilot, lambda: len(inbox.children) == len(app.model.inbox))
        await until(pilot, lambda: isinstance(app.focused, ListView))
        await pilot.press("enter")  # the newest item: the request
        await until(pilot, lambda: app.screen.query_one("#inbox-open").display)
        button = await tab_to(pilot, app, "#inbox-open")
        assert "Open R1 in Cases" in str(button.render())
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "cases-tab"))
        assert app.screen.query_one(TrackerPane).selected == "R1"
        await press_and_see(app, pilot, "f2", "inbox-tab")
        await press_and_see(app, pilot, "f4", "cases-tab")
        await tab_to(pilot, app, "#act-forward")
        await pilot.press("enter")  # the 24/7 point forwards it abroad
        await until(pilot, lambda: seats.request("R1").stop == 2)
        await every_f_key(app, pilot)


async def test_a_form_sent_with_ctrl_s_shows_cases_and_f_keys_still_work(
    seats: Seats, tmp_path: Path
) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and app.model.sendable_templates())
        await press_and_see(app, pilot, "f3", "compose-tab")
        await until(pilot, lambda: app.screen.query("#form-preservation #to"))
        await pilot.pause()
        # 80×24 shows several fields at once, and the offence box is a real text box.
        form = app.screen.query_one("#form-preservation")
        seen = [w for w in form.query(".f-label") if w.region and w.region.bottom <= SIZE[1]]
        assert len(seen) >= 4, [str(w.render()) for w in seen]
        assert app.screen.query_one("#form-preservation #field-offence", TextArea).size.height >= 4
        # F-keys leave a Compose field too.
        await tab_to(pilot, app, "#form-preservation #field-offence")
        await press_and_see(app, pilot, "f2", "inbox-tab")
        await press_and_see(app, pilot, "f3", "compose-tab")
        await type_preservation(pilot, app)
        await pilot.press("ctrl+s")
        # Some legal elements (checkboxes) are left out: the first press warns, the
        # second sends anyway.
        send = app.screen.query_one("#form-preservation #send", Button)
        await until(pilot, lambda: "anyway" in str(send.label))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: seats.request("R1") is not None)
        await until(pilot, lambda: shows(app, "cases-tab"))
        await until(pilot, lambda: app.screen.query_one(TrackerPane).selected == "R1")
        # At 80 columns the request's state, deadline and whereabouts are on screen.
        assert visible_columns(app, "#cases")[:5] == [
            "Id",
            "Request",
            "State",
            "Deadline",
            "Now at",
        ]
        await every_f_key(app, pilot)
        await press_and_see(app, pilot, "f5", "casefile-tab")
        assert visible_columns(app, "#evidence-table")[:4] == [
            "Evidence",
            "Deletion",
            "Trial",
            "Holder",
        ]


@pytest.mark.parametrize(("tab", "label"), [("cases-tab", "Cases"), ("directory-tab", "Directory")])
async def test_the_palettes_go_to_leaves_the_inbox_list(
    seats: Seats, tmp_path: Path, tab: str, label: str
) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and isinstance(app.focused, ListView))
        await pilot.press("down")
        await pilot.press("ctrl+p")
        await until(
            pilot, lambda: app.screen.id == "--command-palette" or len(app.screen_stack) > 1
        )
        await type_text(pilot, f"Go to {label}")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, tab))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: len(app.screen_stack) > 1)
        await type_text(pilot, "Go to Inbox")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "inbox-tab"))


async def test_arrow_keys_stay_in_the_survey_and_the_tab_bar_takes_no_focus(
    seats: Seats, tmp_path: Path
) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app))
        await seats.do("facilitator", "survey.open", {})
        await until(pilot, lambda: app.model.survey.open)
        await press_and_see(app, pilot, "f7", "survey-tab")
        await until(pilot, lambda: app.screen.query("#sq-0"))
        for key in ("right", "right", "left", "down", "tab", "right", "shift+tab", "left"):
            await pilot.press(key)
            await pilot.pause()
            assert shows(app, "survey-tab"), key
        # Tab and Shift+Tab go round the pane's widgets, never onto the tab bar.
        for key in ["tab"] * 12 + ["shift+tab"] * 12:
            await pilot.press(key)
            assert not isinstance(app.focused, ContentTabs)


async def test_clicking_a_tab_takes_the_keys_along(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and isinstance(app.focused, ListView))
        # Click where the tab is once the labels stopped moving: the opening inject arrives
        # and its unread count widens the Inbox label.
        await until(
            pilot,
            lambda: app.model.unread() and not app._refresh_pending and inbox_label_current(app),
        )
        await pilot.click("#--content-tab-cases-tab")
        await until(pilot, lambda: shows(app, "cases-tab"))
        await press_and_see(app, pilot, "f2", "inbox-tab")


async def test_a_seat_with_an_empty_inbox_is_pointed_to_its_briefing_on_f8(
    seats: Seats, tmp_path: Path
) -> None:
    app = player(seats, "NL/poc", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and app.model.exercise)
        head = app.screen.query_one("#inbox-head", Static)
        assert "read your briefing (F8)" in str(head.render())
        tabs = app.query_one("#tabs", TabbedContent)
        # Not read yet (the tab is relabelled after the welcome is drawn: wait for it).
        await until(pilot, lambda: str(tabs.get_tab("briefing-tab").label) == "Briefing ●")
        await press_and_see(app, pilot, "f8", "briefing-tab")
        await until(pilot, lambda: str(tabs.get_tab("briefing-tab").label) == "Briefing")
        text = app.screen.query_one("#briefing-text", Markdown)
        await until(pilot, lambda: "Your seat" in text.source)
        assert "Netherlands — 24/7 point of contact" in text.source
        assert "Execute incoming preservation requests" in text.source  # the role's
        assert "Polderhost B.V." in text.source  # the scenario's, for every seat
        await press_and_see(app, pilot, "f2", "inbox-tab")


async def test_f1_help_scrolls_by_keyboard_to_its_last_line(seats: Seats, tmp_path: Path) -> None:
    from textual.containers import VerticalScroll

    from tte.client.player.app import HelpScreen

    app = player(seats, "RO/poc", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and isinstance(app.focused, ListView))
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        await until(pilot, lambda: app.focused is scroll and scroll.max_scroll_y > 0)
        await pilot.press("down", "pagedown")
        await until(pilot, lambda: scroll.scroll_y > 1)
        await pilot.press("end")
        await until(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y)
        await pilot.press("home")
        await until(pilot, lambda: scroll.scroll_y == 0)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await press_and_see(app, pilot, "f4", "cases-tab")  # and the keys are back


async def test_ctrl_q_quits_at_once_when_nothing_is_drafted(seats: Seats, tmp_path: Path) -> None:
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and isinstance(app.focused, ListView))
        await press_and_see(app, pilot, "f3", "compose-tab")  # an empty form is no draft
        await until(pilot, lambda: app.screen.query("#form-preservation #to"))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None)


async def test_ctrl_q_with_an_unsent_form_asks_and_no_keeps_the_draft(
    seats: Seats, tmp_path: Path
) -> None:
    from tte.client.confirm import ConfirmDialog

    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and app.model.sendable_templates())
        await press_and_see(app, pilot, "f3", "compose-tab")
        await until(pilot, lambda: app.screen.query("#form-preservation #to"))
        offence = await tab_to(pilot, app, "#form-preservation #field-offence")
        await type_text(pilot, "Ransomware")
        await press_and_see(app, pilot, "f2", "inbox-tab")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = str(app.screen.query_one(".dialog-title", Static).render())
        assert "unsent" in question and "preservation" in question.lower()
        await pilot.press("n")  # keep writing: back to the draft
        await until(pilot, lambda: shows(app, "compose-tab"))
        assert app.return_code is None
        assert isinstance(offence, TextArea) and offence.text == "Ransomware"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: app.return_code is not None)


async def test_the_structured_identifiers_are_reached_by_tab_and_shown_at_80x24(
    seats: Seats, tmp_path: Path
) -> None:
    """The production form's date-time with offset, port and language fields are reached
    by Tab from the form and scroll into view at 80×24, each with its label and example."""
    app = player(seats, "RO/investigator", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: online(app) and isinstance(app.focused, ListView))
        await press_and_see(app, pilot, "f3", "compose-tab")
        app.query_one("#template", Select).value = "mla_stored_data"
        await until(pilot, lambda: bool(app.query("#field-moment")))
        for name in ("identifier", "moment", "port", "language"):
            field = await tab_to(pilot, app, f"#field-{name}")
            await until(pilot, lambda f=field: f.region.height and f.region.bottom <= SIZE[1])
        assert "e.g. 2019-05-06T21:14:09+00:00" in app.query_one("#field-moment", Input).placeholder

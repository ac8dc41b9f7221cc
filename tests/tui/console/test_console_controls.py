"""Every console control against a real server, seen from real player links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from console_kit import SIZE, Player, ready, until
from sample_requests import PRESERVATION
from textual.widgets import Input, Select, SelectionList, TextArea
from textual.widgets.tabbed_content import ContentTabs

from tte.client.console.app import ConsoleApp
from tte.client.console.dialogs import (
    AdvanceDialog,
    ConfirmDialog,
    MoveDialog,
    RespondDialog,
    SendInjectDialog,
    SpeedDialog,
)
from tte.client.console.table import KeyedTable
from tte.server.exercise import ExerciseServer

Join = Callable[[str], Awaitable[Player]]


async def players(pilot: Any, join: Join, *seats: str) -> dict[str, Player]:
    out = {s: await join(s) for s in seats}
    await until(pilot, lambda: all(pl.welcome is not None for pl in out.values()), "players")
    return out


async def test_pause_resume_and_speed_are_seen_by_players(console: ConsoleApp, join: Join) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        pl = (await players(pilot, join, "NL/poc"))["NL/poc"]
        assert pl.welcome is not None and pl.welcome.clock.paused

        await pilot.press("p")  # resume
        await until(pilot, lambda: any(not c.paused for c in pl.clocks), "a running clock frame")
        await until(pilot, lambda: not console.view.clock.paused, "the console sees it run")

        await pilot.press("p")  # pause
        await until(pilot, lambda: bool(pl.clocks) and pl.clocks[-1].paused, "a paused frame")
        await until(pilot, lambda: console.view.clock.paused)

        await pilot.press("t")
        await until(pilot, lambda: isinstance(console.screen, SpeedDialog))
        console.screen.query_one("#speed", Input).value = "1h"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(pl.clocks) and pl.clocks[-1].speed == 3600.0, "speed")
        assert pl.clocks[-1].paused


async def test_jump_forward_with_a_reason_every_seat_sees(console: ConsoleApp, join: Join) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        seats = await players(pilot, join, "RO/investigator", "NL/central_authority")
        await pilot.press("g")
        await until(pilot, lambda: isinstance(console.screen, AdvanceDialog))
        console.screen.query_one("#seconds", Input).value = "2w"
        console.screen.query_one("#reason", Input).value = "Two weeks later"
        await pilot.press("ctrl+s")
        # core's preview first: unpreserved logs deleted, the reminder (a branch) fired
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog), "the preview")
        question = console.screen.question
        lines = question.splitlines()
        assert lines[0] == "Advancing by 14d would:"
        assert lines[1].startswith("Delete: Connection logs of the C2 server 203.0.113.47")
        assert lines[1].endswith("(retention period over)")
        assert "Release the injects: The logs will not wait" in question
        await pilot.press("y")

        def jumped(pl: Player) -> bool:
            return any(e.data.get("reason") == "Two weeks later" for e in pl.kinds("clock"))

        await until(pilot, lambda: all(jumped(pl) for pl in seats.values()), "the jump")
        jump = next(e for e in seats["NL/central_authority"].kinds("clock") if e.data.get("jump"))
        assert jump.data["jump"] == 14 * 86400
        await until(pilot, lambda: console.view.now() >= 14 * 86400, "the console's clock")
        # The reminder (nothing preserved by 1d12h) fired during the jump.
        assert console.view.injects["reminder"].status == "released"


async def test_released_inject_reaches_exactly_its_targets(console: ConsoleApp, join: Join) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        seats = await players(pilot, join, "RO/investigator", "RO/poc", "NL/poc")
        await pilot.press("2")
        table = console.query_one("#msel-table", KeyedTable)
        await until(pilot, lambda: "preserved" in table.row_keys())
        table.select_key("preserved")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog))
        await pilot.press("y")

        def got(pl: Player, key: str, value: Any) -> bool:
            return any(e.data.get(key) == value for e in pl.kinds("inject"))

        await until(pilot, lambda: got(seats["RO/investigator"], "id", "preserved"), "delivery")
        await until(pilot, lambda: console.view.injects["preserved"].status == "released")

        # An ad-hoc inject to one chosen seat.
        await pilot.press("n")
        await until(pilot, lambda: isinstance(console.screen, SendInjectDialog))
        dialog = console.screen
        dialog.query_one("#title", Input).value = "Call from the press office"
        dialog.query_one("#text", TextArea).text = "A journalist asks about the attack."
        dialog.query_one("#to", SelectionList).select("NL/poc")
        await pilot.press("ctrl+s")
        title = "Call from the press office"
        await until(pilot, lambda: got(seats["NL/poc"], "title", title), "the ad-hoc inject")
        await until(pilot, lambda: any(r.adhoc for r in console.view.injects.values()))

        # Barrier: a clock event every seat sees, after both injects.
        last = console.view.last_seq
        await pilot.press("p")

        def past(pl: Player) -> bool:
            return any(e.seq > last and e.kind == "clock" for e in pl.events)

        await until(pilot, lambda: all(past(pl) for pl in seats.values()), "the barrier")
        assert not got(seats["RO/poc"], "id", "preserved")
        assert not got(seats["NL/poc"], "id", "preserved")
        assert not got(seats["RO/investigator"], "title", title)
        assert not got(seats["RO/poc"], "title", title)


async def test_override_replaces_a_desk_answer(
    console: ConsoleApp, join: Join, server: ExerciseServer
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        inv = (await players(pilot, join, "RO/investigator"))["RO/investigator"]
        res = await inv.link.call("request.submit", PRESERVATION)
        assert res.ok, res
        rid = res.data["id"]  # type: ignore[index]
        await until(pilot, lambda: bool(inv.kinds("request_submitted")))
        due = inv.kinds("request_submitted")[0].data["due"]
        # Just past its arrival at the Romanian 24/7 desk; the desk acts 2 h later.
        await console.command("clock.advance", {"seconds": int(due) + 60, "reason": "arrive"})

        def waiting() -> bool:
            row = console.view.requests.get(rid)
            return row is not None and not row.snap["in_transit"] and row.snap["at"] == "RO/poc"

        await until(pilot, waiting, "the request waiting at the desk")
        await pilot.click("#tabs #--content-tab-traffic")  # focus stays off the table
        await until(pilot, lambda: console.tabs.active == "traffic", "the Traffic tab")
        table = console.query_one("#traffic-table", KeyedTable)
        await until(pilot, lambda: rid in table.row_keys())
        assert not table.has_focus
        # Every column, Deadline and Last by included, fits 160 columns.
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        table.select_key(rid)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(console.screen, RespondDialog))
        dialog = console.screen
        dialog.query_one("#decision", Select).value = "return"
        dialog.query_one("#message", Input).value = "Name the time zone of the log excerpt"
        await pilot.press("ctrl+s")

        await until(pilot, lambda: console.view.requests[rid].status == "returned", "returned")
        assert console.view.requests[rid].last_by == "facilitator"
        await until(pilot, lambda: bool(inv.kinds("request_returned")), "the sender hears it")
        back = inv.kinds("request_returned")[0]
        assert back.data["by"] == "facilitator"
        assert back.data["message"] == "Name the time zone of the log excerpt"

        # The desk's own decision never comes: run the game well past its delay.
        await console.command("clock.advance", {"seconds": 3 * 86400, "reason": "later"})

        def later() -> bool:
            return any(e.data.get("reason") == "later" for e in inv.kinds("clock"))

        await until(pilot, later, "the second jump")
        desk = [
            e
            for e in inv.events
            if e.kind.startswith("request_") and str(e.data.get("by", "")).startswith("desk:")
        ]
        assert desk == []
        assert server.engine.state.requests[rid].status == "returned"


async def test_join_sheet_lists_every_code(
    console: ConsoleApp, server: ExerciseServer, url: str
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await pilot.press("w")
        await until(pilot, lambda: console.last_sheet is not None, "the join sheet")
    assert console.last_sheet is not None
    text = console.last_sheet.read_text(encoding="utf-8")
    for seat, code in server.roster.seats.items():
        assert seat in text and code in text
        assert f"ssh -p 2222 {code}@127.0.0.1" in text
    assert server.roster.observer in text
    assert server.roster.facilitator not in text  # the sheet is handed out
    assert url in text
    cards = console.last_sheet.with_name("join-cards-tutorial.txt").read_text(encoding="utf-8")
    pages = cards.split("\f")
    assert len(pages) == len(server.roster.seats)
    for code in server.roster.seats.values():
        assert f"tte play {url} --code {code}" in cards
    assert console.last_sheet.with_name("join-cards-tutorial.md").is_file()


async def test_roster_shows_codes_connections_and_presence(
    console: ConsoleApp, join: Join, server: ExerciseServer
) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        table = console.query_one("#roster-table", KeyedTable)
        n = 2 + len(server.scenario.seats())
        await until(
            pilot,
            lambda: len(list(table.row_keys())) == n,
            f"every seat {list(table.row_keys())} {n}",
        )
        await join("NL/poc")
        await join("NL/poc")  # the same seat on two terminals
        row = console.view.seats["NL/poc"]
        await until(pilot, lambda: row.human and row.connections == 2, f"two connections {row}")
        await until(pilot, lambda: str(table.get_row("NL/poc")[4]) == "2", "drawn")
        assert str(table.get_row("NL/poc")[3]) == server.roster.seats["NL/poc"]
        assert str(table.get_row("NL/poc")[6]) == "person"
        assert str(table.get_row("NL/prosecutor")[6]) == "desk"
        assert str(table.get_row("NL/prosecutor")[3]) == "desk only"  # no code: never human


async def test_event_log_filters_by_seat_and_kind(console: ConsoleApp) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await pilot.click("#tabs #--content-tab-log")  # the focus stays on the tab bar
        await until(pilot, lambda: console.tabs.active == "log", "the Log tab")
        table = console.query_one("#log-table", KeyedTable)
        await until(pilot, lambda: table.row_count >= 5)
        await pilot.press("slash")  # the footer's "/ Filter" works from there
        assert console.focused is console.query_one("#log-seat", Input)
        console.query_one("#log-kind", Input).value = "inject"
        await until(pilot, lambda: table.row_count == 1, "one inject")
        console.query_one("#log-kind", Input).value = ""
        console.query_one("#log-seat", Input).value = "NL"
        # NL knows of no evidence yet and got no inject: only what every seat sees.
        await until(
            pilot,
            lambda: (
                {str(table.get_row(k)[2]) for k in table.row_keys()}
                == {
                    "exercise_started",
                    "clock",
                }
            ),
        )


async def test_survey_opens_for_everyone(console: ConsoleApp, join: Join) -> None:
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        pl = (await players(pilot, join, "RO/prosecutor"))["RO/prosecutor"]
        await pilot.press("o")
        await until(pilot, lambda: bool(pl.kinds("survey_opened")), "the survey")
        assert pl.kinds("survey_opened")[0].data["open"] is True
        await until(pilot, lambda: console.view.survey_open)


async def test_msel_skip_and_move_from_the_tab_bar(
    console: ConsoleApp, server: ExerciseServer
) -> None:
    """The MSEL's keys work as soon as its tab shows: here it is reached with the arrow
    keys on the tab bar, and the focus stays there."""
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        await pilot.press("shift+tab")
        assert isinstance(console.focused, ContentTabs)
        await pilot.press("right")
        await until(pilot, lambda: console.tabs.active == "msel", "the MSEL tab")
        assert isinstance(console.focused, ContentTabs)
        table = console.query_one("#msel-table", KeyedTable)
        await until(pilot, lambda: "reminder" in list(table.row_keys()), "the MSEL")
        table.select_key("reminder")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(console.screen, MoveDialog))
        console.screen.query_one("#at", Input).value = "+3h"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: console.view.injects["reminder"].due == 3 * 3600, "moved")
        assert server.engine.state.inject_times["reminder"] == 3 * 3600

        table.select_key("weeks_later")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: console.view.injects["weeks_later"].status == "skipped", "skip")
        assert server.engine.state.injects["weeks_later"] == "skipped"


async def test_m_switches_to_exam_and_players_get_no_warnings(
    console: ConsoleApp, join: Join
) -> None:
    """Coaching warns before sending; in an exam the consequences arrive instead. The
    switch is an event every seat receives, and the status line says EXAM."""
    async with console.run_test(size=SIZE) as pilot:
        await ready(pilot, console)
        pl = (await players(pilot, join, "RO/investigator"))["RO/investigator"]
        await pilot.press("m")
        await until(pilot, lambda: console.view.mode == "exam", "the console sees the exam")
        await until(pilot, lambda: any(e.kind == "mode" for e in pl.events), "players get it")
        # The status line is redrawn by the 10 Hz flush: wait for it, not the frame.
        await until(pilot, lambda: "EXAM" in str(console.status.render()), "EXAM shown")
        draft = {**PRESERVATION, "fields": {"offence": "Ransomware"}}
        res = await pl.link.call("request.submit", draft)
        assert res.ok and res.data["warnings"] == []

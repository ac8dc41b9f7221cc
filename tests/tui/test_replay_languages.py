"""`tte replay` in other languages: every visible string translated, layouts that hold.

The replay app is walked at 80×24 in the pseudo-locale ``xx`` (every catalogue string in
⟦…⟧): the first screen (timeline, the seat's inbox, footer), the seat's Cases, the help,
the search box, a "nothing there" notice, and the facilitator's four tabs. A word outside
⟦…⟧ that is not data (the scenario's names and texts, seat and item ids, times) is a
string that does not go through the translator. One French snapshot shows the replay of a
seat's Cases tab at 80×24; `tte replay --lang` refuses a language it does not have.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from player_support import until
from test_player_languages import data_words, screen_text, untranslated
from test_replay import SEAT, careless, cases_shown, staff_shown  # noqa: F401  (fixture)
from textual.pilot import Pilot

from tte.cli import main as tte
from tte.client.player.app import HelpScreen
from tte.client.replay.app import ReplayApp, SearchBox
from tte.client.replay.source import ReplayLog
from tte.client.replay.timeline import GLYPHS
from tte.core.events import FACILITATOR
from tte.i18n import use

SIZE = (80, 24)


def log_words(log: ReplayLog) -> set[str]:
    """The log's own data: seat ids, request and item ids, and (clipped by a column) the
    prefixes of every data word."""
    words = data_words()
    for ev in log.events:
        text = " ".join([*ev.visible, *(str(v) for v in ev.data.values())])
        words |= set(re.findall(r"[^\W\d_]{2,}", text))
    words |= set(re.findall(r"[^\W\d_]{2,}", " ".join(log.seats())))
    words.add("space")  # the key's name in the footer
    return words | {w[:n] for w in words for n in range(2, len(w))}


async def walk(pilot: Pilot[Any], app: ReplayApp, screen: str) -> None:
    """Bring `screen` up by keys, as a person would."""
    if screen == "cases":
        await pilot.press("f4")
        await until(pilot, lambda: cases_shown(app))
    elif screen == "help":
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
    elif screen == "search":
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchBox))
    elif screen == "nothing":
        await pilot.press("g", "I")  # no inject before the first event: a notice says so
        await until(pilot, lambda: bool(app.screen.query("Toast")))
    elif screen.startswith("staff-"):
        await until(pilot, lambda: staff_shown(app))
        await pilot.press(screen[-1])
    await pilot.pause()


SCREENS = ["first", "cases", "help", "search", "nothing", "staff-3", "staff-4", "staff-5"]
SCREENS.append("staff-6")


@pytest.mark.parametrize("screen", SCREENS)
async def test_every_visible_replay_string_goes_through_the_translator(
    careless: Path,  # noqa: F811
    screen: str,
) -> None:
    log = ReplayLog.open(careless)
    seat = FACILITATOR if screen.startswith("staff-") else SEAT
    use("xx")
    try:
        app = ReplayApp(log, seat=seat, seq=9, lang="xx")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            app.animation_level = "none"
            await walk(pilot, app, screen)
            if screen == "staff-6":  # the figures are computed off the UI thread
                await until(pilot, lambda: "⟦" in str(app.query_one("#figures-summary").render()))
            # The Log's Kind column shows the events' own names (identifiers, as filtered).
            allowed = log_words(log) | {w for e in log.events for w in e.kind.split("_")}
            found = untranslated(await screen_text(pilot), allowed)
            # The timeline's lanes: a run of marks (`I` inject, `r` request…) is no word.
            marks = {g for g, _style in GLYPHS.values()}
            found = [w for w in found if not set(w) <= marks]
    finally:
        use("en")
    assert not found, f"untranslated on {screen}: {sorted(set(found))}"


def test_french_replay_of_a_seats_cases(careless: Path, snap_compare: Any) -> None:  # noqa: F811
    use("fr")
    app = ReplayApp(ReplayLog.open(careless), seat=SEAT, seq=9, lang="fr")

    async def go(pilot: Any) -> None:
        app.animation_level = "none"
        await pilot.press("f4")
        await until(pilot, lambda: cases_shown(app))
        await pilot.pause()

    try:
        assert snap_compare(app, run_before=go, terminal_size=SIZE)
    finally:
        use("en")


def test_replay_refuses_a_language_it_does_not_have(
    careless: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        tte(["replay", str(careless), "--lang", "tlh"])
    assert "no translation for 'tlh'" in capsys.readouterr().err


def test_replay_errors_in_the_readers_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        with pytest.raises(SystemExit, match="aucun journal des événements dans"):
            tte(["replay", str(tmp_path), "--lang", "fr"])
    finally:
        use("en")

"""The scenario's other languages on the wire: each seat gets the translations of the texts
it is shown, and only those, in frames of at most 64 KiB (PROTOCOL.md)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import msgspec
from wsclient import TUTORIAL, Client, Join, make_server

from tte import protocol as p
from tte.client.net import Link
from tte.core.scenario import Scenario, load
from tte.server import ExerciseServer


async def welcome_and_texts(c: Client, code: str) -> tuple[p.Welcome, list[p.TextsMsg], int]:
    """The welcome, the "texts" frames it announces, and the largest frame's size."""
    await c.send(p.Hello(v=p.VERSION, code=code, last_seq=0, client="tests/1"))
    largest = 0
    frames: list[p.Message] = []
    while True:
        raw = await c.ws.recv()
        assert isinstance(raw, bytes)
        largest = max(largest, len(raw))
        msg = p.decode_server(raw)
        frames.append(msg)
        welcome = frames[0]
        assert isinstance(welcome, p.Welcome)
        parts = welcome.parts if isinstance(welcome.parts, int) else 0
        if len(frames) == 1 + parts:
            texts = [m for m in frames[1:] if isinstance(m, p.TextsMsg)]
            assert all(isinstance(m, p.TextsMsg | p.WelcomePart) for m in frames[1:])
            return welcome, texts, largest


def french(texts: list[p.TextsMsg]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in texts:
        out.update(m.texts.get("fr", {}))
    return out


async def test_a_player_gets_the_french_of_what_it_is_shown_and_nothing_else(
    server: ExerciseServer, url: str, scenario: Scenario
) -> None:
    c = await Client.open(url)
    welcome, texts, largest = await welcome_and_texts(c, server.roster.codes()["RO/investigator"])
    got = french(texts)
    fr = scenario.translations["fr"]
    assert got[scenario.exercise.title] == fr[scenario.exercise.title]
    assert got[scenario.exercise.briefing] == fr[scenario.exercise.briefing]
    # Not sent to a player before it happens: injects, hint cards, the check's answers.
    for inj in scenario.injects:
        assert inj.text not in got and (inj.notes or "") not in got
    for h in scenario.hints:
        assert h.text not in got
    for q in scenario.knowledge_check:
        assert q.explanation not in got
    assert "translations" not in welcome.exercise
    assert largest <= p.MAX_FRAME
    await c.close()


async def test_a_released_inject_carries_its_own_french(
    server: ExerciseServer, join: Join, scenario: Scenario
) -> None:
    player = await join("RO/investigator")
    staff = await join("facilitator")
    pending = server.engine.state.injects
    inj = next(
        i
        for i in scenario.injects
        if i.text in scenario.translations["fr"] and pending[i.id] != "released"
    )
    await staff.ok("inject.release", {"id": inj.id})
    await player.until(lambda: any(e.data.get("id") == inj.id for e in player.events))
    ev = next(e for e in player.events if e.data.get("id") == inj.id)
    assert isinstance(ev.texts, dict)
    assert ev.texts["fr"][inj.text] == scenario.translations["fr"][inj.text]


def big_scenario() -> Scenario:
    """The tutorial with a French table far over one frame (as a big scenario has)."""
    sc = load(TUTORIAL)
    table = dict(sc.translations["fr"])
    for i, item in enumerate(sc.evidence):
        table[item.title] = f"{i} " + "é" * 30_000  # 60 kB per text: one frame each
    return msgspec.structs.replace(sc, translations={"fr": table})


async def test_texts_over_one_frame_come_in_parts_and_the_client_has_them_all(
    tmp_path: Path,
) -> None:
    sc = big_scenario()
    srv = make_server(sc, tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        url = f"ws://127.0.0.1:{srv.port}/"
        raw = await Client.open(url)
        _, texts, largest = await welcome_and_texts(raw, srv.roster.codes()["facilitator"])
        assert len(texts) > 2 and largest <= p.MAX_FRAME
        await raw.close()
        async with Link(url, srv.roster.codes()["facilitator"]) as link:
            async with asyncio.timeout(10):
                async for item in link:
                    if isinstance(item, p.Welcome):
                        break
            table = item.exercise["translations"]["fr"]
            assert all(table[e.title].startswith(f"{i} ") for i, e in enumerate(sc.evidence))
            assert table[sc.exercise.title] == sc.translations["fr"][sc.exercise.title]
    finally:
        await srv.stop()


async def test_a_fifty_country_exercise_reaches_the_facilitator_whole(tmp_path: Path) -> None:
    """The facilitator's welcome of 50 countries × 4 roles is ~90 kB: it comes in parts of
    at most 64 KiB, and the console gets it whole."""
    from bench.procs import bench_scenario

    sc = load(bench_scenario(tmp_path / "big.yaml", 50))
    srv = make_server(sc, tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        url = f"ws://127.0.0.1:{srv.port}/"
        code = srv.roster.codes()["facilitator"]
        raw = await Client.open(url)
        welcome, _, largest = await welcome_and_texts(raw, code)
        assert isinstance(welcome.parts, int) and welcome.parts > 1 and largest <= p.MAX_FRAME
        await raw.close()
        async with Link(url, code) as link:
            async with asyncio.timeout(10):
                async for item in link:
                    if isinstance(item, p.Welcome):
                        break
            full = srv.engine.welcome_info("facilitator")
            got = {k: v for k, v in item.exercise.items() if k != "translations"}
            assert msgspec.json.encode(got, order="sorted") == msgspec.json.encode(
                full, order="sorted"
            )
            assert len(got["countries"]) == 50
    finally:
        await srv.stop()

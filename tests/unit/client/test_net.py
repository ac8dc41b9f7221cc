"""The reconnecting link against a real server: hello, events, calls, drops, refusals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from tte import protocol as p
from tte.client.net import (
    OFFLINE,
    ConnState,
    Incoming,
    Link,
    LinkStatus,
    normalise_url,
)
from tte.core.scenario import find, load
from tte.server.exercise import ExerciseServer

TIMEOUT = 10.0


def url(srv: ExerciseServer) -> str:
    return f"ws://127.0.0.1:{srv.port}/"


class Reader:
    """Consumes a link's stream in the background and records everything."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.items: list[Incoming] = []
        self._changed = asyncio.Event()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for item in self.link:
            self.items.append(item)
            self._changed.set()

    async def until(self, pred: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        async with asyncio.timeout(timeout):
            while not pred():
                self._changed.clear()
                await self._changed.wait()

    def events(self) -> list[p.EventMsg]:
        return [i for i in self.items if isinstance(i, p.EventMsg)]

    def states(self) -> list[ConnState]:
        return [i.state for i in self.items if isinstance(i, LinkStatus)]


def test_normalise_url() -> None:
    assert normalise_url("10.0.0.5") == "ws://10.0.0.5:8765/"
    assert normalise_url("host:9000") == "ws://host:9000/"
    assert normalise_url("wss://x.example:443/") == "wss://x.example:443/"


async def test_hello_welcome_events_and_call(server: ExerciseServer) -> None:
    code = server.roster.seats["RO/investigator"]
    async with Link(url(server), code) as link:
        r = Reader(link)
        await r.until(lambda: link.status.online and bool(r.events()))
        assert link.welcome is not None
        assert link.welcome.seat.role == "investigator"
        assert link.welcome.exercise["title"].startswith("Tutorial")
        assert any(e.kind == "inject" for e in r.events())
        assert link.last_seq == r.events()[-1].seq
        bad = await link.call("request.submit", {"template": "nope", "to": "polderhost"})
        assert not bad.ok and bad.error and bad.error.field == "template"
        ok = await link.call("clock.pause", {})
        assert not ok.ok and ok.error and ok.error.code == "forbidden"


async def test_reconnects_with_last_seq(server: ExerciseServer, tmp_path: Path) -> None:
    code = server.roster.seats["RO/investigator"]
    fac = Link(url(server), server.roster.facilitator)
    async with Link(url(server), code, backoff=(0.05, 0.2)) as link, fac:
        r = Reader(link)
        await r.until(lambda: link.status.online)
        seen = link.last_seq
        await link.drop()
        await r.until(lambda: ConnState.RECONNECTING in r.states())
        await r.until(lambda: link.status.online)
        welcomes = [i for i in r.items if isinstance(i, p.Welcome)]
        assert len(welcomes) == 2
        # Nothing replayed twice: every event seq strictly increases.
        seqs = [e.seq for e in r.events()]
        assert seqs == sorted(set(seqs))
        assert link.last_seq >= seen
        # A new event while online arrives; the link keeps counting.
        await Reader(fac).until(lambda: fac.status.online)
        res = await fac.call("inject.send", {"title": "hi", "text": "x", "to": ["RO"]})
        assert res.ok
        await r.until(lambda: any(e.kind == "inject" and e.seq > seen for e in r.events()))


async def test_server_restart_is_survived(tmp_path: Path, tutorial: Path) -> None:
    sc = load(tutorial)
    srv = ExerciseServer(sc, tmp_path / "d")
    port = await srv.start("127.0.0.1", 0)
    code = srv.roster.seats["RO/poc"]
    link = Link(f"ws://127.0.0.1:{port}/", code, backoff=(0.05, 0.2))
    async with link:
        r = Reader(link)
        await r.until(lambda: link.status.online)
        await srv.stop()
        await r.until(lambda: link.status.state is ConnState.RECONNECTING)
        assert (await link.call("request.submit", {})).error.code == OFFLINE  # type: ignore[union-attr]
        srv2 = ExerciseServer(sc, tmp_path / "d")
        await srv2.start("127.0.0.1", port)
        try:
            await r.until(lambda: link.status.online)
        finally:
            await srv2.stop()


async def test_a_welcome_with_a_scenario_in_two_languages_reaches_the_console(
    tmp_path: Path,
) -> None:
    """The Bucharest scenario in English and French: the facilitator's welcome and the
    texts frames after it (together over 64 KiB, each under it) reach the console whole."""
    sc = load(find("bucharest-preservation-mla"))
    srv = ExerciseServer(sc, tmp_path / "d")
    port = await srv.start("127.0.0.1", 0)
    try:
        async with Link(f"ws://127.0.0.1:{port}/", srv.roster.facilitator) as link:
            r = Reader(link)
            await r.until(lambda: link.welcome is not None)
            assert link.welcome is not None
            assert link.welcome.exercise["translations"]["fr"][sc.exercise.title].startswith(
                "Bucarest 2019"
            )
    finally:
        await srv.stop()


async def test_wrong_code_is_final(server: ExerciseServer) -> None:
    async with Link(url(server), "WRONG-CODE-00") as link:
        r = Reader(link)
        await asyncio.wait_for(r.task, TIMEOUT)
        assert link.status.state is ConnState.FAILED
        assert "unknown join code" in link.status.reason
        assert any(isinstance(i, p.Error) and i.code == "unauthorized" for i in r.items)


async def test_unreachable_server_fails_after_initial_attempts() -> None:
    link = Link("ws://127.0.0.1:9/", "x", backoff=(0.01, 0.02), initial_attempts=2)
    async with link:
        r = Reader(link)
        await asyncio.wait_for(r.task, TIMEOUT)
    assert ConnState.FAILED in r.states()
    assert "refused" in [s for s in r.items if isinstance(s, LinkStatus)][-1].reason


async def test_restored_older_backup_resyncs_from_the_start(tmp_path: Path, tutorial: Path) -> None:
    """A server restarted on an older copy of its log: the link and model start over."""
    import shutil

    from tte.client.model import ClientModel

    sc = load(tutorial)
    srv = ExerciseServer(sc, tmp_path / "d")
    port = await srv.start("127.0.0.1", 0)
    code = srv.roster.seats["RO/investigator"]
    fac = Link(f"ws://127.0.0.1:{port}/", srv.roster.facilitator, backoff=(0.05, 0.2))
    link = Link(f"ws://127.0.0.1:{port}/", code, backoff=(0.05, 0.2))
    model = ClientModel()
    async with fac, link:
        r, rfac = Reader(link), Reader(fac)
        await r.until(lambda: link.status.online)
        await srv.stop()
        await rfac.until(lambda: not fac.status.online)
        shutil.copytree(tmp_path / "d", tmp_path / "backup")  # taken while stopped
        srv = ExerciseServer(sc, tmp_path / "d")
        await srv.start("127.0.0.1", port)
        await r.until(lambda: link.status.online and link.welcome is not None)
        await rfac.until(lambda: fac.status.online)
        for i in range(3):  # events the backup will not have
            res = await fac.call("inject.send", {"title": f"Lost {i}", "text": "", "to": ["RO"]})
            assert res.ok
        await r.until(lambda: sum("Lost" in str(e.data) for e in r.events()) == 3)
        before = link.last_seq
        await srv.stop()
        await rfac.until(lambda: not fac.status.online)
        shutil.rmtree(tmp_path / "d")
        shutil.copytree(tmp_path / "backup", tmp_path / "d")
        srv = ExerciseServer(sc, tmp_path / "d")
        await srv.start("127.0.0.1", port)
        try:
            await r.until(lambda: link.last_seq < before and link.status.online)
            await rfac.until(lambda: fac.status.online)
            res = await fac.call(
                "inject.send", {"title": "After restore", "text": "", "to": ["RO"]}
            )
            assert res.ok
            await r.until(lambda: any("After restore" in str(e.data) for e in r.events()))
            fresh = Link(f"ws://127.0.0.1:{port}/", code)
            async with fresh:
                rf = Reader(fresh)
                await rf.until(lambda: fresh.last_seq == link.last_seq)
        finally:
            await srv.stop()
        await rfac.until(lambda: not fac.status.online)
    for item in r.items:
        model.apply(item)
    again = ClientModel()
    for item in rf.items:
        again.apply(item)
    titles = [i.title for i in model.inbox]
    assert "After restore" in titles
    assert not any(t.startswith("Lost") for t in titles)
    assert titles == [i.title for i in again.inbox]
    assert model.last_seq == again.last_seq

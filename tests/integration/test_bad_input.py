"""Every bad input gets the contract's error or close code and changes nothing."""

from __future__ import annotations

import random

import msgspec
import pytest
from wsclient import Client, Join, packb, server_events

from tte import protocol as p
from tte.server import ExerciseServer


def unchanged(server: ExerciseServer, before: int) -> bool:
    return server.engine.state.seq == before and server_events(server)[-1].seq == before


BAD_FRAMES = {
    "not msgpack": b"\xc1\xc1\xc1",
    "truncated map": b"\x82\xa1t",
    "not a map": packb([1, 2, 3]),
    "a string": packb("hello"),
    "map without t": packb({"op": "clock.pause"}),
    "t not a string": packb({"t": 7}),
    "unknown t": packb({"t": "teleport"}),
    "server-only t": packb({"t": "event", "seq": 99, "kind": "x", "game_time": "", "data": {}}),
    "cmd without id": packb({"t": "cmd", "op": "clock.pause", "args": {}}),
    "cmd with int id": packb({"t": "cmd", "id": 5, "op": "clock.pause", "args": {}}),
    "hello without code": packb({"t": "hello", "v": 1}),
    "non-string keys": packb({1: 2}),
    "empty": b"",
    "60,000 nested arrays": b"\x91" * 60_000 + b"\xc0",
    "20,000 nested maps in args (60 kB)": packb({"t": "cmd", "op": "x", "args": {}})[:-1]
    + b"\x81\xa1a" * 20_000
    + b"\xc0",
}


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_bad_frame_after_hello(server: ExerciseServer, join: Join, frame: bytes) -> None:
    fac = await join("facilitator")
    before = server.engine.state.seq
    await fac.send_raw(frame)
    err = await fac.recv()
    assert isinstance(err, p.Error) and err.code == "bad_frame", err
    assert err.message
    # The connection stays open and works; nothing changed.
    assert unchanged(server, before)
    assert (await fac.cmd("clock.pause")).ok


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_bad_frame_before_hello(server: ExerciseServer, url: str, frame: bytes) -> None:
    c = await Client.open(url)
    await c.send_raw(frame)
    err = await c.recv()
    assert isinstance(err, p.Error) and err.code == "bad_frame", err
    assert isinstance(await c.hello(server.roster.observer), p.Welcome)
    await c.close()


async def test_text_frame(server: ExerciseServer, join: Join) -> None:
    c = await join("RO/poc")
    await c.send_raw('{"t": "cmd"}')
    err = await c.recv()
    assert isinstance(err, p.Error) and err.code == "bad_frame"
    assert (await c.cmd("nope.nope")).error.code == "unknown_op"  # type: ignore[union-attr]


async def test_malformed_cmd_with_readable_id_gets_its_result(
    server: ExerciseServer, join: Join
) -> None:
    fac = await join("facilitator")
    before = server.engine.state.seq
    await fac.send_raw(packb({"t": "cmd", "id": "x1", "op": "clock.pause", "args": [1]}))
    await fac.send_raw(packb({"t": "cmd", "id": "x2", "args": {}}))
    await fac.until(lambda: {"x1", "x2"} <= set(fac.results))
    for cid in ("x1", "x2"):
        res = fac.results[cid]
        assert not res.ok and res.error and res.error.code == "bad_frame"
    assert unchanged(server, before)


async def test_args_nested_past_the_depth_budget_get_a_bad_frame_result(
    server: ExerciseServer, join: Join
) -> None:
    fac = await join("facilitator")
    nested: object = "deep"
    for _ in range(p.MAX_DEPTH):
        nested = {"a": nested}
    res = await fac.cmd("inject.send", {"title": "x", "text": nested})
    assert res.error is not None and res.error.code == "bad_frame"
    assert f"nested more than {p.MAX_DEPTH} levels" in res.error.message
    ok = await fac.cmd("clock.pause", {"at most": [[["the budget, less one"]]]})
    assert ok.ok, ok


async def test_unknown_op_and_bad_args(server: ExerciseServer, join: Join) -> None:
    inv = await join("RO/investigator")
    fac = await join("facilitator")
    before = server.engine.state.seq
    res = await inv.cmd("request.teleport", {})
    assert not res.ok and res.error and res.error.code == "unknown_op"
    res = await inv.cmd("request.submit", {})  # missing args
    assert not res.ok and res.error and res.error.code == "bad_args"
    assert res.error.field == "template"
    res = await inv.cmd("request.submit", {"template": 42, "to": "polderhost"})  # mistyped
    assert not res.ok and res.error and res.error.code == "bad_args"
    res = await fac.cmd("clock.set_speed", {"speed": "fast"})
    assert not res.ok and res.error and res.error.code == "bad_args"
    res = await fac.cmd("clock.advance", {"seconds": -5, "reason": "back in time"})
    assert not res.ok and res.error and res.error.code == "bad_args"
    assert unchanged(server, before)


async def test_oversized_frame_closes_1009(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    before = server.engine.state.seq
    big = {"title": "x", "text": "y" * (p.MAX_FRAME + 10), "to": ["all"]}
    await fac.send(p.Cmd(id="big", op="inject.send", args=big))
    assert await fac.closed() == 1009
    assert "big" not in fac.results
    assert unchanged(server, before)


async def test_cmd_before_hello(server: ExerciseServer, url: str) -> None:
    c = await Client.open(url)
    before = server.engine.state.seq
    await c.send(p.Cmd(id="early", op="clock.resume", args={}))
    res = await c.recv()
    assert isinstance(res, p.Result) and res.id == "early" and not res.ok
    assert res.error and res.error.code == "hello_required"
    assert unchanged(server, before)
    assert isinstance(await c.hello(server.roster.facilitator), p.Welcome)
    await c.close()


async def test_second_hello(server: ExerciseServer, join: Join) -> None:
    poc = await join("RO/poc")
    await poc.send(p.Hello(v=1, code=server.roster.facilitator))
    err = await poc.recv()
    assert isinstance(err, p.Error) and err.code == "already_welcomed"
    # Still RO/poc, not the facilitator.
    res = await poc.cmd("clock.pause")
    assert not res.ok and res.error and res.error.code == "forbidden"


async def test_unknown_keys_are_ignored(server: ExerciseServer, url: str) -> None:
    c = await Client.open(url)
    await c.send_raw(
        packb({"t": "hello", "v": 1, "code": server.roster.facilitator, "future": [1, {}]})
    )
    assert isinstance(await c.recv(), p.Welcome)
    await c.send_raw(packb({"t": "cmd", "id": "k", "op": "clock.pause", "args": {}, "x": None}))
    await c.until(lambda: "k" in c.results)
    assert c.results["k"].ok
    await c.close()


async def test_fuzz_never_crashes_the_server(server: ExerciseServer, join: Join) -> None:
    """Random bytes and random MessagePack shapes: the server answers and stays up."""
    rnd = random.Random(1234)

    def value(depth: int = 0) -> object:
        kind = rnd.randrange(7 if depth < 3 else 4)
        if kind == 0:
            return rnd.randint(-(2**63), 2**64 - 1)
        if kind == 1:
            return rnd.choice(["", "cmd", "hello", "t", "clock.pause", "x" * 300])
        if kind == 2:
            return rnd.choice([None, True, 1.5, b"\x00\xff"])
        if kind == 3:
            return rnd.random()
        if kind == 4:
            return [value(depth + 1) for _ in range(rnd.randrange(4))]
        keys = ["t", "id", "op", "args", "v", "code", "last_seq"]
        return {rnd.choice(keys): value(depth + 1) for _ in range(rnd.randrange(5))}

    obs = await join("observer")
    for i in range(300):
        if i % 3 == 0:
            frame = rnd.randbytes(rnd.randrange(1, 64))
        else:
            v = value()
            if isinstance(v, dict) and rnd.random() < 0.5:
                v["t"] = rnd.choice(["cmd", "hello"])
            frame = msgspec.msgpack.encode(v)
        await obs.send_raw(frame)
    assert (await obs.cmd("nope")).error is not None
    fac = await join("facilitator")
    assert (await fac.cmd("clock.pause")).ok

"""The wire format: every message round-trips, unknown keys are ignored, bad frames are named."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tte import protocol as p

CLOCK = p.ClockState(game_time="2026-03-02T08:00:00+02:00", elapsed=0.0, speed=60.0, paused=True)
MESSAGES: list[p.Message] = [
    p.Hello(v=1, code="K7QX-3MPD-9W", last_seq=12, client="tte/0.1"),
    p.Cmd(id="c1", op="clock.pause", args={}),
    p.Welcome(seat=p.Seat("RO", "poc"), seq=7, clock=CLOCK, exercise={"title": "T"}),
    p.Error(code="bad_frame", message="not MessagePack"),
    p.ok_result("c1", {"id": "R1"}),
    p.error_result("c2", "bad_args", "'to' is required", "to"),
    p.EventMsg(seq=3, kind="inject", game_time="2026-03-02T08:00:00+02:00", elapsed=0, data={}),
    p.ClockMsg(game_time="2026-03-02T08:00:00+02:00", elapsed=0.0, speed=600.0, paused=False),
]


def as_map(msg: p.Message) -> dict[str, Any]:
    out: dict[str, Any] = msgspec.msgpack.decode(p.encode(msg))
    return out


@pytest.mark.parametrize("msg", MESSAGES, ids=lambda m: type(m).__name__)
def test_round_trip(msg: p.Message) -> None:
    frame = p.encode(msg)
    decoded = p.decode_client(frame) if isinstance(msg, p.Hello | p.Cmd) else p.decode_server(frame)
    assert decoded == msg


def test_type_tags_and_contract_keys() -> None:
    tags = [as_map(m)["t"] for m in MESSAGES]
    assert tags == ["hello", "cmd", "welcome", "error", "result", "result", "event", "clock"]
    assert as_map(MESSAGES[0]) == {
        "t": "hello", "v": 1, "code": "K7QX-3MPD-9W", "last_seq": 12, "client": "tte/0.1",
    }  # fmt: skip
    welcome = as_map(MESSAGES[2])
    assert welcome["v"] == 1 and welcome["seat"] == {"country": "RO", "role": "poc"}
    assert as_map(p.Welcome(seat=p.seat_of("observer"), seq=0, clock=CLOCK))["seat"] == {
        "country": None, "role": "observer",
    }  # fmt: skip
    assert as_map(MESSAGES[4]) == {"t": "result", "id": "c1", "ok": True, "data": {"id": "R1"}}
    assert as_map(MESSAGES[5]) == {
        "t": "result", "id": "c2", "ok": False,
        "error": {"code": "bad_args", "message": "'to' is required", "field": "to"},
    }  # fmt: skip
    assert "field" not in as_map(p.error_result("x", "forbidden", "no"))["error"]
    event = as_map(MESSAGES[6])
    assert set(event) == {"t", "seq", "kind", "game_time", "elapsed", "data"}
    assert event["data"] == {}  # empty maps stay on the wire
    assert set(as_map(MESSAGES[7])) == {"t", "game_time", "elapsed", "speed", "paused"}
    assert as_map(MESSAGES[1])["args"] == {}


def test_unknown_keys_are_ignored() -> None:
    frame = msgspec.msgpack.encode(
        {"t": "cmd", "id": "a", "op": "x", "args": {"k": 1}, "future": {"nested": [1]}}
    )
    assert p.decode_client(frame) == p.Cmd(id="a", op="x", args={"k": 1})
    frame = msgspec.msgpack.encode({"t": "clock", "game_time": "g", "elapsed": 1, "speed": 2,
                                    "paused": False, "new": 1})  # fmt: skip
    assert isinstance(p.decode_server(frame), p.ClockMsg)


def test_defaults_for_optional_hello_and_cmd_keys() -> None:
    hello = p.decode_client(msgspec.msgpack.encode({"t": "hello", "v": 1, "code": "c"}))
    assert hello == p.Hello(v=1, code="c", last_seq=0, client="")
    cmd = p.decode_client(msgspec.msgpack.encode({"t": "cmd", "id": "1", "op": "clock.pause"}))
    assert cmd == p.Cmd(id="1", op="clock.pause", args={})


@pytest.mark.parametrize(
    ("frame", "message", "cmd_id"),
    [
        (b"\xc1", "not MessagePack", None),
        (b"", "not MessagePack", None),
        (msgspec.msgpack.encode([1]), "expected a MessagePack map, got list", None),
        (msgspec.msgpack.encode({"op": "x"}), 'no string "t"', None),
        (msgspec.msgpack.encode({"t": 1}), 'no string "t"', None),
        (msgspec.msgpack.encode({"t": "welcome"}), "unknown message type 'welcome'", None),
        (msgspec.msgpack.encode({"t": "cmd", "op": "x"}), "malformed 'cmd'", None),
        (msgspec.msgpack.encode({"t": "cmd", "id": "q", "args": {}}), "malformed 'cmd'", "q"),
        (msgspec.msgpack.encode({"t": "cmd", "id": "q", "op": "x", "args": 3}), "args", "q"),
        (msgspec.msgpack.encode({"t": "hello", "v": "1", "code": "c"}), "malformed 'hello'", None),
        (msgspec.msgpack.encode({"t": "hello", "v": 1, "code": "c", "last_seq": -1}), ">= 0", None),
    ],
)
def test_bad_frames_are_named(frame: bytes, message: str, cmd_id: str | None) -> None:
    with pytest.raises(p.FrameError) as info:
        p.decode_client(frame)
    assert message in info.value.message
    assert info.value.cmd_id == cmd_id


def test_seat_of() -> None:
    assert p.seat_of("RO/central_authority") == p.Seat("RO", "central_authority")
    assert p.seat_of("facilitator") == p.Seat(None, "facilitator")


def test_codes() -> None:
    assert p.VERSION == 1 and p.MAX_FRAME == 65536 and p.DEFAULT_PORT == 8765
    assert (p.Close.MESSAGE_TOO_BIG, p.Close.UNAUTHORIZED, p.Close.UNSUPPORTED_VERSION) == (
        1009, 4001, 4002,
    )  # fmt: skip


@given(st.binary(max_size=256))
def test_any_bytes_decode_or_raise_frame_error(data: bytes) -> None:
    try:
        msg = p.decode_client(data)
    except p.FrameError as e:
        assert e.message
    else:
        assert isinstance(msg, p.Hello | p.Cmd)


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from(["t", "id", "op", "args", "v", "code", "last_seq"]),
                       json_like | st.sampled_from(["cmd", "hello"]), max_size=6))  # fmt: skip
def test_any_map_decodes_or_raises_frame_error(raw: dict[str, Any]) -> None:
    try:
        p.decode_client(msgspec.msgpack.encode(raw))
    except p.FrameError as e:
        assert e.message
        if raw.get("t") == "cmd" and isinstance(raw.get("id"), str):
            assert e.cmd_id == raw["id"]

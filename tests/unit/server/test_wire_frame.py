"""The fan-out writes pre-framed bytes: they must be exactly what websockets would write."""

import pytest
from websockets.frames import Frame, Opcode

from tte.server.hub import wire_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70_000])
def test_wire_frame_is_websockets_own_framing(size: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    expected = Frame(Opcode.BINARY, payload, fin=True).serialize(mask=False, extensions=[])
    assert wire_frame(payload) == expected

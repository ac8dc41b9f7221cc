"""Durations as trainers write them."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tte.core.duration import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("45m", 2700),
        ("4h", 14400),
        ("3d", 259200),
        ("2w", 1209600),
        ("2d 4h", 187200),
        ("1.5h", 5400),
        (" 36H ", 129600),
        (0, 0),
        (12.5, 12.5),
    ],
)
def test_parse(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "4", "h", "3 days", "4h x", "-1h", -1, True, None, [1]])
def test_parse_refuses_with_a_readable_message(bad):
    with pytest.raises(ValueError) as e:
        parse_duration(bad)
    assert str(e.value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0m"), (59, "59s"), (3600, "1h"), (93784, "1d 2h"), (-7200, "-2h"), (2700, "45m")],
)
def test_format(seconds, text):
    assert format_duration(seconds) == text


@given(st.integers(0, 10**6), st.sampled_from("smhdw"))
def test_parse_of_number_and_unit(n, unit):
    factor = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
    assert parse_duration(f"{n}{unit}") == n * factor


@given(st.text(max_size=20))
def test_parse_only_raises_value_error(text):
    with contextlib.suppress(ValueError):
        assert parse_duration(text) >= 0

"""`tte serve --budget NAME=VALUE`: a budget changed at start, or one clear line naming
what is wrong."""

from __future__ import annotations

import pytest

from tte.server.budget import Budgets, with_overrides


def test_named_budgets_are_changed_and_the_others_kept() -> None:
    b = with_overrides(Budgets(), ["open_requests=200", "cmd_rate=2.5", "cmd_burst=1e3"])
    assert (b.open_requests, b.cmd_rate, b.cmd_burst) == (200, 2.5, 1000)
    assert isinstance(b.cmd_burst, int)
    assert b.seat_connections == Budgets().seat_connections


@pytest.mark.parametrize(
    ("pair", "says"),
    [
        ("open_request=5", "NAME one of cmd_rate"),
        ("open_requests", "give NAME=VALUE"),
        ("open_requests=many", "'many' is not a number"),
        ("open_requests=2.5", "whole number"),
        ("cmd_rate=0", "positive finite"),
        ("cmd_rate=nan", "positive finite"),
        ("cmd_rate=inf", "positive finite"),
    ],
)
def test_a_wrong_budget_is_named(pair: str, says: str) -> None:
    with pytest.raises(ValueError) as e:
        with_overrides(Budgets(), [pair])
    assert pair in str(e.value) and says in str(e.value)

"""request.check: a dry run of request.submit, the form's pre-send check. Same errors, same
warnings, nothing appended."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tte.core.events import CommandError

from .kit import Game, canon, complete

MakeGame = Callable[..., Game]


def _args(**patch: Any) -> dict[str, Any]:
    args = {
        "template": "preservation",
        "to": "host",
        "evidence": ["logs"],
        "fields": complete("preservation"),
    }
    return {**args, **patch}


def test_a_complete_request_checks_clean_and_nothing_is_appended(game: MakeGame) -> None:
    g = game()
    before = copy.deepcopy(canon(g.st))
    events, data = g.eng.handle("AA/investigator", "request.check", _args(), g.now)
    assert (events, data) == ([], {"warnings": []})
    assert canon(g.st) == before


def test_missing_legal_elements_are_the_same_warnings_as_on_submit(game: MakeGame) -> None:
    g = game()
    fields = complete("preservation", offence=None, necessity=None)
    _, checked = g.eng.handle("AA/investigator", "request.check", _args(fields=fields), g.now)
    submitted = g.do("AA/investigator", "request.submit", **_args(fields=fields))
    assert checked["warnings"] == submitted["warnings"]
    assert {w["field"] for w in checked["warnings"]} >= {"offence", "necessity"}


REFUSALS = [
    {"to": None},
    {"to": "local"},
    {"template": "nope"},
    {"channel": "police"},
    {"evidence": ["nope"]},
    {"fields": {"bogus": "x"}},
    {"fields": {"offence": "x" * 20_001}},
    {"ref": "R99"},
]


@pytest.mark.parametrize("patch", REFUSALS, ids=[str(sorted(p)) for p in REFUSALS])
def test_a_request_submit_refuses_is_refused_by_the_check_in_the_same_words(
    game: MakeGame, patch: dict[str, Any]
) -> None:
    g = game()
    args = {k: v for k, v in _args(**patch).items() if v is not None}
    found = []
    for op in ("request.check", "request.submit"):
        with pytest.raises(CommandError) as e:
            g.eng.handle("AA/investigator", op, args, g.now)
        found.append(e.value.to_wire())
    assert found[0] == found[1]
    assert g.st.requests == {}


def test_a_role_that_does_not_draft_the_form_is_told_so_by_the_check(game: MakeGame) -> None:
    g = game()
    with pytest.raises(CommandError) as e:
        g.eng.handle("AA/central_authority", "request.check", _args(), g.now)
    assert e.value.code == "not_allowed"
    with pytest.raises(CommandError) as e:
        g.eng.handle("observer", "request.check", _args(), g.now)
    assert e.value.code == "forbidden"

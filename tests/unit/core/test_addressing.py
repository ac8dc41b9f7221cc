"""Whom a request may be addressed to (tte.core.rules.addressing): one rule for the engine's
validation and for the welcome's list of recipients. Read as a list of legal facts."""

from __future__ import annotations

import pytest

from tte.core.engine import Engine
from tte.core.events import CommandError
from tte.core.rules.addressing import AddressError, addressee, recipients
from tte.core.templates import TEMPLATES

from .kit import complete, scenario

SC = scenario()
SEATS = frozenset(SC.seats())

# (seat, template, to, None if it may be addressed, else words of the refusal)
FACTS = [
    ("AA/investigator", "preservation", "host", None),
    ("AA/investigator", "preservation", "local", "own country"),
    ("AA/investigator", "subscriber_order", "host", None),
    ("AA/investigator", "subscriber_order", "local", "own country"),
    ("AA/investigator", "domestic_order", "local", None),
    ("AA/investigator", "domestic_order", "host", "abroad"),
    ("AA/investigator", "preservation", "BB/poc", "Unknown provider"),
    ("AA/investigator", "police_info", "europol", None),
    ("AA/investigator", "police_info", "interpol", None),
    ("AA/investigator", "police_info", "BB/investigator", None),
    ("AA/investigator", "police_info", "BB/poc", "foreign counterpart"),
    ("AA/investigator", "police_info", "AA/investigator", "another country"),
    ("AA/investigator", "police_info", "eurojust", "Unknown recipient"),
    ("AA/investigator", "police_info", "host", "Unknown recipient"),
    ("AA/prosecutor", "jit_agreement", "BB/prosecutor", None),
    ("AA/prosecutor", "jit_agreement", "BB/poc", "foreign prosecutor"),
    ("AA/poc", "spontaneous_info", "BB/central_authority", None),
    ("AA/poc", "spontaneous_info", "AA/prosecutor", "another country"),
    ("AA/poc", "spontaneous_info", "ZZ/poc", "Unknown recipient"),
]


def _fact_id(fact: tuple[str, str, str, str | None]) -> str:
    seat, tid, to, why = fact
    return f"{seat}-{tid}-{to}-{'ok' if why is None else 'refused'}"


@pytest.mark.parametrize("fact", FACTS, ids=_fact_id)
def test_who_a_seat_may_address_each_form_to(fact: tuple[str, str, str, str | None]) -> None:
    seat, tid, to, why = fact
    country = seat.split("/")[0]
    if why is None:
        stop = addressee(SC, SEATS, TEMPLATES[tid], to, country)
        assert stop.ref == to
    else:
        with pytest.raises(AddressError, match=why):
            addressee(SC, SEATS, TEMPLATES[tid], to, country)


def test_an_investigator_may_address_a_foreign_provider_but_not_its_own_isp() -> None:
    got = [r.id for r in recipients(SC, TEMPLATES["preservation"], "AA/investigator")]
    assert got == ["host"]


def test_a_domestic_order_goes_only_to_providers_at_home() -> None:
    got = [r.id for r in recipients(SC, TEMPLATES["domestic_order"], "AA/investigator")]
    assert got == ["local"]


def test_police_information_goes_to_europol_interpol_or_foreign_police_only() -> None:
    got = [r.id for r in recipients(SC, TEMPLATES["police_info"], "AA/investigator")]
    assert got == ["europol", "interpol", "BB/investigator"]


def test_a_jit_is_agreed_only_with_a_foreign_prosecutor() -> None:
    got = [r.id for r in recipients(SC, TEMPLATES["jit_agreement"], "AA/prosecutor")]
    assert got == ["BB/prosecutor"]


def test_spontaneous_information_may_go_to_any_foreign_seat() -> None:
    got = [r.id for r in recipients(SC, TEMPLATES["spontaneous_info"], "AA/poc")]
    assert got == [s for s in SC.seats() if s.startswith("BB/")]


def _candidates() -> list[str]:
    return [o.id for o in SC.organisations] + ["europol", "interpol", "eurojust", *SC.seats()]


@pytest.mark.parametrize("tid", sorted(TEMPLATES))
def test_the_recipients_listed_are_exactly_those_the_engine_accepts(tid: str) -> None:
    """Written once: for every form and every seat that drafts it, the welcome's list and
    request.submit's validation agree on every possible addressee."""
    tpl = TEMPLATES[tid]
    for seat in SC.seats():
        if seat.split("/")[1] not in tpl.senders:
            continue
        listed = {r.id for r in recipients(SC, tpl, seat)}
        accepted = set()
        for to in _candidates():
            try:
                addressee(SC, SEATS, tpl, to, seat.split("/")[0])
            except AddressError:
                continue
            accepted.add(to)
        assert listed == accepted, (tid, seat)


def test_the_welcome_carries_each_forms_recipients() -> None:
    eng = Engine(SC)
    forms = {t["id"]: t for t in eng.welcome_info("AA/investigator")["templates"]}
    assert forms["preservation"]["recipients"] == ["host"]
    assert forms["police_info"]["recipients"] == ["europol", "interpol", "BB/investigator"]
    staff = {t["id"]: t for t in eng.welcome_info("facilitator")["templates"]}
    assert all(t["recipients"] == [] for t in staff.values())


def test_a_refused_addressee_is_a_command_error_on_the_to_field() -> None:
    eng = Engine(SC)
    eng.start(0.0)
    args = {"template": "preservation", "to": "local", "fields": complete("preservation")}
    with pytest.raises(CommandError) as e:
        eng.handle("AA/investigator", "request.submit", args, 0.0)
    assert (e.value.code, e.value.field) == ("bad_args", "to")
    assert "own country" in e.value.message

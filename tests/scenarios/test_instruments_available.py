"""Every request of every shipped scenario's golden playthrough used an instrument that
existed between that pair of countries on the scenario's date (domain.md, "Which
instrument between which pair of countries")."""

from __future__ import annotations

from functools import cache

import pytest

from tte.core.engine import Engine
from tte.core.rules import (
    both_apply_2ap,
    both_budapest,
    both_eio,
    e_evidence_applies,
    enforcing_state,
    jit_basis,
    legal_check,
    mla_basis,
)
from tte.core.simulate import run
from tte.core.state import Request, State
from tte.core.templates import TEMPLATES

from .conftest import SCENARIOS, load_scenario

SHIPPED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
# What a requested Party answers when the instrument does not exist between the pair.
NOT_AVAILABLE = {"instrument_not_in_force", "wrong_instrument", "invalid_channel"}


@cache
def golden(name: str) -> Engine:
    eng, out = run(load_scenario(name), "golden")
    assert out["score"] == 100, name
    return eng


def _where(r: Request) -> str | None:
    return r.target.get("country") if r.target.get("kind") in ("org", "seat") else None


def _available(st: State, r: Request, where: str) -> str | None:
    """Why the instrument was not available between the pair at the time, or None."""
    a, tpl = r.country, TEMPLATES[r.template]
    if r.channel == "jit" or a == where or tpl.instrument in ("police", "domestic", "voluntary"):
        return None
    if tpl.instrument == "bc":
        if r.template == "mla_stored_data":
            if both_eio(st, a, where):
                return "BC Art 31 between two EIO-bound member states"
            return None if mla_basis(st, a, where) else "no MLA basis"
        return None if both_budapest(st, a, where) else "not both Budapest Parties"
    if tpl.instrument == "eio":
        return None if both_eio(st, a, where) else "EIO not binding both"
    if tpl.instrument == "e_evidence":
        if not e_evidence_applies(st):
            return "e-Evidence Regulation not yet applicable"
        org = st.scenario.org(r.target["ref"])
        return None if org and enforcing_state(st, org, a) else "no representative in the EU"
    if tpl.instrument == "2ap":
        return None if both_apply_2ap(st, a, where) else "2AP not applied by both"
    if tpl.instrument == "jit":
        return None if jit_basis(st, a, where) else "no shared JIT basis"
    return f"unknown instrument {tpl.instrument}"


@pytest.mark.parametrize("name", SHIPPED)
def test_golden_uses_only_instruments_in_force_between_the_pair(name: str) -> None:
    eng = golden(name)
    st = eng.state
    end = st.now
    checked = 0
    try:
        for r in st.requests.values():
            assert r.ground not in NOT_AVAILABLE, (name, r.id, r.template, r.message)
            where = _where(r)
            if where is None:
                continue
            st.now = r.created  # the law on the day the request was made
            why = _available(st, r, where)
            assert why is None, (name, r.template, r.country, where, why)
            found = legal_check(st, r, where)
            assert found is None or found.ground not in NOT_AVAILABLE, (name, r.id, found)
            checked += 1
    finally:
        st.now = end
    assert checked >= 2


def test_every_shipped_scenario_is_covered() -> None:
    assert {
        "tutorial",
        "bucharest-preservation-mla",
        "lisbon-ransomware-2ap",
        "eu-e-evidence-2026",
    } <= set(SHIPPED)

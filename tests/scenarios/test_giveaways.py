"""Briefings and injects say the situation and the role's goals, not the answer (issue 22):
no shipped scenario tells a seat which instrument to use for what, or what to do next
after a mistake; addresses come from the documentation ranges; agency names are current."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from tte.core.scenario import Scenario, load

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))

# Phrases that hand a seat the procedure the exercise is meant to teach (each was once in a
# shipped scenario): recipes, the remedy after a mistake, the legal conclusion of a fact.
GIVEAWAYS = [
    r"preservation first",
    r"then MLA",
    r"send preservation\s+requests",
    r"ask for \*\*expedited disclosure",
    r"return a BC Art 31",
    r"BC Art 31 request from\s+\w+ goes back",
    r"refuse Art 9 requests",
    r"ordinary procedures apply",
    r"no emergency within 2AP Art 3",
    r"needs date, time, \*\*time zone\*\*",
    r"has \w+ received the request for the logs",
    r"received \w+'s MLA request for them",
    r"Nothing is handed over before an MLA",
    r"A 2AP instrument\s+works only",
    r"is frozen through the \*\*24/7 network\*\*",
]
DOC_RANGES = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


def _texts(sc: Scenario) -> list[tuple[str, str]]:
    """Everything a player reads before or during play: briefings and inject texts."""
    out = [("exercise.briefing", sc.exercise.briefing)]
    for c in sc.countries:
        out += [(f"{c.code}/{role} briefing", text) for role, text in c.briefings.items()]
    out += [(f"inject {i.id}", f"{i.title}\n{i.text}") for i in sc.injects]
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_briefings_and_injects_say_the_situation_not_the_procedure(path: Path) -> None:
    found = [
        f"{where}: {pat!r}"
        for where, text in _texts(load(path))
        for pat in GIVEAWAYS
        if re.search(pat, " ".join(text.split()), re.IGNORECASE)
    ]
    assert found == []


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_public_addresses_are_documentation_ranges_and_agency_names_current(
    path: Path,
) -> None:
    text = path.read_text(encoding="utf-8")
    for raw in re.findall(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", text):
        ip = ipaddress.ip_address(raw)
        assert ip.is_private or any(ip in n for n in DOC_RANGES), raw
    for raw in re.findall(r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", text, re.IGNORECASE):
        try:
            ip6 = ipaddress.ip_address(raw)
        except ValueError:
            continue  # a time of day, not an address
        assert any(ip6 in n for n in DOC_RANGES), raw
    sc = load(path)
    if sc.start_datetime().year >= 2021:
        assert "CERT-RO" not in text  # Romania's DNSC since 2021

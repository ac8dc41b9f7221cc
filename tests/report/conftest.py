"""Event logs of scripted tutorial runs, written once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tte import cli
from tte.core.engine import Engine
from tte.core.events import Event
from tte.core.scenario import Scenario, load
from tte.core.simulate import run
from tte.datadir import scenario_fingerprint as fingerprint
from tte.server.log import EventLog, read_events

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
HOSTILE = '<script>alert("x")</script> | **bold** & [link](http://evil.example/) `code`'


@dataclass
class Run:
    data: Path
    out: Path
    scenario: Scenario
    events: list[Event]


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return load(TUTORIAL)


def _simulated(tmp: Path, policy: str, tutorial: Scenario) -> Run:
    data = tmp / policy
    assert cli.main(["simulate", str(TUTORIAL), "--policy", policy, "--data", str(data)]) == 0
    assert cli.main(["report", str(data)]) == 0
    return Run(data, data / "report", tutorial, read_events(data / "events.sqlite"))


@pytest.fixture(scope="session")
def golden(tmp_path_factory: pytest.TempPathFactory, tutorial: Scenario) -> Run:
    return _simulated(tmp_path_factory.mktemp("golden"), "golden", tutorial)


@pytest.fixture(scope="session")
def careless(tmp_path_factory: pytest.TempPathFactory, tutorial: Scenario) -> Run:
    return _simulated(tmp_path_factory.mktemp("careless"), "careless", tutorial)


def play_hotwash(sc: Scenario) -> list[Event]:
    """A golden run, then people take two seats, make mistakes, answer the survey, rate."""
    events: list[Event] = []
    eng, _ = run(sc, "golden", on_events=events.extend)
    now = eng.state.now + 3600
    take = events.extend
    take(eng.set_presence("RO/investigator", True, now))
    take(eng.set_presence("NL/central_authority", True, now))
    # An MLA request through the 24/7 network (wrong channel: refused) and a preservation
    # request missing its mandatory elements (returned incomplete).
    evs, _ = eng.handle(
        "RO/investigator",
        "request.submit",
        {
            "template": "mla_stored_data",
            "to": "polderhost",
            "channel": "network_24_7",
            "evidence": ["c2_subscriber"],
            "fields": {"offence": HOSTILE},
        },
        now,
    )
    take(evs)
    evs, _ = eng.handle(
        "RO/investigator",
        "request.submit",
        {
            "template": "preservation",
            "to": "polderhost",
            "evidence": ["c2_subscriber"],
            "fields": {"offence": "ransomware"},
        },
        now,
    )
    take(evs)
    now += 5 * 86400
    take(eng.advance_to(now))
    evs, _ = eng.handle("facilitator", "survey.open", {}, now)
    take(evs)
    answers = [
        ("RO/investigator", {"useful": 5, "channel": "24/7 network", "comments": HOSTILE}),
        ("RO/poc", {"useful": 4, "channel": "24/7 network", "comments": "More injects"}),
        ("NL/central_authority", {"useful": 2, "channel": "MLA"}),
    ]
    for seat, a in answers:
        evs, _ = eng.handle(seat, "survey.answer", {"answers": a}, now + 60)
        take(evs)
    for actor, objective, rating, comment in (
        ("observer", "preserve_logs", 1, "Preserved on day one"),
        ("observer", "logs_admissible", 3, HOSTILE),
        ("facilitator", "subscriber_admissible", 2, ""),
    ):
        evs, _ = eng.handle(
            actor,
            "rating.submit",
            {"objective": objective, "rating": rating, "comment": comment},
            now + 120,
        )
        take(evs)
    take(eng.set_presence("RO/investigator", False, now + 180))
    assert Engine.replay(sc, events).state.seq == eng.state.seq
    return events


@pytest.fixture(scope="session")
def hotwash(tmp_path_factory: pytest.TempPathFactory, tutorial: Scenario) -> Run:
    """Stored the way the live server stores it: no scenario text, only its fingerprint."""
    data = tmp_path_factory.mktemp("hotwash")
    events = play_hotwash(tutorial)
    log = EventLog(data / "events.sqlite")
    log.set_meta("exercise", tutorial.exercise.id)
    log.set_meta("scenario_sha256", fingerprint(tutorial))
    log.append_sync(events, None)
    log.close()
    out = data / "out"
    assert cli.main(["report", str(data), "--scenario", str(TUTORIAL), "--out", str(out)]) == 0
    return Run(data, out, tutorial, events)

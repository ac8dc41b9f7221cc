"""Where a report's input comes from: the event log of an exercise and its scenario."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tte import datadir
from tte.core.events import Event
from tte.core.scenario import Scenario, parse
from tte.i18n import use_scenario_texts


class SourceError(Exception):
    """The log or the scenario cannot be read; the message says what is missing."""


@dataclass
class Source:
    log: Path
    scenario: Scenario
    events: list[Event]
    meta: dict[str, str]
    scenario_from: str  # "event log" or the --scenario path
    warnings: list[str]


def log_path(data: Path) -> Path:
    """DIR/events.sqlite (datadir.EVENTS_FILE), or the database file itself."""
    if data.is_dir():
        return datadir.events_file(data)
    return data


def read_meta(path: Path) -> dict[str, str]:
    from tte.server.log import read_meta as read

    try:
        return read(path)
    except sqlite3.DatabaseError:
        return {}


def load(data: Path, scenario_file: Path | None = None) -> Source:
    from tte.server.log import read_events

    path = log_path(data)
    if not path.is_file():
        raise SourceError(
            f"no event log at {path} (expected DIR/{datadir.EVENTS_FILE} of an exercise)"
        )
    try:
        meta = read_meta(path)
        events = read_events(path)
    except sqlite3.DatabaseError as e:
        raise SourceError(f"{path} is not a readable tte event log: {e}") from e
    if not events:
        raise SourceError(f"{path} holds no events: the exercise never started")
    warnings: list[str] = []
    text = meta.get(datadir.META_SCENARIO_YAML)
    origin = "event log"
    if text is None:
        if scenario_file is None:
            raise SourceError(
                f"{path} does not store the scenario text (meta {datadir.META_SCENARIO_YAML!r}); "
                "pass the scenario the exercise ran with: --scenario FILE"
            )
        try:
            text = scenario_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise SourceError(f"cannot read scenario {scenario_file}: {e}") from e
        origin = str(scenario_file)
    elif scenario_file is not None:
        warnings.append("the event log stores its scenario; --scenario was ignored")
    sc, problems = parse(text)
    if sc is None:
        lines = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
        raise SourceError(f"the scenario ({origin}) does not validate: {lines}")
    stored_id = meta.get(datadir.META_EXERCISE)
    if stored_id is not None and stored_id != sc.exercise.id:
        raise SourceError(
            f"{path} holds exercise {stored_id!r} but the scenario is {sc.exercise.id!r}"
        )
    sha = meta.get(datadir.META_SCENARIO_SHA256)
    if sha is not None and sha != datadir.scenario_fingerprint(sc):
        warnings.append(
            "the scenario differs from the one the exercise started with "
            f"({datadir.META_SCENARIO_SHA256}); figures may not match the run"
        )
    use_scenario_texts(sc.translations)  # the scenario's names inside the engine's sentences
    return Source(path, sc, events, meta, origin, warnings)

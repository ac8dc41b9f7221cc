"""Small scenarios and a driver for the engine, shared by the core unit tests.

``scenario()`` builds a scenario from YAML text (through ``tte.core.scenario.parse``, like a
trainer's file); ``Game`` drives an ``Engine`` the way the server does — commands at a game
time, ``advance_to`` for timers — and records every event as it was emitted, so a test can
replay the log and check nothing in it changed afterwards.
"""

from __future__ import annotations

import copy
import textwrap
from typing import Any

import yaml

from tte.core.engine import Engine
from tte.core.events import Event
from tte.core.scenario import Scenario, parse
from tte.core.state import State

DAY = 86400.0
HOUR = 3600.0

# Two countries that both apply the 2AP; AA investigates. `host` (in BB) holds volatile
# connection logs and the subscriber of the server; `local` is AA's own ISP.
BASE = """
exercise:
  id: unit
  title: Unit scenario
  start: "2026-03-02T08:00:00"
  timezone: UTC
  duration: 200d
  lead: [AA]
  seed: 11
countries:
  - {code: AA, name: Aland, second_protocol: true}
  - {code: BB, name: Borduria, second_protocol: true}
organisations:
  - {id: host, name: Host BV, country: BB, kind: hosting, answer_delay: 1d}
  - {id: local, name: Local ISP, country: AA, kind: isp, answer_delay: 1d}
evidence:
  - id: logs
    title: Connection logs of 192.0.2.7
    kind: traffic
    holder: host
    identifiers: ["192.0.2.7"]
    deleted_at: 4d
    known_to: [AA]
  - id: sub
    title: Subscriber of 192.0.2.7
    kind: subscriber
    holder: host
    identifiers: ["192.0.2.7"]
    known_to: [AA]
"""


def scenario_text(base: str = BASE, **sections: str) -> str:
    """The base scenario's YAML with top-level sections replaced by YAML snippets.

    ``exercise`` is merged into the base exercise; any other section replaces the base one.
    """
    raw = yaml.safe_load(base)
    for key, snippet in sections.items():
        value = yaml.safe_load(textwrap.dedent(snippet))
        if key == "exercise":
            raw["exercise"].update(value)
        else:
            raw[key] = value
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)


def scenario(base: str = BASE, **sections: str) -> Scenario:
    """`scenario_text` parsed: it must be valid."""
    sc, problems = parse(scenario_text(base, **sections))
    assert sc is not None, problems
    return sc


SPECIFIC = "Connection logs of 192.0.2.7, 2026-03-01 22:10 to 23:55 UTC"


def complete(template: str, **overrides: Any) -> dict[str, Any]:
    """Every field of a template filled in as a careful official would."""
    from tte.core.templates import TEMPLATES

    out: dict[str, Any] = {}
    for f in TEMPLATES[template].fields:
        if f.kind == "bool":
            out[f.name] = True
        elif f.kind in ("request", "identifier", "datetime", "port", "language"):
            continue  # references and structured identifiers: a test gives them
        elif f.name == "data_sought":
            out[f.name] = SPECIFIC
        elif f.name == "time_zone":
            out[f.name] = "UTC+00:00, source ports included"
        else:
            out[f.name] = f"{f.label} (case 42/2026)"
    for k, v in overrides.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def canon(st: State) -> dict[str, Any]:
    """Everything a fold decides, in a comparable form (the timer heap's stale entries aside)."""
    return copy.deepcopy(
        {
            "seq": st.seq,
            "now": st.now,
            "started": st.started,
            "end_warned": st.end_warned,
            "ended": st.ended,
            "speed": st.speed,
            "paused": st.paused,
            "emergency": st.emergency,
            "humans": sorted(st.humans),
            "requests": {
                rid: {**r.snapshot(), "history": r.history} for rid, r in st.requests.items()
            },
            "items": {iid: {**vars(it), "known": sorted(it.known)} for iid, it in st.items.items()},
            "orgs": st.orgs,
            "injects": st.injects,
            "inject_times": st.inject_times,
            "adhoc": st.adhoc,
            "jits": st.jits,
            "timers": sorted((t.id, t.due, t.kind, t.ref) for t in st.timers.values()),
            "next_timer": st.next_timer,
            "next_request": st.next_request,
            "survey_open": st.survey_open,
            "survey_answers": st.survey_answers,
            "ratings": st.ratings,
            "objectives_met": st.objectives_met,
        }
    )


class Game:
    """An engine driven like the server drives it, with every emitted event recorded."""

    def __init__(self, sc: Scenario, humans: tuple[str, ...] = (), start: bool = True):
        self.sc = sc
        self.eng = Engine(sc)
        self.events: list[Event] = []
        self.records: list[dict[str, Any]] = []  # deep copies taken when emitted
        self.now = 0.0
        if start:
            self.take(self.eng.start(0.0))
        for seat in humans:
            self.presence(seat, True)

    @property
    def st(self) -> State:
        return self.eng.state

    def take(self, evs: list[Event]) -> list[Event]:
        self.events += evs
        self.records += [copy.deepcopy(e.to_record()) for e in evs]
        return evs

    # -- driving
    def do(self, actor: str, op: str, **args: Any) -> dict[str, Any]:
        """A command at the current time (due timers fire first, as the server does)."""
        self.take(self.eng.advance_to(self.now))
        evs, data = self.eng.handle(actor, op, args, self.now)
        self.last = self.take(evs)
        return data

    def submit(
        self,
        actor: str,
        template: str,
        to: str,
        evidence: list[str] | None = None,
        channel: str | None = None,
        **fields: Any,
    ) -> str:
        args: dict[str, Any] = {
            "template": template,
            "to": to,
            "evidence": evidence or [],
            "fields": complete(template, **fields),
        }
        if channel:
            args["channel"] = channel
        return str(self.do(actor, "request.submit", **args)["id"])

    def advance(self, to: float | None = None, *, by: float | None = None) -> list[Event]:
        target = to if to is not None else self.now + (by or 0.0)
        self.now = max(self.now, target)
        return self.take(self.eng.advance_to(self.now))

    def settle(self, limit: float = 400 * DAY) -> list[Event]:
        """Fire every timer due up to `limit` (the engine goes quiet)."""
        out: list[Event] = []
        while (due := self.eng.next_due()) is not None and due <= limit:
            out += self.advance(due)
        return out

    def until(self, pred: Any, limit: float = 400 * DAY) -> None:
        """Fire timers one due time at a time until `pred()` holds."""
        while not pred():
            due = self.eng.next_due()
            assert due is not None and due <= limit, "the engine went quiet first"
            self.advance(due)

    def presence(self, seat: str, human: bool) -> list[Event]:
        return self.take(self.eng.set_presence(seat, human, self.now))

    # -- reading
    def req(self, rid: str) -> Any:
        return self.st.requests[rid]

    def item(self, eid: str) -> Any:
        return self.st.items[eid]

    def kinds(self, evs: list[Event] | None = None) -> list[str]:
        return [e.kind for e in (self.events if evs is None else evs)]

    def of(self, kind: str, **match: Any) -> list[Event]:
        return [
            e
            for e in self.events
            if e.kind == kind and all(e.data.get(k) == v for k, v in match.items())
        ]

    def one(self, kind: str, **match: Any) -> Event:
        found = self.of(kind, **match)
        assert len(found) == 1, (kind, match, self.kinds())
        return found[0]

    def seen_by(self, seat: str) -> list[Event]:
        return [e for e in self.events if e.visible_to(seat)]

    def waiting_at(self, rid: str) -> str:
        r = self.req(rid)
        assert not r.in_transit, f"{rid} is in transit to {r.at()['ref']}"
        return str(r.at()["ref"])

    def reach(self, rid: str, stop: str, limit: float = 400 * DAY) -> None:
        """Advance until request `rid` waits at `stop`."""
        self.until(
            lambda: not self.req(rid).in_transit and self.req(rid).at()["ref"] == stop, limit
        )

    # -- checks every test gets for free
    def check_log(self) -> None:
        """The log replays to the same state, and no event changed after it was emitted."""
        assert [e.to_record() for e in self.events] == self.records, "an event changed later"
        again = Engine.replay(self.sc, [Event.from_record(copy.deepcopy(r)) for r in self.records])
        assert canon(again.state) == canon(self.st)
        seqs = [r["seq"] for r in self.records]
        assert seqs == list(range(1, len(seqs) + 1))
        ts = [r["t"] for r in self.records]
        assert ts == sorted(ts), "event times go backwards"

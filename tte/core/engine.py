"""The exercise engine: commands in, events out, no I/O.

``Engine.handle(actor, op, args, now)`` validates a command completely before it emits
anything, so a refused command (``CommandError``) changes nothing. Every change is an
``Event`` folded into the state as it is emitted; ``Engine.replay`` rebuilds a run from its
stored events. Time is always an argument (game seconds since the exercise start).

Operations and their args (documented for clients in docs/protocol.md):

- ``request.submit {template, to, channel?, fields{}, evidence[], ref?}`` — any seat. ``to``
  is an organisation id, a body id (``europol``, ``interpol``) or a seat (``"NL/poc"``), as
  ``rules.addressing`` allows (the welcome lists each form's recipients).
  Result ``{"id": "R3", "warnings": [{"field", "message"}]}``: missing legal elements are
  warnings, since the requested Party returns such a request (a real mistake to learn from).
- ``request.check {template, to, channel?, fields{}, evidence[], ref?}`` — a dry run of
  ``request.submit``: the same errors (a refused command) or ``{"warnings": [...]}``, and
  nothing appended. The player's form checks with it before sending.
- ``request.respond {id, decision, ground?, missing[]?, message?}`` — the seat where the
  request waits (or the facilitator in place of any seat, provider or body).
  decision: one of those ``rules.decisions`` allows, which every request snapshot carries
  (``forward`` or, at the last stop, ``answer``; ``return``, ``refuse``; for the facilitator
  at a provider or body ``fulfil``, ``return``, ``refuse``). Aliases: ``request.forward``,
  ``request.approve``, ``request.transmit``, ``request.return``, ``request.refuse``,
  ``request.answer``.
- ``request.amend {id, fields{}, evidence[]?}`` — the sender, after a return: resubmits.
- ``request.withdraw {id}`` — the sender.
- ``inject.release {id}``, ``inject.skip {id}``, ``inject.move {id, at}`` (game seconds),
  ``inject.send {title, text, to[]}`` — facilitator.
- ``clock.pause {}``, ``clock.resume {}``, ``clock.set_speed {speed}``,
  ``clock.advance {seconds, reason}`` — facilitator.
- ``survey.open {open?}`` — facilitator; ``survey.answer {answers{}}`` — seats.
- ``rating.submit {objective, rating, comment?}`` — facilitator and observers (HSEEP 1–4).
- ``emergency.declare {emergency, reason?}`` — facilitator.
- ``exercise.end {reason?}`` — facilitator: ends the exercise now. An ``exercise_ended``
  event ``{by, reason, debrief}`` reaches every seat with the scenario's debrief, the clock
  pauses (the facilitator may resume it to let answers on their way arrive). The scenario's
  ``exercise.duration`` ends it by itself (``by: "clock"``), after an ``exercise_ending``
  warning ``{at, left}`` a tenth of the duration before.
- ``mode.set {mode}`` — facilitator: ``coaching`` (submit returns warnings about missing
  legal elements) or ``exam`` (none: the consequences arrive).

Example: ``{"template": "preservation", "to": "polderhost", "channel": "network_24_7",
"evidence": ["c2_logs"], "fields": {"requesting_authority": "...", "confidentiality": true}}``.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from tte.i18n import N_, said
from tte.i18n.message import fields as message_fields
from tte.i18n.message import listed

from .channels import CHANNELS, Stop, build_route
from .duration import parse_duration
from .events import EVERYONE, CommandError, Event
from .rules import (
    Finding,
    action_word,
    admissible_via,
    country_of,
    desk_decision,
    jit_basis,
    legal_check,
    missing_fields,
    role_of,
)
from .rules.addressing import AddressError, addressee
from .rules.checks import execution_check, notified_state
from .rules.decisions import WHY_NOT, decisions, holder_decisions, unfilled, waits, words
from .rules.grounds import explain
from .rules.police import police_answer
from .rules.precision import PROBLEMS, Match, match
from .rules.providers import provider_objection
from .rules.timing import execution_time, preservation_period, translation_time
from .scenario import BODY_NAMES, IncomingRequest, Scenario, parse_instant, target_seats
from .state import TERMINAL, Request, State, Timer, fold, initial_state
from .teaching import OPS as TEACHING_OPS
from .teaching import STAFF_OPS as TEACHING_STAFF_OPS
from .teaching import begin_phase, phases_after_inject, react_hints, timebox_alarm
from .templates import REFUSAL_GROUNDS, ROLE_LABELS, ROLES, TEMPLATES, Template

MAX_TEXT = 20_000  # characters in one free-text field
MAX_JUMP = 3650 * 86400  # game seconds: the furthest a jump or a moved inject may go
MAX_FIELDS = 40
STAFF_ONLY = (
    frozenset(
        {
            "inject.release",
            "inject.skip",
            "inject.move",
            "inject.send",
            "clock.pause",
            "clock.resume",
            "clock.set_speed",
            "clock.advance",
            "clock.preview",
            "survey.open",
            "emergency.declare",
            "mode.set",
            "exercise.end",
        }
    )
    | TEACHING_STAFF_OPS
)
END_WARNING = 0.1  # of the duration: seats are warned this long before the exercise ends
DRY_RUNS = frozenset({"request.check", "clock.preview"})
RESPOND_ALIASES = {
    "request.forward": "forward",
    "request.approve": "forward",
    "request.transmit": "forward",
    "request.return": "return",
    "request.refuse": "refuse",
    "request.answer": "answer",
}
HSEEP = {
    1: N_("Performed without challenges"),
    2: N_("Performed with some challenges"),
    3: N_("Performed with major challenges"),
    4: N_("Unable to be performed"),
}


def _str(args: dict[str, Any], key: str, *, required: bool = True, limit: int = 200) -> str:
    v = args.get(key)
    if v is None:
        if required:
            raise CommandError("bad_args", said("'{key}' is required", key=key), key)
        return ""
    if not isinstance(v, str):
        raise CommandError("bad_args", said("'{key}' must be text", key=key), key)
    if len(v) > limit:
        raise CommandError(
            "bad_args", said("'{key}' is longer than {limit} characters", key=key, limit=limit), key
        )
    return v


def _moment(label: str, v: Any, key: str) -> str:
    if not isinstance(v, str) or len(v) > 60 or parse_instant(v) is None:
        raise CommandError(
            "bad_args",
            said(
                "{label_term}: a date and time with its UTC offset, e.g. 2019-05-06T21:14:09+00:00",
                label_term=label,
            ),
            key,
        )
    return v.strip()


def _port(label: str, v: Any, key: str) -> int:
    text = str(v).strip() if isinstance(v, int | str) and not isinstance(v, bool) else ""
    if not text.isdigit() or not (0 < int(text) < 65536):
        raise CommandError(
            "bad_args", said("{label_term}: a number from 1 to 65535", label_term=label), key
        )
    return int(text)


def _language(label: str, v: Any, key: str) -> str:
    if not isinstance(v, str) or not v.strip().isalpha() or not 2 <= len(v.strip()) <= 3:
        raise CommandError(
            "bad_args",
            said("{label_term}: a language code such as en or fr", label_term=label),
            key,
        )
    return v.strip().lower()


# Structured field kinds, checked and normalised as they arrive (the text kinds as text).
FORMATS: dict[str, Callable[[str, Any, str], Any]] = {
    "datetime": _moment,
    "port": _port,
    "language": _language,
}


class Engine:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.state: State = initial_state(scenario)
        self._seat_set = frozenset(scenario.seats())  # checked on every command
        self._out: list[Event] | None = None
        self._listeners: list[Callable[[Event], None]] = []
        # _react: per condition, the seq up to which it was false (see _became_true)
        self._false_upto: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self, now: float = 0.0) -> list[Event]:
        """The first events of a new exercise; timers due at `now` fire too."""
        if self.state.started:
            return []
        with self._batch() as out:
            self._emit(
                "exercise_started",
                now,
                {"scenario": self.scenario.exercise.id, "title": self.scenario.exercise.title},
            )
            self._emit("clock", now, {"speed": self.scenario.exercise.speed, "paused": True})
            # What each country knows at the start reaches its seats like any later lead.
            for item in self.scenario.evidence:
                if item.known_to:
                    self._emit(
                        "evidence_known",
                        now,
                        {
                            "id": item.id,
                            "countries": list(item.known_to),
                            "source": "briefing",
                            "item": self._item(item.id),
                        },
                        self._country_seats(item.known_to),
                    )
            self._fire_due(now)
            self._react(now)
        return out

    @classmethod
    def replay(cls, scenario: Scenario, events: Iterable[Event]) -> Engine:
        eng = cls(scenario)
        for ev in events:
            fold(eng.state, ev)
        return eng

    def seats(self) -> list[str]:
        return self.scenario.seats()

    def next_due(self) -> float | None:
        t = self.state.peek_timer()
        end = self._end_due()
        dues = [x for x in (t.due if t else None, end) if x is not None]
        return min(dues) if dues else None

    def _end_due(self) -> float | None:
        """When the scenario's duration next speaks: the warning, then the end."""
        st = self.state
        if not st.started or st.ended:
            return None
        duration = parse_duration(self.scenario.exercise.duration)
        return duration if st.end_warned else duration * (1 - END_WARNING)

    def advance_to(self, now: float) -> list[Event]:
        with self._batch() as out:
            self._fire_due(now)
            self._react(now)
        return out

    def set_presence(self, seat: str, human: bool, now: float) -> list[Event]:
        if seat not in self._seat_set or self.state.is_human(seat) == human:
            return []
        with self._batch() as out:
            self._emit("presence", now, {"seat": seat, "human": human}, ())
            self._fire_due(now)
        return out

    def timebox_alarm(self, phase: str, minutes: float, now: float) -> list[Event]:
        """The server measured the current phase past its timebox (wall minutes)."""
        with self._batch() as out:
            timebox_alarm(self, now, phase, minutes)
        return out

    # ------------------------------------------------------------------ commands
    def handle(
        self, actor: str, op: str, args: dict[str, Any], now: float
    ) -> tuple[list[Event], dict[str, Any]]:
        if not isinstance(args, dict):
            raise CommandError("bad_args", said("args must be a map"))
        now = max(now, self.state.now)
        if actor == "observer" and op != "rating.submit":
            raise CommandError(
                "forbidden", said("Observers watch and rate; they cannot change the exercise")
            )
        if op in STAFF_ONLY and actor != "facilitator":
            raise CommandError("forbidden", said("Only the facilitator may use {op}", op=op))
        if op in RESPOND_ALIASES:
            args = {**args, "decision": RESPOND_ALIASES[op]}
            op = "request.respond"
        method = _OPS.get(op)
        if method is None:
            raise CommandError("unknown_op", said("Unknown operation '{op}'", op=op))
        # The caller fires due timers first (advance_to): a command never emits events other
        # than its own, so a refused one leaves nothing behind.
        plan = method(self, actor, args, now)  # validates; returns the emitting closure
        if op in DRY_RUNS:  # validation only: no event, no reaction
            return [], plan()
        with self._batch() as out:
            data = plan() or {}
            self._react(now)
        return out, data

    # -- request.submit
    def _op_submit(
        self,
        actor: str,
        args: dict[str, Any],
        now: float,
        check: bool = False,
        inject: str | None = None,
    ) -> Callable[[], Any]:
        """request.submit; with `check` (request.check), the same validation and warnings
        and nothing emitted: the form's pre-send check is this dry run."""
        st = self.state
        seat = self._seat(actor)
        country, role = country_of(seat), role_of(seat)
        tid = _str(args, "template")
        tpl = TEMPLATES.get(tid)
        if tpl is None:
            raise CommandError(
                "bad_args", said("Unknown request template '{id}'", id=tid), "template"
            )
        if role not in tpl.senders:
            who = listed([ROLE_LABELS[r] for r in tpl.senders], ", ")
            raise CommandError(
                "not_allowed",
                said("A {title_term} is drafted by: {who}", title_term=tpl.title, who=who),
                "template",
            )
        channel = _str(args, "channel", required=False)
        if not channel and st.mode == "exam" and inject is None and len(tpl.channels) > 1:
            # An exam assumes no default: choosing the channel is part of the task.
            raise CommandError(
                "bad_channel",
                said(
                    "Choose the channel for the {title_term} ({channels})",
                    title_term=tpl.title,
                    channels=", ".join(tpl.channels),
                ),
                "channel",
            )
        channel = channel or tpl.channels[0]
        if channel not in tpl.channels:
            raise CommandError(
                "bad_channel",
                said(
                    "A {title_term} cannot go through {channel_term}; choose {channels}",
                    title_term=tpl.title,
                    channel_term=CHANNELS.get(channel, channel),
                    channels=", ".join(tpl.channels),
                ),
                "channel",
            )
        target = self._target(tpl, _str(args, "to"), country)
        fields = self._fields(tpl.id, args.get("fields", {}))
        evidence = self._evidence(args.get("evidence", []), country, target)
        ref = self._ref(args.get("ref"), country)
        try:
            route = build_route(tpl.id, channel, country, role, target)
        except (AssertionError, ValueError) as e:
            raise CommandError(
                "bad_channel",
                said("No route on {channel} to {to}", channel=channel, to=target.ref),
                "channel",
            ) from e
        if len(route) < 2:
            raise CommandError("bad_args", said("The request has nowhere to go"), "to")
        rid = f"R{st.next_request}"
        req: dict[str, Any] = {
            "id": rid,
            "template": tid,
            "channel": channel,
            "sender": seat,
            "country": country,
            "target": {"kind": target.kind, "ref": target.ref, "country": target.country},
            "fields": fields,
            "evidence": evidence,
            "ref": ref,
            "route": [
                {"kind": s.kind, "ref": s.ref, "country": s.country, "channel": ch}
                for s, ch in route
            ],
            "created": now,
        }
        probe = Request(**{k: v for k, v in req.items()})  # for the warnings only
        labels = {f.name: f.label for f in tpl.fields}
        # Coaching warns before sending; an exam lets the consequences arrive.
        warnings = [
            {
                "field": m,
                **message_fields(
                    said(
                        "{label_term} is missing: the request will be returned",
                        label_term=labels[m],
                    )
                ),
            }
            for m in (missing_fields(st, probe) if st.mode == "coaching" else [])
        ]
        limit = self._limit(tid)
        if check:
            return lambda: {"warnings": warnings}

        def emit() -> dict[str, Any]:
            due = now + self._latency(req["route"][1]["channel"])
            data = {"request": req, "due": due, "limit": limit}
            if inject is not None:  # started by the scenario, not decided by the seat
                data["inject"] = inject
            self._emit_request("request_submitted", now, rid, data)
            self._departed(self.state.requests[rid], now)
            return {"id": rid, "warnings": warnings}

        return emit

    def _op_check(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        return self._op_submit(actor, args, now, check=True)

    def _seat(self, actor: str) -> str:
        if actor not in self._seat_set:
            raise CommandError("forbidden", said("Only a country's seat can do this"))
        return actor

    def _target(self, tpl: Template, to: str, country: str) -> Stop:
        try:
            return addressee(self.scenario, self._seat_set, tpl, to, country)
        except AddressError as e:
            raise CommandError("bad_args", e.args[0], "to") from e  # a said() sentence

    def _fields(self, tid: str, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise CommandError("bad_args", said("'fields' must be a map"), "fields")
        if len(raw) > MAX_FIELDS:
            raise CommandError("bad_args", said("too many fields"), "fields")
        tpl = TEMPLATES[tid]
        out: dict[str, Any] = {}
        for k, v in raw.items():
            f = tpl.field(k) if isinstance(k, str) else None
            if f is None:
                raise CommandError(
                    "bad_args",
                    said("{title_term} has no field '{field}'", title_term=tpl.title, field=str(k)),
                    str(k)[:60],
                )
            if f.kind == "bool":
                if not isinstance(v, bool):
                    raise CommandError(
                        "bad_args", said("{label_term}: yes or no", label_term=f.label), k
                    )
            elif f.kind == "request":
                if v is not None and not isinstance(v, str):
                    raise CommandError(
                        "bad_args", said("{label_term}: a request id", label_term=f.label), k
                    )
            elif f.kind in FORMATS:
                v = "" if v in (None, "") else FORMATS[f.kind](f.label, v, k)
            else:
                if not isinstance(v, str):
                    raise CommandError(
                        "bad_args", said("{label_term} must be text", label_term=f.label), k
                    )
                if len(v) > MAX_TEXT:
                    raise CommandError(
                        "bad_args",
                        said(
                            "{label_term} is longer than {limit} characters",
                            label_term=f.label,
                            limit=MAX_TEXT,
                        ),
                        k,
                    )
            out[k] = v
        return out

    def _evidence(self, raw: Any, country: str, target: Stop) -> list[str]:
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise CommandError(
                "bad_args", said("'evidence' must be a list of evidence ids"), "evidence"
            )
        out: list[str] = []
        for eid in raw[:50]:
            item = self.scenario.item(eid)
            if item is None or country not in self.state.items[eid].known:
                raise CommandError(
                    "bad_args", said("Unknown evidence '{id}'", id=str(eid)), "evidence"
                )
            if target.kind == "org" and item.holder != target.ref:
                holder = self.scenario.org(item.holder)
                raise CommandError(
                    "bad_args",
                    said(
                        "{item} is held by {holder}",
                        item=item.title,
                        holder=holder.name if holder else item.holder,
                    ),
                    "evidence",
                )
            if eid not in out:
                out.append(eid)
        return out

    def _ref(self, raw: Any, country: str) -> str | None:
        if raw in (None, ""):
            return None
        if not isinstance(raw, str) or raw not in self.state.requests:
            raise CommandError("bad_args", said("Unknown request '{id}'", id=str(raw)), "ref")
        if self.state.requests[raw].country != country:
            raise CommandError(
                "bad_args", said("Request {id} is not one of yours", id=str(raw)), "ref"
            )
        return raw

    # -- request.respond
    def _op_respond(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        r = self._request(args)
        decision = _str(args, "decision")
        allowed = decisions(r, actor)  # the rule: tte.core.rules.decisions
        if not waits(r):
            raise CommandError(
                "bad_state",
                said(
                    "Request {id} is {status_term} and waits for no one",
                    id=r.id,
                    status_term=r.status,
                ),
                "id",
            )
        if not allowed:
            raise CommandError(
                "not_yours", said("Request {id} is not waiting for you", id=r.id), "id"
            )
        ground = args.get("ground")
        message = _str(args, "message", required=False, limit=MAX_TEXT)
        if decision not in allowed:
            why = (
                said(WHY_NOT[decision])
                if decision in WHY_NOT
                else said("Unknown decision '{decision}'", decision=decision)
            )
            raise CommandError("bad_args", why, "decision")
        if decision == "refuse":
            if not isinstance(ground, str) or ground not in REFUSAL_GROUNDS:
                raise CommandError(
                    "bad_args", said("Choose a legal ground for the refusal"), "ground"
                )
            stop = r.at()
            here = country_of(stop["ref"]) if stop["kind"] == "seat" else r.country
            finding = Finding("refuse", ground, message or explain(self.state, r, here, ground))
        elif decision == "return":
            missing = args.get("missing", [])
            tpl = TEMPLATES[r.template]
            if not isinstance(missing, list) or any(tpl.field(m) is None for m in missing):
                raise CommandError(
                    "bad_args", said("'missing' must list fields of the form"), "missing"
                )
            if not missing and not message:
                raise CommandError(
                    "bad_args", said("Say what is missing (fields or a message)"), "missing"
                )
            finding = Finding("return", "incomplete", message, list(missing))
        else:  # forward, answer, fulfil: the decision itself, with an optional note
            finding = Finding(decision, message=message)
        by = actor

        def emit() -> dict[str, Any]:
            self._decide(r, finding, now, by)
            return {"id": r.id, "status": r.status}

        return emit

    def _request(self, args: dict[str, Any]) -> Request:
        rid = _str(args, "id")
        r = self.state.requests.get(rid)
        if r is None:
            raise CommandError("bad_args", said("Unknown request '{id}'", id=rid), "id")
        return r

    def _op_amend(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        r = self._request(args)
        if r.sender != actor:
            raise CommandError("not_yours", said("Only the sender can amend {id}", id=r.id), "id")
        if r.status != "returned":
            raise CommandError("bad_state", said("Request {id} was not returned", id=r.id), "id")
        fields = self._fields(r.template, args.get("fields", {}))
        data: dict[str, Any] = {"id": r.id, "fields": fields, "by": actor}
        if "evidence" in args:
            tgt = Stop(r.target["kind"], r.target["ref"], r.target["country"])
            data["evidence"] = self._evidence(args["evidence"], r.country, tgt)
        data["due"] = now + self._latency(r.route[1]["channel"])

        def emit() -> dict[str, Any]:
            self._emit_request("request_amended", now, r.id, data)
            self._departed(r, now)
            return {"id": r.id, "status": r.status}

        return emit

    def _op_withdraw(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        r = self._request(args)
        if r.sender != actor:
            raise CommandError(
                "not_yours", said("Only the sender can withdraw {id}", id=r.id), "id"
            )
        if r.status in TERMINAL:
            raise CommandError(
                "bad_state",
                said("Request {id} is already {status_term}", id=r.id, status_term=r.status),
                "id",
            )

        def emit() -> dict[str, Any]:
            self._emit_request("request_withdrawn", now, r.id, {"id": r.id, "by": actor})
            return {"id": r.id}

        return emit

    # -- injects
    def _op_release(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        iid = self._inject_id(args)

        def emit() -> dict[str, Any]:
            self._release(iid, now, by="facilitator")
            return {"id": iid}

        return emit

    def _inject_id(self, args: dict[str, Any]) -> str:
        iid = _str(args, "id")
        status = self.state.injects.get(iid)
        if status is None:
            raise CommandError("bad_args", said("Unknown inject '{id}'", id=iid), "id")
        if status in ("released", "skipped"):
            raise CommandError(
                "bad_state",
                said("Inject {id} is already {status_term}", id=iid, status_term=status),
                "id",
            )
        return iid

    def _op_skip(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        iid = self._inject_id(args)
        return lambda: self._emit("inject_skipped", now, {"id": iid}, ()) and {"id": iid}

    def _op_move(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        iid = self._inject_id(args)
        at = args.get("at")
        if (
            isinstance(at, bool)
            or not isinstance(at, int | float)
            or not math.isfinite(at)  # NaN compares false with everything: it jams timers
            or not now <= at <= now + MAX_JUMP
        ):
            raise CommandError("bad_args", said("'at' must be a game time not in the past"), "at")
        due = float(at)
        return lambda: (
            self._emit("inject_scheduled", now, {"id": iid, "due": due}, ()) and {"id": iid}
        )

    def _op_send(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        title = _str(args, "title")
        text = _str(args, "text", required=False, limit=MAX_TEXT)
        to = args.get("to", ["all"])
        if not isinstance(to, list) or not to or not all(isinstance(x, str) for x in to):
            raise CommandError("bad_args", said("'to' must list seats, countries or 'all'"), "to")
        seats = target_seats(self.scenario, to)
        if not seats:
            raise CommandError("bad_args", said("No seat matches 'to'"), "to")

        def emit() -> dict[str, Any]:
            n = self.state.adhoc + 1
            data = {
                "id": None,
                "adhoc": n,
                "title": title,
                "text": text,
                "to": seats,
                "attachments": [],
                "by": "facilitator",
            }
            self._emit("inject", now, data, tuple(seats))
            return {"adhoc": n}

        return emit

    # -- clock
    def _op_preview(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        """clock.preview: what clock.advance by `seconds` would delete, fire and expire, on
        a copy of the state (tte.core.preview); nothing is emitted."""
        from .preview import jump_preview

        secs = args.get("seconds")
        if (
            isinstance(secs, bool)
            or not isinstance(secs, int | float)
            or not (0 < secs <= 3650 * 86400)
        ):
            raise CommandError(
                "bad_args", said("'seconds' must be a positive number of game seconds"), "seconds"
            )
        return lambda: jump_preview(self, now, float(secs)).as_dict()

    @staticmethod
    def _op_clock(op: str) -> Callable[[Engine, str, dict[str, Any], float], Callable[[], Any]]:
        def plan(self: Engine, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
            st = self.state
            data: dict[str, Any] = {"speed": st.speed, "paused": st.paused}
            jump = 0.0
            if op == "clock.pause":
                data["paused"] = True
            elif op == "clock.resume":
                data["paused"] = False
            elif op == "clock.set_speed":
                speed = args.get("speed")
                if (
                    isinstance(speed, bool)
                    or not isinstance(speed, int | float)
                    or not (0 < speed <= 1_000_000)
                ):
                    raise CommandError(
                        "bad_args", said("'speed' must be a number above 0"), "speed"
                    )
                data["speed"] = float(speed)
            else:
                secs = args.get("seconds")
                if (
                    isinstance(secs, bool)
                    or not isinstance(secs, int | float)
                    or not (0 < secs <= MAX_JUMP)
                ):
                    raise CommandError(
                        "bad_args",
                        said("'seconds' must be a positive number of game seconds"),
                        "seconds",
                    )
                jump = float(secs)
                data["jump"] = jump
                data["reason"] = _str(args, "reason", required=False, limit=500)

            def emit() -> dict[str, Any]:
                self._emit("clock", now, data)
                if jump:
                    self._fire_due(now + jump)
                    self._react(now + jump)
                return {"speed": data["speed"], "paused": data["paused"]}

            return emit

        return plan

    # -- survey, ratings, emergency
    def _op_survey_open(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        is_open = bool(args.get("open", True))
        questions = [
            {"id": q.id, "text": q.text, "kind": q.kind, "choices": q.choices}
            for q in self.scenario.survey
        ]
        if not questions:
            raise CommandError("bad_state", said("This scenario has no survey"))
        anonymous = self.scenario.exercise.anonymous_survey
        return lambda: (
            self._emit(
                "survey_opened",
                now,
                {"open": is_open, "questions": questions, "anonymous": anonymous},
            )
            and {"open": is_open}
        )

    def _op_survey_answer(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        seat = self._seat(actor)
        if not self.state.survey_open:
            raise CommandError("bad_state", said("The survey is not open"))
        answers = args.get("answers")
        if not isinstance(answers, dict):
            raise CommandError("bad_args", said("'answers' must be a map"), "answers")
        qs = {q.id: q for q in self.scenario.survey}
        clean: dict[str, Any] = {}
        for k, v in answers.items():
            q = qs.get(k)
            if q is None:
                raise CommandError(
                    "bad_args", said("Unknown question '{id}'", id=str(k)), str(k)[:60]
                )
            if q.kind == "scale" and (isinstance(v, bool) or v not in (1, 2, 3, 4, 5)):
                raise CommandError("bad_args", said("Answer on a scale of 1 to 5"), k)
            if q.kind == "choice" and v not in q.choices:
                raise CommandError("bad_args", said("Pick one of the choices"), k)
            if q.kind == "text" and (not isinstance(v, str) or len(v) > MAX_TEXT):
                raise CommandError("bad_args", said("Answer with text"), k)
            clean[k] = v
        who = hashlib.sha256(f"{self.scenario.exercise.seed}:{seat}".encode()).hexdigest()[:10]
        data: dict[str, Any] = {"answers": clean, "respondent": who}
        if not self.scenario.exercise.anonymous_survey:
            data["seat"] = seat
        else:
            data["role"] = role_of(seat)
        return lambda: self._emit("survey_answer", now, data, ()) and {"ok": True}

    def _op_rating(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        if actor not in ("facilitator", "observer"):
            raise CommandError("forbidden", said("Evaluators (observers) and the facilitator rate"))
        oid = _str(args, "objective")
        if oid not in {o.id for o in self.scenario.objectives}:
            raise CommandError("bad_args", said("Unknown objective '{id}'", id=oid), "objective")
        rating = args.get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in HSEEP:
            raise CommandError("bad_args", said("Rate 1 to 4 on the HSEEP scale"), "rating")
        comment = _str(args, "comment", required=False, limit=MAX_TEXT)
        data = {
            "objective": oid,
            "rating": rating,
            "label": HSEEP[rating],
            "comment": comment,
            "by": actor,
        }
        return lambda: self._emit("rating", now, data, ()) and {"ok": True}

    def _op_mode(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        mode = _str(args, "mode")
        if mode not in ("coaching", "exam"):
            raise CommandError("bad_args", said("'mode' is coaching or exam"), "mode")
        return lambda: self._emit("mode", now, {"mode": mode}) and {"mode": mode}

    def _op_end(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        if self.state.ended:
            raise CommandError("bad_state", said("The exercise has already ended"))
        reason = _str(args, "reason", required=False, limit=2000)

        def emit() -> dict[str, Any]:
            self._end(now, "facilitator", reason)
            return {"ended": True}

        return emit

    def _op_emergency(self, actor: str, args: dict[str, Any], now: float) -> Callable[[], Any]:
        """emergency.declare {emergency, reason?, items[]?}: `items` names the evidence the
        threat to life concerns; only expedited requests for those get the emergency
        treatment (rules.emergency). None named: every emergency-relevant item."""
        flag = args.get("emergency", True)
        if not isinstance(flag, bool):
            raise CommandError("bad_args", said("'emergency' is yes or no"), "emergency")
        reason = _str(args, "reason", required=False, limit=2000)
        items = args.get("items", [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise CommandError("bad_args", said("'items' must list evidence ids"), "items")
        for eid in items:
            if self.scenario.item(eid) is None:
                raise CommandError(
                    "bad_args", said("Unknown evidence '{id}'", id=eid[:60]), "items"
                )
        data: dict[str, Any] = {"emergency": flag, "reason": reason}
        if flag and items:
            data["items"] = sorted(set(items))
            data["titles"] = [self._item(e)["title"] for e in data["items"]]
        return lambda: self._emit("emergency", now, data) and {"emergency": flag}

    # ------------------------------------------------------------------ emission
    class _Batch:
        def __init__(self, eng: Engine):
            self.eng = eng
            self.out: list[Event] = []

        def __enter__(self) -> list[Event]:
            if self.eng._out is not None:
                return self.eng._out
            self.eng._out = self.out
            return self.out

        def __exit__(self, *exc: object) -> None:
            if self.eng._out is self.out:
                self.eng._out = None

    def _batch(self) -> Engine._Batch:
        return Engine._Batch(self)

    def _emit(
        self,
        kind: str,
        t: float,
        data: dict[str, Any],
        visible: tuple[str, ...] = EVERYONE,
        timer: int | None = None,
        request: str | None = None,
    ) -> Event:
        """Fold the change, then build the event complete: what it carries about an item
        or a request (and who sees a request event) is as the fold leaves them. The
        event is never changed after it is built."""
        seq, t = self.state.seq + 1, max(t, self.state.now)
        fold(self.state, Event(seq, kind, t, data, visible, timer))
        if isinstance(data.get("item"), dict):  # the item as this event leaves it
            data = {**data, "item": self._item(data["item"]["id"])}
        if request is not None:  # a request event: its route's seats see its snapshot
            r = self.state.requests[request]
            visible = tuple(r.seats())
            snap = r.snapshot(holder_decisions(r), unfilled(r), words(r))
            data = {**data, "request": snap}
        ev = Event(seq, kind, t, data, visible, timer)
        if self._out is not None:
            self._out.append(ev)
        return ev

    def _emit_request(
        self, kind: str, t: float, rid: str, data: dict[str, Any], timer: int | None = None
    ) -> Event:
        """A request event, visible to the seats on its route so far; carries a snapshot
        with the decisions its holder may take."""
        return self._emit(kind, t, data, (), timer, request=rid)

    def _country_seats(self, countries: Iterable[str]) -> tuple[str, ...]:
        return tuple(f"{c}/{r}" for c in sorted(set(countries)) for r in ROLES)

    # ------------------------------------------------------------------ timers
    def _fire_due(self, now: float) -> None:
        while True:
            tm = self.state.peek_timer()
            end = self._end_due()
            if end is not None and end <= now and (tm is None or end <= tm.due):
                self._duration_speaks(end)
                continue
            if tm is None or tm.due > now:
                return
            self._fire(tm)
            self._react(tm.due)

    def _duration_speaks(self, t: float) -> None:
        """The scenario's duration: a warning to every seat, then the end."""
        duration = parse_duration(self.scenario.exercise.duration)
        if self.state.end_warned:
            self._end(t, "clock", "")
        else:
            self._emit("exercise_ending", t, {"at": duration, "left": duration - t})

    def _end(self, t: float, by: str, reason: str) -> None:
        """Every seat learns the exercise is over, with the scenario's debrief; the clock
        stops, so nothing happens after the end that nobody can answer."""
        self._emit(
            "exercise_ended",
            t,
            {"by": by, "reason": reason, "debrief": self.scenario.exercise.debrief},
        )
        if not self.state.paused:
            self._emit("clock", t, {"speed": self.state.speed, "paused": True})

    def _fire(self, tm: Timer) -> None:
        st, t = self.state, tm.due
        if tm.kind == "arrive":
            r = st.requests[tm.ref]
            stop = r.route[r.stop]
            self._emit_request("request_arrived", t, r.id, {"id": r.id, "at": stop["ref"]}, tm.id)
            if r.template == "spontaneous_info" and r.stop == len(r.route) - 1:
                self._inform(r, t)
        elif tm.kind == "desk":
            r = st.requests[tm.ref]
            f = desk_decision(st, r)
            self._decide(r, f, t, "desk:" + r.at()["ref"], tm.id)
        elif tm.kind == "execute":
            r = st.requests[tm.ref]
            if r.at()["kind"] == "org":
                self._execute_org(r, t, tm.id)
            else:
                self._execute_body(r, t, tm.id)
        elif tm.kind == "retention":
            it = st.items[tm.ref]
            if it.preserved_until is not None and it.preserved_until > t:
                self._emit("retention_passed", t, {"id": it.id}, (), tm.id)
            else:
                self._delete(it.id, t, "retention", tm.id)
        elif tm.kind == "lapse":
            it = st.items[tm.ref]
            vis = self._country_seats(it.known)
            if self._production_received(it.id):
                # BC Art 29(7): once the request for the data is received, it stays preserved
                # pending a decision on that request.
                until = t + st.scenario.exercise.preservation_days * 86400
                data = {"id": it.id, "until": until, "country": it.preserved_for}
                self._emit("evidence_preserved", t, {**data, "item": self._item(it.id)}, vis, tm.id)
                return
            self._emit(
                "preservation_lapsed", t, {"id": it.id, "item": self._item(it.id)}, vis, tm.id
            )
            if it.retention_passed:
                self._delete(it.id, t, "preservation_lapsed")
        elif tm.kind == "inject":
            from .scoring import trigger_true

            inj = self.scenario.inject(tm.ref)
            if inj is not None and inj.when is not None and not trigger_true(st, inj.when):
                # "Nothing sent by T": something was sent, so the branch is not taken.
                self._emit("inject_skipped", t, {"id": tm.ref, "by": "condition"}, (), tm.id)
                return
            by = "schedule" if inj is None or inj.when is None else "trigger"
            self._release(tm.ref, t, by=by, timer=tm.id)
        elif tm.kind == "phase":
            begin_phase(self, tm.ref, t, "schedule", tm.id)
        elif tm.kind == "expire":
            r = st.requests[tm.ref]
            moving = any(x.kind != "expire" for x in st.timers_for(r.id))
            if r.status != "returned" and (moving or r.at()["kind"] == "seat"):
                # Still on its way or with a seat: the limit is measured (scoring), the
                # request goes on. Only an addressee that leaves it unanswered lets it expire.
                text = said("Time limit of {basis} passed", basis=TEMPLATES[r.template].basis)
                self._emit("note", t, {"id": r.id, **message_fields(text, "text")}, (), tm.id)
                return
            self._emit_request(
                "request_expired",
                t,
                r.id,
                {
                    "id": r.id,
                    "by": "clock",
                    **message_fields(
                        said(
                            "No answer within the time limit of {basis}",
                            basis=TEMPLATES[r.template].basis,
                        )
                    ),
                },
                tm.id,
            )
        else:  # pragma: no cover
            self._emit("timer_skipped", t, {"kind": tm.kind, "ref": tm.ref}, (), tm.id)

    def _production_received(self, eid: str) -> bool:
        """A request to produce the item has reached the requested Party, undecided."""
        return any(
            r.received_at is not None and TEMPLATES[r.template].outcome == "produce"
            for r in self.state.open_requests_about(eid)  # open, naming the item
        )

    def _decide(self, r: Request, f: Finding, t: float, by: str, timer: int | None = None) -> None:
        """Turn a decision at the current stop into events."""
        if f.decision == "forward":
            nxt = r.route[r.stop + 1]
            role = role_of(r.at()["ref"]) if r.at()["kind"] == "seat" else ""
            due = t + self._latency(nxt["channel"]) + execution_time(self.state, r, nxt)
            translating = translation_time(self.state, r, nxt)
            data: dict[str, Any] = {"id": r.id, "by": by, "what": action_word(role), "due": due}
            if f.message:
                data |= message_fields(f.message)
            if translating:  # the sender's translation desk, before it leaves
                data |= {"translation": translating, "due": data["due"] + translating}
            if f.delay:  # postponed to protect the requested Party's own case
                data |= {"ground": f.ground, "what": "postponed", "due": data["due"] + f.delay}
            self._emit_request("request_forwarded", t, r.id, data, timer)
            self._departed(r, t)
        elif f.decision == "return":
            self._emit_request(
                "request_returned",
                t,
                r.id,
                {
                    "id": r.id,
                    "by": by,
                    "ground": f.ground,
                    **message_fields(f.message),
                    "missing": f.missing,
                },
                timer,
            )
        elif f.decision == "refuse":
            self._emit_request(
                "request_refused",
                t,
                r.id,
                {"id": r.id, "by": by, "ground": f.ground, **message_fields(f.message)},
                timer,
            )
        elif f.decision == "answer":
            self._answer_seat(r, t, by, f.message, timer)
        elif f.decision == "fulfil":
            if r.at()["kind"] == "org":
                self._execute_org(r, t, timer, checked=True)
            else:
                self._execute_body(r, t, timer)

    def _fulfil(
        self,
        r: Request,
        t: float,
        by: str,
        timer: int | None,
        message: str,
        delivered: list[str] | None = None,
        precision: list[Match] | None = None,
    ) -> None:
        """The request's final answer: what came back (and which items, if any, with what
        the holder could not match as the request named it)."""
        data: dict[str, Any] = {"id": r.id, "by": by}
        if delivered is not None:
            data["delivered"] = delivered
        data |= message_fields(message)
        if precision:
            data["precision"] = [
                {"item": m.item, "problem": m.problem, "found": m.found} for m in precision
            ]
        self._emit_request("request_fulfilled", t, r.id, data, timer)

    def _answer_seat(self, r: Request, t: float, by: str, message: str, timer: int | None) -> None:
        tpl = TEMPLATES[r.template]
        if r.template == "jit_agreement":
            here = country_of(r.at()["ref"])
            basis = jit_basis(self.state, r.country, here)
            self._fulfil(r, t, by, timer, message or said("JIT agreed ({basis})", basis=str(basis)))
            vis = self._country_seats([r.country, here])
            data = {"countries": [r.country, here], "request": r.id, "basis": basis}
            self._emit("jit_agreed", t, data, vis)
            return
        if tpl.outcome == "leads":  # police information from foreign police
            self._give_intel(r, t, by, timer, message or said("Answered"), via=None)
            return
        self._fulfil(r, t, by, timer, message or said("Received"))

    def _execute_org(self, r: Request, t: float, timer: int | None, checked: bool = False) -> None:
        st = self.state
        org_id = r.at()["ref"]
        org = self.scenario.org(org_id)
        assert org is not None
        live = st.orgs[org_id]
        tpl = TEMPLATES[r.template]
        by = "org:" + org_id
        if not checked and r.channel != "direct" and (f := execution_check(st, r)) is not None:
            self._decide(r, f, t, by, timer)
            return
        if not checked and r.channel == "direct":
            f = legal_check(st, r, org.country) or provider_objection(st, r, org)
            if f is not None and f.decision == "ignore":
                # Silent: the order's time limit will pass unanswered (2AP Art 7(7)).
                text = said("{name} does not answer", name=org.name)
                self._emit("note", t, {"id": r.id, **message_fields(text, "text")}, (), timer)
                return
            if f is not None:
                self._decide(r, f, t, by, timer)
                return
        items = [e for e in r.evidence if self.scenario.item(e).holder == org_id]  # type: ignore[union-attr]
        if not items:
            self._decide(
                r,
                Finding(
                    "refuse",
                    "no_data",
                    said("{name} holds none of the data named in the request.", name=org.name),
                ),
                t,
                by,
                timer,
            )
            return
        alive = [e for e in items if not st.items[e].deleted]
        if not alive:
            self._decide(
                r,
                Finding(
                    "refuse",
                    "data_unavailable",
                    said("{name}: the data no longer exists.", name=org.name),
                ),
                t,
                by,
                timer,
            )
            return
        if tpl.outcome == "preserve":
            until = t + preservation_period(st, r)
            for e in alive:
                self._emit(
                    "evidence_preserved",
                    t,
                    {
                        "id": e,
                        "until": until,
                        "country": r.country,
                        "request": r.id,
                        "item": self._item(e),
                    },
                    self._country_seats(st.items[e].known),
                )
            self._fulfil(
                r,
                t,
                by,
                timer,
                said(
                    "Preserved until {when}; not disclosed until a production request is executed.",
                    when=self._fmt(until),
                ),
                delivered=[],
            )
        elif tpl.outcome == "disclose_traffic":
            preserved = [e for e in alive if st.items[e].preserved_until is not None]
            if not preserved:
                self._decide(
                    r,
                    Finding(
                        "refuse",
                        "other",
                        said(
                            "Nothing was preserved for this request: preserve first "
                            "(BC Art 29, 30)."
                        ),
                    ),
                    t,
                    by,
                    timer,
                )
                return
            self._fulfil(
                r, t, by, timer, said("Partial traffic data disclosed (BC Art 30)."), delivered=[]
            )
            for e in preserved:
                self._reveal(e, r.country, t)
        else:
            self._produce(r, t, by, timer, org.name, alive)
        if live["tips_off"] and not r.fields.get("confidentiality"):
            self._tip_off(org.id, org.name, r, t)

    def _produce(
        self, r: Request, t: float, by: str, timer: int | None, org: str, alive: list[str]
    ) -> None:
        """The holder looks each item up as the request names it (rules.precision.match):
        what it finds is handed over, a near miss may be another customer's record."""
        sc = self.scenario
        matches = [match(self.state, r, item) for e in alive if (item := sc.item(e))]
        found = [m.found for m in matches if m.found]
        misses = [m for m in matches if m.problem]
        text: str = said("{org} produced {n} item(s).", org=org, n=len(found))
        for m in misses:
            title = sc.item(m.item).title  # type: ignore[union-attr]
            miss = (
                said(
                    "{item}: {problem_term}; another record returned.",
                    item=title,
                    problem_term=PROBLEMS[m.problem],
                )
                if m.found
                else said(
                    "{item}: {problem_term}; nothing returned.",
                    item=title,
                    problem_term=PROBLEMS[m.problem],
                )
            )
            text = said("{first} {then}", first=text, then=miss)
        self._fulfil(r, t, by, timer, text, delivered=found, precision=misses)
        via = "jit" if r.channel == "jit" else r.template
        for e in found:
            self._obtain(e, r.country, via, t)

    def _execute_body(self, r: Request, t: float, timer: int | None) -> None:
        body = r.at()["ref"]
        by = "body:" + body
        name = BODY_NAMES.get(body, body)
        if r.template == "jit_agreement" or r.channel == "eurojust":
            nxt = r.route[r.stop + 1] if r.stop + 1 < len(r.route) else None
            if nxt is None:
                self._decide(
                    r, Finding("refuse", "other", said("Nobody to coordinate with")), t, by, timer
                )
                return
            self._emit_request(
                "request_forwarded",
                t,
                r.id,
                {
                    "id": r.id,
                    "by": by,
                    "what": "coordinated",
                    "due": t + self._latency(nxt["channel"]),
                },
                timer,
            )
            return
        self._give_intel(r, t, by, timer, said("{name} answered", name=name), via=body)

    def _give_intel(
        self, r: Request, t: float, by: str, timer: int | None, msg: str, via: str | None
    ) -> None:
        """Police cooperation shares what the police hold, as leads: never a provider's
        item, never admissible, no chain revealed (rules.police)."""
        refusal, leads = police_answer(self.state, r, via)
        if refusal is not None:
            self._decide(r, refusal, t, by, timer)
            return
        answer = (
            said(
                "{answer}: {n} piece(s) of information. Intelligence only, not admissible "
                "at trial; providers' data needs an order in their own State.",
                answer=msg,
                n=len(leads),
            )
            if leads
            else said(
                "{answer}: nothing on this. Intelligence only, not admissible at trial; "
                "providers' data needs an order in their own State.",
                answer=msg,
            )
        )
        self._fulfil(r, t, by, timer, answer, delivered=[])
        vis = self._country_seats([r.country])
        for text in leads:
            data = {"source": r.id, **message_fields(text, "text"), "country": r.country}
            self._emit("lead", t, data, vis)

    def _departed(self, r: Request, t: float) -> None:
        """The State notified of an order sent straight to a provider on its territory
        learns of it as it leaves (2AP Art 7(5)(a); Regulation (EU) 2023/1543 Art 8)."""
        country = notified_state(self.state, r, r.route[r.stop])
        if country is None:
            return
        sc = self.scenario
        org = sc.org(r.target["ref"])
        data = {
            "request": r.id,
            "template": r.template,
            "from": r.country,
            "org": org.name if org else r.target["ref"],
            "items": [item.title for e in r.evidence if (item := sc.item(e))],
            "facts": str(r.fields.get("offence", "")),
        }
        self._emit("notification", t, data, self._country_seats([country]))

    def _inform(self, r: Request, t: float) -> None:
        """Spontaneous information (BC Art 26, ETS 182 Art 11) reaches the receiver as facts
        it can act on: a lead under the sender's conditions, and the items it names."""
        here = r.route[-1]["country"]
        vis = self._country_seats([here])
        data = {
            "source": r.id,
            "text": str(r.fields.get("facts", "")),
            "conditions": str(r.fields.get("conditions", "")),
            "country": here,
            "from": r.country,
        }
        self._emit("lead", t, data, vis)
        for eid in r.evidence:
            if here not in self.state.items[eid].known:
                self._emit(
                    "evidence_known",
                    t,
                    {"id": eid, "countries": [here], "source": r.id, "item": self._item(eid)},
                    vis,
                )

    def _obtain(self, eid: str, country: str, via: str, t: float) -> None:
        adm = admissible_via(self.state, eid, via)
        vis = self._country_seats([country])
        self._emit(
            "evidence_obtained",
            t,
            {"id": eid, "country": country, "via": via, "admissible": adm, "item": self._item(eid)},
            vis,
        )
        self._reveal(eid, country, t)

    def _reveal(self, eid: str, country: str, t: float) -> None:
        item = self.scenario.item(eid)
        assert item is not None
        vis = self._country_seats([country])
        for new in item.reveals.evidence:
            if country not in self.state.items[new].known:
                self._emit(
                    "evidence_known",
                    t,
                    {"id": new, "countries": [country], "source": eid, "item": self._item(new)},
                    vis,
                )
        for text in item.reveals.leads:
            self._emit("lead", t, {"source": eid, "text": text, "country": country}, vis)

    def _tip_off(self, org_id: str, org_name: str, r: Request, t: float) -> None:
        """No confidentiality asked: the provider tells its customer (domain failure 10)."""
        st = self.state
        self._emit("tip_off", t, {"request": r.id, "org": org_name, "org_id": org_id}, ())
        for e in self.scenario.evidence:
            it = st.items[e.id]
            if e.wiped_on_tipoff and not it.deleted and it.preserved_until is None:
                self._delete(e.id, t, "tipped_off")

    def _delete(self, eid: str, t: float, reason: str, timer: int | None = None) -> None:
        it = self.state.items[eid]
        self._emit(
            "evidence_deleted",
            t,
            {"id": eid, "reason": reason, "item": self._item(eid)},
            self._country_seats(it.known),
            timer,
        )

    def _release(self, iid: str, t: float, by: str, timer: int | None = None) -> None:
        inj = self.scenario.inject(iid)
        assert inj is not None
        seats = target_seats(self.scenario, inj.to)
        eff = inj.effects
        effects: dict[str, Any] = {}
        if eff.emergency is not None:
            effects["emergency"] = eff.emergency
            if eff.emergency_items:
                effects["emergency_items"] = list(eff.emergency_items)
        if eff.org:
            effects["org"] = eff.org
            for k in ("tips_off", "accepts_art6", "accepts_art7", "answer_delay"):
                if getattr(eff, k) is not None:
                    effects[k] = getattr(eff, k)
        data = {
            "id": iid,
            "title": inj.title,
            "text": inj.text,
            "to": seats,
            "attachments": [{"name": a.name, "text": a.text} for a in inj.attachments],
            "effects": effects,
            "by": by,
        }
        self._emit("inject", t, data, tuple(seats), timer)
        countries = sorted({country_of(s) for s in seats})
        for eid in eff.reveal:
            new = [c for c in countries if c not in self.state.items[eid].known]
            if new:
                self._emit(
                    "evidence_known",
                    t,
                    {"id": eid, "countries": new, "source": iid, "item": self._item(eid)},
                    self._country_seats(new),
                )
        for eid in eff.delete:
            if not self.state.items[eid].deleted:
                self._delete(eid, t, "inject")
        if eff.request is not None:
            self._incoming(iid, eff.request, t)
        phases_after_inject(self, iid, t)

    def _incoming(self, iid: str, spec: IncomingRequest, t: float) -> None:
        """A desk-played country starts a request (issue 22): submitted from its seat as a
        diligent official fills it, with the scenario's fields over that (a deliberate gap
        gives the requested side a return to decide). It knows the items it asks about."""
        from .policies import fill_fields, language_for, period_of  # the same diligent hand

        st, country = self.state, country_of(spec.sender)
        for eid in spec.evidence:
            if country not in st.items[eid].known:
                data = {"id": eid, "countries": [country], "source": iid, "item": self._item(eid)}
                self._emit("evidence_known", t, data, self._country_seats([country]))
        items = [i for e in spec.evidence if (i := self.scenario.item(e))]
        fields = fill_fields(spec.template, items, period=period_of(st))
        if TEMPLATES[spec.template].field("language") is not None:
            fields["language"] = language_for(st, spec.sender, spec.to)
        fields.update(spec.fields)
        args: dict[str, Any] = {
            "template": spec.template,
            "to": spec.to,
            "evidence": list(spec.evidence),
            "fields": fields,
        }
        if spec.channel:
            args["channel"] = spec.channel
        try:
            self._op_submit(spec.sender, args, t, inject=iid)()
        except CommandError as e:  # a scenario mistake only sending reveals: staff learn it
            text = said(
                "Inject {id}: {seat} could not send its request: {reason}",
                id=iid,
                seat=spec.sender,
                reason=e.message,
            )
            self._emit("note", t, {"id": iid, **message_fields(text, "text")}, ())

    # ------------------------------------------------------------------ reactions
    incremental = True  # _react tests only the requests that changed (False: every one)

    def _react(self, now: float) -> None:
        """Conditional injects and objectives, after every change."""
        from .scoring import (
            objective_met,
            objective_request_test,
            trigger_request_test,
            trigger_true,
        )

        st = self.state
        for inj in self.scenario.injects:
            if inj.when is None or st.injects[inj.id] != "pending":
                continue
            if self._became_true(
                ("inject", inj.id),
                partial(trigger_true, st, inj.when),
                partial(trigger_request_test, st, inj.when),
            ):
                delay = parse_duration(inj.delay)
                if delay:
                    self._emit("inject_scheduled", now, {"id": inj.id, "due": now + delay}, ())
                else:
                    self._release(inj.id, now, by="trigger")
        for ob in self.scenario.objectives:
            if ob.id in st.objectives_met:
                continue
            if self._became_true(
                ("objective", ob.id),
                partial(objective_met, st, ob, final=False),
                partial(objective_request_test, st, ob),
            ):
                self._emit("objective_met", now, {"id": ob.id, "title": ob.title}, ())
        react_hints(self, now)

    def _became_true(
        self,
        key: tuple[str, str],
        holds: Callable[[], bool],
        request_test: Callable[[], Callable[[Request], bool] | None],
    ) -> bool:
        """Does a condition hold now? One that is "some request passes a test" and was
        false up to seq N needs testing only on the requests folds changed after N
        (State.touched, newest last): per event, the work follows what changed, not how
        many requests there are (issue 19). The others are asked in full (cheap)."""
        st = self.state
        upto = self._false_upto.get(key)
        test = request_test() if self.incremental and upto is not None else None
        if test is None or upto is None:
            now_true = holds()
        else:
            now_true = False
            for rid, seq in reversed(st.touched.items()):
                if seq <= upto:
                    break
                if test(st.requests[rid]):
                    now_true = True
                    break
        if not now_true:
            self._false_upto[key] = st.seq
        return now_true

    # ------------------------------------------------------------------ helpers
    def _latency(self, channel: str) -> float:
        base = self.scenario.latency(channel)
        rng = random.Random(f"{self.scenario.exercise.seed}:{self.state.seq}:{channel}")
        return round(base * rng.uniform(0.9, 1.1))

    def _limit(self, tid: str) -> float | None:
        if tid in self.scenario.limits:
            return parse_duration(self.scenario.limits[tid])
        return TEMPLATES[tid].limit

    def _fmt(self, t: float) -> str:
        return self.scenario.game_datetime(t).strftime("%Y-%m-%d %H:%M %Z")

    def item_view(self, eid: str) -> dict[str, Any]:
        """An evidence item as events carry it: what it is and where it stands."""
        return self._item(eid)

    def _item(self, eid: str) -> dict[str, Any]:
        item = self.scenario.item(eid)
        assert item is not None
        it = self.state.items[eid]
        org = self.scenario.org(item.holder)
        deleted_at = parse_duration(item.deleted_at) if item.deleted_at is not None else None
        return {
            "id": item.id,
            "title": item.title,
            "kind": item.kind,
            "holder": item.holder,
            "holder_name": org.name if org else item.holder,
            "country": org.country if org else None,
            "identifiers": item.identifiers,
            "description": item.description,
            "deletes_at": deleted_at,
            "deleted": it.deleted,
            "preserved_until": it.preserved_until,
        }

    def welcome_info(self, seat: str) -> dict[str, Any]:
        """What a client needs besides the events: the exercise, directory and forms."""
        from .welcome import welcome_info

        return welcome_info(self, seat)


_OPS: dict[str, Callable[[Engine, str, dict[str, Any], float], Callable[[], Any]]] = {
    "request.submit": Engine._op_submit,
    "request.check": Engine._op_check,
    "request.respond": Engine._op_respond,
    "request.amend": Engine._op_amend,
    "request.withdraw": Engine._op_withdraw,
    "inject.release": Engine._op_release,
    "inject.skip": Engine._op_skip,
    "inject.move": Engine._op_move,
    "inject.send": Engine._op_send,
    "survey.open": Engine._op_survey_open,
    "survey.answer": Engine._op_survey_answer,
    "rating.submit": Engine._op_rating,
    "emergency.declare": Engine._op_emergency,
    "mode.set": Engine._op_mode,
    "exercise.end": Engine._op_end,
}
_OPS["clock.preview"] = Engine._op_preview
_OPS.update(TEACHING_OPS)
for _op in ("clock.pause", "clock.resume", "clock.set_speed", "clock.advance"):
    _OPS[_op] = Engine._op_clock(_op)
OPS = frozenset(_OPS) | frozenset(RESPOND_ALIASES)

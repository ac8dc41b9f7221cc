"""``events.csv`` and ``requests.csv``: the raw material for a trainer's own analysis."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tte.core.text import inert

from .figures import Report

EVENT_COLUMNS = ["seq", "kind", "game_time", "elapsed_s", "visible", "data"]
REQUEST_COLUMNS = [
    "id",
    "template",
    "basis",
    "channel",
    "intended_channel",
    "wrong_channel",
    "sender",
    "country",
    "role",
    "sender_human",
    "target",
    "target_country",
    "evidence",
    "status",
    "ground",
    "returns",
    "created",
    "sent",
    "received",
    "answered",
    "created_s",
    "sent_s",
    "received_s",
    "answered_s",
    "to_send_s",
    "in_transit_s",
    "abroad_s",
    "response_s",
    "limit_s",
    "over_limit",
    "delivered",
    "message",
]


def _cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV injection), and control
    characters (shown visibly, as everywhere: tte.core.text)."""
    if isinstance(value, str):
        value = inert(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def write_events(rep: Report, path: Path) -> int:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(EVENT_COLUMNS)
        for e in rep.events:
            w.writerow(
                [
                    e.seq,
                    e.kind,
                    rep.game_time(e.t).isoformat(),
                    e.t,
                    " ".join(e.visible),
                    _cell(json.dumps(e.data, ensure_ascii=False, sort_keys=True, default=str)),
                ]
            )
    return len(rep.events)


def write_requests(rep: Report, path: Path) -> int:
    end = rep.end

    def iso(t: float | None) -> str:
        return "" if t is None else rep.game_time(t).isoformat()

    def num(x: float | None) -> object:
        return "" if x is None else x

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(REQUEST_COLUMNS)
        for r in rep.requests:
            over = r.over_limit(end)
            w.writerow(
                [
                    _cell(v)
                    for v in (
                        r.id,
                        r.template,
                        r.basis,
                        r.channel,
                        r.intended_channel,
                        r.wrong_channel,
                        r.sender,
                        r.country,
                        r.role,
                        r.sender_human,
                        r.target,
                        r.target_country or "",
                        " ".join(r.evidence),
                        r.status,
                        r.ground or "",
                        r.returns,
                        iso(r.created),
                        iso(r.sent),
                        iso(r.received),
                        iso(r.answered),
                        r.created,
                        num(r.sent),
                        num(r.received),
                        num(r.answered),
                        num(r.to_send),
                        num(r.in_transit),
                        num(r.abroad),
                        num(r.response),
                        num(r.limit),
                        "" if over is None else over,
                        " ".join(r.delivered),
                        r.message,
                    )
                ]
            )
    return len(rep.requests)

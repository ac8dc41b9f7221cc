"""Events: the only thing that changes state, and what the event log stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from tte.i18n.message import fields as message_fields

EVERYONE: tuple[str, ...] = ("*",)
# The staff seats: no country, no role in the case; they see every event. The one
# definition (protocol re-exports it for clients; the roster gives each its code).
FACILITATOR: Final = "facilitator"
OBSERVER: Final = "observer"
STAFF_ROLES: Final = (FACILITATOR, OBSERVER)  # in the order consoles list them
STAFF = frozenset(STAFF_ROLES)


@dataclass(slots=True)
class Event:
    seq: int
    kind: str
    t: float  # game seconds since the exercise start
    data: dict[str, Any] = field(default_factory=dict)
    visible: tuple[str, ...] = EVERYONE  # seat ids ("RO/poc"); "*" = every seat
    timer: int | None = None  # the timer this event fires (removed when folded)

    def visible_to(self, seat: str) -> bool:
        """Facilitator and observers see everything; a seat sees what names it."""
        return seat in STAFF or "*" in self.visible or seat in self.visible

    def to_record(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "t": self.t,
            "data": self.data,
            "visible": list(self.visible),
            "timer": self.timer,
        }

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Event:
        return cls(
            seq=int(r["seq"]),
            kind=str(r["kind"]),
            t=float(r["t"]),
            data=dict(r.get("data") or {}),
            # An empty list is a staff-only event, not an event for everyone.
            visible=tuple(r["visible"]) if r.get("visible") is not None else EVERYONE,
            timer=r.get("timer"),
        )


class CommandError(Exception):
    """A refused command: it changes nothing. ``field`` names the form field concerned."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, **message_fields(self.message)}
        if self.field:
            out["field"] = self.field
        return out

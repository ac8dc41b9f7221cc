"""The running order's timebox: wall minutes a phase should take, measured by the server.

The engine knows only game time; a timebox is about the room (the facilitator talking
while the clock is paused counts too), so the server measures it on its monotonic clock
from the wall moment it saw the phase begin, and asks the engine for a ``timebox_alarm``
event once it is past. A restarted server measures from its restart (the wall time before
the stop is not in the log), so a resume never alarms at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from tte.core.events import Event


@dataclass
class Timebox:
    phase: str | None = None
    minutes: float | None = None
    since: float = 0.0  # monotonic wall seconds when the phase began
    alarmed: bool = False

    def begin(self, phase: str | None, minutes: float | None, wall: float, alarmed: bool) -> None:
        self.phase, self.minutes, self.since, self.alarmed = phase, minutes, wall, alarmed

    def observe(self, events: list[Event], wall: float) -> None:
        """Follow the phases begun among `events`."""
        for ev in events:
            if ev.kind == "phase_started":
                tb = ev.data.get("timebox")
                self.begin(str(ev.data["id"]), float(tb) if tb else None, wall, False)
            elif ev.kind == "timebox_alarm" and ev.data.get("phase") == self.phase:
                self.alarmed = True

    def wait(self, wall: float) -> float | None:
        """Wall seconds until the alarm is due (None: no alarm to come)."""
        if self.phase is None or self.minutes is None or self.alarmed:
            return None
        return max(0.0, self.since + self.minutes * 60 - wall)

    def overdue(self, wall: float) -> float | None:
        """Minutes the phase has run, once past its timebox and not yet alarmed."""
        left = self.wait(wall)
        if left is None or left > 0:
            return None
        return (wall - self.since) / 60

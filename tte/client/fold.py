"""What the player's model and the facilitator's view fold the same way.

- The game clock: core's ``GameClock`` arithmetic, anchored where the server last stated
  the time (a welcome, a clock frame) at the caller's wall time.
- Which obtainment of an evidence item counts: ``tte.core.obtainment``, the rule the
  state's fold keeps.
- A request as its latest snapshot says: ``SnapshotRow`` keeps the map as sent and its
  typed reading (made when first read) side by side.

(Who is staff is ``tte.protocol.STAFF_ROLES``, from ``tte.core.events``.)

Light imports only (no scenario loader): every player process loads this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tte import protocol as p
from tte.core.clock import GameClock
from tte.core.obtainment import supersedes

__all__ = ["Clock", "SnapshotRow", "record_obtained"]


@dataclass
class SnapshotRow:
    """A request as its latest snapshot says: the map as sent, and ``req`` read typed."""

    snap: dict[str, Any]  # the snapshot as sent (data["request"])
    # Read typed when first asked for: a fold that replaces a row before anything shows
    # it (the console's view, the replay's) never pays for reading it.
    _req: p.RequestSnapshot | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def req(self) -> p.RequestSnapshot:
        if self._req is None:
            self._req = p.payload(p.RequestSnapshot, self.snap)
        return self._req

    def update(self, snap: dict[str, Any]) -> None:
        self.snap = snap
        self._req = None


@dataclass
class Clock(GameClock):
    """The game clock as the server last stated it. ``wall_known`` is False when the
    statement came with no wall time: the clock then stands where it was stated."""

    wall_known: bool = False

    @classmethod
    def stated(cls, elapsed: float, speed: float, paused: bool, wall: float | None) -> Clock:
        return cls(float(elapsed), wall or 0.0, float(speed), bool(paused), wall is not None)

    @property
    def elapsed(self) -> float:
        """Game seconds since the start, when stated."""
        return self.game_anchor

    @elapsed.setter
    def elapsed(self, value: float) -> None:
        self.game_anchor = value

    def at(self, wall: float | None) -> float:
        """Game seconds at `wall` (the clock passed to ``stated``), run on from the
        statement while the clock runs; never before it."""
        if wall is None or not self.wall_known:
            return self.game_anchor
        return self.now(max(wall, self.wall_anchor))


def record_obtained(
    obtained: dict[str, dict[str, Any]], country: str, via: str, t: float, admissible: bool
) -> bool:
    """Keep a country's obtainment of an item as core does; True if it now counts."""
    if not supersedes(obtained.get(country), admissible):
        return False
    obtained[country] = {"via": via, "t": t, "admissible": admissible}
    return True

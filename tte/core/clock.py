"""The game clock: game time = anchor + speed × running wall time, with pause and jump.

Pure arithmetic: the caller passes wall time (any monotonic seconds), so the same clock
serves the server, replays and tests.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GameClock:
    game_anchor: float = 0.0  # game seconds at wall_anchor
    wall_anchor: float = 0.0
    speed: float = 60.0  # game seconds per wall second
    paused: bool = True

    def now(self, wall: float) -> float:
        if self.paused:
            return self.game_anchor
        return self.game_anchor + (wall - self.wall_anchor) * self.speed

    def _rebase(self, wall: float) -> None:
        self.game_anchor = self.now(wall)
        self.wall_anchor = wall

    def pause(self, wall: float) -> None:
        self._rebase(wall)
        self.paused = True

    def resume(self, wall: float) -> None:
        self._rebase(wall)
        self.paused = False

    def set_speed(self, wall: float, speed: float) -> None:
        if not speed > 0:
            raise ValueError("speed must be greater than 0")
        self._rebase(wall)
        self.speed = speed

    def jump(self, wall: float, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only jumps forward")
        self._rebase(wall)
        self.game_anchor += seconds

    def wall_until(self, game_t: float, wall: float) -> float | None:
        """Wall seconds from `wall` until game time `game_t` (None while paused)."""
        if self.paused:
            return None
        return max(0.0, (game_t - self.now(wall)) / self.speed)

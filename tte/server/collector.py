"""Full garbage collections at quiet moments, never in the middle of a command's turn.

Python's cyclic collector scans the whole heap in a full (generation 2) collection. With an
exercise of tens of thousands of requests one takes 50–150 ms, and when the interpreter
starts it by itself it lands in whichever command turn allocated last: in the bench's
command row (200 players × 10 requests/s) that set the p99 at 144 ms against 15 ms with the
collector off (bench/README.md, "Cyclic GC pauses").

The server keeps the young collections (frequent and cheap: they scan only new objects)
and makes the full ones itself, when one is due (as many young collections since the last
as the interpreter's own threshold asks for) and either nobody has sent a command for
`QUIET` seconds, or `LONGEST` seconds have passed since the last full one (a server that is
never quiet still frees its reference cycles, e.g. closed connections', once a minute;
at 2,000 commands/s one such pause touches 0.25 % of the commands).

Process-wide, like the collector itself: several servers in one process (tests, `tte host`)
share one schedule, and the interpreter's threshold comes back when the last one stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator

QUIET = 0.5  # seconds without a command: a full collection cannot delay anyone's turn
LONGEST = 60.0  # seconds: a full collection then happens even if commands never stop
OFF = 1 << 30  # generation 2's threshold while a server runs: never reached

_installed = 0
_saved: tuple[int, int, int] | None = None


def install() -> None:
    """Stop the interpreter's own full collections (young ones go on as before)."""
    global _installed, _saved
    if _installed == 0:
        _saved = gc.get_threshold()
        young, middle, _full = _saved
        gc.set_threshold(young, middle, OFF)
    _installed += 1


def uninstall() -> None:
    global _installed, _saved
    if _installed == 0:
        return
    _installed -= 1
    if _installed == 0 and _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


def full_due() -> bool:
    """As many young collections since the last full one as the interpreter would wait for."""
    threshold = _saved[2] if _saved is not None else gc.get_threshold()[2]
    return gc.get_count()[2] >= threshold


class Collector:
    """One server's view: when it last took a command, when the last full collection was."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.last_busy = clock()
        self.last_full = clock()
        self.full_collections = 0
        self.full_seconds = 0.0  # time spent in them (the /metrics page shows both)
        self.full_seconds_max = 0.0

    def busy(self) -> None:
        """A command came: the next quiet moment starts from now."""
        self.last_busy = self._clock()

    def tick(self) -> bool:
        """Collect in full if one is due and now is a good moment; say whether it did."""
        now = self._clock()
        if not full_due():
            return False
        if now - self.last_busy < QUIET and now - self.last_full < LONGEST:
            return False
        started = time.perf_counter()
        gc.collect()
        took = time.perf_counter() - started
        self.last_full = self._clock()
        self.full_collections += 1
        self.full_seconds += took
        self.full_seconds_max = max(self.full_seconds_max, took)
        return True

    async def run(self) -> None:
        """Look every QUIET/2 seconds (a timer, not a wait on anything) until cancelled."""
        install()
        try:
            while True:
                await asyncio.sleep(QUIET / 2)
                self.tick()
        finally:
            uninstall()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection at all while a known-acyclic mass of long-lived objects is built (a
    replay of the log); what was built is then frozen: no later full collection rescans it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()

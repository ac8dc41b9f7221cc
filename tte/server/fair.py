"""Fair turns: which queued jobs the command loop takes next, seat by seat.

The command loop used to take every queued job in arrival order, so a seat that had just
spent its burst put 40 commands (and their fan-out and fsync) ahead of everyone else's one.
Now each turn takes at most `per_seat` jobs of any one seat, interleaved round-robin (the
first job of every seat that has one, then the second, ...); the rest wait for the next
turn, ahead of newer jobs. In each round the seats with fewer jobs come first, and seats
with jobs left over from an earlier turn after all others: a seat that sent one command
is served before the seat working through its burst (and its answer, if it changes
nothing, goes out before that turn's commit: see ExerciseServer._turn).

A seat's own jobs keep their order, and so do a seat's presence changes relative to its
commands: once one of a seat's jobs waits, every later one of that seat waits behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Job(Protocol):
    @property
    def seat(self) -> str: ...

    @property
    def counts(self) -> bool: ...  # spends the seat's share of the turn (commands do)


J = TypeVar("J", bound=_Job)


def fair_turn(
    jobs: Iterable[J], per_seat: int, max_batch: int, behind: Iterable[J] = ()
) -> tuple[list[J], list[J]]:
    """Split `behind` (jobs left over, oldest first) and then `jobs` (new, oldest first)
    into this turn's batch, in round-robin order between seats, and those left for the
    next turn (in their order)."""
    late: dict[str, list[J]] = {}
    for job in behind:
        late.setdefault(job.seat, []).append(job)
    lanes: dict[str, list[J]] = {}
    for job in jobs:
        if job.seat not in late:
            lanes.setdefault(job.seat, []).append(job)
        else:
            late[job.seat].append(job)
    # Fewest jobs first; seats with jobs left over after every other.
    lanes = dict(sorted(lanes.items(), key=lambda kv: len(kv[1])))
    lanes.update(late)
    batch: list[J] = []
    taken: dict[str, int] = dict.fromkeys(lanes, 0)  # index into each lane
    spent: dict[str, int] = dict.fromkeys(lanes, 0)  # commands of the seat in this turn
    progress = True
    while progress and len(batch) < max_batch:
        progress = False
        for seat, lane in lanes.items():
            i = taken[seat]
            # A seat's presence changes ride along with its commands: they cost nothing.
            while i < len(lane) and len(batch) < max_batch:
                job = lane[i]
                if job.counts:
                    if spent[seat] >= per_seat:
                        break
                    spent[seat] += 1
                batch.append(job)
                i += 1
                progress = True
                if job.counts:
                    break  # one command per seat per round
            taken[seat] = i
            if len(batch) >= max_batch:
                break
    rest = [job for seat, lane in lanes.items() for job in lane[taken[seat] :]]
    return batch, rest

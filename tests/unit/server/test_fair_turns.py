"""Fair turns (tte/server/fair.py): one seat's burst never sits ahead of everyone else."""

from __future__ import annotations

from dataclasses import dataclass

from tte.server.fair import fair_turn


@dataclass
class Job:
    seat: str
    n: int
    counts: bool = True


def test_a_burst_of_one_seat_is_spread_over_turns_and_others_go_first_in_each() -> None:
    jobs = [Job("flood", i) for i in range(40)] + [Job("honest", 0)]
    batch, rest = fair_turn(jobs, per_seat=8, max_batch=2048)
    assert [(j.seat, j.n) for j in batch[:2]] == [("honest", 0), ("flood", 0)]
    assert [j.n for j in batch if j.seat == "flood"] == list(range(8))
    assert [j.n for j in rest] == list(range(8, 40))  # in order, for the next turn
    # Next turn: the flood's leftovers come after a newcomer's command.
    batch, rest = fair_turn([Job("flood", 40), Job("other", 0)], 8, 2048, behind=rest)
    assert [(j.seat, j.n) for j in batch[:2]] == [("other", 0), ("flood", 8)]
    assert [j.n for j in rest] == [*range(16, 41)]


def test_a_seat_keeps_its_order_and_its_presence_stays_behind_its_waiting_commands() -> None:
    jobs = [Job("a", i) for i in range(3)] + [Job("a", 3, counts=False), Job("b", 0)]
    batch, rest = fair_turn(jobs, per_seat=2, max_batch=100)
    assert [(j.seat, j.n) for j in batch] == [("b", 0), ("a", 0), ("a", 1)]
    assert [(j.n, j.counts) for j in rest] == [(2, True), (3, False)]
    batch, rest = fair_turn([], per_seat=2, max_batch=100, behind=rest)
    assert [j.n for j in batch] == [2, 3] and rest == []


def test_the_batch_never_exceeds_its_maximum() -> None:
    jobs = [Job(f"s{i % 5}", i) for i in range(50)]
    batch, rest = fair_turn(jobs, per_seat=100, max_batch=7)
    assert len(batch) == 7 and len(rest) == 43
    assert [j.seat for j in batch] == ["s0", "s1", "s2", "s3", "s4", "s0", "s1"]

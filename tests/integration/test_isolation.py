"""A seat sees only its own events; the sender is the connection's seat; shared seats."""

from __future__ import annotations

from sample_requests import PRESERVATION
from wsclient import Client, Join, packb, seqs, server_events

from tte.server import ExerciseServer


async def barrier(server: ExerciseServer, join: Join, *clients: Client) -> int:
    """A public event everyone sees: once a client has it, it has everything before it."""
    fac = await join("facilitator")
    await fac.ok("inject.send", {"title": "Barrier", "text": "", "to": ["all"]})
    seq = fac.events[-1].seq
    for c in clients:
        await c.until(lambda c=c: bool(c.events) and c.events[-1].seq >= seq)  # type: ignore[misc]
    return seq


async def test_two_seats_never_see_each_others_private_events(
    server: ExerciseServer, join: Join
) -> None:
    ro = await join("RO/investigator")
    nl = await join("NL/central_authority")
    obs = await join("observer")
    data = await ro.ok("request.submit", PRESERVATION)
    assert data["id"].startswith("R")
    upto = await barrier(server, join, ro, nl, obs)

    log = [e for e in server_events(server) if e.seq <= upto]
    submitted = next(e for e in log if e.kind == "request_submitted")
    assert submitted.data["request"]["sender"] == "RO/investigator"
    for client, seat in ((ro, "RO/investigator"), (nl, "NL/central_authority")):
        start = client.events[0].seq
        assert seqs(client.events) == [e.seq for e in log if e.seq >= start and e.visible_to(seat)]
    assert submitted.seq in seqs(ro.events)
    assert submitted.seq not in seqs(nl.events)
    # The observer receives every event.
    assert seqs(obs.events) == [e.seq for e in log if e.seq >= obs.events[0].seq]


async def test_sender_is_the_connections_seat(server: ExerciseServer, join: Join) -> None:
    ro = await join("RO/investigator")
    before = server.engine.state.seq
    # A frame cannot claim another seat: extra keys are ignored, staff ops are refused.
    await ro.send_raw(
        packb(
            {
                "t": "cmd",
                "id": "spoof",
                "op": "clock.resume",
                "args": {},
                "seat": "facilitator",
                "actor": "facilitator",
            }
        )
    )
    await ro.until(lambda: "spoof" in ro.results)
    res = ro.results["spoof"]
    assert not res.ok and res.error and res.error.code == "forbidden"
    assert server.engine.state.seq == before and server.clock.paused

    args = {**PRESERVATION, "sender": "NL/poc", "actor": "NL/poc"}
    await ro.ok("request.submit", args)
    ev = [e for e in server_events(server) if e.kind == "request_submitted"][-1]
    assert ev.data["request"]["sender"] == "RO/investigator"


async def test_observer_reads_but_cannot_act(server: ExerciseServer, join: Join) -> None:
    obs = await join("observer")
    before = server.engine.state.seq
    for op, args in (
        ("clock.resume", {}),
        ("request.submit", PRESERVATION),
        ("inject.send", {"title": "x", "to": ["all"]}),
    ):
        res = await obs.cmd(op, args)
        assert not res.ok and res.error and res.error.code == "forbidden"
    assert server.engine.state.seq == before


async def test_connections_sharing_a_seat_get_the_same_events(
    server: ExerciseServer, join: Join
) -> None:
    a = await join("RO/investigator")
    b = await join("RO/investigator")
    await a.ok("request.submit", PRESERVATION)
    upto = await barrier(server, join, a, b)
    tail_a = [e.seq for e in a.events if e.seq > b.welcome.seq]  # type: ignore[union-attr]
    tail_b = [e.seq for e in b.events if e.seq > b.welcome.seq]  # type: ignore[union-attr]
    assert tail_a == tail_b and tail_a[-1] == upto
    assert server.hub.count("RO/investigator") == 2


async def test_presence_hands_desks_over(server: ExerciseServer, join: Join) -> None:
    fac = await join("facilitator")
    nl = await join("NL/poc")

    def presence(seat: str) -> list[bool]:
        return [
            e.data["human"] for e in fac.events if e.kind == "presence" and e.data["seat"] == seat
        ]

    await fac.until(lambda: presence("NL/poc") == [True])
    second = await join("NL/poc")
    await second.close()
    await nl.close()
    await fac.until(lambda: presence("NL/poc") == [True, False])
    assert server.engine.state.is_human("NL/poc") is False
    # Staff connections are not seats with desks: no presence events for them.
    assert presence("facilitator") == []

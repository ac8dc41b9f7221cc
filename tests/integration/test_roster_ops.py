"""The facilitator's roster ops: codes, connections and client programs; revoking a code."""

from __future__ import annotations

from wsclient import Client, Join

from tte import protocol as p
from tte.server import ExerciseServer


async def test_roster_get_lists_codes_connections_clients_and_desks(
    server: ExerciseServer, join: Join, url: str
) -> None:
    await join("RO/poc")
    second = await Client.open(url)
    hello = p.Hello(v=p.VERSION, code=server.roster.codes()["RO/poc"], client="tte-play ssh\x1b[2J")
    await second.send(hello)
    await second.until(lambda: second.welcome is not None)
    fac = await join("facilitator")
    await fac.until(lambda: server.engine.state.is_human("RO/poc"))
    data = await fac.ok("roster.get")
    rows = {r["seat"]: r for r in data["seats"]}
    assert set(rows) == set(server.roster.codes())
    assert "facilitator" in rows and rows["facilitator"]["code"] == server.roster.facilitator
    assert rows["RO/poc"]["connections"] == 2
    assert rows["RO/poc"]["human"] is True
    # The client name is kept printable: no escape byte reaches a console.
    assert any("ssh" in c and "\x1b" not in c for c in rows["RO/poc"]["clients"])
    assert rows["RO/investigator"]["connections"] == 0
    assert rows["RO/investigator"]["human"] is False


async def test_roster_ops_are_the_facilitators_alone(join: Join) -> None:
    for seat in ("RO/poc", "observer"):
        c = await join(seat)
        for op, args in (("roster.get", {}), ("roster.revoke", {"seat": "RO/poc"})):
            res = await c.cmd(op, args)
            assert not res.ok and res.error.code == "forbidden"  # type: ignore[union-attr]


async def test_roster_revoke_gives_a_new_code_and_closes_the_old(
    server: ExerciseServer, join: Join
) -> None:
    old = server.roster.codes()["NL/poc"]
    nl = await join("NL/poc")
    fac = await join("facilitator")
    bad = await fac.cmd("roster.revoke", {"seat": "XX/poc"})
    assert not bad.ok and bad.error.field == "seat"  # type: ignore[union-attr]
    data = await fac.ok("roster.revoke", {"seat": "NL/poc"})
    assert data["seat"] == "NL/poc" and data["code"] != old
    assert await nl.closed() == p.Close.UNAUTHORIZED
    assert server.roster.codes()["NL/poc"] == data["code"]


async def test_roster_revoke_renews_the_observer_but_not_the_facilitator(
    server: ExerciseServer, join: Join
) -> None:
    fac = await join("facilitator")
    own = await fac.cmd("roster.revoke", {"seat": "facilitator"})
    assert not own.ok and own.error.field == "seat"  # type: ignore[union-attr]
    old = server.roster.observer
    data = await fac.ok("roster.revoke", {"seat": "observer"})
    assert data["code"] != old and server.roster.observer == data["code"]


async def test_the_ssh_gateways_code_check_is_no_terminal_of_the_seat(
    server: ExerciseServer, join: Join, url: str
) -> None:
    """The gateway holds its welcomed check open while the player app starts: the roster
    counts it apart (`checks`), not as a connection, and never as an SSH terminal."""
    await join("RO/poc")
    probe = await Client.open(url)
    code = server.roster.codes()["RO/poc"]
    await probe.send(p.Hello(v=p.VERSION, code=code, client=p.PROBE_CLIENT))
    await probe.until(lambda: probe.welcome is not None)
    fac = await join("facilitator")
    rows = {r["seat"]: r for r in (await fac.ok("roster.get"))["seats"]}
    assert rows["RO/poc"]["connections"] == 1
    assert rows["RO/poc"]["checks"] == 1
    assert p.PROBE_CLIENT not in rows["RO/poc"]["clients"]

"""Who gets in, and what leaks: join-code guessing, codes in players' data, file modes,
TLS verification by tte.client.net, and the SSH gateway with the real sftp and scp."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import os
import random
import shutil
import stat
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tte import protocol as p
from tte.client.net import ConnState, Link
from tte.core.scenario import load
from tte.joincode import WrongCodeLimiter, normalise
from tte.server import ExerciseServer, Settings
from tte.server.app import tls_context

from .support import TUTORIAL, Bot, until, write_figures


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ExerciseServer]:
    srv = ExerciseServer(
        load(TUTORIAL),
        tmp_path / "data",
        settings=Settings(),
        limiter=WrongCodeLimiter(burst=5, rate=2.0, max_waiting=4),
    )
    await srv.start("127.0.0.1", 0)
    try:
        yield srv
    finally:
        await srv.stop()


async def hello(port: int, code: str) -> tuple[p.Message, float]:
    t0 = time.monotonic()
    async with connect(f"ws://127.0.0.1:{port}/", compression=None) as ws:
        await ws.send(p.encode(p.Hello(v=1, code=code)))
        msg = p.decode_server(await asyncio.wait_for(ws.recv(), 20))
    return msg, time.monotonic() - t0


# ---- guessing -----------------------------------------------------------------------------


async def test_after_a_burst_of_wrong_codes_the_right_code_still_passes_at_once(
    server: ExerciseServer,
) -> None:
    """burst=5, rate=2/s: five wrong codes are answered at once; then the reply to every
    wrong code from the address waits for a token, but a right code is checked first and
    never waits; a flood beyond max_waiting=4 is refused with rate_limited."""
    rng = random.Random(5)
    guesses = ["".join(rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(10))
               for _ in range(5)]  # fmt: skip
    for g in guesses:
        msg, _ = await hello(server.port, g)
        assert isinstance(msg, p.Error) and msg.code == "unauthorized"
    # A wrong code now waits for a token; the right code is let in meanwhile.
    held = asyncio.create_task(hello(server.port, "ZZZZ-ZZZZ-ZZ"))
    msg, _ = await hello(server.port, server.roster.facilitator)
    assert isinstance(msg, p.Welcome)
    assert not held.done(), "the right code after a burst waited behind a wrong one"
    await held
    # The right code cost no token: the bucket is still empty, so a flood of wrong codes
    # queues, and past max_waiting is refused outright.
    answers = await asyncio.gather(*(hello(server.port, "ZZZZ-ZZZZ-ZZ") for _ in range(12)))
    codes = [m.code for m, _ in answers if isinstance(m, p.Error)]
    assert "rate_limited" in codes and set(codes) <= {"rate_limited", "unauthorized"}
    # At most burst + rate × elapsed codes were checked.
    per_day = 2.0 * 86400
    write_figures(
        "guessing",
        {"code_space": 31**10, "guesses_per_day_per_address_default": 0.5 * 86400,
         "test_limiter_guesses_per_day": per_day},
    )  # fmt: skip


# ---- codes in players' data -------------------------------------------------------------


def code_forms(code: str) -> list[bytes]:
    n = normalise(code)
    return [x.encode() for x in {code, n, n.lower(), code.lower(), n[:4] + "-" + n[4:8]}]


async def test_no_player_ever_receives_a_join_code_but_its_own(server: ExerciseServer) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    codes = server.roster.codes()
    players = sorted(server.roster.seats)
    bots = [
        Bot(f"p{i}", url, codes[s], random.Random(i), pace=(0.0, 0.02), record_raw=True)
        for i, s in enumerate(players)
    ]
    fac = Bot("f", url, codes["facilitator"], random.Random(99), pace=(0.01, 0.05))
    obs = Bot("o", url, codes["observer"], random.Random(98), pace=(0.05, 0.1),
              record_raw=True)  # fmt: skip
    for b in [*bots, fac, obs]:
        await b.start(play=False)
    await fac.do("clock.resume", {}, "resume")
    await fac.do("clock.set_speed", {"speed": 3600.0}, "speed")
    # A code typed into free text by the facilitator would be the facilitator's own doing;
    # the server itself must never put one in a frame. Revoke a seat mid-way, too.
    for b in [*bots, fac, obs]:
        b.play()
    await until(lambda: sum(b.stats.ok for b in bots) >= 80, 60, "players busy")
    server.revoke("NL/central_authority")
    await until(lambda: sum(b.stats.ok for b in bots) >= 120, 60, "players busy")
    for b in [*bots, fac, obs]:
        await b.halt()
    # The facilitator's roster ops (codes!) are refused to everyone else.
    for b in [*bots, obs]:
        if not b.link.status.online:  # the revoked seat's link: refused for good
            continue
        for op, args in (("roster.get", {}), ("roster.revoke", {"seat": "facilitator"})):
            res = await b.link.call(op, {**args, "seat": "facilitator", "actor": "facilitator"})
            assert not res.ok and res.error and res.error.code == "forbidden", res
    frames = 0
    try:
        for b, seat in [*zip(bots, players, strict=True), (obs, "observer")]:
            # Every code but the seat's own current one, and every revoked code.
            others = [c for s, c in server.roster.codes().items() if s != seat]
            others += server.roster.revoked
            assert b.link.frames, f"{seat} received nothing"
            for frame in b.link.frames:
                frames += 1
                for code in others:
                    for form in code_forms(code):
                        assert form not in frame, f"{seat} received a code in {frame[:200]!r}"
    finally:
        for b in [*bots, fac, obs]:
            await b.close()
    write_figures("code_scan", {"frames_scanned": frames})


# ---- file modes ---------------------------------------------------------------------------


def test_data_dir_and_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)  # the most permissive umask: the server must not rely on it
    try:

        async def run() -> None:
            srv = ExerciseServer(load(TUTORIAL), tmp_path / "new" / "data")
            await srv.start("127.0.0.1", 0)
            srv.revoke("RO/poc")  # rewrites roster.json
            await srv.log.append([], None)
            mode = {f.name: stat.S_IMODE(f.stat().st_mode) for f in srv.data_dir.iterdir()}
            assert stat.S_IMODE(srv.data_dir.stat().st_mode) == 0o700
            for name in ("roster.json", "events.sqlite", "events.sqlite-wal", "events.sqlite-shm"):
                assert mode.get(name) == 0o600, (name, oct(mode.get(name, 0)))
            assert all(m & 0o077 == 0 for m in mode.values()), mode
            await srv.stop()

        asyncio.run(run())
    finally:
        os.umask(old)


# ---- TLS: the clients verify the server ------------------------------------------------


def make_ca_and_cert(d: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tte test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                       key_agreement=False, encipher_only=False, decipher_only=False),
                       critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    ca_pem, cert_pem, key_pem = d / "ca.pem", d / "cert.pem", d / "key.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    )  # fmt: skip
    return ca_pem, cert_pem, key_pem


async def test_wss_is_verified_by_the_client_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("cryptography")
    ca, cert, key = make_ca_and_cert(tmp_path)
    srv = ExerciseServer(load(TUTORIAL), tmp_path / "data")
    port = await srv.start("127.0.0.1", 0, tls_context(str(cert), str(key)))
    url = f"wss://127.0.0.1:{port}/"
    try:
        # Without the CA: the link refuses the server and never says hello.
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing.pem"))
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        untrusting = Link(url, srv.roster.facilitator, initial_attempts=2, backoff=(0.01, 0.02))
        untrusting.start()
        await until(lambda: untrusting.status.state is ConnState.FAILED, what="link to fail")
        assert "certificate" in untrusting.status.reason.lower(), untrusting.status.reason
        await untrusting.close()
        assert srv.hub.count("facilitator") == 0
        # Plain ws:// to the TLS port does not get in either.
        plain = Link(f"ws://127.0.0.1:{port}/", srv.roster.facilitator, initial_attempts=1)
        plain.start()
        await until(lambda: plain.status.state is ConnState.FAILED, what="plain link to fail")
        await plain.close()
        # Trusting the CA (how a classroom machine is told: SSL_CERT_FILE or the system store).
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        trusting = Link(url, srv.roster.facilitator, initial_attempts=2)
        trusting.start()
        await until(lambda: trusting.status.online, what="trusting link online")
        assert (await trusting.call("clock.pause", {})).ok
        await trusting.close()
    finally:
        await srv.stop()


# ---- SSH: no shell, exec, forwarding or file transfer -----------------------------------

SSH_OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"]  # fmt: skip


async def run(*argv: str, timeout: float = 30.0) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace")


@pytest.mark.skipif(
    not (shutil.which("sftp") and shutil.which("scp")), reason="needs the OpenSSH sftp and scp"
)
async def test_ssh_gateway_refuses_sftp_and_scp(server: ExerciseServer, tmp_path: Path) -> None:
    pytest.importorskip("asyncssh")
    from tte.ssh.gateway import start_gateway

    gw = await start_gateway(f"ws://127.0.0.1:{server.port}/", "127.0.0.1", 0, tmp_path / "gateway")
    code = server.roster.codes()["RO/poc"]
    secret = tmp_path / "secret.txt"
    secret.write_text("do not copy\n")
    landed = tmp_path / "landed"
    landed.mkdir()
    try:
        port = str(gw.port)
        rc, out = await run("sftp", *SSH_OPTS, "-P", port, "-b", "-", f"{code}@127.0.0.1")
        assert rc != 0 and "subsystem request failed" in out, out
        # scp over SFTP (the default since OpenSSH 9) and the legacy scp protocol (-O, an
        # exec of "scp -t"): both ways, both refused.
        for legacy, refusal in (([], "subsystem request failed"), (["-O"], "exec request failed")):
            rc, out = await run("scp", *SSH_OPTS, *legacy, "-P", port, str(secret),
                                f"{code}@127.0.0.1:/tmp/tte-scp-probe")  # fmt: skip
            assert rc != 0 and refusal in out, out
            rc, out = await run("scp", *SSH_OPTS, *legacy, "-P", port,
                                f"{code}@127.0.0.1:/etc/hostname", str(landed))  # fmt: skip
            assert rc != 0 and refusal in out, out
        assert not list(landed.iterdir())
        assert not Path("/tmp/tte-scp-probe").exists()
        assert gw.started_total == 0  # no app, let alone a shell, was started
    finally:
        await gw.stop()

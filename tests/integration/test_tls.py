"""--tls-cert/--tls-key serve wss:// (skipped where no openssl binary is installed)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from wsclient import Client, make_server

from tte import protocol as p
from tte.core.scenario import Scenario
from tte.server.app import tls_context


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a cert")
async def test_wss(scenario: Scenario, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    srv = make_server(scenario, tmp_path / "data")
    port = await srv.start("127.0.0.1", 0, tls_context(str(cert), str(key)))
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        c = await Client.open(f"wss://127.0.0.1:{port}/", ssl=trust)
        assert isinstance(await c.hello(srv.roster.facilitator), p.Welcome)
        assert (await c.cmd("clock.pause")).ok
        await c.close()
    finally:
        await srv.stop()

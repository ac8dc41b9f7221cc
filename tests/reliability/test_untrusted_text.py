"""Untrusted text is inert wherever it is written: the server log and every report file.

The attack: a hello whose program name forges a log line and carries escape sequences,
and a request whose fields hold C0, C1 and bidi controls. The expected result: every
control character shown visibly (tte.core.text.inert, the one function), one log line per
record, report.html still well-formed XML.
"""

from __future__ import annotations

import asyncio
import io
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from websockets.asyncio.client import connect

from tte import protocol as p
from tte.core.engine import Engine
from tte.core.scenario import load
from tte.core.text import inert, inert_line
from tte.report.write import write_report
from tte.server import ExerciseServer
from tte.server.app import LOG_FORMAT, InertFormatter

from .support import TUTORIAL

EVIL = "a\x1b]52;c;cm0gLXJmIH4K\x07b\x9b31mc\u202eexe.txt\x00d\x7f"
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip


def test_inert_shows_every_c0_c1_and_bidi_control_visibly_and_keeps_markup_as_text() -> None:
    for ch in CONTROLS + BIDI:
        out = inert(f"x{ch}y")
        assert ch not in out and len(out) == 3, repr(ch)
    assert inert("a\tb\nc") == "a\tb\nc"
    assert inert_line("a\tb\nc") == "a␉b␊c"
    assert inert("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"  # drawn, never parsed
    assert inert("é 日本 🙂") == "é 日本 🙂"


async def test_a_forged_hello_writes_one_inert_line_in_the_server_log(tmp_path: Path) -> None:
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(InertFormatter(LOG_FORMAT))
    logger = logging.getLogger("tte.server")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    srv = ExerciseServer(load(TUTORIAL), tmp_path / "data")
    await srv.start("127.0.0.1", 0)
    try:
        forged = "tte-play\n2026-01-01 00:00:00 CRITICAL tte.server: forged" + EVIL
        async with connect(f"ws://127.0.0.1:{srv.port}/", compression=None) as ws:
            await ws.send(p.encode(p.Hello(v=1, code=srv.roster.codes()["RO/poc"], client=forged)))
            assert isinstance(p.decode_server(await asyncio.wait_for(ws.recv(), 10)), p.Welcome)
    finally:
        await srv.stop()
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    text = buf.getvalue()
    joined = [line for line in text.splitlines() if "joined from" in line]
    assert len(joined) == 1 and "forged" in joined[0] and "␊" in joined[0]
    assert not any(line.startswith("2026-01-01") for line in text.splitlines())
    for ch in CONTROLS + BIDI:
        if ch != "\n":
            assert ch not in text, repr(ch)


def test_report_files_hold_no_control_characters_and_the_html_parses(tmp_path: Path) -> None:
    sc = load(TUTORIAL)
    engine = Engine(sc)
    events = engine.start()
    fields = {"offence": EVIL, "data_sought": EVIL, "custodian": EVIL}
    args = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
            "evidence": ["c2_logs"], "fields": fields, "message": EVIL}  # fmt: skip
    new, _ = engine.handle("RO/investigator", "request.submit", args, engine.state.now)
    events += new
    written = write_report(sc, events, tmp_path / "out")
    for path in written.files:
        if path.suffix not in (".html", ".md", ".csv"):
            continue
        text = path.read_text(encoding="utf-8")
        for ch in CONTROLS + BIDI:
            if ch not in "\n\r":
                assert ch not in text, f"{ch!r} in {path.name}"
    ET.fromstring((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    shown = [p.name for p in written.files if p.suffix == ".csv" and "⇆exe.txt" in p.read_text()]
    assert shown, "the player's text is in the CSV files, visibly"

"""Fuzzing (hypothesis; derandomized in CI by the "ci" profile of tests/conftest.py, many
more examples under TTE_SOAK=1): the frame decoder, every command's args, fuzzed scenario
YAML through `tte validate`.

- decode_client on any bytes / any MessagePack shape: a Hello, a Cmd, or a FrameError.
- engine.handle(seat, op, fuzzed args): a result or a CommandError that changed nothing —
  never another exception (the server would answer `internal`). Also through a real
  server: exactly one result per cmd, with a known error code.
- `tte validate` on mutated scenarios: a clear problem list or ok, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from tte import protocol as p
from tte.cli import main as cli_main
from tte.core.engine import _OPS, RESPOND_ALIASES, Engine
from tte.core.events import CommandError
from tte.core.scenario import load
from tte.server import ExerciseServer

from .conftest import SOAK
from .support import ROOT, TUTORIAL, write_figures

SCENARIO = load(TUTORIAL)
OPS = sorted({*_OPS, *RESPOND_ALIASES, "clock.pause", "clock.resume", "clock.set_speed",
              "clock.advance", "nope.nope"})  # fmt: skip
ACTORS = [*SCENARIO.seats(), "facilitator", "observer"]
JOINABLE = [*SCENARIO.human_seats(), "facilitator", "observer"]
KNOWN_CODES = {"bad_args", "bad_state", "forbidden", "not_allowed", "not_yours",
               "unknown_op", "bad_channel", "bad_frame"}  # fmt: skip
ARG_KEYS = ["template", "to", "channel", "fields", "evidence", "ref", "id", "decision",
            "ground", "missing", "message", "title", "text", "seconds", "reason", "speed",
            "open", "answers", "objective", "rating", "comment", "emergency", "at",
            "sender", "seat", "actor"]  # fmt: skip
PLAUSIBLE = ["preservation", "mla_stored_data", "police_info", "polderhost", "europol",
             "NL/poc", "RO/poc", "network_24_7", "mla", "police", "R1", "R2", "forward",
             "return", "refuse", "answer", "fulfil", "c2_logs", "all", "RO", "*/poc",
             "offence", "useful", "", "\x1b[2J", "\x00", "𝕏" * 3]  # fmt: skip


def n_examples(ci: int, soak: int) -> int:
    return soak if SOAK else ci


texts = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=30),  # controls
    st.integers(0, 25_000).map(lambda n: "A" * n),  # around the 20 000-character limits
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.binary(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(ARG_KEYS), st.text(max_size=8)), inner,
                        max_size=5),
    ),
    max_leaves=12,
)  # fmt: skip
args_maps = st.dictionaries(st.sampled_from(ARG_KEYS), values, max_size=8)


def fresh_engine() -> Engine:
    eng = Engine(SCENARIO)
    eng.start()
    # A request in flight, so "R1" names something real.
    args = {"template": "preservation", "to": "polderhost", "channel": "network_24_7",
            "evidence": ["c2_logs"], "fields": {"offence": "x"}}  # fmt: skip
    eng.handle("RO/investigator", "request.submit", args, 0.0)
    eng.handle("facilitator", "survey.open", {}, 0.0)
    return eng


def fingerprint(eng: Engine) -> bytes:
    st_ = eng.state
    return msgspec.msgpack.encode(
        [st_.seq, st_.now, st_.next_timer, st_.next_request, sorted(st_.timers),
         {k: r.status for k, r in st_.requests.items()}, st_.paused, st_.speed,
         st_.survey_open, st_.ratings, st_.survey_answers, st_.emergency, st_.adhoc,
         dict(st_.injects), dict(st_.inject_times), sorted(st_.humans), list(st_.jits)]
    )  # fmt: skip


# ---- the frame decoder --------------------------------------------------------------------


def _decode_checks(frame: bytes) -> None:
    try:
        msg = p.decode_client(frame)
    except p.FrameError as e:
        assert e.message
        assert e.cmd_id is None or isinstance(e.cmd_id, str)
        return
    assert isinstance(msg, p.Hello | p.Cmd)
    if isinstance(msg, p.Cmd):
        assert isinstance(msg.id, str) and isinstance(msg.op, str) and isinstance(msg.args, dict)
    else:
        assert isinstance(msg.code, str) and msg.last_seq >= 0


def test_frame_decoder_on_any_input() -> None:
    count = 0
    frames = st.one_of(
        st.binary(max_size=512),
        values.map(msgspec.msgpack.encode),
        st.fixed_dictionaries(
            {"t": st.sampled_from(["hello", "cmd", "event", "x"])},
            optional={"id": values, "op": values, "args": values, "v": values,
                      "code": values, "last_seq": values, "client": values},
        ).map(msgspec.msgpack.encode),
    )  # fmt: skip

    @settings(max_examples=n_examples(400, 20_000))
    @given(frames)
    def run(frame: bytes) -> None:
        nonlocal count
        count += 1
        _decode_checks(frame)

    run()
    write_figures("fuzz_frames", {"cases": count})


# ---- every command's args, through the engine ---------------------------------------------


def test_command_args_refused_cleanly_or_applied() -> None:
    count = 0
    outcomes: dict[str, int] = {}

    @settings(max_examples=n_examples(600, 30_000), suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(ACTORS), st.sampled_from(OPS), args_maps)
    def run(actor: str, op: str, args: dict[str, Any]) -> None:
        nonlocal count
        count += 1
        eng = fresh_engine()
        before = fingerprint(eng)
        try:
            events, data = eng.handle(actor, op, args, 3600.0)
        except CommandError as e:
            assert e.code in KNOWN_CODES, e.code
            assert e.message
            assert fingerprint(eng) == before, f"refused {op} changed the state"
            outcomes[e.code] = outcomes.get(e.code, 0) + 1
            return
        outcomes["ok"] = outcomes.get("ok", 0) + 1
        assert isinstance(data, dict)
        assert [e.seq for e in events] == list(range(before_seq(before) + 1, eng.state.seq + 1))
        if actor == "observer":
            assert op == "rating.submit"
        for ev in events:  # the sender is the actor, whatever the args say
            req = ev.data.get("request")
            if ev.kind == "request_submitted" and isinstance(req, dict):
                assert req["sender"] == actor
        msgspec.msgpack.encode([e.to_record() for e in events])  # storable
        assert all(math.isfinite(e.t) for e in events)

    run()
    write_figures("fuzz_command_args", {"cases": count, "outcomes": outcomes})


def before_seq(fp: bytes) -> int:
    return int(msgspec.msgpack.decode(fp)[0])


# ---- through a real server ----------------------------------------------------------------


def test_fuzzed_commands_through_a_real_server() -> None:
    count = 0

    async def exercise(cmds: list[tuple[str, str, dict[str, Any]]]) -> None:

        with tempfile.TemporaryDirectory() as d:
            srv = ExerciseServer(SCENARIO, Path(d) / "data")
            await srv.start("127.0.0.1", 0)
            try:
                conns = {}
                for actor in {a for a, _, _ in cmds}:
                    ws = await connect(f"ws://127.0.0.1:{srv.port}/", compression=None)
                    code = srv.roster.codes()[actor]
                    await ws.send(p.encode(p.Hello(v=1, code=code)))
                    conns[actor] = ws
                for i, (actor, op, args) in enumerate(cmds):
                    frame = msgspec.msgpack.encode(
                        {"t": "cmd", "id": f"f{i}", "op": op, "args": args}
                    )
                    if len(frame) > p.MAX_FRAME:
                        continue
                    await conns[actor].send(frame)
                    while True:
                        msg = p.decode_server(await asyncio.wait_for(conns[actor].recv(), 10))
                        if isinstance(msg, p.Result):
                            assert msg.id == f"f{i}"
                            if not msg.ok:
                                assert isinstance(msg.error, p.ErrorBody)
                                assert msg.error.code in KNOWN_CODES, msg.error
                            break
                assert srv._loop_task is not None and not srv._loop_task.done()
                for ws in conns.values():
                    await ws.close()
            finally:
                await srv.stop()

    @settings(
        max_examples=n_examples(20, 500),
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )  # no shrinking in CI
    @given(st.lists(st.tuples(st.sampled_from(JOINABLE), st.sampled_from([*OPS, "roster.get"]),
                              args_maps),
                    min_size=1, max_size=15))  # fmt: skip
    def run(cmds: list[tuple[str, str, dict[str, Any]]]) -> None:
        nonlocal count
        count += len(cmds)
        # binary values are not valid MessagePack map keys' values for JSON-ish args but
        # are fine on the wire; keep them.
        asyncio.run(exercise(cmds))

    run()
    write_figures("fuzz_server_commands", {"cases": count})


# ---- tte validate on fuzzed scenario files -------------------------------------------------

SOURCES = [
    (ROOT / "scenarios" / name).read_text(encoding="utf-8")
    for name in ("tutorial.yaml", "bucharest-preservation-mla.yaml", "lisbon-ransomware-2ap.yaml")
]


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["delete", "dup", "value", "indent", "garbage", "cut"]))
        line = lines[i]
        if how == "delete":
            del lines[i]
        elif how == "dup":
            lines.insert(i, line)
        elif how == "value" and ":" in line:
            key = line.split(":", 1)[0]
            new = draw(st.sampled_from(["", "[]", "{}", "-1", "1e999", "null", "yes", "~",
                                        "'\\x1b[2J'", "&a", "*a", "!!python/object:os.system",
                                        "2026-13-45", "[[[[", "\"unterminated"]))  # fmt: skip
            lines[i] = f"{key}: {new}"
        elif how == "indent":
            lines[i] = " " * draw(st.integers(0, 9)) + line.lstrip()
        elif how == "garbage":
            lines[i] = draw(st.text(max_size=30))
        elif how == "cut":
            lines = lines[: i + 1]
    return "\n".join(lines) + "\n"


def latin1(b: bytes) -> str:
    return b.decode("latin-1")


def test_fuzzed_scenarios_get_a_clear_validate_answer() -> None:
    count = 0
    rcs: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzzed.yaml"

        @settings(max_examples=n_examples(150, 5000), suppress_health_check=list(HealthCheck))
        @given(
            st.one_of(mutated_yaml(), st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
        )
        def run(text: str) -> None:
            nonlocal count
            count += 1
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = cli_main(["validate", str(path)])
            both = out.getvalue() + err.getvalue()
            assert "Traceback" not in both
            assert rc in (0, 1), rc
            rcs[rc] = rcs.get(rc, 0) + 1
            assert str(path) in both  # every answer names the file (and the line, if any)
            if rc == 0:
                assert "ok" in out.getvalue()

        run()
    write_figures("fuzz_yaml", {"cases": count, "exit_codes": {str(k): v for k, v in rcs.items()}})

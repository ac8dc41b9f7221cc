"""`tte ssh-gateway` with the real OpenSSH client on loopback.

A real ExerciseServer and the gateway run in the test's event loop; `ssh` runs under tmux
(a real terminal with a screen we can read, resize and type into). Every wait polls a
condition with a timeout; nothing sleeps to synchronise.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shlex
import shutil
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tte.server import ExerciseServer

SSH = shutil.which("ssh")
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(
    SSH is None or TMUX is None,
    reason="needs the OpenSSH client and tmux (apt-get install -y openssh-client tmux)",
)

asyncssh = pytest.importorskip("asyncssh")

from tte.ssh.gateway import Gateway, start_gateway  # noqa: E402 - after the skip

SSH_OPTS = [
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
]

# The gateway's own mechanics are also checked with a tiny stand-in app that reports its
# terminal, so a failure there is told apart from a player-app failure.
STANDIN = r"""
import os, signal, sys, tty
def size(*_):
    c, r = os.get_terminal_size(0)
    os.write(1, f"SIZE {c}x{r}\r\n".encode())
signal.signal(signal.SIGWINCH, size)
tty.setraw(0)
os.write(1, f"STANDIN code={sys.argv[1]} client={os.environ.get('TTE_CLIENT')}\r\n".encode())
size()
while (b := os.read(0, 100)) and b"q" not in b:
    os.write(1, b"GOT " + b + b"\r\n")
sys.exit(3)
"""


def _real_app_available() -> bool:
    r = subprocess.run(
        [sys.executable, "-m", "tte", "play", "--help"], capture_output=True, timeout=60
    )
    return r.returncode == 0


needs_app = pytest.mark.skipif(
    not _real_app_available(), reason="the player app (tte play) is not available"
)


async def until(
    cond: Callable[[], Any] | Callable[[], Awaitable[Any]], timeout: float = 20.0, what: str = ""
) -> Any:
    """Poll `cond` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = cond()
        if asyncio.iscoroutine(got):
            got = await got
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or cond}")
        await asyncio.sleep(0.05)


class Tmux:
    """A private tmux server: one window per ssh client."""

    def __init__(self, conf: Path) -> None:
        self.name = f"tte-test-{uuid.uuid4().hex[:8]}"
        conf.write_text("set -g remain-on-exit on\nset -g history-limit 100\n")
        self.conf = conf
        self.dir = conf.parent

    async def tmux(self, *args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            TMUX or "tmux",
            "-L",
            self.name,
            "-f",
            str(self.conf),
            *args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {err.decode().strip()}")
        return out.decode()

    async def start(self, win: str, argv: list[str], cols: int = 100, rows: int = 30) -> None:
        rc = shlex.quote(str(self.dir / f"{win}.rc"))
        cmd = f"{shlex.join(argv)}; echo $? > {rc}.tmp && mv {rc}.tmp {rc}"
        await self.tmux("new-session", "-d", "-s", win, "-x", str(cols), "-y", str(rows), cmd)

    async def screen(self, win: str) -> str:
        return await self.tmux("capture-pane", "-p", "-t", win)

    async def send(self, win: str, *keys: str) -> None:
        await self.tmux("send-keys", "-t", win, *keys)

    async def type(self, win: str, text: str) -> None:
        await self.tmux("send-keys", "-t", win, "-l", text)

    async def resize(self, win: str, cols: int, rows: int) -> None:
        await self.tmux("resize-window", "-t", win, "-x", str(cols), "-y", str(rows))

    async def exit_status(self, win: str) -> int | None:
        """The ssh client's exit status once it has exited, else None. (Written by the
        shell around it: tmux's own pane_dead_status is sometimes left empty.)"""
        rc = self.dir / f"{win}.rc"
        text = rc.read_text() if rc.exists() else ""
        return int(text) if text.endswith("\n") else None

    async def wait_text(self, win: str, *needles: str, timeout: float = 20.0) -> str:
        last = ""

        async def seen() -> str | None:
            nonlocal last
            last = await self.screen(win)
            return last if all(n.lower() in last.lower() for n in needles) else None

        try:
            screen: str = await until(seen, timeout, what=f"{needles} on the screen")
        except AssertionError as e:
            raise AssertionError(f"{e}; the screen shows:\n{last}") from None
        return screen

    async def wait_exit(self, win: str, timeout: float = 20.0) -> int:
        async def status() -> int | None:
            st = await self.exit_status(win)
            return None if st is None else st + 1000  # 0 is a valid status

        return int(await until(status, timeout, what="ssh to exit")) - 1000

    async def kill(self, win: str) -> None:
        await self.tmux("kill-session", "-t", win)

    async def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # already gone
            await self.tmux("kill-server")


@pytest.fixture
async def tmux(tmp_path: Path) -> AsyncIterator[Tmux]:
    t = Tmux(tmp_path / "tmux.conf")
    yield t
    await t.close()


GatewayFactory = Callable[..., Awaitable[Gateway]]


@pytest.fixture
async def make_gateway(url: str, tmp_path: Path) -> AsyncIterator[GatewayFactory]:
    started: list[Gateway] = []

    async def make(**kw: Any) -> Gateway:
        gw = await start_gateway(url, "127.0.0.1", 0, tmp_path / "gateway", **kw)
        started.append(gw)
        return gw

    yield make
    for gw in started:
        await gw.stop()


@pytest.fixture
async def gateway(make_gateway: GatewayFactory) -> Gateway:
    # A shorter probe handoff than the default 20 s: the app is up in about a second here.
    return await make_gateway(handoff=4.0)


@pytest.fixture
async def standin_gateway(make_gateway: GatewayFactory, tmp_path: Path) -> Gateway:
    script = tmp_path / "standin.py"
    script.write_text(STANDIN)
    return await make_gateway(child_command=[sys.executable, str(script), "{code}"])


def ssh_argv(gw: Gateway, user: str, *extra: str) -> list[str]:
    return [SSH or "ssh", *SSH_OPTS, "-p", str(gw.port), *extra, f"{user}@127.0.0.1"]


def code_of(server: ExerciseServer, seat: str) -> str:
    return server.roster.codes()[seat]


def seat(server: ExerciseServer, i: int) -> tuple[str, str, str]:
    """The i-th seat a human may play: (seat id, country code, role label as the app shows)."""
    from tte.client.model import ROLE_LABELS

    sid = list(server.roster.seats)[i]
    country, _, role = sid.partition("/")
    return sid, country, ROLE_LABELS.get(role, role)


def pty_size(pid: int) -> tuple[int, int]:
    """(cols, rows) of a process's terminal, read from its stdin."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDWR | os.O_NOCTTY)
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    finally:
        os.close(fd)
    return cols, rows


def child_env(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(kv.decode().partition("=")[::2] for kv in raw.split(b"\0") if kv)


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return status != "Z"


def presence(server: ExerciseServer, seat: str) -> list[bool]:
    return [
        bool(e.data["human"])
        for e in server.log.read_all()
        if e.kind == "presence" and e.data.get("seat") == seat
    ]


async def run_ssh(*argv: str, timeout: float = 20.0) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


# ---- the player app over SSH ------------------------------------------------------------


@needs_app
async def test_join_by_code_resize_and_quit(
    server: ExerciseServer, gateway: Gateway, tmux: Tmux
) -> None:
    sid, country, role = seat(server, -1)
    await tmux.start("p", ssh_argv(gateway, code_of(server, sid), "-tt"), 100, 30)
    await tmux.wait_text("p", country, role, "online")
    (session,) = gateway.sessions
    assert session.child is not None
    pid = session.child.pid
    env = child_env(pid)
    assert env["TTE_CLIENT"] == "ssh-gateway"
    assert env["TERM"] == "tmux-256color" or env["TERM"].startswith(("screen", "tmux"))
    assert pty_size(pid) == (100, 30)
    # The probe held the seat while the app connected: one join, no leave in between.
    await until(lambda: server.hub.count(sid) == 1, what="the probe to hand over")
    assert presence(server, sid) == [True]

    # A resize reaches the pty, and the app lays itself out again on the wider screen.
    await tmux.resize("p", 130, 40)
    await until(lambda: pty_size(pid) == (130, 40), what="the pty to be resized")

    screen = ""

    async def wide() -> bool:
        nonlocal screen
        screen = await tmux.screen("p")
        lines = screen.splitlines()
        return len(lines) >= 40 and any(len(line.rstrip()) > 100 for line in lines)

    try:
        await until(wide, what="the app to use the new width")
    except AssertionError as e:
        raise AssertionError(f"{e}; the screen shows:\n{screen}") from None

    # Quitting the app ends the SSH session with the app's status.
    await tmux.send("p", "C-q")
    assert await tmux.wait_exit("p") == 0
    await until(lambda: not alive(pid), what="the app process to end")
    await until(lambda: not gateway.sessions, what="the session to close")


@needs_app
async def test_wrong_code_says_so_and_accepts_another(
    server: ExerciseServer, gateway: Gateway, tmux: Tmux
) -> None:
    await tmux.start("p", ssh_argv(gateway, "AAAA-BBBB-CC", "-tt"))
    await tmux.wait_text("p", "That join code is not valid", "Join code:")
    assert gateway.started_total == 0  # nothing was spawned for a wrong code
    sid, country, role = seat(server, 0)
    await tmux.type("p", code_of(server, sid).lower().replace("-", ""))  # as typed by hand
    await tmux.send("p", "Enter")
    await tmux.wait_text("p", country, role, "online")
    await tmux.kill("p")  # the SSH client vanishes: its app must go too
    await until(lambda: not gateway.sessions, what="the session to close")


@needs_app
async def test_play_user_gets_the_connect_screen(gateway: Gateway, tmux: Tmux) -> None:
    await tmux.start("p", ssh_argv(gateway, "play", "-tt"))
    await tmux.wait_text("p", "Join code")
    (session,) = gateway.sessions
    assert session.child is not None and session.seat is None


@needs_app
async def test_dropped_ssh_session_ends_the_app(
    server: ExerciseServer, gateway: Gateway, tmux: Tmux
) -> None:
    sid, country, role = seat(server, 1)
    await tmux.start("p", ssh_argv(gateway, code_of(server, sid), "-tt"))
    await tmux.wait_text("p", country, role)
    (session,) = gateway.sessions
    assert session.child is not None
    pid = session.child.pid
    await tmux.kill("p")  # SIGHUP to ssh: the TCP connection goes away
    await until(lambda: not alive(pid), timeout=10, what="the app to be ended")
    await until(lambda: server.hub.count(sid) == 0, what="the seat to be released")


@needs_app
async def test_idle_session_is_ended_and_the_terminal_restored(
    server: ExerciseServer, make_gateway: GatewayFactory, tmux: Tmux
) -> None:
    gw = await make_gateway(idle_timeout=2.0)
    sid, country, role = seat(server, 2)
    await tmux.start("p", ssh_argv(gw, code_of(server, sid), "-tt"))
    await tmux.wait_text("p", country, role)
    assert await tmux.wait_exit("p", timeout=15) == 0
    await tmux.wait_text("p", "No input for 2 seconds")


# ---- refusals ---------------------------------------------------------------------------


async def test_commands_and_subsystems_are_refused(
    server: ExerciseServer, gateway: Gateway, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    code = code_of(server, seat(server, 1)[0])
    rc, out, err = await run_ssh(*ssh_argv(gateway, code), f"touch {marker}; echo RAN")
    assert rc != 0 and "RAN" not in out and "exec request failed" in err
    rc, out, err = await run_ssh(*ssh_argv(gateway, code, "-tt"), f"touch {marker}; echo RAN")
    assert rc != 0 and "RAN" not in out
    rc, out, err = await run_ssh(*ssh_argv(gateway, code, "-s"), "sftp")
    assert rc != 0 and "subsystem request failed" in err
    assert not marker.exists()
    assert gateway.started_total == 0


async def test_session_without_pty_gets_one_line(server: ExerciseServer, gateway: Gateway) -> None:
    rc, out, err = await run_ssh(*ssh_argv(gateway, code_of(server, seat(server, 1)[0]), "-T"))
    assert rc == 1
    lines = (out + err).strip().splitlines()
    assert len(lines) == 1 and "ssh -t" in lines[0], lines
    assert gateway.started_total == 0


async def test_port_forwarding_is_refused(server: ExerciseServer, gateway: Gateway) -> None:
    target_hits = 0

    async def target(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal target_hits
        target_hits += 1
        writer.close()

    tgt = await asyncio.start_server(target, "127.0.0.1", 0)
    tport = tgt.sockets[0].getsockname()[1]
    code = code_of(server, seat(server, 1)[0])
    try:
        # Local forwarding, stdio flavour (-W): same direct-tcpip channel as -L.
        rc, _, err = await run_ssh(*ssh_argv(gateway, code, "-W", f"127.0.0.1:{tport}"))
        assert rc != 0 and "forwarding failed" in err
        # Local forwarding proper: the client's listener opens, but nothing gets through.
        lport = _free_port()
        fwd = await asyncio.create_subprocess_exec(
            *ssh_argv(gateway, code, "-N", "-L", f"127.0.0.1:{lport}:127.0.0.1:{tport}"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:

            async def through() -> bytes | None:
                try:
                    r, w = await asyncio.open_connection("127.0.0.1", lport)
                except OSError:
                    return None  # ssh is not listening yet
                data = await asyncio.wait_for(r.read(), 10)
                w.close()
                return data + b"closed"

            assert await until(through, what="the forward to be tried") == b"closed"
        finally:
            with contextlib.suppress(ProcessLookupError):  # it may have given up already
                fwd.terminate()
            await fwd.wait()
        # Remote forwarding: refused outright.
        rc, _, err = await run_ssh(
            *ssh_argv(gateway, code, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9")
        )
        assert rc != 0 and "forwarding failed" in err
        assert target_hits == 0
    finally:
        tgt.close()
        await tgt.wait_closed()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_full_gateway_refuses_with_a_message(
    server: ExerciseServer, make_gateway: GatewayFactory, tmp_path: Path, tmux: Tmux
) -> None:
    script = tmp_path / "standin.py"
    script.write_text(STANDIN)
    gw = await make_gateway(max_sessions=1, child_command=[sys.executable, str(script), "{code}"])
    await tmux.start("a", ssh_argv(gw, code_of(server, seat(server, 1)[0]), "-tt"))
    await tmux.wait_text("a", "STANDIN")
    # (Not under tmux: it may drop what a pane prints just before it dies.)
    rc, out, _ = await run_ssh(*ssh_argv(gw, code_of(server, seat(server, 2)[0]), "-tt"))
    assert rc == 1 and "gateway is full" in out
    assert gw.refused_full == 1


# ---- gateway mechanics, with the stand-in app -------------------------------------------


async def test_standin_pty_size_resize_input_and_exit_status(
    server: ExerciseServer, standin_gateway: Gateway, tmux: Tmux
) -> None:
    gw = standin_gateway
    sid = seat(server, 1)[0]
    await tmux.start("s", ssh_argv(gw, code_of(server, sid), "-tt"), 90, 25)
    joining = "Joining as " + sid.replace("/", " ")
    await tmux.wait_text("s", joining, "client=ssh-gateway", "SIZE 90x25")
    await tmux.resize("s", 120, 40)
    await tmux.wait_text("s", "SIZE 120x40")  # SIGWINCH reached the app
    await tmux.type("s", "ab")
    await tmux.wait_text("s", "GOT ab")
    await tmux.type("s", "q")
    assert await tmux.wait_exit("s") == 3  # the app's status is the session's


async def test_wrong_codes_slow_down_and_end(
    server: ExerciseServer, make_gateway: GatewayFactory, tmp_path: Path, tmux: Tmux
) -> None:
    script = tmp_path / "standin.py"
    script.write_text(STANDIN)
    gw = await make_gateway(
        child_command=[sys.executable, str(script), "{code}"], max_attempts=3, retry_base=0.2
    )
    await tmux.start("w", ssh_argv(gw, "alice", "-tt"))  # a login name, not a code
    await tmux.wait_text("w", "Type your join code", "Join code:")
    await tmux.type("w", "AAAA-BBBB-CC\r")
    await tmux.wait_text("w", "not valid for this exercise")
    await tmux.type("w", "nope\r")
    await tmux.wait_text("w", "codes look like", "(wait 0.2 s)")
    await until(lambda: gw.sessions and next(iter(gw.sessions)).phase == "prompt")
    await tmux.type("w", "AAAA-BBBB-CD\r")
    assert await tmux.wait_exit("w") == 1
    await tmux.wait_text("w", "Too many wrong join codes")
    assert gw.started_total == 0


async def test_host_key_is_kept_and_fingerprint_matches_openssh(url: str, tmp_path: Path) -> None:
    data = tmp_path / "gw"
    gw1 = await start_gateway(url, "127.0.0.1", 0, data)
    await gw1.stop()
    key = data / "ssh_host_ed25519_key"
    assert (key.stat().st_mode & 0o777) == 0o600
    gw2 = await start_gateway(url, "127.0.0.1", 0, data)
    try:
        assert gw2.fingerprint == gw1.fingerprint and gw2.fingerprint.startswith("SHA256:")
        keygen = shutil.which("ssh-keygen")
        if keygen:
            rc, out, _ = await run_ssh(keygen, "-lf", str(key) + ".pub")
            assert rc == 0 and gw2.fingerprint in out
    finally:
        await gw2.stop()


async def test_gateway_stop_ends_sessions_with_a_message(
    server: ExerciseServer, standin_gateway: Gateway, tmux: Tmux
) -> None:
    gw = standin_gateway
    await tmux.start("s", ssh_argv(gw, code_of(server, seat(server, 0)[0]), "-tt"))
    await tmux.wait_text("s", "STANDIN")
    (session,) = gw.sessions
    assert session.child is not None
    pid = session.child.pid
    await gw.stop()
    assert await tmux.wait_exit("s") == 0
    await tmux.wait_text("s", "shutting down")
    assert not alive(pid)


async def test_a_mistyped_code_as_user_name_is_named(
    server: ExerciseServer, make_gateway: GatewayFactory, tmp_path: Path, tmux: Tmux
) -> None:
    script = tmp_path / "standin.py"
    script.write_text(STANDIN)
    gw = await make_gateway(child_command=[sys.executable, str(script), "{code}"])
    await tmux.start("m", ssh_argv(gw, "K7QX-3MPD", "-tt"))  # two characters short
    await tmux.wait_text("m", "'K7QX-3MPD' is not a join code", "Join code:")
    assert gw.started_total == 0


# ---- the session's language -------------------------------------------------------------


@needs_app
async def test_prompt_in_the_clients_language_switched_at_the_prompt_carried_into_the_app(
    server: ExerciseServer, gateway: Gateway, tmux: Tmux
) -> None:
    # ssh sends its LANG (SendEnv): the gateway's own lines are French, the languages shown.
    argv = ["env", "LANG=fr_FR.UTF-8", *ssh_argv(gateway, "someone", "-tt", "-o", "SendEnv=LANG")]
    await tmux.start("p", argv, 100, 30)
    await tmux.wait_text("p", "Bienvenue", "Langue : English · [français]", "Code d'accès :")
    # Tab switches to English: everything the gateway said is redrawn in it.
    await tmux.type("p", "K7QX")
    await tmux.send("p", "Tab")
    screen = await tmux.wait_text(
        "p", "Welcome", "Language: [English] · français", "Join code: K7QX"
    )
    assert "Bienvenue" not in screen and screen.count("Join code") == 1
    # F2 does the same; the code typed so far is kept, and editing goes on.
    await tmux.send("p", "F2")
    await tmux.wait_text("p", "Langue : English · [français]", "Code d'accès : K7QX")
    await tmux.send("p", "C-u")
    sid, country, _role = seat(server, 0)
    await tmux.type("p", code_of(server, sid))
    await tmux.send("p", "Enter")
    await tmux.wait_text("p", country, "en ligne")  # the player app reads French too
    (session,) = gateway.sessions
    assert session.child is not None
    assert child_env(session.child.pid)["TTE_LANG"] == "fr"
    await tmux.kill("p")
    await until(lambda: not gateway.sessions, what="the session to close")


async def test_english_unless_asked_and_lines_after_a_switch_in_the_chosen_language(
    server: ExerciseServer, standin_gateway: Gateway, tmux: Tmux
) -> None:
    # No LANG sent: English, as before; after a switch the gateway answers in French.
    await tmux.start("s", ssh_argv(standin_gateway, "someone", "-tt"))
    await tmux.wait_text(
        "s", "Welcome to the exercise. Type your join code", "[English] · français", "Join code:"
    )
    await tmux.send("s", "Tab")
    await tmux.wait_text("s", "Code d'accès :")
    await tmux.type("s", "AAAA-BBBB-CC")
    await tmux.send("s", "Enter")
    await tmux.wait_text("s", "Ce code d'accès n'est pas valide")
    await tmux.send("s", "C-d")
    assert await tmux.wait_exit("s") == 0
    await tmux.wait_text("s", "Au revoir.")

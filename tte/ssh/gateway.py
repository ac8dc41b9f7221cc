"""``tte ssh-gateway``: remote players join with nothing but an SSH client.

``ssh -p 2222 CODE@HOST`` opens the player app on that code's seat; ``ssh -p 2222
play@HOST`` opens its connect screen, which asks for the code. Every SSH session gets its
own pseudo-terminal running ``tte play`` (a normal client of the exercise server), with
the terminal type and size of the SSH client, resizes passed on live.

The join code is the credential, so SSH authentication accepts anyone; what an SSH
session may do is narrow instead: an interactive session with a PTY, and nothing else
(no exec, no subsystem such as SFTP, no port, X11 or agent forwarding).

A username that is not ``play`` is taken for a join code and checked with the server
(``probe.py``) before anything is spawned. A wrong one is reported in one line and the
user may type another at a small prompt; failures slow down exponentially and end the
session after a few; a per-address limiter keeps reconnecting from resetting that.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shlex
import signal
import sys
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh

from tte.i18n import SOURCE, Msg, _, available, display_name, languages, said, translator
from tte.i18n.translator import normalise
from tte.joincode import WrongCodeLimiter, looks_like_code

from . import hostkey
from .probe import (
    CheckResult,
    Verdict,
    check_code,
    hold,
    normalise_url,
    reachable,
    seat_label,
)
from .ptychild import PtyChild
from .zygote import Zygote, ZygoteError

log = logging.getLogger("tte.ssh")

DEFAULT_PORT = 2222
CONNECT_USERS = frozenset({"play", "tte", "join"})  # usernames that mean "ask me the code"
CLIENT_NAME = "ssh-gateway"  # what the player app tells the server it runs under
EXAMPLE_CODE = "K7QX-3MPD-9W"
MAX_CODE_INPUT = 40
PROMPT = said("Join code: ")
F2_KEYS = frozenset({b"\x1bOQ", b"\x1b[12~"})  # xterm, and rxvt / the Linux console

# Leave the alternate screen, show the cursor, stop mouse reporting and bracketed paste,
# reset colours: what a killed full-screen app could not undo itself.
TERMINAL_RESET = (
    b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    b"\x1b[?2004l\x1b[?1004l\x1b[0m\r\n"
)


@dataclass
class GatewayConfig:
    server_url: str
    max_sessions: int = 200
    max_sessions_per_address: int = 8  # SSH sessions from one client address
    # The exercise's gateway key (roster.json "gateway"): with it the server charges wrong
    # codes to each SSH client's address instead of to the gateway as a whole.
    gateway_key: str = ""
    max_cols: int = 500  # PTY size cap: a huge terminal costs the app memory and output
    max_rows: int = 200
    idle_timeout: float = 7200.0  # seconds without input; 0 = never
    max_attempts: int = 5  # wrong codes per SSH session before it ends
    retry_base: float = 1.0  # delay after the 2nd wrong code; doubles for each next one
    retry_cap: float = 30.0
    handoff: float = 20.0  # how long a welcomed probe stays connected (see probe.py)
    kill_grace: float = 3.0  # SIGHUP → SIGKILL
    # argv template for each session instead of `tte play` ({url} and {code} substituted);
    # for tests and benchmarks of the gateway alone.
    child_command: Sequence[str] | None = None
    # Fork each player app from a pre-imported zygote (see zygote.py) instead of starting
    # a cold interpreter; off for debugging (--no-zygote) and with child_command.
    zygote: bool = True

    def tte_args(self) -> list[str] | None:
        """``tte`` arguments for a zygote child; None when sessions run something else."""
        return None if self.child_command else ["play", self.server_url]

    def child_argv(self, code: str | None) -> list[str]:
        if self.child_command:
            return [a.format(url=self.server_url, code=code or "") for a in self.child_command]
        # The code travels in TTE_CODE (see _child_env), not argv: `ps` shows argv to
        # every local user.
        return [sys.executable, "-m", "tte", "play", self.server_url]

    def retry_delay(self, failures: int) -> float:
        """0 after the first wrong code, then base, 2·base, 4·base… up to the cap."""
        if failures < 2:
            return 0.0
        return float(min(self.retry_cap, self.retry_base * 2 ** (failures - 2)))


class Gateway:
    """A running gateway: ``port`` is the bound port, ``fingerprint`` the host key's."""

    def __init__(self, config: GatewayConfig, key: asyncssh.SSHKey, key_path: Path) -> None:
        self.config = config
        self.key = key
        self.key_path = key_path
        self.fingerprint = hostkey.fingerprint(key)
        self.host = ""
        self.port = 0
        self.sessions: set[Session] = set()  # admitted interactive sessions
        self.connections: set[_Connection] = set()
        # Keyed by the SSH client's address: the exercise server only sees the gateway's.
        self.limiter = WrongCodeLimiter(burst=10, rate=0.2, max_waiting=8)
        self.started_total = 0
        self.refused_full = 0
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self.zygote: Zygote | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def _listen(self, host: str, port: int) -> None:
        self._acceptor = await asyncssh.create_server(
            lambda: _Connection(self),
            host or None,
            port,
            server_host_keys=[self.key],
            server_version="tte",
            allow_pty=True,
            line_editor=False,  # bytes go straight to the app, which draws its own input
            encoding=None,
            x11_forwarding=False,
            agent_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            login_timeout=30,
            keepalive_interval=30,  # a vanished client is noticed and its child ended
            keepalive_count_max=4,
        )
        self.host = host
        self.port = self._acceptor.get_port()

    def join_hint(self, address: str) -> str:
        opt = "" if self.port == 22 else f"-p {self.port} "
        return _("ssh {opt}CODE@{address}   (or ssh {opt}play@{address} to type the code)").format(
            opt=opt, address=address
        )

    def reap(self, child: PtyChild) -> None:
        """End a child whose SSH session is gone, in the background."""

        async def _reap() -> None:
            try:
                await child.terminate(self.config.kill_grace)
            finally:
                child.close()

        self.background(_reap())

    def background(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` as a task the gateway keeps (and awaits on stop)."""
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Stop listening, tell every player, end every child, close every connection."""
        if self._acceptor is not None:
            self._acceptor.close()
        sessions = list(self.sessions)
        for s in sessions:
            s.stop(said("The SSH gateway is shutting down."))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.config.kill_grace + 2):
                await asyncio.gather(*(s.done.wait() for s in sessions))
        for c in list(self.connections):
            c.close()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
            self._acceptor = None
        if self.zygote is not None:
            await self.zygote.close()
            self.zygote = None

    async def start_zygote(self) -> None:
        """Start the zygote; without one every session is spawned directly, as before."""
        try:
            self.zygote = await Zygote.start(child_env("xterm-256color", None, None))
        except (OSError, ValueError, ZygoteError) as e:
            log.warning("cannot start the player-app zygote (%s): sessions start directly", e)


class _Connection(asyncssh.SSHServer):
    """One SSH connection: no authentication, at most one session, nothing forwarded."""

    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway
        self.conn: asyncssh.SSHServerConnection | None = None
        self.username = ""
        self.peer = "?"
        self.session: Session | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"
        self.gw.connections.add(self)
        # Half-open logins cost little, but not nothing: bound them too.
        if len(self.gw.connections) > 2 * self.gw.config.max_sessions + 50:
            log.warning("too many SSH connections: dropping one from %s", self.peer)
            conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.gw.connections.discard(self)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return False  # no SSH authentication: the join code is the credential

    def session_requested(self) -> Session:
        if self.session is not None:
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "one session per connection"
            )
        self.session = Session(self.gw, self.username, self.peer)
        return self.session

    # Every kind of forwarding is refused, with a reason the client prints.
    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        log.info("refused port forwarding to %s:%s from %s", dest_host, dest_port, self.peer)
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "port forwarding is disabled"
        )

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.info("refused remote forwarding of port %s from %s", listen_port, self.peer)
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "forwarding is disabled"
        )

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class _Phase:
    NEW = "new"
    CHECKING = "checking"
    PROMPT = "prompt"
    RUNNING = "running"
    ENDED = "ended"


class Session(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session: the code check (and prompt), then the player app on a PTY."""

    def __init__(self, gateway: Gateway, username: str, peer: str) -> None:
        self.gw = gateway
        self.cfg = gateway.config
        self.username = username
        self.peer = peer
        self.chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self.term = ""
        self.size: tuple[int, int, int, int] = (80, 24, 0, 0)
        self.has_pty = False
        self.phase = _Phase.NEW
        self.child: PtyChild | None = None
        self.seat: str | None = None
        self.failures = 0
        self.done = asyncio.Event()
        self.started_at = time.monotonic()
        self._task: asyncio.Task[None] | None = None
        self._holder: asyncio.Task[None] | None = None
        self._line = bytearray()
        self._line_ready: asyncio.Future[str | None] | None = None
        self._esc = 0  # state of the escape-sequence skipper in the prompt
        self._end_reason: Msg | None = None
        # The session's language: the SSH client's locale (SendEnv LANG LC_*), else
        # English; the person may switch it at the code prompt (Tab or F2), and a choice
        # made there, or sent, is carried into the player app (TTE_LANG).
        self.lang = SOURCE
        self.lang_chosen = False
        self._said: list[Msg | None] = []  # what the prompt showed (None: the language line)
        self._escbuf = bytearray()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._last_input = time.monotonic()

    # ---- what the client asks for -------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self.has_pty = True
        self.term = term_type
        cols, rows, px, py = term_size
        self.size = self._capped(cols or 80, rows or 24, px, py)
        return True

    def _capped(self, cols: int, rows: int, px: int, py: int) -> tuple[int, int, int, int]:
        """The PTY size, capped (cfg.max_cols × max_rows); pixel sizes are dropped."""
        cols, rows = min(max(cols, 1), self.cfg.max_cols), min(max(rows, 1), self.cfg.max_rows)
        return (cols, rows, 0, 0)

    def shell_requested(self) -> bool:
        return True  # the "shell" is the player app (or the message telling you to use -t)

    def exec_requested(self, command: str) -> bool:
        log.info("refused a command from %s", self.peer)
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem %r from %s", subsystem[:40], self.peer)
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # the player quits from inside the app; nothing to signal

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = self._capped(width or self.size[0], height or self.size[1], 0, 0)
        if self.child is not None:
            self.child.resize(*self.size)

    def session_started(self) -> None:
        chan = self.chan
        assert chan is not None
        sent = session_lang(chan.get_environment())
        if sent is not None:
            self.lang, self.lang_chosen = sent, True
        if not self.has_pty:
            port = "" if self.gw.port == 22 else f"-p {self.gw.port} "
            line = said(
                "tte: this is an interactive exercise and needs a terminal: "
                "connect with  ssh -t {port}CODE@HOST",
                port=port,
            )
            chan.write_stderr(f"{self.text(line)}\n".encode())
            self._finish(1)
            return
        if len(self.gw.sessions) >= self.cfg.max_sessions:
            self.gw.refused_full += 1
            log.warning(
                "refused a session from %s: %d sessions open", self.peer, self.cfg.max_sessions
            )
            self._write(
                said("The exercise gateway is full right now; please try again in a few minutes.")
            )
            self._finish(1)
            return
        from_here = sum(1 for s in self.gw.sessions if s.peer == self.peer)
        if from_here >= self.cfg.max_sessions_per_address:
            self.gw.refused_full += 1
            log.warning("refused a session from %s: %d sessions open from it", self.peer, from_here)
            self._write(said("Too many sessions from your address; close one and try again."))
            self._finish(1)
            return
        self.gw.sessions.add(self)
        self._last_input = time.monotonic()
        self._arm_idle(self.cfg.idle_timeout)
        self._task = asyncio.create_task(self._run(), name=f"tte-ssh-{self.peer}")

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self._last_input = time.monotonic()
        if self.phase == _Phase.RUNNING and self.child is not None:
            if not self.child.write(data) and self.chan is not None:
                self.chan.pause_reading()  # the app is not reading: push back on the client
                self.child.on_input_drained = self.chan.resume_reading
        elif self.phase == _Phase.PROMPT:
            self._prompt_input(data)
        # otherwise (checking a code, starting the app) keystrokes are dropped

    def eof_received(self) -> bool:
        return False  # the client closed its input: close the session

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_output()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        """The SSH session is gone (player quit, network dropped, gateway stopped)."""
        self.phase = _Phase.ENDED
        self.chan = None
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self._line_ready is not None and not self._line_ready.done():
            self._line_ready.set_result(None)
        if self._holder is not None:
            self._holder.cancel()
        if self.child is not None and self.child.returncode is None:
            log.info("session from %s dropped: ending its player app", self.peer)
            self.gw.reap(self.child)
        elif self._task is not None and not self._task.done():
            self._task.cancel()
        self.gw.sessions.discard(self)
        self.done.set()

    # ---- the session's course -----------------------------------------------------------

    def text(self, line: Msg) -> str:
        """``line`` in the session's language."""
        return translator(self.lang).render(line.key, line.params)

    def _write(self, line: Msg | None, end: str = "\n") -> None:
        """Say ``line`` (None: the language line) in the session's language, and keep it
        so that switching the language redraws it."""
        self._said.append(line)
        self._show(line, end)

    def _show(self, line: Msg | None, end: str = "\n") -> None:
        if self.chan is not None:
            text = self.text(self.language_line() if line is None else line) + end
            self.chan.write(text.replace("\n", "\r\n").encode())

    def language_line(self) -> Msg:
        """The languages there are, the session's in brackets, and how to change it."""
        shown = [f"[{display_name(c)}]" if c == self.lang else display_name(c) for c in languages()]
        return said("Language: {languages} — Tab or F2 to change", languages=" · ".join(shown))

    def switch_language(self) -> None:
        """The next language, everything the prompt said redrawn in it (the screen is
        cleared: the lines above are the gateway's own), the code typed so far kept."""
        have = languages()
        at = have.index(self.lang) if self.lang in have else -1
        self.lang, self.lang_chosen = have[(at + 1) % len(have)], True
        if self.chan is None:
            return
        self.chan.write(b"\x1b[H\x1b[2J")
        for line in self._said:
            self._show(line)
        self._show(PROMPT, end="")
        self._send(bytes(self._line))

    def _finish(self, status: int) -> None:
        """Send the exit status and close (once)."""
        chan = self.chan
        if chan is None or self.phase == _Phase.ENDED:
            return
        self.phase = _Phase.ENDED
        # The client may be closing the channel at this very moment (its close is not yet
        # our connection_lost): then there is no one left to tell.
        with contextlib.suppress(BrokenPipeError):
            if self._end_reason:
                reason = self.text(self._end_reason).encode()
                chan.write(TERMINAL_RESET + reason + b"\r\n")
            chan.exit(status)

    def stop(self, reason: Msg) -> None:
        """End the session from our side (idle, shutdown), saying why."""
        if self.phase == _Phase.ENDED:
            return
        self._end_reason = reason
        if self.child is not None and self.child.returncode is None:
            # Its exit comes back through _run, which then finishes with the reason.
            self.gw.background(self.child.terminate(self.cfg.kill_grace))
        else:
            if self._task is not None:
                self._task.cancel()
            self._finish(0)

    def _arm_idle(self, delay: float) -> None:
        if self.cfg.idle_timeout > 0:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(delay, self._idle_check)

    def _idle_check(self) -> None:
        quiet = time.monotonic() - self._last_input
        if quiet < self.cfg.idle_timeout:
            self._arm_idle(self.cfg.idle_timeout - quiet)
            return
        log.info("session from %s idle for %.0f s: ending it", self.peer, quiet)
        self.stop(_idle_reason(self.cfg.idle_timeout))

    async def _run(self) -> None:
        try:
            status = await self._course()
        except asyncio.CancelledError:
            return
        except Exception:
            log.exception("session from %s failed", self.peer)
            self._end_reason = self._end_reason or said(
                "Sorry: the gateway failed on this session."
            )
            status = 1
        if self.child is not None:
            self.child.close()
        if self._end_reason:
            status = 0  # we ended it (idle, shutdown): not the app's failure
        self._finish(status)

    async def _course(self) -> int:
        name = self.username.strip()
        if name.lower() in CONNECT_USERS:
            return await self._play(None, None)
        candidate: str | None = name
        if not looks_like_code(name):
            if any(ch.isdigit() or ch == "-" for ch in name):
                # A code mistyped as the user name (ssh -p 2222 K7QX-3MPD@host): say so.
                shown = "".join(ch if ch.isprintable() else "?" for ch in name[:MAX_CODE_INPUT])
                self._write(
                    said(
                        "Welcome to the exercise. The user name {name} is not a join code: "
                        "codes look like {example}. Type your join code.",
                        name=repr(shown),
                        example=EXAMPLE_CODE,
                    )
                )
            else:  # most likely ssh sent the local login name: not a guess, just ask
                self._write(
                    said(
                        "Welcome to the exercise. Type your join code (it looks like {example}).",
                        example=EXAMPLE_CODE,
                    )
                )
            candidate = await self._prompt()
        while candidate is not None:
            result = await self._check(candidate)
            if result is not None and result.verdict is Verdict.OK:
                return await self._play(candidate, result)
            if result is not None and result.verdict is Verdict.UNREACHABLE:
                self._write(
                    said(
                        "The exercise server cannot be reached right now ({reason}). "
                        "Please try again in a minute.",
                        reason=result.message,
                    )
                )
                return 1
            self.failures += 1
            if self.failures >= self.cfg.max_attempts:
                self._write(
                    said(
                        "Too many wrong join codes. Ask your facilitator for yours, then reconnect."
                    )
                )
                return 1
            delay = self.cfg.retry_delay(self.failures)
            if delay:
                self._write(said("(wait {seconds} s)", seconds=format(delay, "g")))
                self.phase = _Phase.CHECKING
                await asyncio.sleep(delay)  # the slow-down itself, not synchronisation
            candidate = await self._prompt()
        self._write(said("Goodbye."))
        return 0

    async def _check(self, text: str) -> CheckResult | None:
        """Check a code; None when it was refused without asking the server."""
        self.phase = _Phase.CHECKING
        if not looks_like_code(text):
            self._write(
                said(
                    "That join code is not valid: codes look like {example}.", example=EXAMPLE_CODE
                )
            )
            return None
        # Checked first (the server charges wrong codes to this SSH client's address, which
        # the hello names with the gateway key); only the reply to a wrong one waits.
        result = await check_code(
            self.cfg.server_url, text, peer=self.peer, gateway_key=self.cfg.gateway_key
        )
        if result.verdict is Verdict.INVALID and not await self.gw.limiter.admit(self.peer):
            self._write(
                said("That join code is not valid, and too many were tried from your address.")
            )
            return None
        if result.verdict is Verdict.INVALID:
            self.gw.limiter.failed(self.peer)
            log.warning("wrong join code over SSH from %s", self.peer)
            self._write(
                said("That join code is not valid for this exercise (mistyped, or replaced).")
            )
        elif result.verdict is Verdict.LIMITED:
            self._write(
                said("That join code could not be checked: too many wrong codes were tried.")
            )
        return result

    async def _prompt(self) -> str | None:
        """A one-line editor on the raw terminal; None if the user leaves (Ctrl-C/Ctrl-D)."""
        if self.chan is None:
            return None
        self._line.clear()
        self._esc = 0
        self._line_ready = asyncio.get_running_loop().create_future()
        self.phase = _Phase.PROMPT
        if None not in self._said:
            self._write(None)  # the languages, once: a switch redraws it
        self._show(PROMPT, end="")  # not kept: a switch redraws the prompt under the rest
        try:
            return await self._line_ready
        finally:
            self._line_ready = None

    def _prompt_input(self, data: bytes) -> None:
        fut = self._line_ready
        if fut is None or fut.done():
            return
        echo = bytearray()
        for b in data:
            if self._esc:  # skip ESC [ … final, ESC O x: arrows and function keys (but F2)
                self._escbuf.append(b)
                if self._esc == 1:
                    self._esc = 2 if b in b"[O" else 0
                elif 0x40 <= b <= 0x7E:
                    self._esc = 0
                if not self._esc and bytes(self._escbuf) in F2_KEYS:
                    self._send(echo)
                    echo.clear()
                    self.switch_language()
                continue
            if b == 0x1B:
                self._esc = 1
                self._escbuf[:] = b"\x1b"
            elif b == 0x09:  # Tab: the next language
                self._send(echo)
                echo.clear()
                self.switch_language()
            elif b in b"\r\n":
                echo += b"\r\n"
                self._send(echo)
                fut.set_result(self._line.decode("ascii", "replace").strip())
                return
            elif b in (0x03, 0x04):  # Ctrl-C, Ctrl-D: leave
                self._send(echo + b"\r\n")
                fut.set_result(None)
                return
            elif b in (0x7F, 0x08):
                if self._line:
                    self._line.pop()
                    echo += b"\b \b"
            elif b == 0x15:  # Ctrl-U
                echo += b"\b \b" * len(self._line)
                self._line.clear()
            elif 0x20 <= b < 0x7F and len(self._line) < MAX_CODE_INPUT:
                self._line.append(b)
                echo.append(b)
        self._send(echo)

    def _send(self, data: bytes | bytearray) -> None:
        if data and self.chan is not None:
            self.chan.write(data)

    async def _play(self, code: str | None, probe: CheckResult | None) -> int:
        """Run the player app on a PTY until it exits; its status is the session's."""
        if probe is not None and probe.seat is not None:
            self.seat = seat_label(probe.seat)
            self._write(said("Joining as {seat}…", seat=self.seat))
        self.phase = _Phase.CHECKING
        child = await PtyChild.spawn(
            self.cfg.child_argv(code),
            self._child_env(code),
            self.size,
            self._on_output,
            zygote=self.gw.zygote,
            tte_args=self.cfg.tte_args(),
        )
        self.child = child
        self.gw.started_total += 1
        log.info(
            "session from %s: player app pid %d (%s)",
            self.peer,
            child.pid,
            self.seat or "connect screen",
        )
        if self.chan is None:  # the client left while we were spawning
            self.gw.reap(child)
            return 0
        child.resize(*self.size)  # a resize may have arrived while we were spawning
        self.phase = _Phase.RUNNING
        if probe is not None and probe.ws is not None:
            self._holder = asyncio.create_task(hold(probe.ws, self.cfg.handoff))
        status = await child.wait()
        log.info("player app pid %d for %s exited with %d", child.pid, self.peer, status)
        return status

    def _on_output(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write(data)

    def _child_env(self, code: str | None) -> dict[str, str]:
        # OpenSSH does not forward COLORTERM unless told to; when it does, trust it (only
        # its well-known values: the client chooses what it sends).
        sent = self.chan.get_environment() if self.chan is not None else {}
        lang = self.lang if self.lang_chosen else None
        env = child_env(self.term, code, sent.get("COLORTERM"), lang)
        if self.cfg.gateway_key:  # see tte.client.net.gateway_fields
            env["TTE_GATEWAY_KEY"] = self.cfg.gateway_key
            env["TTE_FORWARDED_FOR"] = self.peer
        return env


def session_lang(sent: Mapping[str, str]) -> str | None:
    """The language the SSH client's locale asks for (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` as OpenSSH's ``SendEnv`` passes them), if the program has it: only a known
    code reaches the app, never the client's raw text."""
    for name in ("TTE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = sent.get(name)
        if value and available(value):
            return normalise(value)
    return None


def child_env(
    term: str, code: str | None, colorterm: str | None, lang: str | None = None
) -> dict[str, str]:
    """The environment of a session's app: ours, less what describes our own terminal;
    `lang`: the session's language (``TTE_LANG``), which the app prefers to ours."""
    drop = {"TERM", "COLUMNS", "LINES", "TERMCAP", "TMUX", "TMUX_PANE", "STY", "COLORTERM"}
    drop |= {"TTE_CODE", "TTE_GATEWAY_KEY", "TTE_FORWARDED_FOR", "TTE_LANG"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("SSH_")}
    env["TERM"] = term or "xterm-256color"
    env["TTE_CLIENT"] = CLIENT_NAME
    env["TTE_LOCKED"] = "1"  # server fixed, no screenshots or theme files (tte.client.player)
    if code:
        env["TTE_CODE"] = code
    env.setdefault("LANG", "C.UTF-8")
    if lang:
        env["TTE_LANG"] = lang
    if colorterm in ("truecolor", "24bit"):
        env["COLORTERM"] = colorterm
    return env


def _idle_reason(seconds: float) -> Msg:
    if seconds >= 120:
        return said(
            "No input for {minutes} minutes: the session was closed.",
            minutes=format(seconds / 60, ".0f"),
        )
    return said(
        "No input for {seconds} seconds: the session was closed.", seconds=format(seconds, ".0f")
    )


async def start_gateway(
    server_url: str,
    host: str = "0.0.0.0",
    port: int = DEFAULT_PORT,
    data_dir: str | Path | None = None,
    *,
    max_sessions: int = 200,
    idle_timeout: float = 7200.0,
    child_command: Sequence[str] | None = None,
    zygote: bool = True,
    **settings: Any,
) -> Gateway:
    """Listen for SSH players (port 0 = any free port; see ``Gateway.port``). ``settings``
    are further :class:`GatewayConfig` fields. Stop it with ``await gateway.stop()``."""
    cfg = GatewayConfig(
        normalise_url(server_url),
        max_sessions=max_sessions,
        idle_timeout=idle_timeout,
        child_command=child_command,
        zygote=zygote,
        **settings,
    )
    key, key_path, created = hostkey.load_or_create(
        Path(data_dir) if data_dir else default_data_dir()
    )
    if created:
        log.info("generated a new SSH host key in %s", key_path)
    gw = Gateway(cfg, key, key_path)
    await gw._listen(host, port)
    if cfg.zygote and cfg.tte_args() is not None:
        await gw.start_zygote()
    return gw


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tte")) / "ssh-gateway"


# ---- command line -----------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        default="ws://127.0.0.1:8765/",
        metavar="URL",
        help=_("the exercise server the players' apps connect to (default ws://127.0.0.1:8765/)"),
    )
    parser.add_argument("--host", default="0.0.0.0", help=_("address to listen on (default: all)"))
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_("SSH port (default {port})").format(port=DEFAULT_PORT),
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=_("where the host key is kept (default: the user data directory)"),
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=200,
        metavar="N",
        help=_("SSH sessions at once, from everyone (default 200)"),
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=7200.0,
        metavar="SECONDS",
        help=_("end a session after this long without input; 0 = never (default 7200)"),
    )
    parser.add_argument(
        "--no-zygote",
        dest="zygote",
        action="store_false",
        help=_("start each session's app as a fresh process (slower; for debugging)"),
    )
    parser.add_argument(
        "--exercise-data",
        metavar="DIR",
        help=_(
            "the server's --data directory, to read its gateway key (roster.json) so the "
            "server limits wrong codes per SSH client, not for the whole gateway; or set "
            "TTE_GATEWAY_KEY"
        ),
    )
    parser.add_argument("--child-command", help=argparse.SUPPRESS)  # tests and benchmarks


def gateway_key_of(exercise_data: str | None) -> str:
    """The exercise's gateway key: TTE_GATEWAY_KEY, or "gateway" in DIR/roster.json."""
    if exercise_data:
        import json

        roster = Path(exercise_data) / "roster.json"
        return str(json.loads(roster.read_text(encoding="utf-8")).get("gateway", ""))
    return os.environ.get("TTE_GATEWAY_KEY", "")


def _print_banner(gw: Gateway, out: Callable[[str], None]) -> None:
    from tte.server.lan import WILDCARDS, lan_addresses

    addrs = [*lan_addresses(), "127.0.0.1"] if gw.host in WILDCARDS else [gw.host]
    where = f"{gw.host or '*'}:{gw.port}"
    out(
        _("tte ssh-gateway: listening on {where} for {url}").format(
            where=where, url=gw.config.server_url
        )
    )
    out(
        _("Host key fingerprint: {fingerprint} (ED25519), kept in {path}").format(
            fingerprint=gw.fingerprint, path=gw.key_path
        )
    )
    out(_("Players join with:"))
    for a in addrs:
        out(f"  {gw.join_hint(a)}")


async def _serve(args: argparse.Namespace) -> int:
    child = shlex.split(args.child_command) if args.child_command else None
    try:
        key = gateway_key_of(getattr(args, "exercise_data", None))
    except (OSError, ValueError, AttributeError) as e:
        print(
            _("tte ssh-gateway: cannot read the gateway key: {error}").format(error=e),
            file=sys.stderr,
        )
        return 2
    try:
        gw = await start_gateway(
            args.server,
            args.host,
            args.port,
            args.data,
            max_sessions=args.max_sessions,
            idle_timeout=args.idle_timeout,
            child_command=child,
            zygote=args.zygote,
            gateway_key=key,
        )
    except ValueError as e:
        print(f"tte ssh-gateway: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        where = f"{args.host}:{args.port}"
        print(
            _("tte ssh-gateway: cannot listen on {where}: {error}").format(where=where, error=e),
            file=sys.stderr,
        )
        return 1
    _print_banner(gw, lambda line: print(line, flush=True))
    trouble = await reachable(gw.config.server_url)
    if trouble is not None:
        print(
            _("tte ssh-gateway: warning: the exercise server does not answer yet ({error})").format(
                error=trouble
            ),
            file=sys.stderr,
            flush=True,
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: ending %d sessions", len(gw.sessions))
    await gw.stop()
    return 0


def main(args: argparse.Namespace) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    logging.getLogger("websockets").setLevel(logging.WARNING)
    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 130

"""One child process on its own pseudo-terminal, bridged to callbacks.

The child runs in a new session with the pty as its controlling terminal, so the kernel
itself delivers SIGWINCH when we set the window size and SIGHUP when the pty goes away,
exactly as under sshd. All I/O is non-blocking on the asyncio loop: no thread per session.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import signal
import struct
import sys
import termios
from collections.abc import Awaitable, Callable, Mapping, Sequence

from .zygote import Zygote, ZygoteError

log = logging.getLogger("tte.ssh")

READ_SIZE = 65536
INPUT_HIGH_WATER = 256 * 1024  # bytes of keyboard input buffered before we push back

# setsid() is done by subprocess (start_new_session); making the pty the controlling
# terminal must happen in the child before exec. A two-line bootstrap does it rather than
# preexec_fn, which is unsafe once the process has threads. -I -S keeps it to ~10 ms.
_BOOT = (
    "import fcntl,os,sys,termios\n"
    "fcntl.ioctl(0,termios.TIOCSCTTY,0)\n"
    "os.execvp(sys.argv[1],sys.argv[1:])"
)


_Starter = Callable[
    [Sequence[str], Mapping[str, str], str, int], Awaitable[tuple[int, "asyncio.Future[int]"]]
]


async def _direct(
    argv: Sequence[str], env: Mapping[str, str], cwd: str, slave: int
) -> tuple[int, asyncio.Future[int]]:
    """A fresh interpreter (or any program) on the pty: the way without a zygote."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",
        "-S",
        "-c",
        _BOOT,
        *argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
    )
    return proc.pid, asyncio.ensure_future(proc.wait())


def _winsize(cols: int, rows: int, px: int = 0, py: int = 0) -> bytes:
    def clamp(v: int) -> int:  # the struct holds unsigned shorts
        return max(0, min(int(v), 0xFFFF))

    return struct.pack("HHHH", clamp(rows), clamp(cols), clamp(px), clamp(py))


class PtyChild:
    """Spawn with :meth:`spawn`; output goes to ``on_output``; ``wait()`` gives the status."""

    def __init__(
        self,
        pid: int,
        exited: asyncio.Future[int],
        master: int,
        on_output: Callable[[bytes], None],
    ) -> None:
        self.pid = pid
        self._exited = exited  # the exit code, negative for a signal (as Popen's)
        self._master = master
        self._on_output = on_output
        self._loop = asyncio.get_running_loop()
        self._reading = False
        self._paused = False
        self._eof = asyncio.Event()
        self._inbuf = bytearray()
        self._writing = False
        self.on_input_drained: Callable[[], None] | None = None
        self._start_reading()

    @property
    def returncode(self) -> int | None:
        """None while the child runs."""
        return self._exited.result() if self._exited.done() else None

    @classmethod
    async def spawn(
        cls,
        argv: Sequence[str],
        env: Mapping[str, str],
        size: tuple[int, int, int, int],
        on_output: Callable[[bytes], None],
        zygote: Zygote | None = None,
        tte_args: Sequence[str] | None = None,
    ) -> PtyChild:
        """``size`` is (cols, rows, pixel width, pixel height) as SSH reports it. With a
        ``zygote``, the child is forked from it to run ``tte TTE_ARGS`` (``argv`` is what
        the same child would be as a program of its own, the fallback)."""
        if zygote is not None and tte_args is not None and zygote.usable:
            try:
                return await cls._spawn(size, on_output, zygote.spawn, tte_args, env)
            except ZygoteError as e:
                log.warning("zygote spawn failed (%s): starting the player app directly", e)
        return await cls._spawn(size, on_output, _direct, argv, env)

    @classmethod
    async def _spawn(
        cls,
        size: tuple[int, int, int, int],
        on_output: Callable[[bytes], None],
        start: _Starter,
        argv: Sequence[str],
        env: Mapping[str, str],
    ) -> PtyChild:
        master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, _winsize(*size))
            os.set_blocking(master, False)
            pid, exited = await start(argv, env, os.getcwd(), slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # the child holds it now; our copy would hide its EOF
        return cls(pid, exited, master, on_output)

    # ---- output (child -> us) -----------------------------------------------------------

    def _start_reading(self) -> None:
        if not self._reading and not self._paused and not self._eof.is_set():
            self._loop.add_reader(self._master, self._readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            self._loop.remove_reader(self._master)
            self._reading = False

    def _readable(self) -> None:
        try:
            data = os.read(self._master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError as e:  # EIO: every slave fd is closed, i.e. the child is gone
            if e.errno != errno.EIO:
                raise
            data = b""
        if not data:
            self._stop_reading()
            self._eof.set()
            return
        self._on_output(data)

    def pause_output(self) -> None:
        """The SSH channel is full: stop reading, the pty buffer pushes back on the child."""
        self._paused = True
        self._stop_reading()

    def resume_output(self) -> None:
        self._paused = False
        self._start_reading()

    # ---- input (us -> child) ------------------------------------------------------------

    def write(self, data: bytes) -> bool:
        """Queue keyboard input; False once the buffer is over its high-water mark."""
        if self._eof.is_set():
            return True
        self._inbuf += data
        self._flush()
        return len(self._inbuf) < INPUT_HIGH_WATER

    def _flush(self) -> None:
        while self._inbuf:
            try:
                n = os.write(self._master, self._inbuf)
            except BlockingIOError:
                break
            except OSError:
                self._inbuf.clear()  # the child is gone; its exit ends the session
                break
            del self._inbuf[:n]
        if self._inbuf and not self._writing:
            self._loop.add_writer(self._master, self._flush)
            self._writing = True
        elif not self._inbuf and self._writing:
            self._loop.remove_writer(self._master)
            self._writing = False
            if self.on_input_drained is not None:
                self.on_input_drained()

    # ---- control ------------------------------------------------------------------------

    def resize(self, cols: int, rows: int, px: int = 0, py: int = 0) -> None:
        # The kernel sends SIGWINCH to the pty's foreground process group.
        with contextlib.suppress(OSError):
            fcntl.ioctl(self._master, termios.TIOCSWINSZ, _winsize(cols, rows, px, py))

    def signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)  # its own session, so pgid == pid

    async def wait(self, eof_grace: float = 1.0) -> int:
        """Exit status once the child has exited and its last output has been read.
        A signal death is reported shell-style as 128 + signal number."""
        rc = await asyncio.shield(self._exited)
        # Output written just before exit is still in the pty: read it before we report
        # the end, unless something else (a grandchild) keeps the pty open.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._eof.wait(), eof_grace)
        return rc if rc >= 0 else 128 - rc

    async def terminate(self, grace: float = 3.0) -> None:
        """SIGHUP (what a dropped terminal means), then SIGKILL if it lingers."""
        if self._exited.done():
            return
        self.signal(signal.SIGHUP)
        self.signal(signal.SIGCONT)  # a stopped child must wake to see the hangup
        try:
            await asyncio.wait_for(asyncio.shield(self._exited), grace)
        except TimeoutError:
            self.signal(signal.SIGKILL)
            await asyncio.shield(self._exited)

    def close(self) -> None:
        """Release the pty (after the child is gone)."""
        self._stop_reading()
        if self._writing:
            self._loop.remove_writer(self._master)
            self._writing = False
        if self._master >= 0:
            with contextlib.suppress(OSError):
                os.close(self._master)
            self._master = -1

"""A pre-imported parent for the gateway's player apps: fork, not a cold interpreter.

Starting ``python -m tte play`` costs about half a second of CPU (Python, Textual and the
app's modules) and ~40 MiB of private memory per session. The gateway instead starts one
zygote (``python -m tte.ssh.zygote FD``) that imports all of that once, freezes it out of
the garbage collector (so collections in the children do not touch, and un-share, its
pages), and then forks a child per session: start-up is a fork and the imported code is
shared copy-on-write between all sessions.

The gateway still opens each pty itself and owns the session: it sends the pty's slave fd
(SCM_RIGHTS) with the argv/env/cwd over a private socketpair (no path on disk) and gets
back the pid, later the exit status. The child makes itself a session leader on that pty,
exactly as a direct spawn would, so signals, SIGWINCH and SIGHUP work unchanged.

Wire format (SOCK_SEQPACKET, one message each): gateway → zygote ``8-byte request id +
JSON {"args", "env", "cwd"}`` with one fd (``args`` are ``["play", URL]``, as for ``tte
play``); zygote → gateway JSON ``{"id", "pid"}`` or ``{"id", "error"}``, and ``{"exit":
pid, "status": waitstatus_to_exitcode}``. The zygote
never decodes a request (it holds the join code in TTE_CODE): only the child does, and
the zygote wipes the buffer after each fork, so no session's code lives on in another.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import gc
import importlib
import json
import logging
import mmap
import os
import selectors
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import Any

log = logging.getLogger("tte.ssh")

# Imported once in the zygote: the player app and what it pulls in as it starts (the
# rest was found by listing the modules a child added to sys.modules).
PRELOAD = (
    "tte.client.player",
    "tte.client.player.app",
    "textual.drivers.linux_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "textual.pilot",
    "rich._unicode_data.unicode17-0-0",
    "concurrent.futures.thread",
    "websockets.asyncio.client",
    "traceback",
)
READY_TIMEOUT = 30.0  # for the zygote's imports; the gateway waits for them once
MAX_REQUEST = 256 * 1024
PAD_VAR = "TTE_ZYGOTE_PAD"  # room in the zygote's environ block for a child's (see below)
PAD_SIZE = 8192
REPLY_TIMEOUT = 20.0  # a spawn not answered by then: the zygote is taken for broken


class ZygoteError(Exception):
    """The zygote could not start this session (the caller spawns it directly instead)."""


# ---- the zygote process -----------------------------------------------------------------


def _rewrite_proc_environ(env: Mapping[str, str]) -> None:
    """Make /proc/PID/environ (``ps e``, and what an operator inspects) show the session's
    environment rather than the zygote's: it is the block the kernel set up at exec, so
    write the new one over it in place, as setproctitle does. C ``environ`` no longer
    points there (os.environ was cleared and refilled), so nothing reads the old strings."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end (fields 50, 51)
        if not 0 < start < end:
            return
        block = bytearray()
        for k, v in env.items():
            item = f"{k}={v}".encode(errors="surrogateescape") + b"\0"
            if len(block) + len(item) > end - start:
                break
            block += item
        block += bytes(end - start - len(block))
        with open("/proc/self/mem", "r+b", buffering=0) as mem:
            mem.seek(start)
            mem.write(block)
    except (OSError, ValueError, IndexError):
        pass  # cosmetic: the environment the app sees is os.environ, already set


def _reopen_stdio() -> None:
    """Standard streams as a fresh interpreter on a terminal would make them (line-buffered,
    on the pty), also as sys.__std*__, which Textual's driver uses."""
    enc = getattr(sys.__stdout__, "encoding", None) or "utf-8"  # the zygote's locale's
    streams = {
        "stdin": open(0, encoding=enc, closefd=False),  # noqa: SIM115
        "stdout": open(1, "w", encoding=enc, closefd=False),  # noqa: SIM115
        "stderr": open(2, "w", encoding=enc, errors="backslashreplace", closefd=False),  # noqa: SIM115
    }
    for name, stream in streams.items():
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _child(req: bytes, slave: int, sync_w: int, inherited: Sequence[int]) -> int:
    """In the forked child: become the session's process, then run ``tte`` in it."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    try:
        # Same as a direct spawn: own session (pgid == pid), the pty as controlling tty.
        os.setsid()
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        import fcntl
        import termios

        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        spec = json.loads(req)
        os.environ.clear()
        os.environ.update(spec["env"])
        os.chdir(spec["cwd"])
    except BaseException as e:
        os.write(sync_w, f"E{type(e).__name__}: {e}".encode()[:1000])
        return 1
    os.write(sync_w, b"K")  # the gateway may signal the group from now on
    os.close(sync_w)
    _rewrite_proc_environ(spec["env"])
    _reopen_stdio()
    args: list[str] = spec["args"]
    sys.argv = [spec.get("argv0", "tte"), *args]
    try:
        code: Any = play(args)
    except SystemExit as e:
        code = e.code
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    # What interpreter shutdown would do, short of tearing the interpreter down.
    with contextlib.suppress(BaseException):
        import threading

        threading._shutdown()  # type: ignore[attr-defined]  # join non-daemon threads
    with contextlib.suppress(BaseException):
        import atexit

        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    return int(code or 0) & 0xFF


class _Server:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        # Not a bytearray: that is zero-filled, so 256 KiB resident in the zygote and in
        # every child forked from it. An anonymous mapping is touched only as far as
        # requests reach, and MADV_DONTFORK keeps it (and what it held) out of the
        # children altogether; they never return to request(), where it is used.
        self.buf = mmap.mmap(-1, MAX_REQUEST)
        with contextlib.suppress(AttributeError, OSError):  # not on every platform
            self.buf.madvise(mmap.MADV_DONTFORK)
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)

    def send(self, msg: dict[str, Any]) -> None:
        self.sock.send(json.dumps(msg).encode())

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # the wakeup fd does the work
        sel = selectors.DefaultSelector()
        sel.register(self.sock, selectors.EVENT_READ, "req")
        sel.register(self.wake_r, selectors.EVENT_READ, "chld")
        while True:
            for key, _ in sel.select():
                if key.data == "chld":
                    with contextlib.suppress(OSError):
                        while os.read(self.wake_r, 512):
                            pass
                    self.reap()
                elif not self.request():
                    return  # the gateway is gone; its children get SIGHUP with their pty

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.send({"exit": pid, "status": os.waitstatus_to_exitcode(status)})

    def request(self) -> bool:
        buf = self.buf
        fds: list[int] = []
        try:
            n, anc, flags, _ = self.sock.recvmsg_into(
                [buf], socket.CMSG_SPACE(4 * 4), socket.MSG_CMSG_CLOEXEC
            )
        except InterruptedError:
            return True
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                got = array.array("i")
                got.frombytes(data[: len(data) - len(data) % got.itemsize])
                fds += list(got)
        if n == 0 and not fds:
            return False
        rid = int.from_bytes(buf[:8], "little") if n >= 8 else -1
        try:
            if n < 8 or len(fds) != 1 or flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
                self.send({"id": rid, "error": "malformed spawn request"})
            else:
                self.spawn(rid, bytes(buf[8:n]), fds[0])
        finally:
            buf[:n] = bytes(n)  # wipe: the request holds the join code
            for fd in fds:
                os.close(fd)
        return True

    def spawn(self, rid: int, req: bytes, slave: int) -> None:
        try:
            sync_r, sync_w = os.pipe()
        except OSError as e:  # out of fds: this session only
            self.send({"id": rid, "error": f"cannot fork: {e}"})
            return
        try:
            pid = os.fork()
        except OSError as e:  # out of processes: this session only
            os.close(sync_r)
            os.close(sync_w)
            self.send({"id": rid, "error": f"cannot fork: {e}"})
            return
        if pid == 0:
            code = 1
            try:
                inherited = [self.sock.fileno(), self.wake_r, self.wake_w, sync_r]
                code = _child(req, slave, sync_w, inherited)
            finally:
                os._exit(code)
        del req
        os.close(sync_w)
        with os.fdopen(sync_r, "rb") as f:
            ok = f.read()
        if ok == b"K":
            self.send({"id": rid, "pid": pid})
        else:
            self.send({"id": rid, "error": ok[1:].decode(errors="replace") or "child died"})


def play(args: Sequence[str]) -> int:
    """What ``tte play URL`` runs, without importing the CLI (which sits above tte.ssh)."""
    import argparse

    from tte.client import player

    if args[:1] != ["play"]:
        raise SystemExit(f"tte.ssh.zygote: a child only runs `tte play`, not {list(args)!r}")
    parser = argparse.ArgumentParser(prog="tte play")
    player.add_arguments(parser)
    return player.main(parser.parse_args(args[1:]))


def _warm_languages() -> None:
    """Every language's catalogue and Babel's locale data, loaded once here: a child that
    loads them after the fork keeps a private copy (~7 MiB per SSH session)."""
    import datetime as dt

    try:
        from tte.i18n import languages, translator

        moment = dt.datetime(2026, 1, 1, 12, 0)
        for lang in languages():
            tr = translator(lang)
            tr.date(moment.date())
            tr.datetime(moment)
            tr.number(1234.5, 1)
            tr.percent(0.5)
    except Exception as e:  # a child loads what it needs itself
        print(f"tte.ssh.zygote: cannot warm the languages: {e}", file=sys.stderr)


def serve(fd: int) -> int:
    sock = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the gateway decides when we end
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # e.g. another version of a library: the child imports what it needs
        except Exception as e:
            print(f"tte.ssh.zygote: cannot preload {name}: {e}", file=sys.stderr)
    _warm_languages()
    gc.collect()
    gc.freeze()  # everything so far is never collected: its pages stay shared
    server = _Server(sock)
    server.send({"ready": True})
    server.serve()
    return 0


# ---- the gateway's side -----------------------------------------------------------------


class Zygote:
    """The gateway's handle on a zygote process; use :meth:`start`, then :meth:`spawn`."""

    def __init__(self, proc: asyncio.subprocess.Process, sock: socket.socket) -> None:
        self.proc = proc
        self.sock = sock
        self.broken = False
        self._loop = asyncio.get_running_loop()
        self._next_id = 1
        self._replies: dict[int, asyncio.Future[int]] = {}
        self._exits: dict[int, asyncio.Future[int]] = {}
        self._early_exits: dict[int, int] = {}  # exits reported before spawn() took the pid
        self._abandoned: set[int] = set()
        self._send_lock = asyncio.Lock()
        self.ready: asyncio.Future[None] = self._loop.create_future()
        sock.setblocking(False)
        self._loop.add_reader(sock.fileno(), self._readable)

    @classmethod
    async def start(cls, env: Mapping[str, str]) -> Zygote:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            import subprocess

            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tte.ssh.zygote",
                str(theirs.fileno()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                # One malloc arena: each thread of a child (Textual's input and output
                # threads, asyncio's executor) would otherwise get one of its own, with
                # its own free space, in every session.
                env={**env, PAD_VAR: "x" * PAD_SIZE, "MALLOC_ARENA_MAX": "1"},
                start_new_session=True,  # not in the gateway's terminal's Ctrl-C group
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        zygote = cls(proc, ours)
        try:
            # Sessions could queue for it meanwhile, but the first ones would then wait
            # as long as a cold start: better to be up once it has imported everything.
            await asyncio.wait_for(asyncio.shield(zygote.ready), READY_TIMEOUT)
        except (TimeoutError, ZygoteError) as e:
            why = str(e) or f"not ready in {READY_TIMEOUT:g} s"
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            await zygote.close()
            raise ZygoteError(why) from None
        return zygote

    @property
    def usable(self) -> bool:
        return not self.broken

    async def spawn(
        self, args: Sequence[str], env: Mapping[str, str], cwd: str, slave: int
    ) -> tuple[int, asyncio.Future[int]]:
        """Fork a child running ``tte ARGS`` on ``slave``: its pid, and a future with its
        exit code (negative for a signal, as asyncio's returncode)."""
        if self.broken:
            raise ZygoteError("the zygote is gone")
        rid = self._next_id
        self._next_id += 1
        body = json.dumps({"args": list(args), "env": dict(env), "cwd": cwd}).encode()
        msg = rid.to_bytes(8, "little") + body
        if len(msg) > MAX_REQUEST:
            raise ZygoteError("spawn request too large")
        reply = self._loop.create_future()
        self._replies[rid] = reply
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                await self._send(msg, slave)
                pid = await reply
        except TimeoutError:
            self._fail("no answer to a spawn request")
            raise ZygoteError("the zygote did not answer") from None
        finally:
            self._replies.pop(rid, None)
        exited = self._loop.create_future()
        if pid in self._early_exits:
            exited.set_result(self._early_exits.pop(pid))
        elif self.broken:
            self._watch_orphan(pid, exited)
        else:
            self._exits[pid] = exited
        return pid, exited

    async def _send(self, msg: bytes, fd: int) -> None:
        async with self._send_lock:
            while True:
                if self.broken:
                    raise ZygoteError("the zygote is gone")
                try:
                    socket.send_fds(self.sock, [msg], [fd])
                    return
                except BlockingIOError:
                    ready = self._loop.create_future()
                    self._loop.add_writer(self.sock.fileno(), ready.set_result, None)
                    try:
                        await ready
                    finally:
                        self._loop.remove_writer(self.sock.fileno())
                except OSError as e:
                    self._fail(f"cannot send to it: {e}")
                    raise ZygoteError(str(e)) from e

    def _readable(self) -> None:
        while True:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                self._fail(str(e))
                return
            if not data:
                self._fail("it exited")
                return
            try:
                msg = json.loads(data)
            except ValueError:
                continue
            if "ready" in msg:
                if not self.ready.done():
                    self.ready.set_result(None)
                continue
            if "exit" in msg:
                fut = self._exits.pop(msg["exit"], None)
                if msg["exit"] in self._abandoned:
                    self._abandoned.discard(msg["exit"])
                elif fut is None:
                    self._early_exits[msg["exit"]] = int(msg["status"])
                elif not fut.done():
                    fut.set_result(int(msg["status"]))
                continue
            reply = self._replies.get(msg.get("id"))
            if reply is None or reply.done():
                if "pid" in msg:  # its session left while it was spawned: hang it up
                    self._abandoned.add(int(msg["pid"]))
                    with contextlib.suppress(OSError):
                        os.killpg(int(msg["pid"]), signal.SIGHUP)
                continue
            if "pid" in msg:
                reply.set_result(int(msg["pid"]))
            else:
                reply.set_exception(ZygoteError(str(msg.get("error"))))

    def _fail(self, why: str) -> None:
        """The zygote is unusable: later sessions are spawned directly, and the children
        it started are watched through pidfds (their exit status is lost with it)."""
        if self.broken:
            return
        self.broken = True
        log.warning("player-app zygote failed (%s): starting sessions directly from now on", why)
        self._loop.remove_reader(self.sock.fileno())
        self.sock.close()
        if not self.ready.done():
            self.ready.set_exception(ZygoteError(why))
            self.ready.exception()  # retrieved: nobody may be waiting any more
        for reply in self._replies.values():
            if not reply.done():
                reply.set_exception(ZygoteError(why))
        for pid, fut in self._exits.items():
            self._watch_orphan(pid, fut)
        self._exits.clear()
        if self.proc.returncode is None:
            # os.kill, not proc.kill(): that polls, reaping it under asyncio's watcher.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGKILL)

    def _watch_orphan(self, pid: int, fut: asyncio.Future[int]) -> None:
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            fut.set_result(1)
            return

        def gone() -> None:
            self._loop.remove_reader(pidfd)
            os.close(pidfd)
            if not fut.done():
                fut.set_result(1)  # status unknown: its parent took it along

        self._loop.add_reader(pidfd, gone)

    async def close(self, timeout: float = 3.0) -> None:
        """End the zygote (after the sessions): closing its socket makes it exit."""
        if not self.broken:
            self.broken = True
            self._loop.remove_reader(self.sock.fileno())
            self.sock.close()
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))

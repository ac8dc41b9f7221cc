"""ExerciseServer: one exercise behind a WebSocket endpoint.

It owns connections and time and decides no rule: every command goes to the engine as
``engine.handle(seat, op, args, now)``. A single task, the *command loop*, is the only code
that touches the engine; it also fires due timers and drives the clock. Each turn it
takes every job that has queued up (commands, presence changes), runs them, commits all
their events in one durable transaction (group commit, see ``log.py``), and only then
fans the events out and answers the commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import ipaddress
import logging
import os
import sqlite3
import ssl
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import msgspec
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from tte import datadir
from tte import protocol as p
from tte.core.clock import GameClock
from tte.core.engine import Engine
from tte.core.events import FACILITATOR, OBSERVER, CommandError, Event
from tte.core.languages import TextIndex
from tte.core.scenario import Scenario
from tte.core.text import inert_line
from tte.i18n import said
from tte.joincode import WrongCodeLimiter, normalise

from . import collector
from .auth import Roster
from .budget import Budgets, SeatRates, ThrottledLog
from .fair import fair_turn
from .hub import Connection, Hub
from .log import ClockCheckpoint, DamagedLog, EventLog
from .timebox import Timebox
from .welcome_size import problem

log = logging.getLogger("tte.server")


def _server_name() -> str:
    try:
        return f"tte/{importlib.metadata.version('tte')}"
    except importlib.metadata.PackageNotFoundError:
        return "tte"


SERVER_NAME = _server_name()

# Ops the server answers itself (facilitator only): codes and connections, not game state.
SERVER_OPS = frozenset({"roster.get", "roster.revoke"})


class ServerError(Exception):
    """The server cannot start (e.g. the data directory holds another exercise)."""


@dataclass
class Settings:
    queue_max: int = 8192  # frames buffered per connection before it is dropped
    inflight_max: int = 256  # unanswered commands per connection before we stop reading
    max_batch: int = 2048  # jobs per group commit
    turn_per_seat: int = 8  # commands of one seat per turn (fair turns, see fair.py)
    clock_interval: float = 4.0  # wall seconds between clock frames while running
    hello_timeout: float = 5.0  # wall seconds from connecting to a hello (apps send it at once)
    close_timeout: float = 2.0
    budgets: Budgets = field(default_factory=Budgets)


@dataclass
class _CmdJob:
    conn: Connection
    cmd: p.Cmd
    counts = True  # spends its seat's share of a turn

    @property
    def seat(self) -> str:
        return self.conn.seat


@dataclass
class _PresenceJob:
    seat: str
    human: bool
    counts = False


class ExerciseServer:
    def __init__(
        self,
        scenario: Scenario,
        data_dir: str | Path,
        *,
        settings: Settings | None = None,
        limiter: WrongCodeLimiter | None = None,
    ) -> None:
        self.scenario = scenario
        self.settings = settings or Settings()
        self.limiter = limiter or WrongCodeLimiter()
        budgets = self.settings.budgets
        self.rates = SeatRates(budgets.cmd_rate, budgets.cmd_burst)
        self.throttled = ThrottledLog(log, budgets.log_interval)
        self._unauth: dict[str, int] = {}  # address -> connections that have not said hello
        self._unauth_total = 0
        self.data_dir = Path(data_dir)
        try:
            datadir.make_private_dir(self.data_dir)
        except datadir.UnsafeDataDir as e:
            raise ServerError(str(e)) from None
        self.log = self._open_log(datadir.events_file(self.data_dir))
        self.engine, self.clock = self._open_exercise()
        self._check_welcome_size()
        self.timebox = self._open_timebox()
        self.roster = self._open_roster()
        self.hub = Hub(self._on_first_connection, self._on_last_connection)
        self.hub.published_seq = self.engine.state.seq
        self.commands = 0
        self._jobs: asyncio.Queue[_CmdJob | _PresenceJob | None] = asyncio.Queue()
        self._waiting: list[_CmdJob | _PresenceJob] = []  # left for the next turn (fair.py)
        self._loop_task: asyncio.Task[None] | None = None
        self.collector = collector.Collector()  # full GC passes at quiet moments only
        self._gc_task: asyncio.Task[None] | None = None
        self._server: Server | None = None
        self._loop_handler: tuple[asyncio.AbstractEventLoop, Any] | None = None
        self._last_clock_frame = 0.0
        self._retry_at = 0.0  # after a failed commit (disk full): no timer turn before
        self._resync_presence = False
        self._player_seats = frozenset(self.engine.seats())
        self.texts = TextIndex(scenario.translations)  # which translations a frame needs
        self.port = 0
        self.urls: list[str] = []

    # ---- opening an exercise ------------------------------------------------------------

    @staticmethod
    def _open_log(path: Path) -> EventLog:
        try:
            log_ = EventLog(path)
        except DamagedLog as e:
            raise ServerError(_damaged(path, e)) from None
        except sqlite3.DatabaseError as e:
            raise ServerError(
                f"{path} is damaged and cannot be opened ({e}); restore it from a backup "
                "(see docs/operations.md)"
            ) from None
        try:
            log_.verify()
        except (sqlite3.DatabaseError, DamagedLog) as e:
            log_.close()
            raise ServerError(_damaged(path, e)) from None
        return log_

    def _open_exercise(self) -> tuple[Engine, GameClock]:
        sc = self.scenario
        fingerprint = datadir.scenario_fingerprint(sc)
        stored = self.log.get_meta(datadir.META_EXERCISE)
        if stored is not None and stored != sc.exercise.id:
            raise ServerError(
                f"{self.data_dir} holds exercise {stored!r}, not {sc.exercise.id!r}; "
                "use another --data directory"
            )
        if self.log.last_seq() == 0:
            engine = Engine(sc)
            events = engine.start()
            clock = GameClock(0.0, time.monotonic(), engine.state.speed, engine.state.paused)
            self.log.set_meta(datadir.META_EXERCISE, sc.exercise.id)
            self.log.set_meta(datadir.META_SCENARIO_SHA256, fingerprint)
            # The data directory is self-contained: reports and moves need no scenario file.
            self.log.set_meta(datadir.META_SCENARIO_YAML, msgspec.yaml.encode(sc).decode())
            self.log.append_sync(events, self._checkpoint_of(clock, engine.state.now))
            log.info("new exercise %r: %d first events", sc.exercise.id, len(events))
            return engine, clock
        if self.log.get_meta(datadir.META_SCENARIO_SHA256) != fingerprint:
            log.warning("the scenario file changed since this exercise started; replaying anyway")
        # Replay makes a million long-lived objects and no garbage cycles; the cyclic
        # collector would rescan the growing heap again and again (80% of the time of a
        # 100,000-event resume), so it is paused meanwhile, and what replay built is then
        # frozen: it lives as long as the exercise, and no later collection rescans it.
        with collector.paused():
            engine = Engine.replay(sc, self.log.iter_all())
        saved = self.log.load_clock()
        # The clock does not run while the server is down: resume where it was last saved
        # (never before the last event), paused if it was paused.
        elapsed = max(saved.elapsed if saved else 0.0, engine.state.now)
        clock = GameClock(elapsed, time.monotonic(), engine.state.speed, engine.state.paused)
        log.info(
            "resumed exercise %r: %d events, game clock at %.0f s (%s)",
            sc.exercise.id,
            engine.state.seq,
            elapsed,
            "paused" if clock.paused else "running",
        )
        return engine, clock

    def _check_welcome_size(self) -> None:
        """The facilitator is sent the most; a welcome that cannot be sent, nobody hosts."""
        why = problem(self.engine, FACILITATOR)
        if why is not None:
            self.log.close()
            raise ServerError(
                f"the scenario is too big to send: the facilitator's welcome: {why} "
                f"({p.MAX_FRAME // 1024} KiB); `tte validate` names every seat concerned "
                "(docs/scenario-authoring.md)"
            )

    def _open_timebox(self) -> Timebox:
        """A resumed exercise's current phase is measured again from now (timebox)."""
        st, box = self.engine.state, Timebox()
        ph = next((x for x in self.scenario.phases if x.id == st.phase), None)
        if ph is not None:
            box.begin(ph.id, ph.timebox, time.monotonic(), ph.id in st.timebox_alarms)
        return box

    def _open_roster(self) -> Roster:
        path = datadir.roster_file(self.data_dir)
        if path.exists():
            roster = Roster.load(path)
            missing = [s for s in self.scenario.human_seats() if s not in roster.seats]
            if not missing:
                return roster
            fresh = Roster.create(roster.exercise, roster.title, missing)
            roster.seats.update(fresh.seats)
        else:
            ex = self.scenario.exercise
            roster = Roster.create(ex.id, ex.title, self.scenario.human_seats())
        roster.save(path)
        return roster

    # ---- lifecycle ----------------------------------------------------------------------

    async def start(
        self,
        host: str | None = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> int:
        """Listen on host:port (0 = any free port); return the bound port."""
        self._loop_task = asyncio.create_task(self._command_loop(), name="tte-command-loop")
        self._gc_task = asyncio.create_task(self.collector.run(), name="tte-collector")
        loop = asyncio.get_running_loop()
        self._loop_handler = (loop, loop.get_exception_handler())
        loop.set_exception_handler(self._loop_error)
        self._server = await serve(
            self._handle,
            host,
            port,
            ssl=ssl_context,
            process_request=self._http,
            compression=None,  # frames are small MessagePack; deflate costs CPU for nothing
            max_size=p.MAX_FRAME,
            close_timeout=self.settings.close_timeout,
            # A TCP connection that never sends its HTTP upgrade holds a file descriptor
            # only as long as a silent WebSocket may (the hello timeout).
            open_timeout=self.settings.hello_timeout,
            server_header=SERVER_NAME,
        )
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        log.info("listening on %s:%d", host or "*", self.port)
        return self.port

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Out of file descriptors, asyncio logs a traceback at every accept it retries
        (34,000 lines in 6 s seen); one line per 10 s says the same."""
        message = str(context.get("message", ""))
        if message.startswith("socket.accept() out of system resource"):
            self.throttled(
                logging.ERROR,
                "accept",
                "emfile",
                "out of file descriptors: new connections wait (%s); raise `ulimit -n` "
                "(docs/operations.md, Budgets)",
                context.get("exception"),
            )
            return
        previous = self._loop_handler[1] if self._loop_handler else None
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    async def stop(self) -> None:
        """Close every connection, commit what is pending, save the clock, close the log."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        if self._loop_task is not None:
            self._jobs.put_nowait(None)
            with contextlib.suppress(Exception):
                await self._loop_task
            self._loop_task = None
        if self._gc_task is not None:
            self._gc_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._gc_task
            self._gc_task = None
        self.log.close()
        if self._loop_handler is not None:
            loop, previous = self._loop_handler
            if loop.get_exception_handler() == self._loop_error:
                loop.set_exception_handler(previous)
            self._loop_handler = None

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()

    def revoke(self, seat: str) -> str:
        """Give `seat` a new join code and disconnect whoever joined with the old one."""
        new = self.roster.revoke(seat)
        self.roster.save(datadir.roster_file(self.data_dir))
        bye = p.encode(p.error_frame(p.ErrorCode.UNAUTHORIZED, said("your join code was revoked")))
        for conn in list(self.hub.connections()):
            if conn.seat == seat:
                self.hub.drop(conn, p.Close.UNAUTHORIZED, "join code revoked", bye)
        log.warning("join code of %s revoked", seat)
        return new

    def save_roster(self) -> None:
        self.roster.save(datadir.roster_file(self.data_dir))

    # ---- time ---------------------------------------------------------------------------

    def game_now(self) -> float:
        return max(self.clock.now(time.monotonic()), self.engine.state.now)

    def _checkpoint_of(self, clock: GameClock, elapsed: float) -> ClockCheckpoint:
        return ClockCheckpoint(elapsed, clock.speed, clock.paused)

    def _clock_state(self, now: float) -> p.ClockState:
        return p.ClockState(
            game_time=self._iso(now), elapsed=now, speed=self.clock.speed, paused=self.clock.paused
        )

    def _clock_frame(self, now: float) -> bytes:
        return p.encode(
            p.ClockMsg(
                game_time=self._iso(now),
                elapsed=now,
                speed=self.clock.speed,
                paused=self.clock.paused,
            )
        )

    def _iso(self, t: float) -> str:
        return self.scenario.game_datetime(t).isoformat(timespec="seconds")

    def _apply_clock_event(self, ev: Event) -> None:
        """Make the server's clock follow a recorded clock event (the engine validated it)."""
        wall = time.monotonic()
        jump = float(ev.data.get("jump") or 0.0)
        if jump > 0:
            self.clock.jump(wall, jump)
        speed = ev.data.get("speed")
        if isinstance(speed, int | float) and speed > 0 and speed != self.clock.speed:
            self.clock.set_speed(wall, float(speed))
        paused = ev.data.get("paused")
        if paused is True and not self.clock.paused:
            self.clock.pause(wall)
        elif paused is False and self.clock.paused:
            self.clock.resume(wall)

    def _follow_clock(self, events: list[Event]) -> bool:
        """Apply the clock events among `events`; were there any?"""
        clocks = [ev for ev in events if ev.kind == "clock"]
        for ev in clocks:
            self._apply_clock_event(ev)
        return bool(clocks)

    def _wait_seconds(self) -> float | None:
        """Wall seconds until the loop must wake by itself: next timer, clock frame or the
        phase's timebox (which runs while the clock is paused, too)."""
        wall = time.monotonic()
        box = self.timebox.wait(wall)
        if self.clock.paused:
            return None if box is None else max(box + 0.001, self._retry_at - wall)
        waits = [max(0.0, self._last_clock_frame + self.settings.clock_interval - wall)]
        due = self.engine.next_due()
        if due is not None:
            until = self.clock.wall_until(due, wall)
            if until is not None:
                waits.append(until + 0.001)  # land just after, not just before, the due time
        if box is not None:
            waits.append(box + 0.001)
        # After a failed commit, due timers would fail again at once: retry in a while.
        return max(min(waits), self._retry_at - wall)

    # ---- the command loop ---------------------------------------------------------------

    async def _command_loop(self) -> None:
        self._last_clock_frame = time.monotonic()
        stopping = False
        first_turn = True
        while not stopping:
            jobs = self._waiting  # left over from the last turn
            self._waiting = []
            fresh: list[_CmdJob | _PresenceJob] = []
            # Jobs left from the last turn run now; else wait for one (or a timer).
            if not first_turn and not jobs:
                try:
                    job = await asyncio.wait_for(self._jobs.get(), self._wait_seconds())
                except TimeoutError:
                    job = None
                else:
                    if job is None:
                        stopping = True
                    else:
                        fresh.append(job)
            elif jobs:
                await asyncio.sleep(0)  # let frames that came meanwhile join this turn
            first, first_turn = first_turn, False
            while not stopping and not self._jobs.empty():
                nxt = self._jobs.get_nowait()
                if nxt is None:
                    stopping = True
                    break
                fresh.append(nxt)
            if stopping:  # the last turn takes everything
                batch = jobs + fresh
            else:
                s = self.settings
                batch, self._waiting = fair_turn(fresh, s.turn_per_seat, s.max_batch, jobs)
            try:
                await self._turn(batch, final=stopping, first=first)
            except Exception:
                # Engine state may now be ahead of the log: serving on would acknowledge
                # commands that a restart loses. Stop taking connections instead.
                log.critical("the event log failed; stopping the exercise", exc_info=True)
                if self._server is not None:
                    self._server.close()
                for conn in list(self.hub.connections()):
                    self.hub.drop(conn, p.Close.GOING_AWAY, "server error")
                return

    async def _turn(
        self, batch: list[_CmdJob | _PresenceJob], final: bool, first: bool = False
    ) -> None:
        engine = self.engine
        clock_before = replace(self.clock)
        now = self.game_now()
        new: list[Event] = self._engine_call(engine.advance_to, now)
        # A timer may stop the clock (the scenario's duration ends the exercise).
        clock_changed = self._follow_clock(new)
        if self._resync_presence:
            self._resync_presence = False
            for seat in sorted(self._player_seats):
                human = self.hub.count(seat) > 0
                new += self._engine_call(engine.set_presence, seat, human, now)
        if first:
            # After a crash the log may still say a human sits at a seat; nobody is
            # connected yet, so desks take every seat until someone joins.
            for seat in sorted(self._player_seats):
                new += self._engine_call(engine.set_presence, seat, False, now)
        replies: list[tuple[Connection, p.Result]] = []

        def answer(conn: Connection, result: p.Result) -> None:
            # Nothing of this turn changed the state yet (no event so far): the answer
            # rests on what is already on disk, so it goes now, not after this turn's
            # commit. A refusal or a check then never waits for another seat's fsync.
            if new:
                replies.append((conn, result))
            else:
                self.hub.send(conn, p.encode(result))
                conn.inflight.release()

        for job in batch:
            if isinstance(job, _PresenceJob):
                new += self._engine_call(engine.set_presence, job.seat, job.human, now)
                continue
            conn, cmd = job.conn, job.cmd
            self.commands += 1
            if cmd.op in SERVER_OPS:
                answer(conn, self._server_op(conn, cmd))
                continue
            if cmd.op == "request.submit" and self._open_requests(conn.seat) >= (
                self.settings.budgets.open_requests
            ):
                answer(conn, self._too_many_open(cmd))
                continue
            try:
                events, data = engine.handle(conn.seat, cmd.op, cmd.args, now)
            except CommandError as e:
                answer(conn, p.error_result(cmd.id, e.code, e.message, e.field))
                self.throttled(
                    logging.INFO,
                    "refused",
                    conn.seat,
                    "%s %s refused: %s (%s)",
                    conn.seat,
                    cmd.op,
                    e.code,
                    e.message,
                )
                continue
            except Exception:
                log.exception("engine failed on %s %s", conn.seat, cmd.op)
                answer(
                    conn,
                    p.error_result(
                        cmd.id, p.ErrorCode.INTERNAL, said("the server failed on this command")
                    ),
                )
                continue
            new += events
            answer(conn, p.ok_result(cmd.id, data))
            if self._follow_clock(events):
                clock_changed = True
                now = self.game_now()
                due = self._engine_call(engine.advance_to, now)
                self._follow_clock(due)
                new += due

        wall = time.monotonic()
        new += self._timebox_turn(new, wall, now)
        periodic = not self.clock.paused and (
            wall - self._last_clock_frame >= self.settings.clock_interval
        )
        frames: list[tuple[Event, bytes]] = []
        if new or clock_changed or periodic or final:
            # Events and the clock checkpoint reach the disk before anyone hears of them.
            # The frames are encoded while the writer thread waits for the fsync.
            commit = self.log.start_append(new, self._checkpoint_of(self.clock, now))
            frames = [(ev, self._event_frame(ev)) for ev in new]
            try:
                await commit
            except sqlite3.Error as e:
                await self._commit_failed(e, batch, replies, clock_before)
                return
        if frames:
            self.hub.publish(frames)
        for conn, result in replies:
            self.hub.send(conn, p.encode(result))
            conn.inflight.release()
        if clock_changed or periodic:
            self._last_clock_frame = wall
            self.hub.broadcast(self._clock_frame(now))

    def _timebox_turn(self, new: list[Event], wall: float, now: float) -> list[Event]:
        """Follow the phases begun this turn; alarm once the current one is past its box."""
        self.timebox.observe(new, wall)
        minutes = self.timebox.overdue(wall)
        if minutes is None or self.timebox.phase is None:
            return []
        alarm = self._engine_call(self.engine.timebox_alarm, self.timebox.phase, minutes, now)
        self.timebox.alarmed = True  # once per phase, even if the engine had nothing to say
        return alarm

    def _open_requests(self, seat: str) -> int:
        """Requests `seat` sent that are not closed: its budget of open requests (a
        count the fold keeps, not a scan)."""
        return self.engine.state.open_requests_of(seat)

    def _too_many_open(self, cmd: p.Cmd) -> p.Result:
        limit = self.settings.budgets.open_requests
        return p.error_result(
            cmd.id,
            p.ErrorCode.RATE_LIMITED,
            said(
                "Your seat already has {limit} open requests (the most allowed): wait for "
                "answers, or withdraw one, before sending another",
                limit=limit,
            ),
        )

    def _server_op(self, conn: Connection, cmd: p.Cmd) -> p.Result:
        """Roster ops: about connections and codes, which the engine knows nothing of."""
        if conn.seat != FACILITATOR:
            return p.error_result(
                cmd.id, "forbidden", said("Only the facilitator may use {op}", op=cmd.op)
            )
        if cmd.op == "roster.revoke":
            seat = cmd.args.get("seat")
            if seat == FACILITATOR:
                # Would lock out the very console asking; `tte host` can do it locally.
                return p.error_result(
                    cmd.id,
                    "bad_args",
                    said("The facilitator's own code is renewed on the host"),
                    "seat",
                )
            if not isinstance(seat, str) or (seat not in self.roster.seats and seat != OBSERVER):
                return p.error_result(
                    cmd.id, "bad_args", said("Unknown seat {seat}", seat=repr(seat)), "seat"
                )
            return p.ok_result(cmd.id, {"seat": seat, "code": self.revoke(seat)})
        return p.ok_result(cmd.id, self.roster_status())

    def roster_status(self) -> dict[str, Any]:
        """Codes, connections and client programs per seat, for the facilitator console."""
        humans = self.engine.state.humans
        seats = []
        for seat, code in self.roster.codes().items():
            # The SSH gateway's code check stays connected while the player app starts
            # (tte.ssh.probe): counted apart, it is no terminal of the seat.
            conns = self.hub.by_seat.get(seat, set())
            terms = [c for c in conns if c.client != p.PROBE_CLIENT]
            seats.append(
                {
                    "seat": seat,
                    "code": code,
                    "connections": len(terms),
                    "clients": sorted(c.client for c in terms),
                    "checks": len(conns) - len(terms),
                    "human": seat in humans,
                }
            )
        return {
            "exercise": self.roster.exercise,
            "urls": list(self.roster.urls),
            "seats": seats,
        }

    async def _commit_failed(
        self,
        error: sqlite3.Error,
        batch: list[_CmdJob | _PresenceJob],
        replies: list[tuple[Connection, p.Result]],
        clock: GameClock,
    ) -> None:
        """The log refused a turn (e.g. disk full; SQLite rolled it back whole): put the
        engine and clock back to what the log holds, refuse the turn's accepted commands
        and keep serving. If even reading the log back fails, the error goes up and the
        exercise stops (see _command_loop)."""
        events = await self.log.reload()
        self.engine = Engine.replay(self.scenario, events)
        self.clock = clock
        self._resync_presence = True  # presence changes of the turn were lost too
        self._retry_at = time.monotonic() + 1.0
        # Roster ops are not in the log: they happened, and their results stand.
        unlogged = {
            (id(j.conn), j.cmd.id)
            for j in batch
            if isinstance(j, _CmdJob) and j.cmd.op in SERVER_OPS
        }
        refused = 0
        for conn, result in replies:
            if result.ok and (id(conn), result.id) not in unlogged:
                refused += 1
                result = p.error_result(
                    result.id,
                    p.ErrorCode.UNAVAILABLE,
                    said(
                        "The server could not save this (its disk may be full): nothing changed. "
                        "Try again in a moment."
                    ),
                )
            self.hub.send(conn, p.encode(result))
            conn.inflight.release()
        log.error(
            "cannot write the event log (%s): %d command(s) refused, back at event %d; "
            "free disk space in %s",
            error,
            refused,
            self.engine.state.seq,
            self.data_dir,
        )

    def _engine_call(self, fn: Any, *args: Any) -> list[Event]:
        """Timers and presence: an engine bug there is logged, not fatal to the server."""
        try:
            out: list[Event] = fn(*args)
            return out
        except Exception:
            log.exception("engine failed in %s", getattr(fn, "__name__", fn))
            return []

    def _event_frame(self, ev: Event) -> bytes:
        return p.encode(p.event_msg(ev, self.scenario, self.texts))

    # ---- presence -----------------------------------------------------------------------

    def _on_first_connection(self, seat: str) -> None:
        if seat in self._player_seats:
            self._jobs.put_nowait(_PresenceJob(seat, True))

    def _on_last_connection(self, seat: str) -> None:
        if seat in self._player_seats:
            self._jobs.put_nowait(_PresenceJob(seat, False))

    # ---- connections --------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        addr = ws.remote_address[0] if ws.remote_address else "?"
        conn: Connection | None = None
        budgets = self.settings.budgets
        waiting = self._unauth.get(addr, 0)
        if waiting >= budgets.unauth_per_address or self._unauth_total >= budgets.unauth_total:
            self.throttled(
                logging.WARNING,
                "unauth",
                addr,
                "too many connections without hello from %s: refused",
                addr,
            )
            await self._refuse(
                ws,
                p.Close.BUSY,
                p.ErrorCode.RATE_LIMITED,
                said("too many connections waiting to join: retry in a moment"),
            )
            return
        self._unauth[addr] = waiting + 1
        self._unauth_total += 1
        try:
            try:
                conn = await self._handshake(ws, addr)
            finally:
                self._unauth_total -= 1
                left = self._unauth[addr] - 1
                if left:
                    self._unauth[addr] = left
                else:
                    del self._unauth[addr]
            if conn is None:
                return
            async for message in ws:
                await self._on_frame(conn, message)
        except ConnectionClosed:
            pass
        except Exception:
            log.exception("connection from %s failed", addr)
        finally:
            if conn is not None:
                self.hub.remove(conn)

    async def _handshake(self, ws: ServerConnection, addr: str) -> Connection | None:
        """Read frames until a good hello (-> Connection) or a reason to close (-> None)."""
        deadline = time.monotonic() + self.settings.hello_timeout
        while True:
            try:
                message = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
            except TimeoutError:
                await self._refuse(
                    ws,
                    p.Close.HELLO_TIMEOUT,
                    p.ErrorCode.BAD_FRAME,
                    said("no hello received in time"),
                )
                return None
            if isinstance(message, str):
                self.throttled(logging.INFO, "frame", addr, "text frame from %s before hello", addr)
                await ws.send(self._bad_frame("text frames are not used: send binary MessagePack"))
                continue
            try:
                msg = p.decode_client(message)
            except p.FrameError as e:
                self.throttled(
                    logging.INFO,
                    "frame",
                    addr,
                    "bad frame from %s before hello: %s",
                    addr,
                    e.message,
                )
                await ws.send(self._frame_error_reply(e))
                continue
            if isinstance(msg, p.Cmd):
                self.throttled(logging.INFO, "frame", addr, "cmd from %s before hello", addr)
                await ws.send(
                    p.encode(
                        p.error_result(
                            msg.id,
                            p.ErrorCode.HELLO_REQUIRED,
                            said("send hello with your join code first"),
                        )
                    )
                )
                continue
            return await self._hello(ws, addr, msg)

    async def _hello(self, ws: ServerConnection, addr: str, hello: p.Hello) -> Connection | None:
        if hello.v != p.VERSION:
            self.throttled(
                logging.INFO,
                "frame",
                addr,
                "hello from %s with unsupported version %r",
                addr,
                hello.v,
            )
            await self._refuse(
                ws,
                p.Close.UNSUPPORTED_VERSION,
                p.ErrorCode.UNSUPPORTED_VERSION,
                said("this server speaks protocol version {version}", version=p.VERSION),
            )
            return None
        # The code is checked first: a right code is never delayed by someone else's
        # guessing. Only the reply to a wrong one waits for the address's budget (and
        # the per-address cap on connections without hello bounds how many wait).
        seat = self.roster.seat_for(hello.code[:64])
        if seat is None:
            await self._wrong_code(ws, self._guesser(addr, hello), hello.code[:64])
            return None
        budgets = self.settings.budgets
        if self.hub.count(seat) >= budgets.seat_connections or (
            self.hub.total >= budgets.connections_total
        ):
            self.throttled(
                logging.WARNING,
                "seat-conns",
                seat,
                "%s: too many connections, refused %s",
                seat,
                addr,
            )
            await self._refuse(
                ws,
                p.Close.BUSY,
                p.ErrorCode.RATE_LIMITED,
                said(
                    "this seat already has {count} connections open "
                    "(at most {limit}): close one and retry",
                    count=self.hub.count(seat),
                    limit=budgets.seat_connections,
                ),
            )
            return None
        conn = Connection(
            ws,
            seat,
            normalise(hello.code[:64]),
            self.settings.queue_max,
            self.settings.inflight_max,
        )
        conn.client = inert_line(hello.client, 80)
        try:
            info = self.engine.welcome_info(seat)
        except Exception:
            log.exception("welcome_info failed for %s", seat)
            info = {}
        now = self.game_now()
        upto = self.hub.published_seq
        welcome = p.Welcome(
            seat=p.seat_of(seat),
            seq=upto,
            clock=self._clock_state(now),
            exercise=info,
            server=SERVER_NAME,
        )
        try:
            # In frames of at most 64 KiB, with the other languages of the texts in it,
            # and only those (a seat never gets the translation of what it is not shown).
            frames = p.welcome_frames(welcome, self.texts.texts_in(info) if self.texts else None)
        except p.TooBig as e:
            log.error("cannot welcome %s: %s (tte validate names the texts to shorten)", seat, e)
            await self._refuse(
                ws, p.Close.MESSAGE_TOO_BIG, p.ErrorCode.INTERNAL, f"cannot send this seat: {e}"
            )
            return None
        last_seq = hello.last_seq
        rest = frames[1:]

        async def backlog(c: Connection) -> None:
            for frame in rest:
                await c.ws.send(frame)
            rest.clear()
            await self._send_backlog(c, last_seq, upto)

        self.hub.add(conn, frames[0], backlog)
        log.info(
            "%s joined from %s (%s, last_seq %d)",
            seat,
            conn.peer,
            conn.client or "client",
            last_seq,
        )
        return conn

    def _guesser(self, addr: str, hello: p.Hello) -> str:
        """Whom the wrong-code limiter charges: the SSH client behind the gateway when the
        hello proves it comes from the gateway, else the connection's address."""
        fwd, key = hello.forwarded_for, hello.gateway_key
        if isinstance(fwd, str) and fwd and isinstance(key, str) and self.roster.is_gateway(key):
            return f"ssh:{inert_line(fwd, 64)}"
        return addr

    async def _wrong_code(self, ws: ServerConnection, addr: str, code: str) -> None:
        """Refuse a wrong or revoked code, once the address's guessing budget allows a
        reply; a connection closed meanwhile gives its place in the queue up."""
        admit = asyncio.ensure_future(self.limiter.admit(addr))
        closed = asyncio.ensure_future(ws.wait_closed())
        try:
            await asyncio.wait((admit, closed), return_when=asyncio.FIRST_COMPLETED)
        finally:
            closed.cancel()
            if not admit.done():
                admit.cancel()
        if not admit.done() or admit.cancelled():
            return
        if not admit.result():
            self.throttled(
                logging.WARNING, "guess", addr, "too many wrong codes from %s: refused", addr
            )
            await self._refuse(
                ws,
                p.Close.UNAUTHORIZED,
                p.ErrorCode.RATE_LIMITED,
                said("too many wrong join codes from your address; wait and retry"),
            )
            return
        self.limiter.failed(addr)
        revoked = self.roster.is_revoked(code)
        self.throttled(
            logging.WARNING,
            "guess",
            addr,
            "%s join code from %s",
            "revoked" if revoked else "wrong",
            addr,
        )
        await self._refuse(
            ws,
            p.Close.UNAUTHORIZED,
            p.ErrorCode.UNAUTHORIZED,
            said("this join code was revoked") if revoked else said("unknown join code"),
        )

    async def _send_backlog(self, conn: Connection, after: int, upto: int) -> None:
        """Every committed event the seat may see with after < seq <= upto, in order."""
        while after < upto:
            events = await self.log.read_range(after, upto, seat=conn.seat)
            if not events:
                break
            for ev in events:
                if ev.visible_to(conn.seat):
                    await conn.ws.send(self._event_frame(ev))
            after = events[-1].seq

    async def _on_frame(self, conn: Connection, message: str | bytes) -> None:
        if isinstance(message, str):
            self.throttled(logging.INFO, "frame", conn.peer, "text frame from %r", conn)
            self.hub.send(
                conn, self._bad_frame("text frames are not used: send binary MessagePack")
            )
            return
        # A seat whose command budget is spent gets its frames refused before they are
        # decoded (only the id is read): a flood of large frames costs no decoding.
        if conn.seat != FACILITATOR and self.rates.spent(conn.seat):
            await self._over_budget(conn, p.peek_cmd_id(message))
            return
        try:
            msg = p.decode_client(message)
        except p.FrameError as e:
            self.throttled(
                logging.INFO, "frame", conn.peer, "bad frame from %r: %s", conn, e.message
            )
            self.hub.send(conn, self._frame_error_reply(e))
            return
        if isinstance(msg, p.Hello):
            self.throttled(logging.INFO, "frame", conn.peer, "second hello from %r", conn)
            self.hub.send(
                conn,
                p.encode(
                    p.error_frame(
                        p.ErrorCode.ALREADY_WELCOMED, said("this connection already said hello")
                    )
                ),
            )
            return
        # The seat's command budget is checked before anything is queued: a flood is
        # answered here and costs the engine and the event log nothing.
        # The facilitator is exempt: its code already controls the whole exercise, and a
        # console or script steering the clock must not be refused mid-sequence.
        if conn.seat != FACILITATOR and not self.rates.admit(conn.seat):
            await self._over_budget(conn, msg.id)
            return
        # Bounded in-flight commands: a flooding client stops being read (TCP pushes back)
        # instead of growing the server's queue.
        await conn.inflight.acquire()
        if not conn.alive:
            conn.inflight.release()
            return
        self.collector.busy()
        self._jobs.put_nowait(_CmdJob(conn, msg))

    async def _over_budget(self, conn: Connection, cmd_id: str | None) -> None:
        """Refuse a command past its seat's budget: its result (or, with no id to read, an
        error frame) says so."""
        b = self.settings.budgets
        self.throttled(
            logging.WARNING,
            "cmd-rate",
            conn.seat,
            "%s: command budget spent, refusing",
            conn.seat,
        )
        message = said(
            "Too many commands from your seat (at most {rate} a second): "
            "nothing was done; wait a moment and retry",
            rate=format(b.cmd_rate, "g"),
        )
        if cmd_id is not None:
            reply = p.encode(p.error_result(cmd_id, p.ErrorCode.RATE_LIMITED, message))
        else:
            reply = p.encode(p.error_frame(p.ErrorCode.RATE_LIMITED, message))
        self.hub.send(conn, reply)
        # And this connection is not read for a while: a flooding client then costs the
        # server one refusal per token period, not a decode and a reply per frame (TCP
        # pushes back on it).
        await asyncio.sleep(1.0 / b.cmd_rate)

    @staticmethod
    def _bad_frame(message: str) -> bytes:
        return p.encode(p.Error(code=p.ErrorCode.BAD_FRAME, message=message))

    @classmethod
    def _frame_error_reply(cls, e: p.FrameError) -> bytes:
        if e.cmd_id is not None:  # a cmd we can name still gets its one result
            return p.encode(p.error_result(e.cmd_id, p.ErrorCode.BAD_FRAME, e.message))
        return cls._bad_frame(e.message)

    @staticmethod
    async def _refuse(ws: ServerConnection, close: int, code: str, message: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(p.encode(p.error_frame(code, message)))
            await ws.close(close, message[:120])

    # ---- plain HTTP ---------------------------------------------------------------------

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path == "/healthz":
            return connection.respond(200, "ok\n")
        if path == "/metrics":
            # It names the seats that are connected: for this machine, or whoever holds
            # the facilitator's code (Authorization: Bearer CODE).
            if not self._metrics_allowed(connection, request):
                return connection.respond(
                    403,
                    "metrics: from this machine, or with "
                    "Authorization: Bearer <facilitator code>\n",
                )
            return connection.respond(200, self.metrics_text())
        return None  # go on with the WebSocket handshake

    def _metrics_allowed(self, connection: ServerConnection, request: Request) -> bool:
        addr = connection.remote_address[0] if connection.remote_address else ""
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(addr).is_loopback:
                return True
        auth = request.headers.get("Authorization", "")
        scheme, _, code = auth.partition(" ")
        return scheme.lower() == "bearer" and self.roster.seat_for(code[:64]) == FACILITATOR

    def metrics_text(self) -> str:
        conns = list(self.hub.connections())
        depths = [c.queue.qsize() for c in conns]
        lines = [
            f"tte_events_total {self.engine.state.seq}",
            f"tte_commands_total {self.commands}",
            f"tte_commits_total {self.log.commits}",
            f"tte_connections {len(conns)}",
            f"tte_command_queue_depth {self._jobs.qsize() + len(self._waiting)}",
            f"tte_send_queue_depth_total {sum(depths)}",
            f"tte_send_queue_depth_max {max(depths, default=0)}",
            f"tte_clients_dropped_total {self.hub.dropped}",
            f"tte_clock_elapsed_seconds {self.game_now():.1f}",
            f"tte_clock_paused {int(self.clock.paused)}",
            f"tte_gc_full_collections_total {self.collector.full_collections}",
            f"tte_gc_full_seconds_total {self.collector.full_seconds:.4f}",
            f"tte_gc_full_seconds_max {self.collector.full_seconds_max:.4f}",
        ]
        for seat in sorted(self.hub.by_seat):
            lines.append(f'tte_seat_connections{{seat="{seat}"}} {self.hub.count(seat)}')
        return "\n".join(lines) + "\n"


def _damaged(path: Path, e: Exception) -> str:
    return (
        f"{path} is damaged or incomplete ({e}); it may have been copied while the "
        f"server wrote it. Restore a backup made with `sqlite3 {datadir.EVENTS_FILE} "
        "'.backup ...'` or copied while the server was stopped (docs/operations.md)"
    )


def data_dir_default(scenario: Scenario) -> Path:
    return Path(os.getcwd()) / "data" / scenario.exercise.id

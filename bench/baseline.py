"""Bare websockets servers: the baselines each tte figure is divided by.

``python -m bench.baseline MODE [--port P] [--db FILE]``, MODE one of:

- ``broadcast``: every connection's first frame (its "hello") is answered with one frame
  and the connection joins the audience; any later frame is sent as it is to every
  connection with one ``websockets.broadcast`` call (the trigger's own included, as the
  facilitator sees its inject in tte). No decoding, no queue, no game logic.
- ``broadcast-durable``: as ``broadcast``, but the frame is first committed to SQLite
  (WAL, ``synchronous=FULL``, one fsync, on a writer thread) as tte commits an event
  before anyone hears of it: the floor for a durable fan-out.
- ``echo``: every frame after the hello is sent back as it is (``await ws.send``).
- ``echo-sqlite``: every frame after the hello is first inserted into a SQLite table in
  WAL mode with ``synchronous=FULL`` and committed on its own (one fsync per command, on a
  writer thread so the event loop keeps running), then echoed: durable commands without
  group commit.
- ``idle``: hello answered, then the connection is only held open (memory baseline).

Same transport settings as tte: no compression, 64 KiB frames, 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from websockets.asyncio.server import ServerConnection, broadcast, serve

MAX_FRAME = 64 * 1024


class Bare:
    def __init__(self, mode: str, db_path: str) -> None:
        self.mode = mode
        self.conns: set[ServerConnection] = set()
        self.db: sqlite3.Connection | None = None
        self.pool: ThreadPoolExecutor | None = None
        if mode in ("echo-sqlite", "broadcast-durable"):
            self.db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS cmds (id INTEGER PRIMARY KEY, frame BLOB NOT NULL)"
            )
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="bare-sqlite")

    def _commit_one(self, frame: bytes) -> None:
        db = self.db
        assert db is not None
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO cmds (frame) VALUES (?)", (frame,))
        db.execute("COMMIT")

    async def handler(self, ws: ServerConnection) -> None:
        await ws.recv()  # the hello
        await ws.send(b"\x81\xa1t\xa7welcome")  # {"t": "welcome"}
        self.conns.add(ws)
        loop = asyncio.get_running_loop()
        try:
            async for message in ws:
                if self.mode == "broadcast":
                    broadcast(self.conns, message)
                elif self.mode == "broadcast-durable":
                    assert isinstance(message, bytes)
                    await loop.run_in_executor(self.pool, self._commit_one, message)
                    broadcast(self.conns, message)
                elif self.mode == "echo":
                    await ws.send(message)
                elif self.mode == "echo-sqlite":
                    assert isinstance(message, bytes)
                    await loop.run_in_executor(self.pool, self._commit_one, message)
                    await ws.send(message)
        except Exception:
            pass
        finally:
            self.conns.discard(ws)


async def main_async(mode: str, port: int, db: str) -> None:
    bare = Bare(mode, db)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with serve(
        bare.handler, "127.0.0.1", port, compression=None, max_size=MAX_FRAME
    ) as server:
        bound = next(iter(server.sockets)).getsockname()[1]
        print(f"bare: listening on 127.0.0.1:{bound}", flush=True)
        await stop.wait()
        server.close()


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.baseline")
    ap.add_argument(
        "mode", choices=["broadcast", "broadcast-durable", "echo", "echo-sqlite", "idle"]
    )
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--db", default="bare.sqlite")
    args = ap.parse_args()
    asyncio.run(main_async(args.mode, args.port, args.db))


if __name__ == "__main__":
    main()

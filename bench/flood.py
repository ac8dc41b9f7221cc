"""An honest player's latency while one seat floods at full speed (issue 19).

``python -m bench.flood``: a real server on 127.0.0.1 with the default budgets; the
honest player (NL central authority) sends `request.check` at 10 commands a second and
waits for each result; the flooder (RO investigator) sends `request.submit` without
waiting, as fast as its socket takes them. Prints p50/p99 without and with the flood,
and what the flood got.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tte import protocol as p
from tte.core.scenario import load
from tte.server import ExerciseServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
from sample_requests import PRESERVATION
from wsclient import Client

TUTORIAL = Path(__file__).resolve().parents[1] / "scenarios" / "tutorial.yaml"


async def honest_latencies(c: Client, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        await c.cmd("request.check", PRESERVATION)
        out.append(time.perf_counter() - t0)
        await asyncio.sleep(0.1)  # a brisk human: 10 commands a second, inside the budget
    return out


def p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[98] * 1000


async def main(n: int = 100, seconds: float = 12.0) -> None:
    with tempfile.TemporaryDirectory() as d:
        srv = ExerciseServer(load(TUTORIAL), Path(d) / "data")
        await srv.start("127.0.0.1", 0)
        url = f"ws://127.0.0.1:{srv.port}/"
        honest = await Client.open(url)
        assert isinstance(await honest.hello(srv.roster.codes()["NL/central_authority"]), p.Welcome)
        base = await honest_latencies(honest, n)
        flood = await Client.open(url)
        assert isinstance(await flood.hello(srv.roster.codes()["RO/investigator"]), p.Welcome)
        stop = time.monotonic() + seconds
        sent = 0

        async def flooding() -> None:
            nonlocal sent
            while time.monotonic() < stop:
                await flood.send_cmd("request.submit", PRESERVATION)
                sent += 1
                if sent % 64 == 0:
                    await asyncio.sleep(0)

        async def reading() -> None:
            while time.monotonic() < stop + 2:
                try:
                    await flood.recv(timeout=1)
                except (TimeoutError, Exception):
                    if time.monotonic() >= stop:
                        return

        tasks = [asyncio.create_task(flooding()), asyncio.create_task(reading())]
        flooded = await honest_latencies(honest, n)
        await asyncio.gather(*tasks, return_exceptions=True)
        limited = sum(
            1 for r in flood.results.values() if r.error and r.error.code == "rate_limited"
        )
        ok = sum(1 for r in flood.results.values() if r.ok)
        for label, xs in (("without flood", base), ("with flood", flooded)):
            med = statistics.median(xs) * 1000
            print(f"honest p50/p99 {label}: {med:.1f} / {p99(xs):.1f} ms")
        print(f"flood: {sent} sent, {len(flood.results)} answered, {ok} ok, {limited} rate_limited")
        print(f"events in the log: {srv.engine.state.seq}")
        await srv.stop()


if __name__ == "__main__":
    asyncio.run(main())

"""An imprecise request in exam mode, over a real server: the form sends what the player
wrote, no warning comes back, and the provider's answer — after the full execution time —
names no subscriber for a wrong UTC offset, the subscriber for the right one."""

from __future__ import annotations

import pytest
from test_law_on_the_wire import ask, outcome
from wsclient import Join

from tte.core.scenario import Scenario, parse

DAY = 86400

WORLD = """
exercise:
  id: precision-wire
  title: Precision on the wire
  start: "2019-05-08T09:00:00"
  timezone: Europe/Bucharest
  duration: 200d
  lead: [RO]
  mode: exam
countries:
  - {code: RO, name: Romania, treaties: [ets30], languages: [ro, en]}
  - {code: TR, name: Türkiye, timezone: Europe/Istanbul, treaties: [ets30],
     languages: [tr, en]}
organisations:
  - {id: anadolu, name: Anadolu Net, country: TR, kind: isp, answer_delay: 2d}
evidence:
  - id: admin_sub
    title: Subscriber behind 198.51.100.23
    kind: subscriber
    holder: anadolu
    identifiers: ["198.51.100.23", "source port 41872"]
    known_to: [RO]
    index: {kind: ip_time, value: 198.51.100.23, at: "2019-05-06T21:14:09+00:00",
            port: 41872}
"""


@pytest.fixture
def scenario() -> Scenario:
    sc, problems = parse(WORLD)
    assert sc is not None, problems
    return sc


@pytest.mark.parametrize(
    ("moment", "delivered"),
    [("2019-05-07T00:14:09+00:00", []), ("2019-05-07T00:14:09+03:00", ["admin_sub"])],
    ids=["Istanbul time given as UTC: no subscriber", "the right offset: the subscriber"],
)
async def test_in_exam_mode_the_offset_decides_after_the_execution_time(
    join: Join, moment: str, delivered: list[str]
) -> None:
    ro, fac = await join("RO/investigator"), await join("facilitator")
    req = ask(
        "mla_stored_data",
        "anadolu",
        ["admin_sub"],
        "mla",
        WORLD,
        identifier="198.51.100.23",
        moment=moment,
        port="41872",
        language="en",
        data_sought="Subscriber behind 198.51.100.23, port 41872, on 2019-05-06",
        urgency="",
    )
    data = await ro.ok("request.submit", req)
    assert data["warnings"] == []  # exam: nothing is given away before sending
    ev = await outcome(ro, fac, data["id"])
    assert ev.kind == "request_fulfilled" and ev.data["delivered"] == delivered
    assert ev.game_time >= "2019-07-07"  # two months of execution in Türkiye first
    if not delivered:
        assert "hours off the holder's logs" in ev.data["message"]

"""The swimlane timeline per country: its rows come from the report's figures."""

from __future__ import annotations

from tte.report.figures import compute
from tte.report.swimlanes import chart, moments

from .conftest import Run


def test_every_sent_request_and_lost_item_is_on_its_countrys_lane(careless: Run) -> None:
    rep = compute(careless.scenario, careless.events)
    found = moments(rep)
    sent = {(m.country, m.about) for m in found if m.what == "sent"}
    assert sent == {(r.country, r.id) for r in rep.requests if r.sent is not None}
    deleted = {m.about for m in found if m.what == "deleted"}
    assert deleted == {e.id for e in rep.evidence if e.deleted_at is not None} != set()
    assert [m.t for m in found] == sorted(m.t for m in found)
    png = chart(rep)
    assert png is not None and png.startswith(b"\x89PNG")


def test_the_markdown_report_has_the_timeline_by_country(careless: Run) -> None:
    md = (careless.out / "report.md").read_text(encoding="utf-8")
    assert "## Timeline by country" in md and "charts/swimlanes.png" in md
    assert "| evidence deleted | c2\\_logs |" in md

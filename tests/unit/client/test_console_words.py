"""The console names things as people do: seats in a few letters, inject conditions in
words with evidence and request titles, never scenario ids."""

from __future__ import annotations

from tte.client.console.fmt import short_seat
from tte.client.console.msel import condition_text
from tte.client.console.view import ConsoleView, ItemRow


def test_seats_read_short_and_desks_say_so() -> None:
    assert short_seat("RO/poc") == "RO 24/7"
    assert short_seat("NL/central_authority") == "NL CA"
    assert short_seat("desk:RO/prosecutor") == "RO Pros (desk)"
    assert short_seat("body:europol") == "europol"
    assert short_seat("facilitator") == "facilitator"


def test_an_inject_condition_reads_as_words_not_ids() -> None:
    view = ConsoleView()
    view.items["c2_logs"] = ItemRow(
        "c2_logs", "Connection logs of the C2 server", "", "", "", None, None
    )
    view.info["templates"] = [{"id": "preservation", "title": "Expedited preservation"}]
    said = condition_text(view, {"evidence_preserved": "c2_logs"})
    assert said == "when Connection logs of the C2 server is preserved"
    said = condition_text(view, {"not_sent": "preservation", "country": "RO", "by": "1d"})
    assert said == "if no Expedited preservation is sent from RO by +1d"
    assert "c2_logs" not in condition_text(view, {"request_sent": "any", "item": "c2_logs"})

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


def test_who_acted_reads_in_words_never_an_internal_prefix() -> None:
    from tte.client.console.fmt import actor
    from tte.client.console.view import describe

    assert actor("desk:RO/poc") == "the RO/poc desk"
    assert actor("facilitator") == "the facilitator"
    assert actor("schedule") == "the schedule"
    assert actor("org:host", {"host": "Polderhost B.V."}) == "Polderhost B.V."
    assert actor("RO/investigator") == "RO/investigator"  # a person at the seat
    request = {"id": "R1", "template": "preservation", "status": "sent", "at": "NL/poc"}
    line = describe("request_forwarded", {"by": "desk:RO/poc", "request": request})
    assert "by the RO/poc desk" in line and "desk:" not in line
    line = describe("inject", {"title": "Ransomware", "to": ["RO/poc"], "by": "schedule"})
    assert line == "Ransomware → RO/poc (the schedule)"


def test_the_case_tab_names_an_item_by_its_title_then_its_id() -> None:
    from rich.text import Text

    from tte.client.console.case import _item_cells

    view = ConsoleView()
    item = ItemRow(
        "c2_logs", "Connection logs of the C2 server", "traffic", "host", "Polder", "NL", None
    )
    item.obtained = {"RO": {"via": "mla_stored_data", "t": 0.0, "admissible": True}}
    item.deleted, item.delete_reason = True, "preservation_lapsed"
    cells = _item_cells(view, item)
    assert cells[:2] == ["Connection logs of the C2 server", "c2_logs"]
    assert "RO via BC Art 31 (+25, 27, 28)" in [str(c) for c in cells]
    state = next(c for c in cells if isinstance(c, Text) and "deleted" in c.plain)
    assert state.plain == "deleted (preservation lapsed)"


def test_the_facilitators_scenario_texts_come_in_the_readers_language() -> None:
    """Notes, expected actions, hint and phase texts through the scenario's translations."""
    from tte.client.console import msel
    from tte.client.console.teaching import PhaseInfo, hint_rows, phase_rows
    from tte.client.console.view import InjectRow
    from tte.i18n import use

    view = ConsoleView()
    fr = {
        "Watch the 24/7 point.": "Observez le point de contact 24/7.",
        "Preservation sent at once.": "Conservation envoyée aussitôt.",
        "Nudge": "Coup de pouce",
        "Freeze first": "Geler d'abord",
        "Preservation first.": "La conservation d'abord.",
    }
    view.info["translations"] = {"fr": fr}
    row = InjectRow("i1", "Opening", ["RO/poc"], notes="Watch the 24/7 point.")
    row.expected = "Preservation sent at once."
    view.teaching.hints = [{"id": "h1", "title": "Nudge", "notes": "Watch the 24/7 point."}]
    view.teaching.phases = [PhaseInfo("p1", "Freeze first", notes="Preservation first.")]
    use("fr")
    try:
        assert msel._cells(view, row)[5] == "Conservation envoyée aussitôt."
        hint = hint_rows(view.teaching, view.text)[0]
        assert "Coup de pouce" in hint[1].plain and "Observez" in hint[2].plain
        phase = phase_rows(view.teaching, view.text)[0]
        assert "Geler d'abord" in phase[1].plain and phase[2].plain == "La conservation d'abord."
    finally:
        use("en")
    assert msel._cells(view, row)[5] == "Preservation sent at once."

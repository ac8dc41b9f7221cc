"""Precision of a request (domain.md "Precision of a request"): the holder compares the
request with its records only when it executes it, so an imprecise request comes back,
after the full execution time, with nothing or with another customer."""

from __future__ import annotations

import pytest

from tte.core.events import CommandError
from tte.core.scenario import parse

from .kit import DAY, scenario, scenario_text

COE = """
- {code: AA, name: Aland, treaties: [ets30], languages: [aa, en], translation: 10d}
- {code: BB, name: Borduria, treaties: [ets30], languages: [bb, en]}
"""
# A carrier-grade NAT address: the session at 21:14:09 UTC from port 41872 is the
# suspect's; the same address three hours later (a wrong offset) is another customer's.
CGNAT = """
- id: suspect
  title: Subscriber behind 198.51.100.23
  kind: subscriber
  holder: host
  identifiers: ["198.51.100.23"]
  known_to: [AA]
  index: {kind: ip_time, value: 198.51.100.23, at: "2019-05-06T21:14:09+00:00",
          port: 41872, decoy: neighbour}
- id: neighbour
  title: Another customer behind 198.51.100.23
  kind: subscriber
  holder: host
  identifiers: ["198.51.100.23"]
- id: mailbox
  title: Mailbox x@mail.example
  kind: content
  holder: host
  identifiers: ["x@mail.example"]
  known_to: [AA]
  index: {kind: account, value: x@mail.example}
"""


def _game(game, **sections: str):  # type: ignore[no-untyped-def]
    return game(scenario(countries=COE, evidence=CGNAT, **sections))


def _ask(g, **fields):  # type: ignore[no-untyped-def]
    rid = g.submit("AA/investigator", "mla_stored_data", "host", ["suspect"], "mla", **fields)
    g.until(lambda: g.req(rid).status in ("fulfilled", "returned", "refused"))
    return g.req(rid)


SESSION = {
    "identifier": "198.51.100.23",
    "data_sought": "Subscriber behind 198.51.100.23 on 2019-05-06",
    "language": "en",
}


@pytest.mark.parametrize(
    ("fields", "delivered", "problem"),
    [
        ({"moment": "2019-05-06T21:14:09+00:00", "port": 41872}, ["suspect"], ""),
        ({"moment": "2019-05-07T00:14:09+03:00", "port": "41872"}, ["suspect"], ""),
        ({"moment": "2019-05-07T00:14:09+00:00", "port": 41872}, ["neighbour"], "offset"),
        ({"moment": "2019-05-06T21:14:09+00:00"}, ["neighbour"], "port"),
        ({"moment": "2019-05-06T18:02:00+00:00", "port": 41872}, [], "time"),
        ({"port": 41872}, [], "time"),
    ],
    ids=[
        "the right instant and port name the subscriber",
        "the same instant in local time with its offset is as good",
        "a local time given as UTC is hours off and names another customer",
        "behind carrier-grade NAT an address without its port names another customer",
        "a time with no session returns no subscriber",
        "no date and time at all returns no subscriber",
    ],
)
def test_the_holder_compares_the_request_with_its_records(
    game, fields: dict[str, object], delivered: list[str], problem: str
) -> None:
    g = _game(game)
    r = _ask(g, **SESSION, **fields)
    assert (r.status, r.delivered) == ("fulfilled", delivered)
    if problem:
        assert "returned" in r.message
    assert g.item("suspect").admissible_for("AA") is (delivered == ["suspect"])


def test_the_answer_to_an_imprecise_request_comes_after_the_full_execution_time(game) -> None:
    good, bad = _game(game), _game(game)
    right = _ask(good, **SESSION, moment="2019-05-06T21:14:09+00:00", port=41872)
    wrong = _ask(bad, **SESSION, moment="2019-05-07T00:14:09+00:00", port=41872)
    assert wrong.answered_at == pytest.approx(right.answered_at, abs=DAY)
    assert wrong.answered_at > 30 * DAY


def test_an_account_is_found_by_its_identifier(game) -> None:
    g = _game(game)
    ok = g.submit(
        "AA/investigator",
        "mla_stored_data",
        "host",
        ["mailbox"],
        "mla",
        data_sought="All content of x@mail.example from 2019-04-01 to 2019-05-08",
        language="en",
    )
    g.until(lambda: g.req(ok).status == "fulfilled")
    assert g.req(ok).delivered == ["mailbox"]


@pytest.mark.parametrize(
    ("data_sought", "overbroad"),
    [
        ("All subscriber information for account x@mail.example, 2019-04-01 to 2019-05-08", False),
        ("The whole customer database since 2010", True),
        ("Content of x@mail.example", True),
    ],
    ids=[
        "'all subscriber information for account X' is standard and specific",
        "a request naming no identifier of the item is overbroad whatever its words",
        "content with no bounded period is overbroad",
    ],
)
def test_overbreadth_is_a_matter_of_substance(game, data_sought: str, overbroad: bool) -> None:
    g = _game(game)
    rid = g.submit(
        "AA/investigator",
        "mla_stored_data",
        "host",
        ["mailbox"],
        "mla",
        data_sought=data_sought,
        language="en",
    )
    g.until(lambda: g.req(rid).status in ("fulfilled", "returned"))
    assert (g.req(rid).ground == "overbroad") is overbroad


def test_a_request_in_a_language_the_requested_party_does_not_accept_is_returned(game) -> None:
    g = _game(game)
    r = _ask(g, **dict(SESSION, language="fr"), moment="2019-05-06T21:14:09+00:00", port=41872)
    assert (r.status, r.ground, r.missing) == ("returned", "language", ["language"])
    assert "bb, en" in r.message


def test_translation_is_a_step_of_its_own_and_urgency_buys_speed(game) -> None:
    """Sent in the requested side's language, not the sender's own: the sender's
    translation desk (10 days here) works before it leaves; urgency halves it."""
    own, translated, urgent = _game(game), _game(game), _game(game)
    base = dict(SESSION, moment="2019-05-06T21:14:09+00:00", port=41872)
    _ask(own, **dict(base, language="aa"), urgency=None)
    _ask(translated, **base, urgency=None)
    _ask(urgent, **base)
    fwd = [
        g.one("request_forwarded", by="desk:AA/central_authority").data
        for g in (own, translated, urgent)
    ]
    assert "translation" not in fwd[0]
    assert fwd[1]["translation"] == 10 * DAY and fwd[2]["translation"] == 5 * DAY


def test_coaching_warns_before_sending_and_an_exam_does_not(game) -> None:
    g = _game(game)
    args = {
        "template": "mla_stored_data",
        "to": "host",
        "channel": "mla",
        "evidence": ["suspect"],
        "fields": {"offence": "Phishing"},
    }
    assert g.do("AA/investigator", "request.submit", **args)["warnings"]
    g.do("facilitator", "mode.set", mode="exam")
    assert g.one("mode").data == {"mode": "exam"}
    assert g.do("AA/investigator", "request.submit", **args)["warnings"] == []
    with pytest.raises(CommandError) as e:
        g.do("AA/investigator", "mode.set", mode="coaching")
    assert e.value.code == "forbidden"


def test_an_exam_scenario_starts_in_exam_mode(game) -> None:
    g = game(scenario(countries=COE, evidence=CGNAT, exercise="{mode: exam}"))
    assert g.st.mode == "exam"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("2019-05-06 21:14:09", "moment"),
        ("tomorrow", "moment"),
        ("70000", "port"),
        ("x1", "language"),
    ],
)
def test_structured_fields_say_what_format_they_need(game, value: str, field: str) -> None:
    g = _game(game)
    with pytest.raises(CommandError) as e:
        g.submit("AA/investigator", "mla_stored_data", "host", ["suspect"], "mla", **{field: value})
    assert (e.value.code, e.value.field) == ("bad_args", field)


@pytest.mark.parametrize(
    ("index", "path"),
    [
        ("{kind: ip_time, value: 192.0.2.7}", "evidence[0].index.at"),
        ("{kind: ip_time, value: 192.0.2.7, at: '2019-05-06 21:14'}", "evidence[0].index.at"),
        ("{kind: account, value: ''}", "evidence[0].index.value"),
        (
            "{kind: ip_time, value: 192.0.2.7, at: '2019-05-06T21:14:09Z', decoy: nope}",
            "evidence[0].index.decoy",
        ),
    ],
)
def test_validate_names_an_item_whose_identifiers_cannot_be_matched(index: str, path: str) -> None:
    evidence = f"""
    - {{id: logs, title: Logs, kind: traffic, holder: host, index: {index}}}
    """
    sc, problems = parse(scenario_text(evidence=evidence))
    assert sc is None and path in [p.path for p in problems]

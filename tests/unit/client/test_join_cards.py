"""Join cards: one page per seat with its country, role, code, the commands to type with
the host's LAN address (127.0.0.1 reaches only the host's own laptop) and its briefing."""

from __future__ import annotations

from tte.client.console import joinsheet
from tte.client.console.joinsheet import SheetInfo
from tte.i18n.pseudo import plain_words

INFO = SheetInfo(
    title="Tutorial",
    exercise="tutorial",
    urls=["ws://127.0.0.1:8765/", "ws://192.0.2.10:8765/"],
    codes={"facilitator": "FFFF-FFFF-FF", "RO/poc": "AAAA-BBBB-CC", "NL/prosecutor": "DDDD"},
    ssh_port=2222,
    country_names={"RO": "Romania", "NL": "Netherlands"},
    briefings={"RO": {"poc": "You run the **24/7** point of contact."}},
)


def test_a_card_per_seat_names_the_lan_address_not_loopback() -> None:
    md = joinsheet.render_cards_md(INFO)
    assert md.count(joinsheet.PAGE_BREAK) == 1  # two seats, two pages
    assert "# Romania — 24/7 point of contact" in md
    assert "Your join code: **AAAA-BBBB-CC**" in md
    assert "tte play ws://192.0.2.10:8765/ --code AAAA-BBBB-CC" in md
    assert "ssh -p 2222 AAAA-BBBB-CC@192.0.2.10" in md
    assert "127.0.0.1" not in md
    assert "You run the **24/7** point of contact." in md
    assert "FFFF-FFFF-FF" not in md  # the facilitator's code controls the exercise


def test_plain_text_cards_are_pages_separated_by_form_feeds() -> None:
    txt = joinsheet.render_cards_txt(INFO)
    ro, nl = txt.split("\f")
    assert ro.startswith("Romania — 24/7 point of contact\n")
    assert "tte play ws://192.0.2.10:8765/ --code AAAA-BBBB-CC" in ro
    assert "DDDD" in nl and "Ask the facilitator." in nl


def test_the_sheet_gives_a_command_per_seat_and_marks_loopback() -> None:
    sheet = joinsheet.render(INFO)
    assert "`tte play ws://192.0.2.10:8765/ --code DDDD`" in sheet
    assert "`ws://127.0.0.1:8765/` (only on the host's own laptop)" in sheet
    assert sheet.index("192.0.2.10") < sheet.index("127.0.0.1")


def test_the_sheet_tells_the_facilitator_how_to_replay_the_exercise() -> None:
    hosted = joinsheet.render(SheetInfo(**{**INFO.__dict__, "data_dir": "/srv/tte/my ex"}))
    assert "## For the facilitator: the debrief" in hosted
    assert "    tte replay '/srv/tte/my ex'" in hosted  # quoted: ready to paste
    assert "tte host --from '/srv/tte/my ex' --at SEQ" in hosted
    remote = joinsheet.render(INFO)  # a remote console does not know the directory
    assert "    tte replay DIR" in remote and "data directory on the host" in remote


def test_the_sheet_and_cards_in_french() -> None:
    from tte.i18n import use

    use("fr")
    try:
        sheet = joinsheet.render(INFO)
        md = joinsheet.render_cards_md(INFO)
        txt = joinsheet.render_cards_txt(INFO)
    finally:
        use("en")
    assert "Exercice `tutorial` — feuille d'accès" in sheet
    assert "## Comment rejoindre" in sheet and "## Postes" in sheet
    assert "`ws://127.0.0.1:8765/` (seulement sur l'ordinateur de l'hôte)" in sheet
    assert "| Poste | Pays | Rôle | Code | Rejoindre |" in sheet
    assert "| RO/poc | Romania | Point de contact 24/7 | **AAAA-BBBB-CC** |" in sheet
    assert "`tte play ws://192.0.2.10:8765/ --code DDDD` ou `ssh -p 2222" in sheet
    assert "## Pour l'animateur : le débriefing" in sheet
    assert "# Romania — Point de contact 24/7" in md
    assert "Votre code d'accès : **AAAA-BBBB-CC**" in md and "## Votre briefing" in md
    assert "Votre code d'accès :  AAAA-BBBB-CC" in txt
    assert "Votre briefing\n--------------\n" in txt and "Demandez à l'animateur." in txt


def test_every_word_of_the_sheet_and_cards_goes_through_the_translator() -> None:
    """In the pseudo-locale, what is left outside ⟦…⟧ is data: names, codes, addresses,
    the commands to type and the scenario's briefing."""
    from tte.i18n import use

    info = SheetInfo(**{**INFO.__dict__, "fingerprint": "SHA256:abc", "data_dir": "/srv/x"})
    info.codes = {**info.codes, "observer": "OOOO"}
    use("xx")
    try:
        text = "\n".join(
            (
                joinsheet.render(info),
                joinsheet.render_cards_md(info),
                joinsheet.render_cards_txt(info),
            )
        )
    finally:
        use("en")
    data = {"Tutorial", "tutorial", "Romania", "Netherlands", "You", "run", "the", "point"}
    data |= {"of", "contact", "tte", "play", "ws", "code", "ssh", "CODE", "replay", "host"}
    data |= {"from", "at", "SEQ", "SHA", "abc", "srv", "RO", "NL", "poc", "prosecutor"}
    data |= {"page", "break", "after", "always", "div", "style", "DDDD", "AAAA", "BBBB", "CC"}
    data |= {"OOOO"}
    assert plain_words(text) <= data, plain_words(text) - data

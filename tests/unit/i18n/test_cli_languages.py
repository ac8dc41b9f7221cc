"""The command line in the reader's language: every command's help (argparse's own words
too), `tte validate`'s problem lines, and the same English as before for English readers."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tte.cli import build_parser, main
from tte.i18n import use

COMMANDS = [
    "validate",
    "simulate",
    "fork",
    "serve",
    "roster",
    "host",
    "list",
    "console",
    "play",
    "ssh-gateway",
    "replay",
    "report",
    "cards",
]
BROKEN = """\
exercise:
  id: broken
  title: Broken
  start: "soon"
  duration: forever
countries:
  - code: ro
    name: Romania
    timezone: "Mars/\\e[2JBase"
"""


@pytest.fixture(autouse=True)
def _english_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("TTE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    yield
    use("en")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        rc = main(argv)
    except SystemExit as e:
        rc = int(e.code or 0) if not isinstance(e.code, str) else 2
    out, err = capsys.readouterr()
    return rc, out, err


def test_validate_names_each_problem_in_french_quoting_the_file_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text(BROKEN)
    rc, out, _err = run(["validate", "--lang", "fr", str(f)], capsys)
    assert rc == 1
    assert f"{f}: exercise.start: pas une date-heure ISO : 'soon' (p. ex. 2026-03-02T08:00)" in out
    assert f"{f}: countries[0].code: utilisez un code ISO comme 'RO', reçu 'ro'" in out
    assert "fuseau horaire inconnu 'Mars/" in out
    assert "exercise.duration: durée illisible 'forever' : écrivez un nombre et une unité" in out
    assert "\x1b" not in out  # the scenario's own text stays inert in every language
    # English readers read what they always did.
    rc, out, _err = run(["validate", str(f)], capsys)
    assert f"{f}: exercise.start: not an ISO date-time: 'soon' (e.g. 2026-03-02T08:00)" in out
    assert f"{f}: countries[0].code: use an ISO code like 'RO', got 'ro'" in out


def test_a_parsers_sentence_is_french_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "typed.yaml"
    f.write_text("exercise:\n  title: t\n  start: '2026-03-02T08:00'\ncountries: []\n")
    assert run(["validate", "--lang", "fr", str(f)], capsys)[1] == (
        f"{f}: exercise: champ obligatoire `id` manquant\n"
    )
    assert run(["validate", str(f)], capsys)[1] == (
        f"{f}: exercise: Object missing required field `id`\n"
    )


def test_validate_in_french_from_tte_lang_or_the_locale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "missing.yaml"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert run(["validate", str(f)], capsys)[2] == f"{f}: (file): fichier introuvable\n"
    monkeypatch.delenv("LANG")
    assert run(["--lang", "fr", "validate", str(f)], capsys)[2] == (
        f"{f}: (file): fichier introuvable\n"
    )


def test_help_in_french_from_the_locale_or_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    rc, out, _err = run(["serve", "--help"], capsys)
    assert rc == 0
    assert out.startswith("utilisation : tte serve")
    assert "lancer un serveur d'exercice" in out
    assert "afficher ce message d'aide et quitter" in out
    assert "port TCP, 0 = n'importe lequel (par défaut 8765)" in out
    monkeypatch.delenv("LANG")
    rc, french, _err = run(["--lang", "fr", "serve", "--help"], capsys)
    assert french == out
    # argparse's own errors too
    rc, _out, err = run(["--lang", "fr", "validate"], capsys)
    assert rc == 2
    assert "tte validate : erreur : les arguments suivants sont requis : FILE" in err


def test_english_help_is_argparses_own_english(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _err = run(["serve", "--help"], capsys)
    assert rc == 0 and out.startswith("usage: tte serve")
    assert "show this help message and exit" in out and "run an exercise server" in out


def _allowed(parser: argparse.ArgumentParser) -> set[str]:
    """What may stand outside ⟦…⟧: the program's and options' names, metavars, choices."""
    words = {"tte"}
    for action in parser._actions:
        words |= set(action.option_strings) | {action.dest}
        if action.metavar:
            words |= set(re.findall(r"[A-Za-z][\w-]*", str(action.metavar)))
        if action.choices:
            words |= {str(c) for c in action.choices}
    return words


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_is_translated(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--lang", "xx", *([command] if command else []), "--help"]
    rc, out, _err = run(argv, capsys)
    assert rc == 0
    parser = build_parser(argv[2:])
    if command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[command]
    allowed = _allowed(parser) | {command}
    outside = re.sub(r"⟦.*?⟧", " ", out, flags=re.S)
    words = re.findall(r"-{0,2}[A-Za-z][\w-]*", outside)
    untranslated = [w for w in words if w not in allowed and not w.isupper()]
    assert not untranslated, f"not through the translator in `tte {command} --help`: {out}"
    assert "⟦" in out

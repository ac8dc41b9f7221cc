"""Printable role cards (``tte cards SCENARIO-or-DIR``): one page per seat a person may take,
with the country, the role, what the role can do, the forms it drafts and the briefing.

No answer key: no objectives, no debrief, no evidence table, no hint cards, no knowledge
check answers, and nothing that maps an evidence item to its instrument — the cards are
handed out before play (scaffolding, issue 22) and must not solve the exercise.

In the reader's language (``--lang``, then ``TTE_LANG``, then the locale): the program's
words from the catalogue, the scenario's from its ``translations`` where it gives them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tte.core.scenario import Scenario, ScenarioError, find, load
from tte.core.templates import ROLE_LABELS, ROLES, TEMPLATES
from tte.i18n import _, scenario_text, use
from tte.i18n.choice import add_lang_argument, chosen_lang
from tte.i18n.cite import titled

from .player.help import ROLES as ROLE_TEXT

PAGE_BREAK = '\n<div style="page-break-after: always"></div>\n'


def _role_text(role: str) -> str:
    """The role's help in the reader's language, without its title line (the card has
    its own)."""
    source = ROLE_TEXT.get(role, "")
    lines = (_(source) if source else "").strip().splitlines()
    return "\n".join(line for line in lines if not line.startswith("# ")).strip()


def card(sc: Scenario, seat: str) -> str:
    """One seat's card in the current reader's language (``tte cards --lang``); the
    scenario's texts from its ``translations`` where it gives them."""
    code, role = seat.split("/", 1)
    c = sc.country(code)
    assert c is not None

    def text(source: str) -> str:
        return scenario_text(sc.translations, source)

    label = _(ROLE_LABELS[role]) if role in ROLE_LABELS else role
    out = [f"# {c.flag} {text(c.name)} — {label}".replace("#  ", "# "), ""]
    out += [f"*{text(sc.exercise.title)}* · " + _("seat `{seat}`").format(seat=seat), ""]
    name = {"poc": c.poc_name, "central_authority": c.central_authority_name}.get(role, "")
    if name:
        out += [_("**You are:** {name}").format(name=text(name)), ""]
    out += ["## " + _("Your role"), "", _role_text(role), ""]
    forms = [titled(_(t.title), t.basis) for t in TEMPLATES.values() if role in t.senders]
    if forms:
        out += ["## " + _("Forms you can draft"), "", *(f"- {f}" for f in forms), ""]
    situation = text(sc.exercise.briefing).strip() or _("(no briefing)")
    out += ["## " + _("The situation"), "", situation, ""]
    mine = text(c.briefings.get(role, "")).strip()
    if mine:
        out += ["## " + _("Your briefing"), "", mine, ""]
    return "\n".join(out)


def render(sc: Scenario, everyone: bool = False) -> str:
    seats = sc.seats() if everyone else sc.human_seats()
    return PAGE_BREAK.join(card(sc, s) for s in seats if s.split("/", 1)[1] in ROLES)


def _scenario(source: str) -> Scenario:
    path = Path(source)
    if path.is_dir():
        from tte.report.source import SourceError
        from tte.report.source import load as load_run

        try:
            return load_run(path).scenario
        except SourceError as e:
            raise SystemExit(f"tte cards: {e}") from e
    try:
        return load(find(source))
    except ScenarioError as e:
        raise SystemExit(f"tte cards: {e.problems[0].render(source)}") from e


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "source", metavar="SCENARIO-or-DIR", help=_("scenario file or name, or a data directory")
    )
    p.add_argument("-o", "--out", metavar="FILE", help=_("write Markdown here (default: stdout)"))
    p.add_argument("--all", action="store_true", help=_("every seat, desk-only ones too"))
    add_lang_argument(p, "cards")


def main(args: argparse.Namespace) -> int:
    use(chosen_lang(getattr(args, "lang", None)))
    text = render(_scenario(args.source), everyone=args.all)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(_("role cards written to {path}").format(path=args.out))
    else:
        sys.stdout.write(text)
    return 0

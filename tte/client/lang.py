"""The reader's language in a client: the ``--lang`` option, the footer's words, the
palette's choice of language.

A client process has one reader (the SSH gateway runs one ``tte play`` per session), so
the app makes its reader current with ``tte.i18n.use`` before it runs and every widget
draws through ``_()``. Key bindings are class-level tables in English: the app translates
its own copy (``translate_bindings``) when it starts and again when the reader switches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen

from tte.i18n import N_, _, current, display_name, languages
from tte.i18n.choice import add_lang_argument as add_lang_argument
from tte.i18n.choice import chosen_lang as chosen_lang


def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) for every language the program has."""
    return [(code, display_name(code)) for code in languages()]


def translate_bindings(node: DOMNode) -> None:
    """Draw ``node``'s key bindings (footer words, tooltips) in the current language, from
    the English they were declared in."""
    source: dict[str, list[Any]] | None = getattr(node, "_tte_source_bindings", None)
    table = node._bindings.key_to_bindings
    if source is None:
        source = {key: list(bindings) for key, bindings in table.items()}
        node._tte_source_bindings = source  # type: ignore[attr-defined]
    for key, bindings in source.items():
        table[key] = [
            replace(
                b,
                description=_(b.description) if b.description else b.description,
                tooltip=_(b.tooltip) if b.tooltip else b.tooltip,
            )
            for b in bindings
        ]


def error_text(error: Any) -> str:
    """A refusal (``ErrorBody``) in the reader's language; its sentence from older servers."""
    key = getattr(error, "message_key", None)
    params = getattr(error, "message_params", None)
    data = {"message": error.message, "message_key": key if isinstance(key, str) else None}
    return current().message(data | {"message_params": params if isinstance(params, dict) else {}})


# Textual's own palette entries (App.get_system_commands), in the words it declares them.
SYSTEM_WORDS = {
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Quit": N_("Quit"),
    "Quit the application as soon as possible": N_("Quit the application as soon as possible"),
    "Keys": N_("Keys"),
    "Hide the keys and widget help panel": N_("Hide the keys and widget help panel"),
    "Show help for the focused widget and a summary of available keys": N_(
        "Show help for the focused widget and a summary of available keys"
    ),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_(
        "Minimize the widget and restore to normal size"
    ),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
    "Screenshot": N_("Screenshot"),
    "Save an SVG 'screenshot' of the current screen": N_(
        "Save an SVG 'screenshot' of the current screen"
    ),
}


def translate_system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's palette entries (Theme, Quit, Keys, Screenshot…) in the reader's language;
    an entry a newer Textual adds stays as it comes."""
    for c in commands:
        title = SYSTEM_WORDS.get(c.title)
        helped = SYSTEM_WORDS.get(c.help)
        yield c._replace(title=_(title) if title else c.title, help=_(helped) if helped else c.help)


def open_palette(app: App[Any]) -> None:
    """Textual's command palette with its prompt in the reader's language."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        palette = CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
        app.push_screen(palette)


def open_theme_search(app: App[Any]) -> None:
    """The palette's Theme entry: the theme names are data, the prompt is translated."""
    from textual.theme import ThemeProvider

    app.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))


# TRANSLATORS: an evidence item's kind in a narrow column (12 characters)
EVIDENCE_KINDS = {
    "subscriber": N_("subscriber"),
    "traffic": N_("traffic"),
    "content": N_("content"),
    "kyc": N_("KYC"),
    "financial": N_("financial"),
    "registration": N_("registration"),
    "server_image": N_("server image"),
}


def kind_word(kind: str) -> str:
    """An evidence item's kind (scenario ``evidence[].kind``) in the reader's language; a
    kind the program does not know is shown as the scenario writes it."""
    words = EVIDENCE_KINDS.get(kind)
    return _(words) if words else kind


class ReadersPalette(App[int]):
    """The command palette in the reader's language: its prompt, Textual's own entries
    (Theme, Quit, Keys…) and the theme search (the player app and the console)."""

    def action_command_palette(self) -> None:
        open_palette(self)

    def search_themes(self) -> None:
        open_theme_search(self)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from translate_system_commands(super().get_system_commands(screen))

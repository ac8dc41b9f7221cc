"""Rendering text from other players inertly.

Free text (request fields, messages, inject text) comes from other people. It must never
reach the terminal as control characters or escape sequences, nor be parsed as Textual
markup: every untrusted string goes through :func:`inert` (``tte.core.text``, the one
such function, shared with the server log and the report writers) and is shown as a
plain ``Text``/``Content``, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel

from tte.core.text import inert, inert_line

__all__ = ["InertToasts", "columns", "inert", "inert_line", "inert_text", "one_line", "plain"]


def inert_text(text: Text) -> Text:
    """A copy of `text` with its plain text made inert; styles stay where they were
    (:func:`inert` keeps the length)."""
    out = text.copy()
    out.plain = inert(text.plain)
    return out


def plain(s: object, style: str = "", limit: int | None = None) -> Text:
    """A rich Text holding `s` literally (no markup parsing)."""
    return Text(inert(s, limit), style=style)


def one_line(s: object, limit: int = 80) -> str:
    return inert(" ".join(str(s).split()), limit)


def columns(*labels: str) -> list[Text]:
    """DataTable headings as Text: a str heading is parsed as Rich markup, which also loads
    Rich's table of 3,600 emoji names (~0.5 MiB in every player process) for nothing."""
    return [Text(label) for label in labels]


class InertToasts(App[int]):
    """An app whose every toast is plain text, made inert: messages quote other players'
    text, and a toast is never markup (``[/]`` would crash the app, ``[@click=...]`` act).
    The player app and the console both are one."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(
            inert(message, 400),
            title=inert_line(title, 80),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

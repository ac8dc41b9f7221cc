"""Command palette entries of the player app (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .safe import inert

if TYPE_CHECKING:
    from .app import PlayerApp


class PlayerCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: PlayerApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], Any], str]] = [
            (f"Go to {label}", partial(app.action_tab, tab), "Switch tab")
            for tab, label in app.TABS
        ]
        if app.model.survey.open is not None:
            out.append(("Answer the hotwash survey", partial(app.action_tab, "survey"), "F7"))
        for t in app.model.sendable_templates():
            out.append((f"Compose: {inert(t.title)}", partial(app.compose_template, t.id), t.basis))
        out += [
            ("Toggle high-contrast theme", app.action_toggle_theme, "Readable / high contrast"),
            ("Help for my role", app.action_help, "F1"),
            ("Reconnect now", app.action_reconnect, "Skip the wait before the next attempt"),
            ("Mark all inbox items read", app.action_mark_all_read, "Inbox"),
        ]
        return out

    async def discover(self) -> Hits:
        for name, cb, help_text in self._commands():
            yield DiscoveryHit(name, cb, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, cb, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), cb, help=help_text)

"""Command palette entries of the player app (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tte.client.lang import language_choices
from tte.i18n import _
from tte.i18n.cite import bare_title, basis_text

from .safe import inert

if TYPE_CHECKING:
    from .app import PlayerApp


class PlayerCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: PlayerApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], Any], str]] = [
            (_("Go to {tab}").format(tab=_(label)), partial(app.action_tab, tab), _("Switch tab"))
            for tab, label in app.TABS
        ]
        if app.model.survey.open is not None:
            out.append((_("Answer the hotwash survey"), partial(app.action_tab, "survey"), "F7"))
        for t in app.model.sendable_templates():
            title = inert(bare_title(_(t.title), t.basis))
            name = _("Compose: {title}").format(title=title)
            out.append((name, partial(app.compose_template, t.id), basis_text(t.basis)))
        out += [
            (
                _("Toggle high-contrast theme"),
                app.action_toggle_theme,
                _("Readable / high contrast"),
            ),
            (_("Help for my role"), app.action_help, "F1"),
            (_("Reconnect now"), app.action_reconnect, _("Skip the wait before the next attempt")),
            (_("Mark all inbox items read"), app.action_mark_all_read, _("Inbox")),
        ]
        # Settings: the reader's language, named in itself so anyone finds their own.
        for code, name in language_choices():
            if code != app.tr.lang:
                entry = _("Language: {name} ({code})").format(name=name, code=code)
                out.append((entry, partial(app.set_language, code), _("Settings")))
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

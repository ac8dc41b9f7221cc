"""Messages as data: an English sentence that also knows its key and parameters.

The engine writes sentences into events and refusals; a reader in another language needs
the key (the English template, which is the gettext msgid) and the parameters instead.
``said()`` builds both at once: a :class:`Msg` *is* the English sentence (a ``str``, so every
existing caller, log line and old client keeps working byte for byte) and carries
``key`` and ``params`` for the wire (``message_key`` / ``message_params``).

Parameter conventions (the renderer formats them per reader, see ``Translator.render``):

- a name ending in ``_date`` holds an ISO date (``2026-08-18``): shown as a long date
  in the reader's language (``18 August 2026`` / ``18 août 2026``);
- a name ending in ``_term`` holds an English catalogue string (a template title, a
  glossary term): translated in turn;
- anything else (names, ids, numbers, country codes) is shown as it is.

Pure: no I/O, so ``tte.core`` may import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

Param = str | int | float
DATE_PATTERN = "d MMMM y"  # the long date every sentence uses, in every language


class Msg(str):
    """An English sentence with the key and parameters it was made from."""

    key: str
    params: dict[str, Param]

    def __new__(cls, text: str, key: str, params: Mapping[str, Param]) -> Msg:
        self = super().__new__(cls, text)
        self.key = key
        self.params = dict(params)
        return self

    def wire(self, prefix: str = "message_") -> dict[str, Any]:
        """The extra keys that let any reader render the sentence in its language."""
        return {f"{prefix}key": self.key, f"{prefix}params": dict(self.params)}


def _english_date(value: Param) -> str:
    from babel.dates import format_date

    return str(format_date(dt.date.fromisoformat(str(value)), DATE_PATTERN, locale="en"))


def english(key: str, params: Mapping[str, Param]) -> str:
    """``key`` filled with ``params`` as an English reader sees it."""
    shown = {k: (_english_date(v) if k.endswith("_date") else v) for k, v in params.items()}
    return key.format(**shown) if params else key


def said(key: str, /, **params: Param) -> Msg:
    """The sentence ``key`` (a catalogue msgid with ``{name}`` fields) with its parameters.

    Babel extracts ``said("...")`` calls into the catalogue (``make messages``)."""
    for name, value in params.items():
        if isinstance(value, dt.date):
            params[name] = value.isoformat()
    return Msg(english(key, params), key, params)


def plain(obj: Any) -> Any:
    """msgspec ``enc_hook``: a :class:`Msg` is written as the plain sentence it is (its key
    and parameters travel only where ``wire()`` put them)."""
    if isinstance(obj, str):
        return str(obj)
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


def fields(message: str, prefix: str = "message") -> dict[str, Any]:
    """``{"message": sentence}`` plus its key and parameters when it was made by ``said``."""
    out: dict[str, Any] = {prefix: str(message)}
    if isinstance(message, Msg):
        out |= message.wire(f"{prefix}_")
    return out


def N_(text: str) -> str:
    """Marks ``text`` for the catalogue without translating it here (module-level tables,
    scenario-independent labels): the reader's translator translates it when drawn."""
    return text


def message_of(
    data: Mapping[str, Any], prefix: str = "message"
) -> tuple[str, str | None, dict[str, Any]]:
    """(stored English sentence, key or None, params) from an event's data or an error body.

    Old logs and old servers carry only the sentence: the key is None and the reader sees
    the sentence as it was written."""
    text = str(data.get(prefix) or "")
    key = data.get(f"{prefix}_key")
    params = data.get(f"{prefix}_params")
    if not isinstance(key, str) or not key:
        return text, None, {}
    return text, key, dict(params) if isinstance(params, dict) else {}

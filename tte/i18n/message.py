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
- a value that is itself a sentence made by ``said`` travels as ``{"key": …, "params": …}``
  and is rendered in turn (a refusal ground inside a country's refusal);
- anything else (names, ids, numbers, country codes) is shown as it is.

Pure: no I/O, so ``tte.core`` may import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

Param = str | int | float | dict[str, Any]
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

    def __reduce__(self) -> tuple[Any, ...]:  # copy, deepcopy and pickle keep the key
        return (Msg, (str(self), self.key, dict(self.params)))

    def wire(self, prefix: str = "message_") -> dict[str, Any]:
        """The extra keys that let any reader render the sentence in its language."""
        return {f"{prefix}key": self.key, f"{prefix}params": dict(self.params)}


def _english_date(value: Param) -> str:
    from babel.dates import format_date

    return str(format_date(dt.date.fromisoformat(str(value)), DATE_PATTERN, locale="en"))


def english(key: str, params: Mapping[str, Any]) -> str:
    """``key`` filled with ``params`` as an English reader sees it."""
    shown: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, dict):
            shown[k] = english(str(v.get("key", "")), v.get("params") or {})
        elif k.endswith("_date"):
            shown[k] = _english_date(v)
        else:
            shown[k] = v
    return key.format(**shown) if params else key


def said(key: str, /, **params: Param | dt.date) -> Msg:
    """The sentence ``key`` (a catalogue msgid with ``{name}`` fields) with its parameters.

    Babel extracts ``said("...")`` calls into the catalogue (``make messages``)."""
    data: dict[str, Param] = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            data[name] = {"key": value.key, "params": dict(value.params)}
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return Msg(english(key, data), key, data)


def listed(terms: Sequence[str], sep: str = "; ") -> str:
    """Catalogue strings (field labels, role names) as one list inside a sentence, each
    translated for its reader: ``said("Missing: {fields}", fields=listed(labels))``. The
    English is the terms joined by ``sep`` (``"; "`` or ``", "``)."""
    if not terms:
        return ""
    out: str = said("{label_term}", label_term=terms[0])
    for term in terms[1:]:
        then = said("{label_term}", label_term=term)
        if sep == ", ":
            out = said("{first}, {then}", first=out, then=then)
        else:
            out = said("{first}; {then}", first=out, then=then)
    return out


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


def as_message(data: Mapping[str, Any], prefix: str = "message") -> str:
    """The sentence an event carries, as a :class:`Msg` when it carries its key (so a fold
    that keeps it hands the key on to the snapshots it builds), else the plain text."""
    text, key, params = message_of(data, prefix)
    return Msg(text, key, params) if key is not None else text


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

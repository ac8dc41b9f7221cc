"""The report's words for the codes events carry (a deletion's reason, an evidence kind,
who played a seat, how an inject came), in the report's language.

The codes stay what the events and the CSV files say; only what a person reads is
translated, here, through the current reader (``tte report --lang``)."""

from __future__ import annotations

from typing import Final

from tte.i18n import N_, _

DELETE_REASONS: Final[dict[str, str]] = {
    "retention": N_("retention"),
    "tipped_off": N_("wiped after a tip-off"),
    "preservation_lapsed": N_("preservation lapsed"),
    "inject": N_("by the scenario"),
}
ITEM_KINDS: Final[dict[str, str]] = {
    "subscriber": N_("subscriber"),
    "traffic": N_("traffic"),
    "content": N_("content"),
    "registration": N_("registration"),
    "financial": N_("financial"),
    "kyc": N_("customer identification (KYC)"),
}
PLAYED_BY: Final[dict[str, str]] = {
    "human": N_("human"),
    "desk": N_("desk"),
    "human and desk": N_("human and desk"),
}
# Who made an inject happen, or a phase begin, or a request's end (events' "by").
BY: Final[dict[str, str]] = {
    "schedule": N_("schedule"),
    "trigger": N_("trigger"),
    "condition": N_("condition"),
    "facilitator": N_("facilitator"),
    "clock": N_("clock"),
    "inject": N_("inject"),
    "observer": N_("observer"),
}


def _word(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return _(table[code]) if code in table else code


def reason(code: str | None) -> str:
    return _word(DELETE_REASONS, code)


def kind(code: str | None) -> str:
    return _word(ITEM_KINDS, code)


def played_by(code: str | None) -> str:
    return _word(PLAYED_BY, code)


def by(code: str | None) -> str:
    """Who did it: a seat as it is, a desk, a provider or a body by its id, or a word."""
    kind, sep, ref = (code or "").partition(":")
    if sep and kind == "desk":
        return _("desk ({seat})").format(seat=ref)
    if sep:
        return ref  # org:polderhost, body:europol
    return _word(BY, code)

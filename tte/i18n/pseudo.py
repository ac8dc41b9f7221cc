"""The pseudo-locale ``xx``: every catalogue string wrapped in ⟦…⟧ and about 30 % longer.

Made at run time from the source strings, never a catalogue: a screen drawn in ``xx``
shows at a glance (and to a test) every string that did not go through the translator —
it is the one not in brackets — and whether a layout holds text a third longer, as French
often is. ``{fields}`` and ``[markup]`` are kept as they are so formatting still works.
"""

from __future__ import annotations

import re

from .translator import PSEUDO, Translator

OPEN, CLOSE = "⟦", "⟧"
_ACCENTS = str.maketrans("aeiouAEIOUcnCN", "àéîöûÀÉÎÖÛçñÇÑ")
# {fields}, [markup] and printf fields (%(prog)s, %s: argparse's own words)
_KEEP = re.compile(r"(\{[^{}]*\}|\[[^\[\]]*\]|%\([a-z_]+\)[a-z]|%[a-z%])")


def pseudo(text: str) -> str:
    """``Inbox`` -> ``⟦Înböx··⟧``: accented outside fields and markup, padded by ~30 %."""
    if not text or text.startswith(OPEN):
        return text
    core = text.rstrip()
    if core != text:  # trailing space or newline stays outside ("usage: ", errors' "\n")
        return pseudo(core) + text[len(core) :]
    parts = _KEEP.split(text)
    body = "".join(p if i % 2 else p.translate(_ACCENTS) for i, p in enumerate(parts))
    visible = sum(len(p) for i, p in enumerate(parts) if not i % 2)
    pad = "·" * max(1, round(visible * 0.3))
    return f"{OPEN}{body}{pad}{CLOSE}"


class PseudoTranslator(Translator):
    def __init__(self) -> None:
        super().__init__(PSEUDO)

    def gettext(self, text: str) -> str:
        return pseudo(text)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


def plain_words(text: str) -> set[str]:
    """Words of `text` outside ⟦…⟧ (brackets nest: a string inside a translated sentence):
    in a text drawn in ``xx``, the ones that did not go through the translator or are data."""
    depth, plain = 0, []
    for ch in text:
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE:
            depth = max(0, depth - 1)
        elif not depth:
            plain.append(ch)
    return set(re.findall(r"[^\W\d_]{2,}", "".join(plain)))

"""The glossary (``tte/locale/glossary.yaml``): one word per legal term and language.

Read lazily on first use. ``term("jit")`` is the term in the current reader's language;
a language the glossary has no column for gets its catalogue's translation of the English
term, and the English term when there is none.
"""

from __future__ import annotations

import functools
from typing import Any

from .translator import LOCALE_DIR, Translator, current

GLOSSARY = LOCALE_DIR / "glossary.yaml"


@functools.cache
def terms() -> dict[str, dict[str, Any]]:
    import yaml

    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{GLOSSARY}: a map of terms expected")
    return {str(k): dict(v) for k, v in data.items()}


def term(key: str, tr: Translator | None = None) -> str:
    tr = tr or current()
    entry = terms()[key]
    word = entry.get(tr.lang)
    return str(word) if word else tr.gettext(str(entry["en"]))

"""Translation for every reader: gettext catalogues (Babel), locale formats, messages as
data and the ``xx`` pseudo-locale. The lowest layer: core may import it (pure at import).

Use ``_("…")`` for a string drawn now, ``N_("…")`` for one in a module-level table (drawn
later through ``_``), and ``said("… {name} …", name=…)`` in the engine for a sentence that
travels in an event or a refusal (key + params on the wire). See docs/translating.md.
"""

from .glossary import term, terms
from .message import N_, Msg, fields, message_of, plain, said
from .translator import (
    PSEUDO,
    SOURCE,
    Reader,
    Translator,
    _,
    add_scenario_texts,
    available,
    current,
    display_name,
    languages,
    negotiate,
    ngettext,
    scenario_text,
    switch,
    translator,
    use,
    use_scenario_texts,
)

__all__ = [
    "N_",
    "PSEUDO",
    "SOURCE",
    "Msg",
    "Reader",
    "Translator",
    "_",
    "add_scenario_texts",
    "available",
    "current",
    "display_name",
    "fields",
    "languages",
    "message_of",
    "negotiate",
    "ngettext",
    "plain",
    "said",
    "scenario_text",
    "switch",
    "term",
    "terms",
    "translator",
    "use",
    "use_scenario_texts",
]

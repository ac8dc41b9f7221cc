"""A form's title with its legal basis, each citation said once.

A title may cite its article already ("Giving effect to an order (Art 8)", in any
language); beside its basis ("2AP Art 8") that read "… (Art 8) (2AP Art 8)". The title
drops a closing parenthesis whose citation the basis contains; any other parenthesis
("European Production Order (EPOC)") stays.
"""

from __future__ import annotations

import re

from .message import N_
from .translator import _

_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")


def bare_title(title: str, basis: str) -> str:
    """`title` without a closing ``(…)`` that only repeats part of `basis`."""
    m = _TAIL.search(title)
    if m is None or not basis:
        return title
    cited = m.group(1).strip()
    if cited and re.search(rf"(?<!\w){re.escape(cited)}(?![\w(])", basis):
        return title[: m.start()].rstrip()
    return title


def titled(title: str, basis: str, sep: str = " ({basis})") -> str:
    """``Title (basis)`` (or `sep`, e.g. ``" — {basis}"``), the citation said once."""
    if not basis:
        return title
    return bare_title(title, basis) + sep.format(basis=basis_text(basis))


# Bases that are words rather than a citation; the others are quoted as written.
BASIS_WORDS = {
    "The provider's own policy (no treaty)": N_("The provider's own policy (no treaty)"),
    "BC Art 18 (national law)": N_("BC Art 18 (national law)"),
    "EU JIT rules; ETS 182 Art 20; 2AP Art 12; UNTOC Art 19": N_(
        "EU JIT rules; ETS 182 Art 20; 2AP Art 12; UNTOC Art 19"
    ),
}


def basis_text(basis: str) -> str:
    """A template's legal basis for the reader: a citation as written, words translated."""
    words = BASIS_WORDS.get(basis)
    return _(words) if words else basis

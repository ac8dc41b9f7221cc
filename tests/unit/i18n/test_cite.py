"""A form's title beside its legal basis names each citation once, in every language."""

from __future__ import annotations

import re

import pytest

from tte.core.templates import TEMPLATES
from tte.i18n import languages, translator
from tte.i18n.cite import bare_title, titled


@pytest.mark.parametrize("lang", languages())
def test_every_template_title_with_its_basis_cites_each_article_once(lang: str) -> None:
    tr = translator(lang)
    for t in TEMPLATES.values():
        for shown in (titled(tr(t.title), t.basis), titled(tr(t.title), t.basis, " — {basis}")):
            cited = re.findall(r"\b(?:Art|Article) \d+", shown)
            assert len(cited) == len(set(cited)), shown
            assert shown.startswith(bare_title(tr(t.title), t.basis))


def test_only_a_parenthesis_the_basis_repeats_is_dropped() -> None:
    assert titled("Giving effect to an order (Art 8)", "2AP Art 8") == (
        "Giving effect to an order (2AP Art 8)"
    )
    assert bare_title("European Production Order (EPOC)", "Regulation (EU) 2023/1543 Art 5") == (
        "European Production Order (EPOC)"
    )
    assert bare_title("An order (Art 8)", "2AP Art 81") == "An order (Art 8)"  # not Art 81

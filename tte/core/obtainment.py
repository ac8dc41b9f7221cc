"""Which obtainment of an evidence item counts, for a country.

The first time a country obtains an item counts, unless a later obtainment is admissible
where the earlier one was not: then the item counts at trial from that moment. The state's
fold, the player's model and the console's view all keep obtainments by this rule. A leaf
module (no scenario loader), so a player process imports it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def supersedes(prev: Mapping[str, Any] | None, admissible: bool) -> bool:
    """Does a new obtainment (`admissible` or not) replace `prev` (None: the first)?"""
    return prev is None or (admissible and not prev["admissible"])

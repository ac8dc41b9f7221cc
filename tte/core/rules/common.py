"""Small facts every rule needs: whose seat, which Party, is a field filled."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    """What a requested Party, provider or body decides about a request."""

    decision: str  # forward | return | refuse | answer | fulfil | ignore
    ground: str | None = None
    message: str = ""
    missing: list[str] = field(default_factory=list)
    delay: float = 0.0  # a postponement: game seconds added before the next stop


def country_of(seat: str) -> str:
    return seat.split("/", 1)[0]


def role_of(seat: str) -> str:
    return seat.split("/", 1)[1] if "/" in seat else seat


def filled(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str | int | float) and str(value).strip() != ""

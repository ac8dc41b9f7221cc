"""The reservations and declarations the Second Additional Protocol allows (a small
module of its own: the player app draws them and must not load the scenario loader)."""

from __future__ import annotations

# 2AP Art 19(1): the only reservations the Protocol allows.
RESERVATIONS = {
    "art7_9a": "2AP Art 7(9)(a): Art 7 orders not applied",
    "art7_9b": "2AP Art 7(9)(b): Art 7 not applied to certain access numbers",
    "art8_13": "2AP Art 8(13): Art 8 not applied to traffic data",
    "art17": "2AP Art 17: federal clause",
}
# 2AP Art 9(1)(b): a Party may declare it will not execute Art 9 requests for subscriber
# information only.
DECLARATIONS = {
    "art9_1b": "2AP Art 9(1)(b): no Art 9 request seeking only subscriber information",
}


def cited(code: str) -> str:
    """A reservation or declaration by its citation ("2AP Art 7(9)(a)"), language-neutral."""
    text = RESERVATIONS.get(code) or DECLARATIONS.get(code)
    return text.split(":", 1)[0] if text else code

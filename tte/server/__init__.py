"""The exercise server: connections, time, the event log. It decides no rule.

``ExerciseServer``, ``ServerError`` and ``Settings`` are imported from ``.exercise`` when
first asked for, so a reader of the event log (``tte.server.log``: ``tte replay``,
``tte report``) does not import the websockets server with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .exercise import ExerciseServer, ServerError, Settings

__all__ = ["ExerciseServer", "ServerError", "Settings"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import exercise

        return getattr(exercise, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

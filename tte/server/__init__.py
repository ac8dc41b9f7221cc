"""The exercise server: connections, time, the event log. It decides no rule."""

from .exercise import ExerciseServer, ServerError, Settings

__all__ = ["ExerciseServer", "ServerError", "Settings"]

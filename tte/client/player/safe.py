"""The player widgets' name for :mod:`tte.client.safe` (inert rendering of untrusted text)."""

from tte.client.safe import columns, inert, inert_line, inert_text, one_line, plain

__all__ = ["columns", "inert", "inert_line", "inert_text", "one_line", "plain"]

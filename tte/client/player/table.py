"""The player's tables: a DataTable that never shows rows cut to stale column widths."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CellType = TypeVar("CellType")


class Table(DataTable[CellType]):
    """Textual (8.x) measures new rows when the table is next idle, but caches rendered
    lines under a key that leaves the column widths out: a frame drawn between adding
    rows and that idle (the focus arriving with the tab is enough) kept every cell cut
    to its heading's width ("Connecti  traf") until the next change. Once the widths are
    measured, the cached lines go."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()

"""A DataTable updated row by row: only changed cells are written, never a rebuild."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from tte.i18n import _

from ..safe import inert_line, inert_text

Cell = str | Text


def _inert_cell(cell: Cell) -> Text:
    return inert_text(cell) if isinstance(cell, Text) else Text(inert_line(cell), end="")


class KeyedTable(DataTable[Cell]):
    def __init__(self, columns: Sequence[tuple[str, str, int]], **kw: object) -> None:
        """`columns`: (label, key, width). Fixed widths: no re-measuring on updates, and
        no cell rendered at a width that changes under it."""
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)  # type: ignore[arg-type]
        self._columns = columns
        self._cells: dict[str, tuple[Cell, ...]] = {}

    def on_mount(self) -> None:
        for label, key, width in self._columns:
            self.add_column(_(label), key=key, width=width)  # the reader's language

    def upsert(self, key: str, cells: Sequence[Cell]) -> None:
        """Every cell is drawn as plain, inert text: a str cell would be parsed as markup
        by DataTable, and cells quote players' text."""
        old = self._cells.get(key)
        new = tuple(_inert_cell(c) for c in cells)
        if old == new:
            return
        self._cells[key] = new
        if old is None:
            self.add_row(*new, key=key)
            return
        for (_label, col, _w), a, b in zip(self._columns, old, new, strict=True):
            if a != b:
                self.update_cell(key, col, b)

    def drop(self, key: str) -> None:
        if self._cells.pop(key, None) is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.remove_row(key)

    def row_keys(self) -> Iterable[str]:
        return self._cells.keys()

    def reset(self) -> None:
        self._cells.clear()
        self.clear()

    @property
    def current_key(self) -> str | None:
        """The key of the highlighted row."""
        if self.row_count == 0 or self.cursor_row < 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return str(row_key.value) if row_key.value is not None else None

    def select_key(self, key: str) -> None:
        with contextlib.suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(key))

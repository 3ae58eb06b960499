"""Listing rows read straight from their JSON into columns, when no value needs a model to read it.

Validating 10,000 rows into models cost more than the rest of a table (benchmarks/bench_db_tables.py).
Here each column is read with one comprehension and its value types checked as a set; the times go
through pydantic's own datetime parsing in one call. ``plain_columns`` gives up (None) on anything
else a row may hold (a number for a name, a missing required id, a key the models keep for
themselves such as ``raw``): the caller then validates the rows, so a table, or its error, is
always what the models would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

__all__ = ["INT_OR_NONE", "STR", "STR_LIST_OR_NONE", "STR_OR_NONE", "TIME_OR_NONE", "Field", "plain_columns"]

#: A column's kind: the exact types its model field takes unchanged.
STR = "str"
STR_OR_NONE = "str?"
INT_OR_NONE = "int?"
TIME_OR_NONE = "time?"
STR_LIST_OR_NONE = "list[str]?"
_TYPES: dict[str, set[type]] = {
    STR: {str},
    STR_OR_NONE: {str, type(None)},
    INT_OR_NONE: {int, type(None)},  # not bool: a bool is an int subclass, but not its exact type
    STR_LIST_OR_NONE: {list, type(None)},
}
_TIMES: TypeAdapter[list[datetime | None]] = TypeAdapter(list[datetime | None])

#: (kind, the value a missing key takes: the model field's default).
Field = tuple[str, Any]


def plain_columns(rows: list[Any], fields: Mapping[str, Field]) -> dict[str, list[Any]] | None:
    """Each field's column of ``rows`` (times as aware datetimes), or None if a row needs its model."""
    if {type(row) for row in rows} - {dict} or any("raw" in row for row in rows):
        return None
    columns: dict[str, list[Any]] = {}
    for name, (kind, default) in fields.items():
        column = [row.get(name, default) for row in rows]
        if kind == TIME_OR_NONE:
            try:
                column = _TIMES.validate_python(column)
            except ValidationError:
                return None
        elif {type(value) for value in column} - _TYPES[kind] or _list_items_not_str(kind, column):
            return None
        columns[name] = column
    return columns


def _list_items_not_str(kind: str, column: list[Any]) -> bool:
    if kind != STR_LIST_OR_NONE:
        return False
    return bool({type(item) for items in column if items for item in items} - {str})

"""Listing rows read straight from their JSON into columns, when no value needs a model to read it.

Validating 10,000 rows into models cost more than the rest of a table (benchmarks/bench_db_tables.py).
Here each column is read with one comprehension and its value types checked as a set; the times go
through pydantic's own datetime parsing in one call. ``plain_columns`` gives up (None) on anything
else a row may hold (a number for a name, a missing required id, a key the models keep for
themselves such as ``raw``): the caller then validates the rows, so a table, or its error, is
always what the models would give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from agentnb.tables._pages import utc_ns

__all__ = [
    "INT_OR_NONE",
    "STR",
    "STR_LIST_OR_NONE",
    "STR_OR_NONE",
    "TIME_OR_NONE",
    "Field",
    "epoch_ns",
    "iso_ns",
    "iso_times",
    "plain_columns",
]

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


#: pydantic reads an integer time as seconds since the epoch up to this size, as milliseconds beyond.
_SECONDS_UP_TO = 20_000_000_000


def epoch_ns(column: list[Any]) -> list[int | None] | None:
    """A time column of whole seconds since the epoch (what AgentOS sends) as nanoseconds: what
    pydantic's datetime makes of them, without making 10,000 datetimes. None for any other column."""
    if {type(value) for value in column} - {int, type(None)}:
        return None
    if any(value is not None and not -_SECONDS_UP_TO < value < _SECONDS_UP_TO for value in column):
        return None
    return [value * 1_000_000_000 if value is not None else None for value in column]


#: An ISO 8601 time as AgentOS writes them (``2025-09-05T16:02:09Z``, microseconds and an offset
#: allowed), every field in its range: pydantic and pandas read these the same way.
_ISO_TIME = (
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?"
)
#: A column of them joined by line ends: one match for the whole column instead of one call each.
_ISO_LINES = re.compile(f"{_ISO_TIME}(?:\n{_ISO_TIME})*")


def iso_times(column: list[Any]) -> bool:
    """Whether every value of a time column is None or an ISO 8601 string as AgentOS writes them."""
    if {type(value) for value in column} - {str, type(None)}:
        return False
    texts = [value for value in column if value is not None]
    joined = "\n".join(texts)
    # No value may hold a line end of its own (two times in one string would match as two lines).
    return not texts or (joined.count("\n") == len(texts) - 1 and _ISO_LINES.fullmatch(joined) is not None)


def iso_ns(column: list[Any]) -> list[Any]:
    """A time column whose strings passed ``iso_times`` (other cells already nanoseconds) as
    nanoseconds, naive as UTC. The strings are parsed by pandas in one call, once for the whole
    table: making 10,000 datetimes one by one (pydantic, then pandas again) cost a fifth of
    sessions_table, and pandas costs about a millisecond a call. A string pandas refuses (the
    30th of February) sends the strings through pydantic's datetime, which raises what a model
    would."""
    texts = [value for value in column if type(value) is str]
    if not texts:
        return column
    try:
        times = pd.to_datetime(texts, utc=True, format="ISO8601")
        parsed: list[int | None] = times.as_unit("ns").asi8.tolist()
    except (ValueError, OverflowError):
        parsed = [utc_ns(t) for t in _TIMES.validate_python(texts)]
    values = iter(parsed)
    return [next(values) if type(value) is str else value for value in column]


"""What every table shares: column kinds, the cell-width limits, and building one typed frame.

A table module declares its schema as ``(column, kind)`` pairs, collects whole Python columns
with ``_columns()`` and turns them into a DataFrame with ``_frame()``; ``_clip()`` keeps wire text
plain and short.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

# Column kinds: how each column's Python values become one typed pandas array.
_STR = "string"  # pandas' nullable StringDtype: missing is <NA>, the same in pandas 2 and 3
_TIME = "datetime64[ns, UTC]"
_INT = "Int64"
_FLOAT = "float64"
_BOOL = "boolean"

#: Longest text kept in a cell, per column; longer text is clipped and ends in "…".
CONTENT_CHARS = 200
NAME_CHARS = 200
DESCRIPTION_CHARS = 300
PREVIEW_CHARS = 80
ERROR_CHARS = 300


def _frame(schema: tuple[tuple[str, str], ...], columns: Mapping[str, list[Any]]) -> pd.DataFrame:
    """One DataFrame built in one go from whole columns (never row by row)."""
    frame: pd.DataFrame = pd.DataFrame({name: _array(columns[name], kind) for name, kind in schema})
    return frame


def _array(values: list[Any], kind: str) -> pd.api.extensions.ExtensionArray:
    if kind == _TIME:
        # One vectorised parse; naive datetimes count as UTC. pandas 3 infers a coarser unit.
        times: pd.api.extensions.ExtensionArray = pd.to_datetime(values, utc=True).as_unit("ns").array
        return times
    if kind == _INT:
        return pd.array(values, dtype="Int64")
    if kind == _FLOAT:
        return pd.array(values, dtype="float64")
    if kind == _BOOL:
        return pd.array(values, dtype="boolean")
    return pd.array(values, dtype="string")


def _columns(schema: tuple[tuple[str, str], ...]) -> dict[str, list[Any]]:
    return {name: [] for name, _ in schema}


def clip_column(values: list[Any], limit: int) -> list[str | None]:
    """``_clip()`` of every value; short strings (most cells) pass without a call."""
    return [v if v is None or (type(v) is str and len(v) <= limit) else _clip(v, limit) for v in values]


def _clip(text: Any, limit: int) -> str | None:
    """``text`` as at most ``limit`` characters, ending in "…" when it was cut."""
    if text is None:
        return None
    value = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    return value if len(value) <= limit else value[: limit - 1] + "…"

"""Batch input (a list, a pandas Series, or a DataFrame column plus per-row keyword columns) and
the result DataFrame: fixed columns and dtypes, in input order, also when empty."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from agentnb.batch.runner import Job, Row

__all__ = ["BATCH_COLUMNS", "batch_frame", "jobs_from"]

BATCH_COLUMNS: tuple[tuple[str, str], ...] = (
    ("prompt", "string"),
    ("status", "string"),
    ("content", "string"),
    ("run_id", "string"),
    ("session_id", "string"),
    ("duration", "float64"),
    ("time_to_first_token", "float64"),
    ("input_tokens", "Int64"),
    ("output_tokens", "Int64"),
    ("error", "string"),
)


def jobs_from(prompts: Any, *, prompt_column: str, allowed: Iterable[str]) -> list[Job]:
    """One Job per prompt. A DataFrame gives its ``prompt_column`` and, per row, the columns whose
    names are run keywords (``allowed``, e.g. ``user_id``, ``session_id``); other columns are
    refused rather than silently dropped, so a typo does not go unnoticed."""
    if isinstance(prompts, pd.DataFrame):
        if prompt_column not in prompts.columns:
            raise ValueError(f"the DataFrame has no {prompt_column!r} column (prompt_column=)")
        extra = [str(c) for c in prompts.columns if c != prompt_column]
        unknown = sorted(set(extra) - set(allowed))
        if unknown:
            raise ValueError(f"columns that are not run keywords: {', '.join(unknown)}")
        records = prompts.to_dict("records")
        return [
            Job(i, r[prompt_column], {k: _plain(r[k]) for k in extra if _plain(r[k]) is not None})
            for i, r in enumerate(records)
        ]
    if isinstance(prompts, pd.Series):
        values: Sequence[Any] = prompts.tolist()
    elif isinstance(prompts, str):
        raise TypeError("abatch() takes many prompts (a list, a Series or a DataFrame), not one str")
    else:
        values = list(prompts)
    return [Job(i, p) for i, p in enumerate(values)]


def _plain(value: Any) -> Any:
    """pandas' missing markers (NaN, NA, NaT) as None, so an empty cell means "not given"."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # lists and dicts: pd.isna answers element-wise
        return value


def batch_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The result table; paused runs (with their requirements) ride along in ``frame.attrs["paused"]``
    keyed by row position, so ``approve_paused(agent, frame)`` can open their forms later."""
    data = {name: pd.array([getattr(r, name) for r in rows], dtype=kind) for name, kind in BATCH_COLUMNS}
    frame = pd.DataFrame(data)
    frame.attrs["paused"] = {i: r.paused for i, r in enumerate(rows) if r.paused is not None}
    return frame

"""trace_rows_frame(): traces read column by column from JSON equal the validated models' table."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from agentnb.agentos.db_models import TraceSummary
from agentnb.tables.traces import trace_frame, trace_rows_frame
from tests.tables._counting import assert_reads_as_validated, count_validations


def plain(i: int, **changes: Any) -> dict[str, Any]:
    row = {
        "trace_id": f"t-{i}",
        "name": "Agent.arun",
        "status": "OK",
        "duration": f"{100 + i}.5ms",
        "start_time": "2026-01-02T10:00:00Z",
        "end_time": "2026-01-02T10:00:01.250000Z",
        "total_spans": 3,
        "error_count": 0,
        "input": f"question {i}",
        "run_id": f"r-{i}",
        "session_id": "s-1",
        "user_id": "ada",
        "agent_id": "memory-agent",
        "team_id": None,
        "workflow_id": None,
        "created_at": "2026-01-02T10:00:00Z",
    }
    return {**row, **changes}


def validated(rows: list[Any]) -> pd.DataFrame:
    return trace_frame([TraceSummary.model_validate(r) for r in rows])


ODD_ROWS = [
    [plain(1)],
    [],
    [{"trace_id": "only-an-id"}],  # every optional field missing
    [plain(2, duration="1.2s", end_time=None, total_spans=None)],
    [plain(3, duration="soon"), plain(4, duration=None)],  # unreadable durations are None
    [plain(5, input="é" * 5000)],  # clipped
    [plain(6, start_time="2026-03-01T12:30:00+02:00", end_time=1767225600)],  # offset, epoch
    [plain(7, total_spans=3.0)],  # a whole float: the model's int; read through the model
    [plain(8, total_spans=True)],  # a bool is not an int here: read through the model
    [plain(9, extra={"kept": True}, raw={"a": 1})],  # raw: a key the model owns
    [plain(10), plain(11, trace_id=11)],  # a number for an id: the models' error
    [plain(12, created_at="not a time")],  # not a column, but validated like the rest
]


@pytest.mark.parametrize("rows", ODD_ROWS)
def test_json_rows_read_as_the_validated_models(rows: list[Any]) -> None:
    assert_reads_as_validated(trace_rows_frame, validated, rows)


def test_plain_rows_are_read_without_a_model_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch, TraceSummary)
    rows = [plain(i) for i in range(40)]
    df = trace_rows_frame(rows)
    assert calls == [] and len(df) == 40
    assert df["duration_ms"].iloc[2] == 102.5 and str(df["start_time"].dtype) == "datetime64[ns, UTC]"
    assert str(df["total_spans"].dtype) == "Int64" and "created_at" not in df.columns
    trace_rows_frame([*rows, plain(99, error_count="2")])
    assert len(calls) == 41  # one odd row: every row went through the model

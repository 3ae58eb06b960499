"""memory_rows_frame(): memories read column by column from JSON equal the validated models' table."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from agentnb.agentos.db_models import UserMemory
from agentnb.tables.memories import memory_frame, memory_rows_frame
from tests.tables._counting import assert_reads_as_validated, count_validations


def plain(i: int, **changes: Any) -> dict[str, Any]:
    row = {
        "memory_id": f"m-{i}",
        "memory": f"fact {i}",
        "topics": ["facts", f"t{i}"],
        "agent_id": "memory-agent",
        "team_id": None,
        "user_id": "ada",
        "updated_at": f"2026-01-0{1 + i % 9}T10:00:00Z",
    }
    return {**row, **changes}


def validated(rows: list[Any]) -> pd.DataFrame:
    return memory_frame([UserMemory.model_validate(r) for r in rows])


ODD_ROWS = [
    [plain(1)],
    [],
    [{"memory_id": "only-an-id"}],  # every optional field missing
    [plain(2, topics=None, agent_id=None, user_id=None, updated_at=None)],
    [plain(3, topics=[]), plain(4, memory="")],
    [plain(5, memory="é" * 500)],  # clipped
    [plain(6, updated_at="2026-03-01T12:30:00.123456+02:00")],  # an offset, microseconds
    [plain(7, updated_at="2026-03-01T12:30:00")],  # naive counts as UTC
    [plain(8, updated_at=1767225600), plain(9, updated_at=1767225600.5)],  # epoch seconds
    [plain(10, updated_at="1767225600")],  # a numeric string, as pydantic reads it
    [plain(11, extra_key={"kept": True}, raw={"a": 1})],  # raw: a key the model owns
    [plain(12), plain(13, memory_id=13)],  # a number for an id: the models' error
]


@pytest.mark.parametrize("rows", ODD_ROWS)
def test_json_rows_read_as_the_validated_models(rows: list[Any]) -> None:
    assert_reads_as_validated(memory_rows_frame, validated, rows)


@pytest.mark.parametrize(
    "bad",
    [
        plain(1, memory=None),
        plain(1, memory=5),
        plain(1, topics=[1, 2]),
        plain(1, topics="facts"),
        plain(1, user_id=7),
        plain(1, updated_at="yesterday"),
        plain(1, updated_at=[2026]),
        plain(1, raw="not an object"),
        {"memory": "no id"},
        "not an object",
        None,
    ],
)
def test_rows_the_models_refuse_are_refused_the_same_way(bad: Any) -> None:
    with pytest.raises(ValidationError) as expected:
        validated([plain(0), bad])
    with pytest.raises(ValidationError) as got:
        memory_rows_frame([plain(0), bad])
    assert got.value.errors()[0]["type"] == expected.value.errors()[0]["type"]


def test_plain_rows_are_read_without_a_model_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch, UserMemory)
    rows = [plain(i) for i in range(50)]
    df = memory_rows_frame(rows)
    assert calls == [] and len(df) == 50
    assert df["topics"].iloc[3] == "facts, t3" and str(df["updated_at"].dtype) == "datetime64[ns, UTC]"
    with pytest.raises(ValidationError):
        memory_rows_frame([*rows, plain(99, memory_id=99)])
    assert len(calls) == 51  # one odd row: every row went through the model

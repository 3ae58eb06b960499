"""Checks shared by the row readers' tests: a reader's frame is the models' frame (or their
error), and a plain row costs no model (``model_validate`` calls, counted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from pydantic import BaseModel, ValidationError

Reader = Callable[[list[Any]], pd.DataFrame]


def assert_reads_as_validated(read: Reader, validated: Reader, rows: list[Any]) -> None:
    """``read(rows)`` is the frame ``validated(rows)`` makes, or raises the same kind of error."""
    try:
        expected = validated(rows)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as got:
            read(rows)
        assert got.value.errors()[0]["type"] == exc.errors()[0]["type"]
        return
    pd.testing.assert_frame_equal(read(rows), expected)


def count_validations(monkeypatch: pytest.MonkeyPatch, model: type[BaseModel]) -> list[Any]:
    """Each value ``model.model_validate`` is called with from now on (the call still validates)."""
    calls: list[Any] = []
    original = model.model_validate

    def counting(value: Any, **kwargs: Any) -> BaseModel:
        calls.append(value)
        return original(value, **kwargs)

    monkeypatch.setattr(model, "model_validate", counting)
    return calls

"""A model's ``model_validate`` calls, counted: the row readers promise no model per plain row."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel


def count_validations(monkeypatch: pytest.MonkeyPatch, model: type[BaseModel]) -> list[Any]:
    """Each value ``model.model_validate`` is called with from now on (the call still validates)."""
    calls: list[Any] = []
    original = model.model_validate

    def counting(value: Any, **kwargs: Any) -> BaseModel:
        calls.append(value)
        return original(value, **kwargs)

    monkeypatch.setattr(model, "model_validate", counting)
    return calls

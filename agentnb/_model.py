"""WireModel: the base of every model decoded from a peer's JSON, whatever the protocol.

Unknown keys are kept (``extra="allow"``) so a newer server loses nothing, and ``raw`` keeps the
payload as received for debugging panes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["W", "WireModel"]

W = TypeVar("W", bound="WireModel")


class WireModel(BaseModel):
    """Base of every decoded model: keeps unknown keys and the raw payload."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=False)

    raw: dict[str, Any] | None = Field(default=None, exclude=True, repr=False)

    @classmethod
    def from_wire(cls: type[W], payload: dict[str, Any]) -> W:
        obj = cls.model_validate(payload)
        obj.raw = payload
        return obj

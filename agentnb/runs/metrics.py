"""agno's metrics as typed models: ``RunMetrics`` (a run's), ``MessageMetrics`` and ``ModelMetrics``.

Attributes read like agno's (``out.metrics.input_tokens``); the keys the server sent also read like
the dict agentnb used to hand out (``out.metrics["input_tokens"]``, ``.get("total_tokens")``,
``dict(out.metrics)``, ``== {...}``). Unknown keys are kept. ``model_dump`` gives back the keys
that were sent or set, so a JSON round trip is exact; ``to_dict`` drops zeros and Nones as agno's.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)

__all__ = ["DictAccess", "MessageMetrics", "Metrics", "ModelMetrics", "RunMetrics", "compact"]


def compact(data: Mapping[str, Any]) -> dict[str, Any]:
    """agno's ``to_dict`` filter: no None, no int 0, no empty dict or list."""
    return {
        k: v
        for k, v in data.items()
        if v is not None
        and not (isinstance(v, int) and not isinstance(v, bool) and v == 0)
        and not (isinstance(v, (dict, list)) and len(v) == 0)
    }


class DictAccess(BaseModel):
    """A model that also reads as the dict of the keys it was given (its set fields and extras)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    #: Set when the payload did not fit the declared types and was kept as sent.
    _loose: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _lenient(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """A shape this version doesn't expect (older agno sent lists of numbers) is kept as sent."""
        try:
            return handler(data)
        except ValidationError:
            if not isinstance(data, Mapping):
                raise
            loose = cls.model_construct(_fields_set=set(data) & set(cls.model_fields), **dict(data))
            loose._loose = True
            return loose

    def keys(self) -> list[str]:
        extra = list(self.__pydantic_extra__ or {})
        fields_set = self.model_fields_set
        return [name for name in type(self).model_fields if name in fields_set] + extra

    def values(self) -> list[Any]:
        return [self[k] for k in self.keys()]

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self[k]) for k in self.keys()]

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.keys() else default

    def __contains__(self, key: object) -> bool:
        return key in self.keys()

    def __len__(self) -> int:
        return len(self.keys())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.model_dump() == dict(other)
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr_args__(self) -> Iterable[tuple[str | None, Any]]:
        return self.items()

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        with warnings.catch_warnings():
            if self._loose:
                warnings.simplefilter("ignore")
            data: dict[str, Any] = handler(self)
        given = set(self.keys())
        return {k: v for k, v in data.items() if k in given}


class Metrics(DictAccess):
    """Token counts shared by every agno metrics type (``BaseMetrics``); absent counts read 0."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    audio_input_tokens: int = 0
    audio_output_tokens: int = 0
    audio_total_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """As agno's ``to_dict``: only the non-zero, non-None values."""
        return compact({k: _plain(v) for k, v in self.items()})


def _plain(value: Any) -> Any:
    if isinstance(value, Metrics):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class ModelMetrics(Metrics):
    """One model's share of a run (``metrics.details["model"][i]``)."""

    id: str = ""
    provider: str = ""
    provider_metrics: dict[str, Any] | None = None


class MessageMetrics(Metrics):
    """A message's metrics (``Message.metrics``)."""

    duration: float | None = None
    time_to_first_token: float | None = None
    provider_metrics: dict[str, Any] | None = None


class RunMetrics(Metrics):
    """A run's metrics (agno's ``RunMetrics``), with the per-model breakdown in ``details``."""

    time_to_first_token: float | None = None
    duration: float | None = None
    details: dict[str, list[ModelMetrics]] | None = None
    additional_metrics: dict[str, Any] | None = None

"""The hot path of a streamed answer: an artifact chunk's models built without pydantic's validator.

A streamed chunk becomes four models (Part, Artifact, ArtifactUpdate, StreamEvent); validating
them took about two thirds of agentnb's time per chunk, far more than reading the bytes. The codecs
check the chunk's plain JSON values by exact type first (``str`` for a ``str | None`` field, a
``dict`` with string keys for metadata, ...) and only then assemble the instances here, with the
same field values, ``model_fields_set`` and copies (``dict[str, Any]`` fields get a new dict, as
pydantic gives) that the constructors would make. A chunk of any other shape goes the ordinary,
validated way, so the fast path changes speed, never meaning: tests/a2a/test_fast_chunks.py
compares the two on every shape.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any, TypeVar

from agentnb._model import WireModel
from agentnb.a2a.models import Artifact, ArtifactUpdate, Part

__all__ = ["BAD", "assemble", "fast_chunk", "fast_model", "gc_paused", "metadata_or_bad", "plain_str"]

M = TypeVar("M", bound=WireModel)

_set = object.__setattr__
_new = object.__new__

#: Returned by the checks below for a value that must be validated the ordinary way.
BAD: Any = object()


def assemble(cls: type[M], state: dict[str, Any], fields_set: set[str]) -> M:
    """An instance of ``cls`` with ``state`` (every field, in declaration order) as its values.

    Only for models without validators, private attributes or ``model_post_init`` (the A2A
    models used here have none that apply; tests/a2a/test_fast_chunks.py checks it).
    """
    obj = _new(cls)
    _set(obj, "__dict__", state)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", {})
    _set(obj, "__pydantic_private__", None)
    return obj


def plain_str(value: Any) -> bool:
    """What a ``str | None`` field takes unchanged."""
    return value is None or type(value) is str


def metadata_or_bad(value: Any) -> Any:
    """A ``dict[str, Any] | None`` field's value as pydantic gives it (a new dict), or BAD."""
    if value is None:
        return None
    if type(value) is not dict:
        return BAD
    for key in value:
        if type(key) is not str:
            return BAD
    return dict(value)


def fast_chunk(
    update: dict[str, Any],
    artifact: Any,
    part: Any,
    text: Any,
    part_metadata: Any,
    *,
    raw: dict[str, Any],
    v10: bool,
) -> ArtifactUpdate | None:
    """An ArtifactUpdate with one text part, or None when a value needs validating.

    ``update`` is the wire object holding taskId/contextId/append/lastChunk/metadata, ``raw``
    what the update's ``raw`` keeps, ``artifact`` and ``part`` the wire objects inside it.
    ``v10``: the proto-JSON codec's readings (an empty name or metadata is None; the part's
    metadata is assigned after construction, unvalidated) rather than v0.3 JSON-RPC's.
    """
    if type(artifact) is not dict or type(text) is not str:
        return None
    name, description = artifact.get("name"), artifact.get("description")
    artifact_metadata, update_metadata = artifact.get("metadata"), update.get("metadata")
    if v10:
        name, description = name or None, description or None
        artifact_metadata, update_metadata = artifact_metadata or None, update_metadata or None
        part_metadata = part_metadata or None
    else:
        part_metadata = metadata_or_bad(part_metadata)
    task_id, context_id = update.get("taskId"), update.get("contextId")
    if not (plain_str(name) and plain_str(description) and plain_str(task_id) and plain_str(context_id)):
        return None
    artifact_metadata = metadata_or_bad(artifact_metadata)
    update_metadata = metadata_or_bad(update_metadata)
    if part_metadata is BAD or artifact_metadata is BAD or update_metadata is BAD:
        return None
    new_part = assemble(
        Part,
        {
            "raw": part,
            "kind": "text",
            "text": text,
            "data": None,
            "content": None,
            "uri": None,
            "mime_type": None,
            "filename": None,
            "metadata": part_metadata,
        },
        {"raw", "kind", "text", "metadata"},
    )
    new_artifact = assemble(
        Artifact,
        {
            "raw": artifact,
            "artifact_id": str(artifact.get("artifactId") or ""),
            "name": name,
            "description": description,
            "parts": [new_part],
            "metadata": artifact_metadata,
            "declared_mime_type": None,
        },
        {"raw", "artifact_id", "name", "description", "parts", "metadata"},
    )
    return assemble(
        ArtifactUpdate,
        {
            "raw": raw,
            "task_id": task_id,
            "context_id": context_id,
            "artifact": new_artifact,
            "append": bool(update.get("append")),
            "last_chunk": bool(update.get("lastChunk")),
            "metadata": update_metadata,
        },
        {"raw", "task_id", "context_id", "artifact", "append", "last_chunk", "metadata"},
    )


_TEMPLATES: dict[type[WireModel], dict[str, Any]] = {}


def fast_model(
    cls: type[M], values: dict[str, Any], raw: dict[str, Any] | None, assigned: dict[str, Any] | None = None
) -> M:
    """``cls(**values)`` then ``.raw = raw`` (and ``assigned`` set), for values the caller has
    checked to be exactly of their fields' types; list fields must be given (fresh lists)."""
    template = _TEMPLATES.get(cls)
    if template is None:
        template = _TEMPLATES[cls] = {
            name: None if field.is_required() or field.default_factory is not None else field.default
            for name, field in cls.model_fields.items()
        }
    state = template.copy()
    state.update(values)
    fields_set = set(values)
    if raw is not None:
        state["raw"] = raw
        fields_set.add("raw")
    if assigned:
        state.update(assigned)
        fields_set.update(assigned)
    return assemble(cls, state, fields_set)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a page of tasks is decoded (no await inside).

    Decoding a 100-task page makes thousands of containers that all stay alive, and the
    collector walked every one of them again and again: a third of ``artifacts_table``'s time
    over 10,000 artifacts. Nothing decoded is cyclic garbage, so the collection can wait until
    the page is done; if the collector was already off it stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

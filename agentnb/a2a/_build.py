"""The hot path of a streamed answer: an artifact chunk read without pydantic's validator.

A streamed chunk once became four models (Part, Artifact, ArtifactUpdate, StreamEvent);
validating them took about two thirds of agentnb's time per chunk, far more than reading the
bytes. The codecs check the chunk's plain JSON values by exact type first (``str`` for a
``str | None`` field, a ``dict`` with string keys for metadata, ...: ``chunk_facts``). A stream
then builds no model at all for it: its StreamEvent is a light object whose ``item`` is decoded
only if read, and its artifact is joined as text (``TextJoin``) until someone reads it. When
models are wanted they are assembled here directly, with the same field values,
``model_fields_set`` and copies (``dict[str, Any]`` fields get a new dict, as pydantic gives)
that the constructors would make. A chunk of any other shape goes the ordinary, validated way,
so the fast paths change speed, never meaning: tests/a2a/test_fast_chunks.py compares them on
every shape.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any, TypeVar

from agentnb._model import WireModel
from agentnb.a2a.models import Artifact, ArtifactUpdate, Part
from agentnb.a2a.stream_event import Later

__all__ = [
    "BAD",
    "ChunkFacts",
    "TextJoin",
    "assemble",
    "chunk_facts",
    "fast_chunk",
    "fast_model",
    "gc_paused",
    "metadata_or_bad",
    "plain_str",
    "text_artifact",
    "text_part",
]

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


#: What a streamed text chunk says, its values checked and read as its models would hold them:
#: (artifact_id, text, task_id, context_id, append, last_chunk, update_metadata, artifact_wire,
#: name, description, artifact_metadata, part_wire, part_metadata). Built by ``chunk_facts``.
ChunkFacts = tuple[str, str, Any, Any, bool, bool, Any, dict[str, Any], Any, Any, Any, dict[str, Any], Any]


def chunk_facts(
    update: dict[str, Any], artifact: Any, part: Any, text: Any, part_metadata: Any, *, v10: bool
) -> ChunkFacts | None:
    """The facts of an artifact update with one text part, or None when a value needs validating.

    ``update`` is the wire object holding taskId/contextId/append/lastChunk/metadata, ``artifact``
    and ``part`` the wire objects inside it. ``v10``: the proto-JSON codec's readings (an empty
    name or metadata is None; the part's metadata is assigned after construction, unvalidated)
    rather than v0.3 JSON-RPC's. Metadata dicts are new copies, as pydantic gives.
    """
    if type(artifact) is not dict or type(text) is not str:
        return None
    name, description = artifact.get("name"), artifact.get("description")
    artifact_metadata, update_metadata = artifact.get("metadata"), update.get("metadata")
    if v10:
        name, description = name or None, description or None
        artifact_metadata, update_metadata = artifact_metadata or None, update_metadata or None
        part_metadata = part_metadata or None
    elif part_metadata is not None:
        part_metadata = metadata_or_bad(part_metadata)
    task_id, context_id = update.get("taskId"), update.get("contextId")
    # ``plain_str`` of each, written out: this runs once per streamed token.
    if not (
        (name is None or type(name) is str)
        and (description is None or type(description) is str)
        and (task_id is None or type(task_id) is str)
        and (context_id is None or type(context_id) is str)
    ):
        return None
    if artifact_metadata is not None:
        artifact_metadata = metadata_or_bad(artifact_metadata)
    if update_metadata is not None:
        update_metadata = metadata_or_bad(update_metadata)
    if part_metadata is BAD or artifact_metadata is BAD or update_metadata is BAD:
        return None
    return (
        str(artifact.get("artifactId") or ""),
        text,
        task_id,
        context_id,
        bool(update.get("append")),
        bool(update.get("lastChunk")),
        update_metadata,
        artifact,
        name,
        description,
        artifact_metadata,
        part,
        part_metadata,
    )


def text_part(part_wire: dict[str, Any], text: str, metadata: Any) -> Part:
    """The Part a text chunk's part decodes to (see ``chunk_facts``)."""
    return assemble(
        Part,
        {
            "raw": part_wire,
            "kind": "text",
            "text": text,
            "data": None,
            "content": None,
            "uri": None,
            "mime_type": None,
            "filename": None,
            "metadata": metadata,
        },
        {"raw", "kind", "text", "metadata"},
    )


def text_artifact(
    artifact_wire: dict[str, Any],
    artifact_id: str,
    name: Any,
    description: Any,
    parts: list[Part],
    metadata: Any,
) -> Artifact:
    """The Artifact a text chunk's artifact decodes to, with ``parts``."""
    return assemble(
        Artifact,
        {
            "raw": artifact_wire,
            "artifact_id": artifact_id,
            "name": name,
            "description": description,
            "parts": parts,
            "metadata": metadata,
            "declared_mime_type": None,
        },
        {"raw", "artifact_id", "name", "description", "parts", "metadata"},
    )


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

    ``raw`` is what the update's ``raw`` keeps; the rest is as for ``chunk_facts``.
    """
    facts = chunk_facts(update, artifact, part, text, part_metadata, v10=v10)
    if facts is None:
        return None
    key, text, task_id, context_id, append, last, update_metadata, wire, name, desc, meta, pwire, pmeta = (
        facts
    )
    new_artifact = text_artifact(wire, key, name, desc, [text_part(pwire, text, pmeta)], meta)
    return assemble(
        ArtifactUpdate,
        {
            "raw": raw,
            "task_id": task_id,
            "context_id": context_id,
            "artifact": new_artifact,
            "append": append,
            "last_chunk": last,
            "metadata": update_metadata,
        },
        {"raw", "task_id", "context_id", "artifact", "append", "last_chunk", "metadata"},
    )


class TextJoin(Later):
    """An artifact streamed in one-text-part chunks, held as their texts and wire parts.

    Built as an Artifact only when someone reads it (``value()``; then kept up to date), so a
    streamed answer costs no model per chunk and the collector no live Part per chunk. What it
    builds is what joining the decoded chunks gives: the first chunk's artifact with every kept
    part, and the last metadata a chunk carried.
    """

    __slots__ = (
        "artifact_id",
        "description",
        "live",
        "metadata",
        "metas",
        "name",
        "parts",
        "size",
        "texts",
        "wire",
    )

    def __init__(self, facts: ChunkFacts) -> None:
        self.artifact_id, self.wire, self.name, self.description = facts[0], facts[7], facts[8], facts[9]
        self.metadata: Any = facts[10]
        # Three flat lists: strings and the wire's flat dicts are nothing the collector walks.
        self.texts: list[str] = []
        self.parts: list[dict[str, Any]] = []
        self.metas: list[Any] = []
        self.size = 0
        self.live: Artifact | None = None

    def add(self, text: str, part_wire: dict[str, Any], metadata: Any) -> None:
        self.texts.append(text)
        self.parts.append(part_wire)
        self.metas.append(metadata)
        self.size += len(text)
        if self.live is not None:
            self.live.parts.append(text_part(part_wire, text, metadata))

    def set_metadata(self, metadata: Any) -> None:
        self.metadata = metadata
        if self.live is not None:
            self.live.metadata = metadata

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def value(self) -> Artifact:
        live = self.live
        if live is None:
            with gc_paused():
                parts = [
                    text_part(w, t, m) for w, t, m in zip(self.parts, self.texts, self.metas, strict=True)
                ]
            live = self.live = text_artifact(
                self.wire, self.artifact_id, self.name, self.description, parts, self.metadata
            )
        return live


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

"""A2A v0.3 JSON objects as JSON-RPC (and Agno's dialect) carry them: ``kind`` discriminators,
roles "user"/"agent", lower-case states, file parts as ``{"file": {"bytes"|"uri", "mimeType",
"name"}}``."""

from __future__ import annotations

from typing import Any

from agentnb.a2a._build import ChunkFacts, chunk_facts, fast_chunk
from agentnb.a2a._wire import b64decode as _b64decode
from agentnb.a2a._wire import json_object as _obj
from agentnb.a2a.models import (
    A2AMessage,
    Artifact,
    ArtifactUpdate,
    Part,
    StatusUpdate,
    Task,
    TaskState,
    TaskStatus,
)
from agentnb.errors import ProtocolError

__all__ = ["decode_item", "decode_task", "encode_message", "text_chunk"]


def decode_part(raw: Any) -> Part:
    data = _obj(raw, "a part")
    kind = data.get("kind")
    metadata = data.get("metadata")
    if kind == "file" or (kind is None and "file" in data):
        file = _obj(data.get("file") or {}, "a file part")
        part = Part(
            kind="file",
            content=_b64decode(file.get("bytes")),
            uri=file.get("uri"),
            mime_type=file.get("mimeType") or file.get("mime_type"),
            filename=file.get("name"),
            metadata=metadata,
        )
    elif kind == "data" or (kind is None and "data" in data):
        part = Part(kind="data", data=data.get("data"), metadata=metadata)
    else:
        text = data.get("text")
        part = Part(kind="text", text=text if isinstance(text, str) else "", metadata=metadata)
    part.raw = data
    return part


def decode_message(raw: Any) -> A2AMessage:
    data = _obj(raw, "a message")
    message = A2AMessage(
        message_id=data.get("messageId"),
        role=str(data.get("role") or "agent").lower().removeprefix("role_"),
        parts=[decode_part(p) for p in data.get("parts") or []],
        context_id=data.get("contextId"),
        task_id=data.get("taskId"),
        metadata=data.get("metadata"),
    )
    message.raw = data
    return message


def decode_status(raw: Any) -> TaskStatus:
    data = _obj(raw or {}, "a task status")
    message = data.get("message")
    return TaskStatus(
        state=TaskState.parse(data.get("state")),
        message=decode_message(message) if message else None,
        timestamp=data.get("timestamp"),
    )


def decode_artifact(raw: Any) -> Artifact:
    data = _obj(raw, "an artifact")
    artifact = Artifact(
        artifact_id=str(data.get("artifactId") or ""),
        name=data.get("name"),
        description=data.get("description"),
        parts=[decode_part(p) for p in data.get("parts") or []],
        metadata=data.get("metadata"),
    )
    artifact.raw = data
    return artifact


def decode_task(raw: Any) -> Task:
    data = _obj(raw, "a task")
    if not data.get("id"):
        raise ProtocolError("A2A v0.3: a task without an id", raw=str(data)[:500])
    task = Task(
        id=str(data["id"]),
        context_id=data.get("contextId"),
        status=decode_status(data.get("status")),
        artifacts=[decode_artifact(a) for a in data.get("artifacts") or []],
        history=[decode_message(m) for m in data.get("history") or []],
        metadata=data.get("metadata"),
    )
    task.raw = data
    return task


def decode_item(raw: Any) -> Task | A2AMessage | StatusUpdate | ArtifactUpdate:
    """A send result or stream item: Task, Message, status-update or artifact-update."""
    data = _obj(raw, "a result")
    kind = data.get("kind")
    if kind == "artifact-update":
        # A streamed answer's chunk: one text part, every value already of its field's type.
        fast = _fast_chunk(data)
        if fast is not None:
            return fast
    item: Task | A2AMessage | StatusUpdate | ArtifactUpdate
    if kind == "task" or (kind is None and "status" in data and "id" in data):
        return decode_task(data)
    if kind == "message" or (kind is None and "messageId" in data):
        return decode_message(data)
    if kind == "status-update" or (kind is None and "status" in data):
        item = StatusUpdate(
            task_id=data.get("taskId"),
            context_id=data.get("contextId"),
            status=decode_status(data.get("status")),
            final=bool(data.get("final")),
            metadata=data.get("metadata"),
        )
    elif kind == "artifact-update" or (kind is None and "artifact" in data):
        item = ArtifactUpdate(
            task_id=data.get("taskId"),
            context_id=data.get("contextId"),
            artifact=decode_artifact(data.get("artifact")),
            append=bool(data.get("append")),
            last_chunk=bool(data.get("lastChunk")),
            metadata=data.get("metadata"),
        )
    else:
        raise ProtocolError(f"A2A v0.3: unknown result kind {kind!r}", raw=str(data)[:500])
    item.raw = data
    return item


def _text_part_of(data: dict[str, Any]) -> tuple[Any, Any] | None:
    """The artifact and its one text part of an artifact-update, or None for any other shape."""
    artifact = data.get("artifact")
    parts = artifact.get("parts") if type(artifact) is dict else None
    if type(parts) is not list or len(parts) != 1:
        return None
    part = parts[0]
    if type(part) is not dict or part.get("kind") != "text":
        return None
    return artifact, part


def _fast_chunk(data: dict[str, Any]) -> ArtifactUpdate | None:
    found = _text_part_of(data)
    if found is None:
        return None
    artifact, part = found
    return fast_chunk(data, artifact, part, part.get("text"), part.get("metadata"), raw=data, v10=False)


def text_chunk(result: Any) -> ChunkFacts | None:
    """The facts of a result that ``decode_item`` would read as a one-text-part artifact chunk
    on its fast path (the same checks: see ``_build.chunk_facts``), else None."""
    if type(result) is not dict or result.get("kind") != "artifact-update":
        return None
    artifact = result.get("artifact")  # _text_part_of, written out: once per streamed token
    parts = artifact.get("parts") if type(artifact) is dict else None
    if type(parts) is not list or len(parts) != 1:
        return None
    part = parts[0]
    if type(part) is not dict or part.get("kind") != "text":
        return None
    return chunk_facts(result, artifact, part, part.get("text"), part.get("metadata"), v10=False)


def encode_part(part: Part) -> dict[str, Any]:
    out: dict[str, Any]
    if part.kind == "file":
        file: dict[str, Any] = {}
        if part.content is not None:
            file["bytes"] = part.content_b64
        if part.uri is not None:
            file["uri"] = part.uri
        if part.mime_type:
            file["mimeType"] = part.mime_type
        if part.filename:
            file["name"] = part.filename
        out = {"kind": "file", "file": file}
    elif part.kind == "data":
        out = {"kind": "data", "data": part.data}
    else:
        out = {"kind": "text", "text": part.text or ""}
    if part.metadata:
        out["metadata"] = part.metadata
    return out


def encode_message(message: A2AMessage) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "message",
        "messageId": message.message_id,
        "role": message.role,
        "parts": [encode_part(p) for p in message.parts],
    }
    if message.context_id:
        out["contextId"] = message.context_id
    if message.task_id:
        out["taskId"] = message.task_id
    if message.metadata:
        out["metadata"] = message.metadata
    return out

"""A2A objects in proto3-JSON: v1.0 (both bindings) and v0.3 REST.

Both use ``ROLE_*`` roles, ``TASK_STATE_*`` states and wrapper keys for unions (``{"task": ..}``,
``{"statusUpdate": ..}``). They differ in the message's part list (v1.0 ``parts``, v0.3
``content``) and the part shapes: v1.0 ``{"raw"|"url", "mediaType", "filename"}`` and
``{"data": <any>}``; v0.3 ``{"file": {"fileWithBytes"|"fileWithUri", "mimeType", "name"}}`` and
``{"data": {"data": {..}}}``. v0.3 REST bytes are base64 of the base64 text (a2a-sdk converts the
pydantic base64 string to proto bytes), so they are decoded twice and encoded twice.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from agentnb.a2a._build import (
    BAD,
    ChunkFacts,
    chunk_facts,
    fast_chunk,
    fast_model,
    gc_paused,
    metadata_or_bad,
    plain_str,
)
from agentnb.a2a._wire import b64decode as _b64
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

__all__ = [
    "decode_item",
    "decode_list",
    "decode_task",
    "encode_message",
    "list_page",
    "list_params",
    "send_params",
    "text_chunk",
]


def _b64_twice(text: Any) -> bytes | None:
    once = _b64(text)
    if once is None:
        return None
    try:
        return base64.b64decode(once, validate=True)
    except (binascii.Error, ValueError):
        return once  # a peer that base64-encodes once: take it as it is


#: proto3-JSON writers may print enums as numbers (both protos number them alike).
_STATES = dict(enumerate(["unknown", "submitted", "working", "completed", "failed", "canceled"]))
_STATES.update({6: "input-required", 7: "rejected", 8: "auth-required"})


def _role(value: Any) -> str:
    if type(value) is int:
        return "user" if value == 1 else "agent"
    return str(value or "ROLE_AGENT").lower().removeprefix("role_") or "agent"


def decode_part(raw: Any, *, v03: bool) -> Part:
    data = _obj(raw, "a part")
    metadata = data.get("metadata") or None
    values: dict[str, Any]
    if v03:
        if "file" in data:
            file = _obj(data["file"], "a file part")
            values = {
                "kind": "file",
                "content": _b64_twice(file.get("fileWithBytes")),
                "uri": file.get("fileWithUri"),
                "mime_type": file.get("mimeType") or None,
                "filename": file.get("name") or None,
            }
        elif "data" in data:
            inner = data["data"]
            values = {"kind": "data", "data": inner.get("data") if isinstance(inner, dict) else inner}
        else:
            values = {"kind": "text", "text": str(data.get("text") or "")}
    elif "raw" in data or "url" in data:
        values = {
            "kind": "file",
            "content": _b64(data.get("raw")),
            "uri": data.get("url"),
            "mime_type": data.get("mediaType") or None,
            "filename": data.get("filename") or None,
        }
    elif "data" in data:
        values = {"kind": "data", "data": data["data"], "mime_type": data.get("mediaType") or None}
    elif isinstance(data.get("file"), dict):  # the v1.0 drafts' FilePart (v0.3's names too)
        file = data["file"]
        values = {
            "kind": "file",
            "content": _b64(file.get("fileWithBytes") or file.get("bytes")),
            "uri": file.get("fileWithUri") or file.get("uri"),
            "mime_type": file.get("mediaType") or file.get("mimeType") or None,
            "filename": file.get("name") or None,
        }
    else:
        values = {"kind": "text", "text": str(data.get("text") or "")}
    # The metadata is assigned after construction (unvalidated), as it always was here. Text,
    # content and kind are of their types by construction; only the wire's strings are checked.
    if (
        plain_str(values.get("uri"))
        and plain_str(values.get("mime_type"))
        and plain_str(values.get("filename"))
    ):
        return fast_model(Part, values, data, {"metadata": metadata})
    part = Part(**values)
    part.metadata = metadata
    part.raw = data
    return part


def decode_message(raw: Any, *, v03: bool) -> A2AMessage:
    data = _obj(raw, "a message")
    parts = data.get("content" if v03 else "parts")
    if parts is None:  # tolerate the other version's key
        parts = data.get("parts" if v03 else "content")
    values = {
        "message_id": data.get("messageId"),
        "role": _role(data.get("role")),
        "parts": [decode_part(p, v03=v03) for p in parts or []],
        "context_id": data.get("contextId") or None,
        "task_id": data.get("taskId") or None,
        "metadata": data.get("metadata") or None,
    }
    metadata = metadata_or_bad(values["metadata"])
    if (
        metadata is not BAD
        and plain_str(values["message_id"])
        and plain_str(values["context_id"])
        and plain_str(values["task_id"])
    ):
        return fast_model(A2AMessage, {**values, "metadata": metadata}, data)
    message = A2AMessage(**values)
    message.raw = data
    return message


def decode_status(raw: Any, *, v03: bool) -> TaskStatus:
    data = _obj(raw or {}, "a task status")
    message = data.get("message") or data.get("update")
    values = {
        "state": TaskState.parse(
            _STATES.get(state, "unknown") if type(state := data.get("state")) is int else state
        ),
        "message": decode_message(message, v03=v03) if message else None,
        "timestamp": data.get("timestamp"),
    }
    if plain_str(values["timestamp"]):
        return fast_model(TaskStatus, values, None)
    return TaskStatus(**values)


def decode_artifact(raw: Any, *, v03: bool) -> Artifact:
    data = _obj(raw, "an artifact")
    values = {
        "artifact_id": str(data.get("artifactId") or ""),
        "name": data.get("name") or None,
        "description": data.get("description") or None,
        "parts": [decode_part(p, v03=v03) for p in data.get("parts") or []],
        "metadata": data.get("metadata") or None,
    }
    metadata = metadata_or_bad(values["metadata"])
    if metadata is not BAD and plain_str(values["name"]) and plain_str(values["description"]):
        return fast_model(Artifact, {**values, "metadata": metadata}, data)
    artifact = Artifact(**values)
    artifact.raw = data
    return artifact


def decode_task(raw: Any, *, v03: bool) -> Task:
    data = _obj(raw, "a task")
    if not data.get("id"):
        raise ProtocolError("A2A: a task without an id", raw=str(data)[:500])
    values = {
        "id": str(data["id"]),
        "context_id": data.get("contextId") or None,
        "status": decode_status(data.get("status"), v03=v03),
        "artifacts": [decode_artifact(a, v03=v03) for a in data.get("artifacts") or []],
        "history": [decode_message(m, v03=v03) for m in data.get("history") or []],
        "metadata": data.get("metadata") or None,
    }
    metadata = metadata_or_bad(values["metadata"])
    if metadata is not BAD and plain_str(values["context_id"]):
        return fast_model(Task, {**values, "metadata": metadata}, data)
    task = Task(**values)
    task.raw = data
    return task


#: The keys decode_item tests before ``artifactUpdate``.
_EARLIER_KEYS = frozenset({"task", "message", "msg", "statusUpdate"})
#: A part with one of these may not be a text part (v1.0: raw/url/data; v0.3 REST: file/data).
_NOT_TEXT = frozenset({"raw", "url", "data", "file"})


def _text_part_of(update: Any) -> tuple[Any, Any] | None:
    """The artifact and its one text part of an artifact update, or None for any other shape."""
    artifact = update.get("artifact") if type(update) is dict else None
    parts = artifact.get("parts") if type(artifact) is dict else None
    if type(parts) is not list or len(parts) != 1:
        return None
    part = parts[0]
    if type(part) is not dict or _NOT_TEXT & part.keys():
        return None
    return artifact, part


def _fast_chunk(data: dict[str, Any]) -> ArtifactUpdate | None:
    update = data["artifactUpdate"]
    found = _text_part_of(update)
    if found is None:
        return None
    artifact, part = found
    text = part.get("text")
    return fast_chunk(update, artifact, part, text or "", part.get("metadata"), raw=data, v10=True)


def text_chunk(result: Any) -> ChunkFacts | None:
    """The facts of a result that ``decode_item`` would read as a one-text-part artifact chunk
    on its fast path (the same checks: see ``_build.chunk_facts``), else None. The key checks
    are written out (no set per call): this runs once per streamed token."""
    if type(result) is not dict or "task" in result or "message" in result or "msg" in result:
        return None
    update = result.get("artifactUpdate")
    if type(update) is not dict or "statusUpdate" in result:
        return None
    artifact = update.get("artifact")
    parts = artifact.get("parts") if type(artifact) is dict else None
    if type(parts) is not list or len(parts) != 1:
        return None
    part = parts[0]
    if type(part) is not dict or "raw" in part or "url" in part or "data" in part or "file" in part:
        return None
    text = part.get("text")
    if type(text) is not str:  # no text at all: the long way reads it (and reports an unknown kind)
        return None
    return chunk_facts(update, artifact, part, text, part.get("metadata"), v10=True)


def decode_item(raw: Any, *, v03: bool) -> Task | A2AMessage | StatusUpdate | ArtifactUpdate:
    """A SendMessageResponse or StreamResponse: exactly one of task/message/statusUpdate/artifactUpdate."""
    data = _obj(raw, "a result")
    if "artifactUpdate" in data and not _EARLIER_KEYS & data.keys():
        # A streamed answer's chunk: one text part, every value already of its field's type.
        fast = _fast_chunk(data)
        if fast is not None:
            return fast
    item: Task | A2AMessage | StatusUpdate | ArtifactUpdate
    if "task" in data:
        return decode_task(data["task"], v03=v03)
    if "message" in data or "msg" in data:
        return decode_message(data.get("message") or data.get("msg"), v03=v03)
    if "statusUpdate" in data:
        update = _obj(data["statusUpdate"], "a status update")
        item = StatusUpdate(
            task_id=update.get("taskId"),
            context_id=update.get("contextId"),
            status=decode_status(update.get("status"), v03=v03),
            final=bool(update.get("final") or data.get("final")),
            metadata=update.get("metadata") or None,
        )
    elif "artifactUpdate" in data:
        update = _obj(data["artifactUpdate"], "an artifact update")
        item = ArtifactUpdate(
            task_id=update.get("taskId"),
            context_id=update.get("contextId"),
            artifact=decode_artifact(update.get("artifact"), v03=v03),
            append=bool(update.get("append")),
            last_chunk=bool(update.get("lastChunk")),
            metadata=update.get("metadata") or None,
        )
    elif "id" in data and "status" in data:
        return decode_task(data, v03=v03)  # GetTask/CancelTask answer with the bare Task
    elif "messageId" in data and ("parts" in data or "content" in data):
        return decode_message(data, v03=v03)  # a send answered with the bare Message, unwrapped
    else:
        raise ProtocolError(
            f"A2A: a result with none of task/message/statusUpdate/artifactUpdate: {sorted(data)}",
            raw=str(data)[:500],
        )
    item.raw = data
    return item


def encode_part(part: Part, *, v03: bool) -> dict[str, Any]:
    out: dict[str, Any]
    if part.kind == "file":
        if v03:
            file: dict[str, Any] = {}
            if part.content is not None:
                once = base64.b64encode(part.content)
                file["fileWithBytes"] = base64.b64encode(once).decode("ascii")
            if part.uri is not None:
                file["fileWithUri"] = part.uri
            if part.mime_type:
                file["mimeType"] = part.mime_type
            if part.filename:
                file["name"] = part.filename
            out = {"file": file}
        else:
            out = {"raw": part.content_b64} if part.content is not None else {"url": part.uri}
            if part.mime_type:
                out["mediaType"] = part.mime_type
            if part.filename:
                out["filename"] = part.filename
    elif part.kind == "data":
        out = {"data": {"data": part.data}} if v03 else {"data": part.data}
        if part.mime_type and not v03:
            out["mediaType"] = part.mime_type
    else:
        out = {"text": part.text or ""}
    if part.metadata:
        out["metadata"] = part.metadata
    return out


def encode_message(message: A2AMessage, *, v03: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "messageId": message.message_id,
        "role": "ROLE_USER" if message.role == "user" else "ROLE_AGENT",
        ("content" if v03 else "parts"): [encode_part(p, v03=v03) for p in message.parts],
    }
    if message.context_id:
        out["contextId"] = message.context_id
    if message.task_id:
        out["taskId"] = message.task_id
    if message.metadata:
        out["metadata"] = message.metadata
    return out


# --------------------------------------------------------------------------- v1.0 request and list shapes


def send_params(message: A2AMessage, blocking: bool, metadata: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = {"message": encode_message(message, v03=False)}
    if not blocking:
        params["configuration"] = {"returnImmediately": True}
    if metadata:
        params["metadata"] = metadata
    return params


def list_params(filters: dict[str, Any]) -> dict[str, Any]:
    names = {
        "context_id": "contextId",
        "status": "status",
        "page_size": "pageSize",
        "page_token": "pageToken",
        "history_length": "historyLength",
        "include_artifacts": "includeArtifacts",
    }
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if value is None:
            continue
        if key == "status":
            value = "TASK_STATE_" + TaskState.parse(value).value.upper().replace("-", "_")
        out[names.get(key, key)] = value
    return out


def list_page(payload: Any) -> tuple[list[Any], str | None]:
    """A ListTasks answer's task JSON (undecoded) and its next page token."""
    if not isinstance(payload, dict):
        raise ProtocolError("A2A v1.0: ListTasks answer is not a JSON object", raw=str(payload)[:500])
    tasks = payload.get("tasks") or []
    token = payload.get("nextPageToken") or None
    if not isinstance(tasks, list) or not isinstance(token, (str, type(None))):
        raise ProtocolError(
            "A2A v1.0: ListTasks answer's tasks or token is malformed", raw=str(payload)[:500]
        )
    return tasks, token


def decode_list(payload: Any) -> tuple[list[Task], str | None]:
    raw_tasks, token = list_page(payload)
    with gc_paused():
        tasks = [decode_task(t, v03=False) for t in raw_tasks]
    return tasks, token

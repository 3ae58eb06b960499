"""AgentOS form building: the fields of a run and of a continue, validated before anything is sent.

AgentOS takes form data for runs and continues (it refuses JSON there): booleans as "true"/"false",
dicts and lists as JSON, media as JSON form fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from agentnb.errors import ConfigurationError
from agentnb.media import Message, media_to_wire
from agentnb.runs.models import RunRequirement, ToolExecution

__all__ = ["as_tool_execution", "continue_form", "form_value", "run_form", "serialize_input"]


def form_value(value: Any) -> str:
    """How AgentOS wants a form field: booleans as "true"/"false", dicts and lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    return str(value)


def encode_form(fields: Mapping[str, Any]) -> dict[str, str]:
    """Every set field as AgentOS reads it (None means "not sent")."""
    return {k: form_value(v) for k, v in fields.items() if v is not None}


def continue_form(
    tools: Sequence[ToolExecution], *, session_id: str, user_id: str | None, stream: bool
) -> dict[str, str]:
    return encode_form(
        {
            "tools": json.dumps([t.to_wire() for t in tools]),
            "session_id": session_id,
            "user_id": user_id,
            "stream": stream,
        }
    )


def serialize_input(input: Any) -> str:
    """The ``message`` form field: text as is; structured input as JSON (as agno's client does)."""
    if isinstance(input, str):
        return input
    if isinstance(input, Message) or _is_agno_message(input):
        content = getattr(input, "content", None)
        if isinstance(content, str):
            return content
        return json.dumps(_message_dict(input), default=str)
    if isinstance(input, BaseModel):
        return input.model_dump_json()
    if isinstance(input, dict):
        return json.dumps(input, default=str)
    if isinstance(input, (list, tuple)):
        return json.dumps(
            [_message_dict(i) if isinstance(i, Message) or _is_agno_message(i) else i for i in input],
            default=str,
        )
    raise ConfigurationError(
        f"input must be str, list, dict, Message or a pydantic model, not {type(input).__name__}"
    )


def _is_agno_message(obj: Any) -> bool:
    return type(obj).__name__ == "Message" and hasattr(obj, "role") and hasattr(obj, "content")


def _message_dict(message: Any) -> dict[str, Any]:
    to_dict = getattr(message, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    if isinstance(message, BaseModel):
        return message.model_dump(mode="json", exclude_none=True)
    return {"role": getattr(message, "role", "user"), "content": getattr(message, "content", None)}


def _check(name: str, value: Any, types: tuple[type, ...], what: str) -> None:
    if value is not None and not isinstance(value, types):
        raise ConfigurationError(f"{name} must be {what}, not {type(value).__name__}")


def run_form(
    input: Any,
    *,
    user_id: str | None = None,
    session_id: str | None = None,
    session_state: dict[str, Any] | None = None,
    images: Sequence[Any] | None = None,
    audio: Sequence[Any] | None = None,
    videos: Sequence[Any] | None = None,
    files: Sequence[Any] | None = None,
    stream_events: bool | None = None,
    retries: int | None = None,
    knowledge_filters: dict[str, Any] | list[Any] | None = None,
    add_history_to_context: bool | None = None,
    add_dependencies_to_context: bool | None = None,
    add_session_state_to_context: bool | None = None,
    dependencies: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    run_id: str | None = None,
    additional_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate the run arguments and build the AgentOS form (values still typed)."""
    checks: list[tuple[str, Any, tuple[type, ...], str]] = [
        ("user_id", user_id, (str,), "a string"),
        ("session_id", session_id, (str,), "a string"),
        ("run_id", run_id, (str,), "a string"),
        ("session_state", session_state, (dict,), "a dict"),
        ("dependencies", dependencies, (dict,), "a dict"),
        ("metadata", metadata, (dict,), "a dict"),
        ("additional_data", additional_data, (dict,), "a dict"),
        ("knowledge_filters", knowledge_filters, (dict, list), "a dict or a list"),
        ("stream_events", stream_events, (bool,), "True or False"),
        ("add_history_to_context", add_history_to_context, (bool,), "True or False"),
        ("add_dependencies_to_context", add_dependencies_to_context, (bool,), "True or False"),
        ("add_session_state_to_context", add_session_state_to_context, (bool,), "True or False"),
    ]
    for name, value, types, what in checks:
        _check(name, value, types, what)
    if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        raise ConfigurationError(f"retries must be a non-negative int, not {retries!r}")
    form: dict[str, Any] = {
        "message": serialize_input(input),
        "user_id": user_id,
        "session_id": session_id,
        "session_state": session_state,
        "stream_events": stream_events,
        "retries": retries,
        "knowledge_filters": knowledge_filters,
        "add_history_to_context": add_history_to_context,
        "add_dependencies_to_context": add_dependencies_to_context,
        "add_session_state_to_context": add_session_state_to_context,
        "dependencies": dependencies,
        "metadata": metadata,
        "run_id": run_id,
        "additional_data": additional_data,
    }
    # Media go as JSON form fields (base64 content); documents as "input_files" because AgentOS
    # reserves "files" for multipart uploads.
    for field, items in (("images", images), ("audio", audio), ("videos", videos), ("input_files", files)):
        if items:
            if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
                raise ConfigurationError(f"{field}: expected a list of media objects")
            form[field] = [
                media_to_wire(item, "files" if field == "input_files" else field) for item in items
            ]
    return {k: v for k, v in form.items() if v is not None}


def as_tool_execution(item: Any) -> ToolExecution:
    """A ToolExecution from ours, a RunRequirement, agno's objects, or a dict."""
    if isinstance(item, ToolExecution):
        return item
    if isinstance(item, RunRequirement):
        return item.tool_execution
    tool_execution = getattr(item, "tool_execution", None)
    if tool_execution is not None:
        item = tool_execution
    if isinstance(item, ToolExecution):
        return item
    if isinstance(item, dict):
        return ToolExecution.model_validate(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        return ToolExecution.model_validate(to_dict())
    raise ConfigurationError(
        f"cannot continue with a {type(item).__name__}; pass ToolExecution or RunRequirement"
    )

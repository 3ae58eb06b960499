"""A2A models in one neutral shape, whatever version (0.3 / 1.0) or binding the peer spoke.

The codecs decode wire JSON into these once; everything above them (the client, RemoteAgent, the
widgets) sees only these. ``raw`` keeps the payload as received.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from agentnb._model import WireModel
from agentnb._repr import html_card, markdown_card
from agentnb.a2a.agent_card import AgentCard, AgentInterface
from agentnb.a2a.stream_event import StreamEvent
from agentnb.errors import ConfigurationError
from agentnb.media import Media

__all__ = [
    "NO_LISTING_CODES",
    "A2AMessage",
    "AgentCard",
    "AgentInterface",
    "Artifact",
    "ArtifactUpdate",
    "Part",
    "StatusUpdate",
    "StreamEvent",
    "Task",
    "TaskList",
    "TaskResult",
    "TaskState",
    "TaskStatus",
    "media_part",
    "outbound_message",
]


class TaskState(str, Enum):
    """A task's state, in v0.3's spelling (v1.0's ``TASK_STATE_*`` names are parsed into these)."""

    submitted = "submitted"
    working = "working"
    input_required = "input-required"
    auth_required = "auth-required"
    completed = "completed"
    canceled = "canceled"
    failed = "failed"
    rejected = "rejected"
    unknown = "unknown"

    @classmethod
    def parse(cls, value: Any) -> TaskState:
        """Accept every spelling seen on the wire: ``completed``, ``TASK_STATE_COMPLETED``,
        ``TASK_STATE_CANCELLED`` (v0.3 REST), ``TaskState.completed``, ``input_required``."""
        text = str(value or "").strip()
        if text.startswith("TaskState."):
            text = text[len("TaskState.") :]
        if text.upper().startswith("TASK_STATE_"):
            text = text[len("TASK_STATE_") :]
        text = text.lower().replace("_", "-")
        if text == "cancelled":
            text = "canceled"
        try:
            return cls(text)
        except ValueError:
            return cls.unknown

    @property
    def is_terminal(self) -> bool:
        return self in (TaskState.completed, TaskState.canceled, TaskState.failed, TaskState.rejected)

    @property
    def is_interrupted(self) -> bool:
        """The task waits for the client (input or auth); the stream ends here too."""
        return self in (TaskState.input_required, TaskState.auth_required)


class Part(WireModel):
    """One part of a message or artifact: text, a file (bytes or uri), or data."""

    kind: Literal["text", "file", "data"] = "text"
    text: str | None = None
    data: Any = None
    content: bytes | None = Field(default=None, repr=False)
    uri: str | None = None
    mime_type: str | None = None
    filename: str | None = None
    metadata: dict[str, Any] | None = None

    @classmethod
    def of_text(cls, text: str) -> Part:
        return cls(kind="text", text=text)

    @classmethod
    def of_data(cls, data: Any, mime_type: str | None = None) -> Part:
        return cls(kind="data", data=data, mime_type=mime_type)

    @classmethod
    def of_file(
        cls,
        *,
        content: bytes | None = None,
        uri: str | None = None,
        mime_type: str | None = None,
        filename: str | None = None,
    ) -> Part:
        return cls(kind="file", content=content, uri=uri, mime_type=mime_type, filename=filename)

    @property
    def content_b64(self) -> str | None:
        return base64.b64encode(self.content).decode("ascii") if self.content is not None else None


def _text_of(parts: list[Part]) -> str:
    return "".join(p.text for p in parts if p.kind == "text" and p.text)


class A2AMessage(WireModel):
    """A message; ``role`` is "user" or "agent" in every version."""

    message_id: str | None = None
    role: str = "agent"
    parts: list[Part] = Field(default_factory=list)
    context_id: str | None = None
    task_id: str | None = None
    metadata: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        return _text_of(self.parts)


class Artifact(WireModel):
    """An artifact (agno's ``Artifact`` fields, plus its parts).

    Streamed chunks of one artifact are joined by ``artifact_id``; consecutive text parts are
    concatenated in ``text``. ``content``/``uri``/``mime_type`` come from its first file part.
    """

    artifact_id: str = ""
    name: str | None = None
    description: str | None = None
    parts: list[Part] = Field(default_factory=list)
    metadata: dict[str, Any] | None = None
    #: A MIME type given to the constructor for an artifact without a file part.
    declared_mime_type: str | None = Field(default=None, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _file_fields(cls, data: Any) -> Any:
        """``Artifact(content=..., uri=..., mime_type=...)`` as agno builds one: a file part."""
        if not isinstance(data, dict) or not {"content", "uri", "mime_type"} & data.keys():
            return data
        data = dict(data)
        content, uri, mime = data.pop("content", None), data.pop("uri", None), data.pop("mime_type", None)
        if content is not None or uri is not None:
            file = Part.of_file(content=content, uri=uri, mime_type=mime, filename=data.get("name"))
            data["parts"] = [*data.get("parts", []), file]
        elif mime is not None:
            data["declared_mime_type"] = mime
        return data

    @property
    def text(self) -> str:
        return _text_of(self.parts)

    def _file(self) -> Part | None:
        return next((p for p in self.parts if p.kind == "file"), None)

    @property
    def content(self) -> bytes | None:
        file = self._file()
        return file.content if file is not None else None

    @property
    def uri(self) -> str | None:
        file = self._file()
        return file.uri if file is not None else None

    @property
    def mime_type(self) -> str | None:
        file = self._file()
        if file is not None:
            return file.mime_type
        return self.declared_mime_type or ("text/plain" if self.text else None)

    @property
    def data(self) -> list[Any]:
        return [p.data for p in self.parts if p.kind == "data"]


class TaskStatus(WireModel):
    state: TaskState = TaskState.unknown
    message: A2AMessage | None = None
    timestamp: str | None = None


class Task(WireModel):
    id: str
    context_id: str | None = None
    status: TaskStatus = Field(default_factory=TaskStatus)
    artifacts: list[Artifact] = Field(default_factory=list)
    history: list[A2AMessage] = Field(default_factory=list)
    metadata: dict[str, Any] | None = None


class StatusUpdate(WireModel):
    """A status change of a task in a stream (``final`` only exists in v0.3)."""

    task_id: str | None = None
    context_id: str | None = None
    status: TaskStatus = Field(default_factory=TaskStatus)
    final: bool = False
    metadata: dict[str, Any] | None = None


class ArtifactUpdate(WireModel):
    """A chunk of an artifact in a stream."""

    task_id: str | None = None
    context_id: str | None = None
    artifact: Artifact
    append: bool = False
    last_chunk: bool = False
    metadata: dict[str, Any] | None = None


class TaskResult(WireModel):
    """The outcome of ``send_message`` (agno's ``TaskResult``), with the full Task kept on ``task``."""

    task_id: str = ""
    context_id: str = ""
    status: str = "unknown"
    content: str = ""
    artifacts: list[Artifact] = Field(default_factory=list)
    metadata: dict[str, Any] | None = None
    task: Task | None = Field(default=None, repr=False)
    message: A2AMessage | None = Field(default=None, repr=False)
    #: The agent's status message when it asks for input or auth.
    prompt: str | None = None
    #: What a cap refused to hold (e.g. artifact bytes over ``max_artifact_bytes``), in words.
    refused: list[str] = Field(default_factory=list)

    @property
    def state(self) -> TaskState:
        return TaskState.parse(self.status)

    def _repr_fields(self) -> list[tuple[str, Any]]:
        fields: list[tuple[str, Any]] = [
            ("status", self.status),
            ("task", self.task_id),
            ("context", self.context_id),
            ("asks", self.prompt),
        ]
        for artifact in self.artifacts[:20]:
            size = len(artifact.content) if artifact.content is not None else len(artifact.text)
            fields.append(
                (f"artifact: {artifact.name or artifact.artifact_id}", f"{artifact.mime_type} {size}")
            )
        return fields

    def _repr_html_(self) -> str:
        return html_card("TaskResult", self._repr_fields(), self.content)

    def _repr_markdown_(self) -> str:
        return markdown_card("TaskResult", self._repr_fields(), self.content)

    @property
    def is_completed(self) -> bool:
        return self.state is TaskState.completed

    @property
    def is_failed(self) -> bool:
        return self.state is TaskState.failed

    @property
    def is_canceled(self) -> bool:
        return self.state is TaskState.canceled

    @property
    def is_input_required(self) -> bool:
        return self.state is TaskState.input_required

    @property
    def is_auth_required(self) -> bool:
        return self.state is TaskState.auth_required


def media_part(item: Any) -> Part:
    """A file part from agentnb media, agno media, or a Part."""
    if isinstance(item, Part):
        return item
    if isinstance(item, Media):
        content, mime, filename = item.resolved()
        return Part.of_file(content=content, uri=item.url, mime_type=mime, filename=filename)
    url = getattr(item, "url", None)
    content = getattr(item, "content", None)
    filepath = getattr(item, "filepath", None)
    mime = getattr(item, "mime_type", None)
    if filepath and content is None and url is None:
        return media_part(Media(filepath=filepath, mime_type=mime))
    if url is None and not isinstance(content, (bytes, bytearray)):
        raise ConfigurationError(f"cannot send {type(item).__name__} to an A2A agent: it has no url or bytes")
    return Part.of_file(
        content=bytes(content) if isinstance(content, (bytes, bytearray)) else None,
        uri=url,
        mime_type=mime,
        filename=getattr(item, "filename", None) or getattr(item, "name", None),
    )


def outbound_message(
    message: str | A2AMessage | Sequence[Part],
    *,
    context_id: str | None,
    task_id: str | None,
    user_id: str | None,
    media: Sequence[Any],
    metadata: dict[str, Any] | None,
) -> A2AMessage:
    """The user message a send carries (a copy of the caller's, with a message id and the media)."""
    if isinstance(message, A2AMessage):
        out = message.model_copy(deep=True)
    elif isinstance(message, str):
        out = A2AMessage(role="user", parts=[Part.of_text(message)])
    elif isinstance(message, Sequence) and all(isinstance(p, Part) for p in message):
        out = A2AMessage(role="user", parts=list(message))
    else:
        raise ConfigurationError("message must be a str, an A2AMessage or a list of Parts")
    out.role = "user"
    out.message_id = out.message_id or str(uuid.uuid4())
    out.context_id = context_id or out.context_id
    out.task_id = task_id or out.task_id
    out.parts += [media_part(m) for m in media]
    if user_id or metadata:
        # Agno reads the run's user from message.metadata.userId.
        out.metadata = {
            **(out.metadata or {}),
            **(metadata or {}),
            **({"userId": user_id} if user_id else {}),
        }
    return out


NO_LISTING_CODES = (-32004, -32601)  #: what a peer that cannot list tasks answers ListTasks with


class TaskList(BaseModel):
    """One page of ``list_tasks`` (A2A v1.0)."""

    tasks: list[TaskResult] = Field(default_factory=list)
    next_page_token: str | None = None

"""A2AClient: agno's A2AClient API, speaking whatever the peer's agent card says.

    client = A2AClient("http://localhost:7003/a2a/agents/my-agent")
    result = await client.send_message("Hello!")              # TaskResult
    async for event in client.stream_message("Tell me a story"):
        if event.is_content:
            print(event.content, end="")

The card at ``{base_url}/.well-known/agent-card.json`` picks the version (0.3 / 1.0) and binding
(JSON-RPC / REST / Agno's dialect) on first use; ``protocol=`` and ``a2a_version=`` force them.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from pydantic import BaseModel, Field

from agentnb import _sync
from agentnb._http import HTTPTransport
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.a2a.codecs import REASON_CODES, Call, Codec, card_from_wire, code_from_message, error_reason
from agentnb.a2a.models import A2AMessage, AgentCard, Part, TaskResult
from agentnb.a2a.negotiate import Binding, choose_codec
from agentnb.a2a.stream import DEFAULT_MAX_ARTIFACT_BYTES, A2AStream, result_from_item
from agentnb.errors import (
    A2AHTTPError,
    ConfigurationError,
    ProtocolError,
    RemoteHTTPError,
)
from agentnb.media import Media

__all__ = ["A2AClient", "TaskList"]

CARD_PATH = "/.well-known/agent-card.json"
LEGACY_CARD_PATH = "/.well-known/agent.json"


class TaskList(BaseModel):
    """One page of ``list_tasks`` (A2A v1.0)."""

    tasks: list[TaskResult] = Field(default_factory=list)
    next_page_token: str | None = None


def _media_part(item: Any) -> Part:
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
        return _media_part(Media(filepath=filepath, mime_type=mime))
    if url is None and not isinstance(content, (bytes, bytearray)):
        raise ConfigurationError(f"cannot send {type(item).__name__} to an A2A agent: it has no url or bytes")
    return Part.of_file(
        content=bytes(content) if isinstance(content, (bytes, bytearray)) else None,
        uri=url,
        mime_type=mime,
        filename=getattr(item, "filename", None) or getattr(item, "name", None),
    )


class A2AClient:
    """A client for one A2A agent, whatever its protocol version and binding.

    >>> client = A2AClient("http://localhost:7003/a2a/agents/my-agent")
    >>> result = await client.send_message("Hello!")
    >>> result.content
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 30,
        protocol: Binding | None = None,
        *,
        a2a_version: str | None = None,
        auth_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        card_url: str | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
        max_retries: int = 2,
    ) -> None:
        if protocol is not None and protocol not in ("rest", "json-rpc"):
            raise ConfigurationError(f"protocol must be 'rest' or 'json-rpc', not {protocol!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.protocol = protocol
        self.a2a_version = a2a_version
        self.card_url = card_url or self.base_url + CARD_PATH
        #: Caps: a bigger SSE event is refused (ProtocolError); artifact bytes beyond the cap are
        #: dropped and reported on TaskResult.refused.
        self.max_event_bytes = max_event_bytes
        self.max_artifact_bytes = max_artifact_bytes
        self.http = HTTPTransport(
            self.base_url,
            timeout=timeout,
            auth_token=auth_token,
            headers=headers,
            transport=transport,
            retries=max_retries,
        )
        self._card: AgentCard | None = None
        self._card_fetched = False
        self._codec: Codec | None = None
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        dialect = f", speaking {self._codec.label}" if self._codec else ""
        return f"A2AClient({self.base_url!r}{dialect})"

    # -- card and negotiation ------------------------------------------------------------------

    async def aget_agent_card(self, *, refresh: bool = False) -> AgentCard | None:
        """The agent card, or None when the server has none (connection failures still raise)."""
        if self._card_fetched and not refresh:
            return self._card
        card: AgentCard | None = None
        for url in (self.card_url, self.base_url + LEGACY_CARD_PATH):
            try:
                payload = await self.http.request_json("GET", url)
            except (RemoteHTTPError, ProtocolError):
                continue
            card = card_from_wire(payload, url)
            break
        self._card, self._card_fetched = card, True
        return card

    def get_agent_card(self) -> AgentCard | None:
        """Sync twin of aget_agent_card()."""
        return _sync.run_sync(self.aget_agent_card())

    async def codec(self) -> Codec:
        """The negotiated dialect (fetches the card on first use)."""
        if self._codec is not None:
            return self._codec
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._codec is None:
                card = await self.aget_agent_card()
                self._codec = choose_codec(
                    card, self.base_url, protocol=self.protocol, version=self.a2a_version
                )
        return self._codec

    @property
    def dialect(self) -> str | None:
        """What the client speaks once negotiated, e.g. "A2A v1.0 JSON-RPC"."""
        return self._codec.label if self._codec else None

    # -- requests ------------------------------------------------------------------------------

    async def _call(self, codec: Codec, call: Call, headers: Mapping[str, str] | None = None) -> Any:
        try:
            return await self.http.request_json(
                call.method,
                call.url,
                json=call.json,
                params=call.params,
                headers={**codec.headers, **(headers or {})},
            )
        except RemoteHTTPError as exc:
            raise _as_a2a_http_error(exc) from exc

    def _message(
        self,
        message: str | A2AMessage | Sequence[Part],
        *,
        context_id: str | None,
        task_id: str | None,
        user_id: str | None,
        media: Sequence[Any],
        metadata: dict[str, Any] | None,
    ) -> A2AMessage:
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
        out.parts += [_media_part(m) for m in media]
        if user_id or metadata:
            # Agno reads the run's user from message.metadata.userId.
            out.metadata = {
                **(out.metadata or {}),
                **(metadata or {}),
                **({"userId": user_id} if user_id else {}),
            }
        return out

    async def send_message(
        self,
        message: str | A2AMessage | Sequence[Part],
        *,
        context_id: str | None = None,
        task_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Any] | None = None,
        audio: Sequence[Any] | None = None,
        videos: Sequence[Any] | None = None,
        files: Sequence[Any] | None = None,
        metadata: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        blocking: bool = True,
    ) -> TaskResult:
        """Send a message and wait for the task's outcome.

        ``task_id`` (with the same ``context_id``) answers a task that is input-required.
        """
        codec = await self.codec()
        outbound = self._message(
            message,
            context_id=context_id,
            task_id=task_id,
            user_id=user_id,
            media=[*(images or []), *(audio or []), *(videos or []), *(files or [])],
            metadata=metadata,
        )
        payload = await self._call(codec, codec.send(outbound, stream=False, blocking=blocking), headers)
        return result_from_item(codec.decode(payload), self.max_artifact_bytes)

    def stream_message(
        self,
        message: str | A2AMessage | Sequence[Part],
        *,
        context_id: str | None = None,
        task_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Any] | None = None,
        audio: Sequence[Any] | None = None,
        videos: Sequence[Any] | None = None,
        files: Sequence[Any] | None = None,
        metadata: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> A2AStream:
        """Send a message and stream the answer as StreamEvents (an async iterator and context manager)."""
        outbound = self._message(
            message,
            context_id=context_id,
            task_id=task_id,
            user_id=user_id,
            media=[*(images or []), *(audio or []), *(videos or []), *(files or [])],
            metadata=metadata,
        )
        return self._stream(lambda codec: codec.send(outbound, stream=True), headers)

    def _stream(self, make_call: Any, headers: Mapping[str, str] | None = None) -> A2AStream:
        @contextlib.asynccontextmanager
        async def opener() -> Any:
            codec = await self.codec()
            stream.codec = codec
            call: Call = make_call(codec)
            try:
                async with self.http.stream(
                    call.method,
                    call.url,
                    json=call.json,
                    params=call.params,
                    headers={**codec.headers, "Accept": "text/event-stream", **(headers or {})},
                ) as response:
                    yield response
            except RemoteHTTPError as exc:
                raise _as_a2a_http_error(exc) from exc

        stream = A2AStream(
            opener,
            _PendingCodec(),
            url=self.base_url,
            max_event_bytes=self.max_event_bytes,
            max_artifact_bytes=self.max_artifact_bytes,
        )
        return stream

    async def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> TaskResult:
        """A task as the server holds it now (Agno's dialect needs the ``context_id``)."""
        codec = await self.codec()
        payload = await self._call(
            codec, codec.get_task(task_id, history_length=history_length, context_id=context_id)
        )
        return result_from_item(codec.decode(payload), self.max_artifact_bytes)

    async def cancel_task(self, task_id: str, *, context_id: str | None = None) -> TaskResult:
        """Cancel a task; raises A2AError -32002 when it can no longer be cancelled."""
        codec = await self.codec()
        payload = await self._call(codec, codec.cancel_task(task_id, context_id=context_id))
        return result_from_item(codec.decode(payload), self.max_artifact_bytes)

    def resubscribe(self, task_id: str) -> A2AStream:
        """Re-attach to a running task's stream (v1.0 sends a snapshot first)."""
        return self._stream(lambda codec: codec.subscribe(task_id))

    async def list_tasks(
        self,
        *,
        context_id: str | None = None,
        status: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        history_length: int | None = None,
        include_artifacts: bool | None = None,
    ) -> TaskList:
        """One page of tasks (A2A v1.0 only; a v0.3 peer raises A2AError -32004)."""
        codec = await self.codec()
        call = codec.list_tasks(
            {
                "context_id": context_id,
                "status": status,
                "page_size": page_size,
                "page_token": page_token,
                "history_length": history_length,
                "include_artifacts": include_artifacts,
            }
        )
        tasks, token = codec.decode_list(await self._call(codec, call))
        return TaskList(
            tasks=[result_from_item(t, self.max_artifact_bytes) for t in tasks], next_page_token=token
        )

    async def get_extended_card(self) -> AgentCard:
        codec = await self.codec()
        payload = await self._call(codec, codec.extended_card())
        return card_from_wire(codec.decode_card(payload), codec.url)

    async def reply(
        self, result: TaskResult, message: str | A2AMessage | Sequence[Part], **kwargs: Any
    ) -> TaskResult:
        """Answer an input-required (or auth-required) task: same task_id and context_id."""
        return await self.send_message(
            message, context_id=result.context_id, task_id=result.task_id, **kwargs
        )

    def send(self, message: str, **kwargs: Any) -> TaskResult:
        """Sync twin of send_message()."""
        return _sync.run_sync(self.send_message(message, **kwargs))


class _PendingCodec(Codec):
    """Stands in until the stream's first request has negotiated the real dialect."""

    label = "A2A (negotiating)"

    def __init__(self) -> None:
        super().__init__("")


def _as_a2a_http_error(exc: RemoteHTTPError) -> A2AHTTPError:
    """REST and Agno errors are HTTP statuses; keep them HTTPStatusErrors and add the A2A code."""
    if isinstance(exc, A2AHTTPError):
        return exc
    detail = exc.detail
    code: int | None = None
    reason: str | None = None
    data: Any = None
    if isinstance(detail, dict):  # v1.0 REST: {"error": {"code", "status", "message", "details"}}
        data = detail.get("details")
        reason = error_reason(data)
        code = REASON_CODES.get(reason or "") or code_from_message(detail.get("message"))
    else:
        code = code_from_message(detail)
    error = A2AHTTPError(
        exc.message,
        request=exc.request,
        response=exc.response,
        detail=detail,
        code=code,
        data=data,
        reason=reason,
    )
    return error

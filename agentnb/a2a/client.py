"""A2AClient: agno's A2AClient API, speaking whatever the peer's agent card says.

    client = A2AClient("http://localhost:7003/a2a/agents/my-agent")
    result = await client.send_message("Hello!")              # TaskResult
    async for event in client.stream_message("Tell me a story"):
        if event.is_content:
            print(event.content, end="")

The card at ``{base_url}/.well-known/agent-card.json`` picks the version (0.3 / 1.0) and binding
(JSON-RPC / REST / gRPC / Agno's dialect) on first use; ``protocol=`` and ``a2a_version=`` force them.
Coroutine methods keep agno's names where agno has them (``send_message``, ``aget_agent_card``);
the others are ``a``-named with a sync twin of the plain name (``aget_task`` / ``get_task``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from agentnb import _sync
from agentnb._http import HTTPClient
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.a2a.batch_methods import BatchMethods
from agentnb.a2a.card import CARD_PATH, LEGACY_CARD_PATH, Binding, choose_dialect
from agentnb.a2a.card_cache import CardCache
from agentnb.a2a.card_features import CardFeatures
from agentnb.a2a.dialects import Call, Dialect, GrpcDialect, as_a2a_http_error, unauthenticated_error
from agentnb.a2a.extensions import activated
from agentnb.a2a.models import A2AMessage, AgentCard, Part, TaskList, TaskResult, outbound_message
from agentnb.a2a.push import PushConfig, PushInbox, with_push
from agentnb.a2a.push_methods import PushMethods
from agentnb.a2a.signing import CardKeys
from agentnb.a2a.stream import A2AReader, A2AStream
from agentnb.a2a.tasks import DEFAULT_MAX_ARTIFACT_BYTES, SeenTasks, result_from_item, settle
from agentnb.errors import ConfigurationError, RemoteHTTPError

__all__ = ["CARD_PATH", "A2AClient", "TaskList"]


class A2AClient(CardFeatures, PushMethods, BatchMethods):
    """A client for one A2A agent, whatever its protocol version and binding.

    ``max_connections`` caps the connections open at once (default 200; more concurrent streams
    wait for a free one), or pass an ``httpx.Limits`` as ``limits``.
    ``extensions`` activates A2A extensions (by URI) on every call; ``card_keys`` are trusted keys
    for the card's signatures (a JWKS, a list of JWKs or ``{kid: key}``); ``require_signed_card``
    refuses a card whose signature is not verified.

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
        max_connections: int | None = None,
        limits: httpx.Limits | None = None,
        extensions: Sequence[str] | None = None,
        card_keys: CardKeys | None = None,
        require_signed_card: bool = False,
    ) -> None:
        if protocol is not None and protocol not in ("rest", "json-rpc", "grpc"):
            raise ConfigurationError(f"protocol must be 'rest', 'json-rpc' or 'grpc', not {protocol!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.protocol = protocol
        self.a2a_version = a2a_version
        self.card_url = card_url or self.base_url + CARD_PATH
        #: Caps: a bigger SSE event is refused (ProtocolError); artifact bytes beyond the cap are
        #: dropped and reported on TaskResult.refused.
        self.max_event_bytes = max_event_bytes
        self.max_artifact_bytes = max_artifact_bytes
        self.http = HTTPClient(
            self.base_url,
            timeout=timeout,
            auth_token=auth_token,
            headers=headers,
            transport=transport,
            retries=max_retries,
            max_connections=max_connections,
            limits=limits,
        )
        self._card: AgentCard | None = None
        self._card_fetched = False
        self.card_cache = CardCache()
        self._extended_card: AgentCard | None = None
        self.extensions = activated(extensions)
        self.card_keys = card_keys
        self.require_signed_card = require_signed_card
        self._dialect: Dialect | None = None
        #: The tasks this client has seen (bounded): what ``tasks_table`` lists for a v0.3 peer.
        self.seen_tasks = SeenTasks()
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        dialect = f", speaking {self._dialect.label}" if self._dialect else ""
        return f"A2AClient({self.base_url!r}{dialect})"

    # -- card and negotiation ------------------------------------------------------------------

    async def aget_agent_card(
        self, *, refresh: bool = False, headers: Mapping[str, str] | None = None
    ) -> AgentCard | None:
        """The agent card, or None when the server has none (connection failures still raise).

        Kept between calls as the server's ``Cache-Control`` allows; ``refresh=True`` asks again,
        with ``If-None-Match`` when the card came with an ``ETag`` (an unchanged card: a 304).
        """
        if self._card_fetched and not refresh and self.card_cache.is_fresh():
            if self._card is not None:
                self._refuse_unverified(self._card)
            return self._card
        held = self._card if self._card_fetched else None
        found = await self.card_cache.fetch(
            self.http, (self.card_url, self.base_url + LEGACY_CARD_PATH), held, headers
        )
        card: AgentCard | None = None
        if found is not None:
            payload, url = found
            card = payload if payload is held else await self._checked(payload, url)
        self._card, self._card_fetched = card, True
        if card is not None:
            self._refuse_unverified(card)
        return card

    get_agent_card = _sync.twin(aget_agent_card)

    async def anegotiate(self) -> Dialect:
        """The dialect this client speaks (fetches the card on first use)."""
        if self._dialect is not None:
            return self._dialect
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._dialect is None:
                card = await self.aget_agent_card()
                self._dialect = choose_dialect(
                    card, self.base_url, protocol=self.protocol, version=self.a2a_version
                )
        return self._dialect

    negotiate = _sync.twin(anegotiate)

    @property
    def dialect(self) -> str | None:
        """What the client speaks once negotiated, e.g. "A2A v1.0 JSON-RPC"."""
        return self._dialect.label if self._dialect else None

    # -- requests ------------------------------------------------------------------------------

    async def _call(
        self,
        dialect: Dialect,
        call: Call,
        headers: Mapping[str, str] | None = None,
        extensions: Sequence[str] | None = None,
    ) -> Any:
        extension_headers = self._extension_headers(dialect, extensions)
        if isinstance(dialect, GrpcDialect):  # the same call, over gRPC
            return await dialect.invoke(call, self.http, {**extension_headers, **(headers or {})})
        try:
            payload = await self.http.request_json(
                call.method,
                call.url,
                json=call.json,
                params=call.params,
                headers={**dialect.headers, **extension_headers, **(headers or {})},
            )
        except RemoteHTTPError as exc:
            raise as_a2a_http_error(exc) from exc
        # A refused credential wrapped in a JSON-RPC error (HTTP 200) is still an AuthenticationError.
        refusal = unauthenticated_error(payload, call, sent_auth=self._sends_auth(headers))
        if refusal is not None:
            raise refusal
        return payload

    def _sends_auth(self, headers: Mapping[str, str] | None) -> bool:
        sent = {k.lower() for k in {**self.http.headers, **(headers or {})}}
        return bool(self.http.auth_token) or "authorization" in sent

    def _result(self, dialect: Dialect, payload: Any) -> TaskResult:
        result = result_from_item(dialect.decode(payload), self.max_artifact_bytes)
        self.seen_tasks.note_ids(result.task_id, result.context_id)
        return result

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
        extensions: Sequence[str] | None = None,
        push: PushConfig | PushInbox | None = None,
    ) -> TaskResult:
        """Send a message and wait for the task's outcome.

        ``task_id`` (with the same ``context_id``) answers a task that is input-required;
        ``extensions`` activates A2A extensions (URIs) for this call, beside the client's;
        ``push`` (a PushConfig or a ``push_receiver()`` inbox) asks for the task's updates pushed.
        """
        dialect = await self.anegotiate()
        outbound = outbound_message(
            message,
            context_id=context_id,
            task_id=task_id,
            user_id=user_id,
            media=[*(images or []), *(audio or []), *(videos or []), *(files or [])],
            metadata=metadata,
        )
        call = dialect.send(outbound, stream=False, blocking=blocking)
        if push is not None:
            call = with_push(dialect, call, push.push_config() if isinstance(push, PushInbox) else push)
        result = self._result(dialect, await self._call(dialect, call, headers, extensions))
        if not blocking or dialect.binding == "AGNO":  # Agno's "working" means paused: polling won't help
            return result
        # Some servers answer a blocking send before the task ends: ask again until it does.
        return await settle(
            result,
            lambda r: self.aget_task(r.task_id, context_id=r.context_id, headers=headers),
            self.timeout,
        )

    send = _sync.twin(send_message)

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
        extensions: Sequence[str] | None = None,
    ) -> A2AStream:
        """Send a message and stream the answer as StreamEvents (an async iterator and context manager).

        Nothing is sent until the stream is first read.
        """
        outbound = outbound_message(
            message,
            context_id=context_id,
            task_id=task_id,
            user_id=user_id,
            media=[*(images or []), *(audio or []), *(videos or []), *(files or [])],
            metadata=metadata,
        )
        return self._stream(lambda dialect: dialect.send(outbound, stream=True), headers, extensions)

    def resubscribe(self, task_id: str, *, headers: Mapping[str, str] | None = None) -> A2AStream:
        """Re-attach to a running task's stream (v1.0 sends a snapshot first)."""
        return self._stream(lambda dialect: dialect.subscribe(task_id), headers)

    def _stream(
        self,
        make_call: Callable[[Dialect], Call],
        headers: Mapping[str, str] | None,
        extensions: Sequence[str] | None = None,
    ) -> A2AStream:
        reader = A2AReader(self.base_url, self.max_artifact_bytes)

        async def opener() -> httpx.Response:
            dialect = reader.dialect = await self.anegotiate()
            call = make_call(dialect)
            reader.call, reader.sent_auth = call, self._sends_auth(headers)
            extension_headers = self._extension_headers(dialect, extensions)
            if isinstance(dialect, GrpcDialect):  # the same call, over gRPC
                return await dialect.open_stream(call, self.http, {**extension_headers, **(headers or {})})
            try:
                return await self.http.open_stream(
                    call.method,
                    call.url,
                    json=call.json,
                    params=call.params,
                    headers={
                        **dialect.headers,
                        "Accept": "text/event-stream",
                        **extension_headers,
                        **(headers or {}),
                    },
                )
            except RemoteHTTPError as exc:
                raise as_a2a_http_error(exc) from exc

        return A2AStream(
            reader,
            opener,
            url=self.base_url,
            max_event_bytes=self.max_event_bytes,
            seen=self.seen_tasks,
        )

    async def aget_task(
        self,
        task_id: str,
        *,
        history_length: int | None = None,
        context_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TaskResult:
        """A task as the server holds it now (Agno's dialect needs the ``context_id``)."""
        dialect = await self.anegotiate()
        call = dialect.get_task(task_id, history_length=history_length, context_id=context_id)
        return self._result(dialect, await self._call(dialect, call, headers))

    async def acancel_task(
        self, task_id: str, *, context_id: str | None = None, headers: Mapping[str, str] | None = None
    ) -> TaskResult:
        """Cancel a task; raises A2AError -32002 when it can no longer be cancelled."""
        dialect = await self.anegotiate()
        return self._result(
            dialect, await self._call(dialect, dialect.cancel_task(task_id, context_id=context_id), headers)
        )

    async def alist_tasks(
        self,
        *,
        context_id: str | None = None,
        status: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        history_length: int | None = None,
        include_artifacts: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TaskList:
        """One page of tasks (A2A v1.0 only; a v0.3 peer raises A2AError -32004)."""
        dialect = await self.anegotiate()
        call = dialect.list_tasks(
            {
                "context_id": context_id,
                "status": status,
                "page_size": page_size,
                "page_token": page_token,
                "history_length": history_length,
                "include_artifacts": include_artifacts,
            }
        )
        tasks, token = dialect.decode_list(await self._call(dialect, call, headers))
        results = [result_from_item(t, self.max_artifact_bytes) for t in tasks]
        for result in results:
            self.seen_tasks.note_ids(result.task_id, result.context_id)
        return TaskList(tasks=results, next_page_token=token)

    async def aget_extended_card(self, *, headers: Mapping[str, str] | None = None) -> AgentCard:
        """The authenticated extended agent card: the older name of ``aget_extended_agent_card``."""
        return await self.aget_extended_agent_card(headers=headers)

    async def areply(
        self, result: TaskResult, message: str | A2AMessage | Sequence[Part], **kwargs: Any
    ) -> TaskResult:
        """Answer an input-required (or auth-required) task: same task_id and context_id.

        ``kwargs`` are send_message's.
        """
        return await self.send_message(
            message, context_id=result.context_id, task_id=result.task_id, **kwargs
        )

    get_task = _sync.twin(aget_task)
    cancel_task = _sync.twin(acancel_task)
    list_tasks = _sync.twin(alist_tasks)
    get_extended_card = _sync.twin(aget_extended_card)
    reply = _sync.twin(areply)

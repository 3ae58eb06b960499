"""A2A push notifications: task push configs, and a notebook-side receiver for what is pushed.

Configs (A2A v1.0 and v0.3, JSON-RPC and REST, with a v1.0 interface's tenant): create / get /
list / delete a ``PushConfig`` for a task, or attach one to a send. The receiver is a small HTTP server on
127.0.0.1 (a free port unless told otherwise) that accepts only POSTs carrying its random token in
``X-A2A-Notification-Token`` (what a2a-sdk's sender echoes), refuses bodies over a cap, and turns
each pushed StreamResponse (v1.0) or Task (what a2a-sdk 0.3 pushes) into the same
``StreamEvent`` a stream yields, through a bounded queue.
HTTP parsing is h11's (the HTTP/1.1 state machine under httpx), not ours.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import h11
from pydantic import Field

from agentnb._model import WireModel
from agentnb.a2a import v03_objects
from agentnb.a2a.dialects import Call, Dialect, V10Rest
from agentnb.a2a.models import StreamEvent, TaskResult
from agentnb.a2a.stream import A2AReader
from agentnb.errors import ProtocolError

__all__ = ["PushConfig", "PushInbox", "config_call", "decode_config", "decode_configs", "with_push"]

DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_MAX_QUEUE = 1_000
_TOKEN_HEADER = b"x-a2a-notification-token"


class PushConfig(WireModel):
    """Where a server pushes a task's updates: ``url``, and the ``token`` it must echo."""

    id: str | None = None
    task_id: str | None = None
    url: str = ""
    token: str | None = Field(default=None, repr=False)  # a secret: never in a repr
    tenant: str | None = None

    def to_wire(self) -> dict[str, Any]:
        out = {"id": self.id, "taskId": self.task_id, "url": self.url, "token": self.token}
        return {k: v for k, v in out.items() if v}


def config_call(
    dialect: Dialect, op: str, task_id: str, *, config_id: str | None = None, config: PushConfig | None = None
) -> Call:
    """The request for ``op`` ("create", "get", "list", "delete") on a task's push configs.

    The dialect shapes it (or refuses: Agno's interface has no push configs).
    """
    if op == "create":
        return dialect.create_push_config(task_id, (config or PushConfig()).to_wire())
    if op == "get":
        return dialect.get_push_config(task_id, config_id)
    if op == "list":
        return dialect.list_push_configs(task_id)
    if op == "delete":
        return dialect.delete_push_config(task_id, config_id)
    raise ValueError(f"unknown push config operation {op!r} (create, get, list or delete)")


def decode_config(dialect: Dialect, payload: Any) -> PushConfig:
    return _config_of(dialect, dialect.unwrap(payload))


def _config_of(dialect: Dialect, result: Any) -> PushConfig:
    if not isinstance(result, dict):
        raise ProtocolError(f"{dialect.label}: a push config is not a JSON object", raw=str(result)[:500])
    # v0.3 wraps it: {"taskId" | "name": "tasks/{t}/pushNotificationConfigs/{c}", "pushNotificationConfig"}.
    inner = result.get("pushNotificationConfig")
    inner = inner if isinstance(inner, dict) else result
    named = _CONFIG_NAME.match(str(result.get("name") or ""))
    config = PushConfig(
        id=inner.get("id") or (named["config"] if named else None),
        task_id=result.get("taskId") or (named["task"] if named else None),
        url=str(inner.get("url") or ""),
        token=inner.get("token"),
        tenant=result.get("tenant") or None,
    )
    config.raw = result
    return config


_CONFIG_NAME = re.compile(r"^tasks/(?P<task>[^/]+)/pushNotificationConfigs/(?P<config>[^/]*)$")


def decode_configs(dialect: Dialect, payload: Any) -> list[PushConfig]:
    result = dialect.unwrap(payload)
    configs = result.get("configs") if isinstance(result, dict) else result  # v0.3 JSON-RPC: a list
    return (
        [_config_of(dialect, c) for c in configs or [] if isinstance(c, dict)]
        if isinstance(configs, list)
        else []
    )


def with_push(dialect: Dialect, call: Call, config: PushConfig) -> Call:
    """A send asking for pushes to ``config``: the dialect puts the config where its send wants it."""
    return dialect.with_push(call, config.to_wire())


class PushInbox:
    """``async with client.push_receiver(task_id) as inbox: async for event in inbox: ...``.

    Iteration ends after a terminal or interrupted state. ``refused`` says, in words, what was
    turned away (wrong token, too big, not JSON); ``dropped`` counts events lost to a full queue.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_queue: int = DEFAULT_MAX_QUEUE,
        max_artifact_bytes: int | None = None,
        on_start: Callable[[PushInbox], Awaitable[None]] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.max_body_bytes = max_body_bytes
        self._token = secrets.token_urlsafe(32)
        self._path = "/a2a-push/" + secrets.token_hex(8)
        self._queue: asyncio.Queue[StreamEvent] = asyncio.Queue(max_queue)
        self._reader = A2AReader("push", *(() if max_artifact_bytes is None else (max_artifact_bytes,)))
        self._reader.dialect = V10Rest("push")  # a pushed body is a v1.0 StreamResponse
        self._server: asyncio.Server | None = None
        self.refused: list[str] = []
        self.dropped = 0
        self.received = 0
        self.config: PushConfig | None = None  # what was registered, once it was
        self._ended = False
        self._on_start = on_start

    def __repr__(self) -> str:
        return f"PushInbox({self.url!r}, received={self.received})"

    @property
    def token(self) -> str:
        return self._token

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self._path}"

    @property
    def result(self) -> TaskResult:
        """The task as the pushes received so far describe it."""
        return self._reader.result()

    def push_config(self, task_id: str | None = None) -> PushConfig:
        return PushConfig(task_id=task_id, url=self.url, token=self._token)

    async def start(self) -> PushInbox:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> PushInbox:
        if self._server is None:
            await self.start()
            if self._on_start is not None:
                try:
                    await self._on_start(self)  # e.g. register with the agent for a task
                except BaseException:
                    await self.close()
                    raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __aiter__(self) -> PushInbox:
        return self

    async def __anext__(self) -> StreamEvent:
        if self._ended:
            raise StopAsyncIteration
        event = await self._queue.get()
        if event.state is not None and (event.state.is_terminal or event.state.is_interrupted):
            self._ended = True
        return event

    # -- the HTTP side -------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=16_384)
        try:
            status = await asyncio.wait_for(self._handle(conn, reader), timeout=30)
        except (asyncio.TimeoutError, h11.RemoteProtocolError, ConnectionError):
            status = 400
        with contextlib.suppress(Exception):
            writer.write(
                # One request per connection: say so, or a sender that keeps connections alive
                # (a2a-sdk's httpx client) reuses this one as we close it and drops its next push.
                conn.send(
                    h11.Response(
                        status_code=status, headers=[("content-length", "0"), ("connection", "close")]
                    )
                )
                or b""
            )
            writer.write(conn.send(h11.EndOfMessage()) or b"")
            await writer.drain()
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()

    async def _handle(self, conn: h11.Connection, reader: asyncio.StreamReader) -> int:
        request: h11.Request | None = None
        body = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65_536)
                conn.receive_data(data)
                if not data and request is None:
                    raise ConnectionError("closed before a request")
                continue
            if isinstance(event, h11.Request):
                request = event
                headers = dict(event.headers)
                if event.method != b"POST" or event.target.decode("ascii", "replace") != self._path:
                    return self._refuse(404, f"{event.method!r} {event.target[:100]!r}")
                if not secrets.compare_digest(headers.get(_TOKEN_HEADER, b""), self._token.encode()):
                    return self._refuse(401, "a push without the right token")
                if int(headers.get(b"content-length", b"0") or 0) > self.max_body_bytes:
                    return self._refuse(413, f"a body over {self.max_body_bytes} bytes")
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > self.max_body_bytes:
                    return self._refuse(413, f"a body over {self.max_body_bytes} bytes")
            elif isinstance(event, h11.EndOfMessage):
                return self._accept(bytes(body))
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("closed mid-request")

    def _refuse(self, status: int, what: str) -> int:
        if len(self.refused) < 100:
            self.refused.append(f"{status}: {what}")
        return status

    def _accept(self, body: bytes) -> int:
        try:
            payload = json.loads(body)
            if isinstance(payload, dict) and "kind" in payload:  # a2a-sdk 0.3 pushes the v0.3 Task
                item = v03_objects.decode_item(payload)
            else:
                item = self._reader.dialect.decode_stream(payload)  # type: ignore[union-attr]
            event = self._reader.event_of(item)
        except (ValueError, RecursionError, ProtocolError) as exc:
            return self._refuse(400, f"not a StreamResponse ({type(exc).__name__})")
        self.received += 1
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += 1
        return 200

"""HTTP plumbing: one httpx.AsyncClient per event loop, auth, timeouts, and error mapping.

This is the only module that turns httpx exceptions and HTTP error statuses into agentnb errors.

Why one client per loop: an httpx connection pool is bound to the loop that created it, so a
single global client (what agno does) breaks the second ``asyncio.run()`` in a process. Each loop
gets its own client, closed when that loop shuts down (``asyncio.run`` finalises async generators,
and we park one per loop whose ``finally`` closes the clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import threading
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from agentnb import __version__
from agentnb.errors import (
    AgentNBError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    RemoteHTTPError,
    RemoteServerUnavailableError,
    RemoteTimeoutError,
    RequestValidationError,
    ServerError,
)

__all__ = ["HTTPTransport", "close_clients_of_running_loop", "map_transport_error"]

_USER_AGENT = f"agentnb/{__version__}"
#: How much of an error body we read and quote; error pages can be large.
_ERROR_BODY_CAP = 64 * 1024
_DETAIL_QUOTE_CAP = 500
_RETRY_AFTER_CAP = 30.0


# --------------------------------------------------------------------------- per-loop clients


@dataclass
class _LoopClients:
    loop_ref: weakref.ReferenceType[asyncio.AbstractEventLoop]
    clients: dict[int, httpx.AsyncClient] = field(default_factory=dict)
    closer: AsyncGenerator[None, None] | None = None


_registry: dict[int, _LoopClients] = {}
_registry_lock = threading.Lock()


async def _close_on_loop_shutdown(entry: _LoopClients) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await _close_entry(entry)


async def _close_entry(entry: _LoopClients) -> None:
    clients = list(entry.clients.values())
    entry.clients.clear()
    for client in clients:
        with contextlib.suppress(Exception):
            await client.aclose()


def _purge_closed_loops() -> None:
    for key, entry in list(_registry.items()):
        loop = entry.loop_ref()
        if loop is None or loop.is_closed():
            # That loop is gone; its sockets cannot be closed from here, only forgotten.
            del _registry[key]


async def _client_for_running_loop(transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    tkey = id(transport) if transport is not None else 0
    entry = _registry.get(id(loop))
    if entry is not None and entry.loop_ref() is loop:
        client = entry.clients.get(tkey)
        if client is not None and not client.is_closed:
            return client
    with _registry_lock:
        _purge_closed_loops()
        entry = _registry.get(id(loop))
        new_entry = entry is None or entry.loop_ref() is not loop
        if new_entry:
            entry = _LoopClients(loop_ref=weakref.ref(loop))
            _registry[id(loop)] = entry
        assert entry is not None
        client = httpx.AsyncClient(
            transport=transport,
            headers={"User-Agent": _USER_AGENT},
            follow_redirects=True,
            # The pool limits matter for many concurrent streams from one notebook.
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=20),
        )
        entry.clients[tkey] = client
    if new_entry:
        closer = _close_on_loop_shutdown(entry)
        await closer.__anext__()
        entry.closer = closer
    return client


async def close_clients_of_running_loop() -> None:
    """Close every client that belongs to the running loop (used by run_sync before it exits)."""
    loop = asyncio.get_running_loop()
    with _registry_lock:
        entry = _registry.pop(id(loop), None)
    if entry is None or entry.loop_ref() is not loop:
        return
    await _close_entry(entry)
    if entry.closer is not None:
        await entry.closer.aclose()


# --------------------------------------------------------------------------- error mapping


@dataclass(frozen=True)
class ErrorContext:
    """What an error message should name besides the URL."""

    agent_id: str | None = None
    what: str | None = None  # e.g. "agent 'assistant'", "session 's1'"


def map_transport_error(
    exc: httpx.TransportError, *, method: str, url: str, base_url: str, timeout: float | None
) -> AgentNBError:
    """Turn an httpx transport failure into RemoteServerUnavailableError or RemoteTimeoutError."""
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connect",
            httpx.ReadTimeout: "read",
            httpx.WriteTimeout: "write",
            httpx.PoolTimeout: "pool",
        }.get(type(exc), "read")
        if phase == "read":
            message = (
                f"{method} {url}: no data from the server for {timeout} s (read timeout). The server is "
                f"up but slow; the run may still be going. Raise timeout= for slow tools or models."
            )
        elif phase == "connect":
            message = f"{method} {url}: could not connect to {base_url} within {timeout} s (connect timeout)"
        else:
            message = f"{method} {url}: {phase} timeout after {timeout} s"
        return RemoteTimeoutError(message, base_url, exc, phase=phase, timeout=timeout)
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        # anyio words every failure "All connection attempts failed"; the OS error is in the chain.
        cause = _root_os_error(exc)
        if cause is not None:
            reason = f"{type(cause).__name__}: {cause}"
        if isinstance(cause, socket.gaierror) or re.search(
            r"Name or service not known|nodename nor servname|getaddrinfo|name resolution", reason
        ):
            host = httpx.URL(url).host
            message = f"Cannot reach {base_url}: the host name '{host}' does not resolve ({reason})"
        elif isinstance(cause, ConnectionRefusedError) or "refused" in reason.lower():
            message = f"Cannot connect to {base_url}: connection refused. Is the server running? ({reason})"
        else:
            message = f"Cannot connect to {base_url}: {reason}"
    elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        cause = _root_os_error(exc)
        why = f"{type(cause).__name__}: {cause}" if cause is not None and str(cause) else type(exc).__name__
        # Not retried: a POST that reached the server before it went away might have started a run.
        message = (
            f"{method} {url}: the connection to {base_url} was closed before an answer arrived ({why}); "
            "the server may have stopped or restarted"
        )
    else:
        message = f"{method} {url}: connection failed ({type(exc).__name__}: {reason})"
    return RemoteServerUnavailableError(message, base_url, exc)


def _root_os_error(exc: BaseException) -> OSError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    found: OSError | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            found = current
        current = current.__cause__ or current.__context__
    return found


def _detail_from_body(body: bytes, content_type: str) -> tuple[Any, str]:
    """The server's own explanation: (raw detail, one-line text)."""
    if not body:
        return None, ""
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            payload = None
        if isinstance(payload, dict):
            for key in ("detail", "error", "message"):
                if key in payload:
                    detail = payload[key]
                    return detail, _detail_text(detail)
            return payload, _quote(text)
        if payload is not None:
            return payload, _quote(text)
    if "html" in content_type or text.lstrip()[:1] == "<":
        # An HTML error page (a proxy, a crashed app): quote its visible text, not its markup.
        stripped = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S | re.I)
        stripped = re.sub(r"<[^>]+>", " ", stripped)
        return text, "HTML error page: " + _quote(" ".join(stripped.split()))
    return text, _quote(text)


def _detail_text(detail: Any) -> str:
    if isinstance(detail, str):
        return _quote(detail)
    if isinstance(detail, list):
        # FastAPI validation errors: [{"loc": [...], "msg": "...", ...}]
        parts = []
        for item in detail:
            if isinstance(item, dict) and "msg" in item:
                loc = ".".join(str(p) for p in item.get("loc", []))
                parts.append(f"{loc}: {item['msg']}" if loc else str(item["msg"]))
            else:
                parts.append(str(item))
        return _quote("; ".join(parts))
    if isinstance(detail, dict) and "message" in detail:
        return _quote(str(detail["message"]))
    return _quote(json.dumps(detail, default=str))


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _DETAIL_QUOTE_CAP else text[:_DETAIL_QUOTE_CAP] + "…"


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


_STATUS_CLASSES: dict[int, type[RemoteHTTPError]] = {
    400: RequestValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    422: RequestValidationError,
    429: RateLimitError,
}


def http_error(
    response: httpx.Response, body: bytes, *, context: ErrorContext | None, sent_auth: bool
) -> RemoteHTTPError:
    """Build the typed error for an HTTP error status, naming the URL, the agent and the detail."""
    request = response.request
    detail, detail_text = _detail_from_body(body, response.headers.get("content-type", ""))
    status = response.status_code
    message = f"HTTP {status} {response.reason_phrase} from {request.method} {request.url}"
    if context is not None and (context.what or context.agent_id):
        message += f" ({context.what or 'agent ' + repr(context.agent_id)})"
    if detail_text:
        message += f": {detail_text}"
    if status in (401, 403):
        message += (
            ". An Authorization: Bearer header was sent (value hidden); check the token."
            if sent_auth
            else ". No Authorization header was sent; pass auth_token= (or set it on the client)."
        )
    cls = _STATUS_CLASSES.get(status) or (ServerError if status >= 500 else RemoteHTTPError)
    # httpx.HTTPStatusError users read e.response.text: make the body readable even for streams.
    if not hasattr(response, "_content"):
        response._content = body
    error = cls(
        message,
        request=request,
        response=response,
        detail=detail,
        agent_id=context.agent_id if context else None,
    )
    if isinstance(error, RateLimitError):
        error.retry_after = _retry_after_seconds(response)
    return error


# --------------------------------------------------------------------------- the transport


class HTTPTransport:
    """Requests to one server: auth, timeouts, safe retries and error mapping.

    ``retries`` counts extra attempts that are always safe: connect failures (nothing was sent),
    and, for GET only, 429/503 answers. A run or continue POST is never sent twice.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 60.0,
        auth_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._auth_token = auth_token
        self.headers = dict(headers or {})
        self.retries = retries
        self._transport = transport

    def __repr__(self) -> str:
        auth = ", auth_token=<hidden>" if self._auth_token else ""
        return f"HTTPTransport({self.base_url!r}, timeout={self.timeout}{auth})"

    @property
    def auth_token(self) -> str | None:
        return self._auth_token

    @auth_token.setter
    def auth_token(self, value: str | None) -> None:
        self._auth_token = value

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def _headers(self, auth_token: str | None, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(self.headers)
        if extra:
            headers.update(extra)
        token = auth_token if auth_token is not None else self._auth_token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json_body: Any,
        data: Mapping[str, Any] | None,
        files: Any,
        auth_token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        stream: bool,
    ) -> httpx.Response:
        client = await _client_for_running_loop(self._transport)
        url = self.url(path)
        effective_timeout = self.timeout if timeout is None else timeout
        request = client.build_request(
            method,
            url,
            params={k: v for k, v in (params or {}).items() if v is not None} or None,
            json=json_body,
            data=data,
            files=files,
            headers=self._headers(auth_token, headers),
            timeout=effective_timeout,
        )
        attempt = 0
        while True:
            try:
                response = await client.send(request, stream=stream)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing reached the server, so even a POST is safe to try again.
                if attempt < self.retries:
                    await asyncio.sleep(min(0.1 * 2**attempt, 2.0))
                    attempt += 1
                    continue
                raise map_transport_error(
                    exc, method=method, url=url, base_url=self.base_url, timeout=effective_timeout
                ) from exc
            except httpx.TransportError as exc:
                raise map_transport_error(
                    exc, method=method, url=url, base_url=self.base_url, timeout=effective_timeout
                ) from exc
            if (
                method == "GET"
                and response.status_code in (429, 503)
                and attempt < self.retries
                and (delay := _retry_after_seconds(response)) is not None
            ):
                await response.aclose()
                await asyncio.sleep(min(delay, _RETRY_AFTER_CAP))
                attempt += 1
                continue
            return response

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        auth_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        context: ErrorContext | None = None,
    ) -> httpx.Response:
        """Send a request and read the body; raise a typed error for an error status."""
        response = await self._send(
            method,
            path,
            params=params,
            json_body=json,
            data=data,
            files=files,
            auth_token=auth_token,
            headers=headers,
            timeout=timeout,
            stream=False,
        )
        if response.is_error:
            sent_auth = "authorization" in {k.lower() for k in response.request.headers}
            raise http_error(response, response.content, context=context, sent_auth=sent_auth)
        return response

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except (ValueError, RecursionError) as exc:
            from agentnb.errors import ProtocolError

            raise ProtocolError(
                f"{method} {response.request.url}: expected JSON, got "
                f"{response.headers.get('content-type', 'no content type')}",
                raw=response.content[:_DETAIL_QUOTE_CAP],
                url=str(response.request.url),
            ) from exc

    @contextlib.asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        auth_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        context: ErrorContext | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Open a streamed response; on an error status, read the body first so the detail survives."""
        response = await self._send(
            method,
            path,
            params=params,
            json_body=json,
            data=data,
            files=files,
            auth_token=auth_token,
            headers=headers,
            timeout=timeout,
            stream=True,
        )
        try:
            if response.is_error:
                body = await _read_capped(response, _ERROR_BODY_CAP)
                sent_auth = "authorization" in {k.lower() for k in response.request.headers}
                raise http_error(response, body, context=context, sent_auth=sent_auth)
            yield response
        finally:
            await response.aclose()


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= cap:
                break
    except httpx.TransportError:
        pass  # a partial error body is still better than none
    return b"".join(chunks)[:cap]

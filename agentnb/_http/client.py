"""HTTPClient: requests to one server with auth, timeouts, safe retries and mapped errors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, TypedDict

import httpx
from pydantic_core import from_json
from typing_extensions import Unpack  # in typing from Python 3.11; we support 3.10

from agentnb._http.errors import (
    DETAIL_QUOTE_CAP,
    ERROR_BODY_CAP,
    ErrorContext,
    http_error,
    map_transport_error,
    retry_after_seconds,
)
from agentnb._http.loops import client_for_running_loop, pool_limits
from agentnb.errors import RemoteHTTPError

__all__ = ["HTTPClient"]

_RETRY_AFTER_CAP = 30.0


class HTTPClient:
    """Requests to one server: auth, timeouts, safe retries and error mapping.

    ``retries`` counts extra attempts that are always safe: connect failures (nothing was sent),
    and, for GET only, 429/503 answers. A run or continue POST is never sent twice.
    ``max_connections`` / ``limits`` (an ``httpx.Limits``) size the connection pool of the loop's
    client this server is reached through (see ``loops.pool_limits``).
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
        max_connections: int | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        #: The connection pool's limits (shared with every client asking for the same ones).
        self.limits = pool_limits(max_connections, limits)
        self.timeout = timeout
        self._auth_token = auth_token
        self.headers = dict(headers or {})
        self.retries = retries
        self._transport = transport

    def __repr__(self) -> str:
        auth = ", auth_token=<hidden>" if self._auth_token else ""
        return f"HTTPClient({self.base_url!r}, timeout={self.timeout}{auth})"

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
        stream: bool,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        auth_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        client = await client_for_running_loop(self._transport, self.limits)
        url = self.url(path)
        effective_timeout = self.timeout if timeout is None else timeout
        request = client.build_request(
            method,
            url,
            params={k: v for k, v in (params or {}).items() if v is not None} or None,
            json=json,
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
                and (delay := retry_after_seconds(response)) is not None
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
        context: ErrorContext | None = None,
        **options: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Send a request and read the body; raise a typed error for an error status."""
        response = await self._send(method, path, stream=False, **options)
        if response.is_error:
            raise _error_of(response, response.content, context)
        return response

    async def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            # pydantic-core's parser reads a page of thousands of rows about 3x faster than
            # json.loads; what it refuses (not UTF-8, lone surrogates, invalid) is json.loads' call.
            return from_json(response.content)
        except ValueError:
            pass
        try:
            return response.json()
        except (ValueError, RecursionError) as exc:
            from agentnb.errors import ProtocolError

            raise ProtocolError(
                f"{method} {response.request.url}: expected JSON, got "
                f"{response.headers.get('content-type', 'no content type')}",
                raw=response.content[:DETAIL_QUOTE_CAP],
                url=str(response.request.url),
            ) from exc

    async def open_stream(
        self,
        method: str,
        path: str,
        *,
        context: ErrorContext | None = None,
        **options: Unpack[RequestOptions],
    ) -> httpx.Response:
        """Open a streamed response for the caller to read and close.

        An error status is read first (capped, so the server's detail survives), closed, and
        raised as a typed error.
        """
        response = await self._send(method, path, stream=True, **options)
        if response.is_error:
            try:
                body = await _read_capped(response, ERROR_BODY_CAP)
            finally:
                await response.aclose()
            raise _error_of(response, body, context)
        return response


class RequestOptions(TypedDict, total=False):
    """What a request may carry besides its method and path (``None`` leaves a part out)."""

    params: Mapping[str, Any] | None
    json: Any
    data: Mapping[str, Any] | None
    files: Any
    auth_token: str | None
    headers: Mapping[str, str] | None
    timeout: float | None


def _error_of(response: httpx.Response, body: bytes, context: ErrorContext | None) -> RemoteHTTPError:
    sent_auth = "authorization" in {k.lower() for k in response.request.headers}
    return http_error(response, body, context=context, sent_auth=sent_auth)


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

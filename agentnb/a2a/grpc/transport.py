"""The wire under the gRPC dialects: one ``grpc.aio`` channel per event loop, generic calls by path.

Imported only when a gRPC call is made (``grpcio`` is the optional ``grpc`` extra). A call is a
method name and the ProtoJSON of its request (what the JSON-RPC / REST dialects already build):
it is ``ParseDict``-ed into our own request message, sent, and the answer ``MessageToDict``-ed
back for the shared decoders. Streams become a text/event-stream ``httpx.Response`` of those
answers (wrapped as the dialect reads them), read by the same engine as every other A2A stream;
closing that response cancels the gRPC call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import grpc
import grpc.aio
import httpx
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

from agentnb._http.loops import release_at_loop_shutdown
from agentnb._sse import SSEFrame
from agentnb._stream import FramedBody
from agentnb.a2a.dialects.base import REASON_CODES, as_a2a_http_error
from agentnb.a2a.grpc.frames import grpc_frame
from agentnb.a2a.grpc.services import Method, RpcErrorInfo, RpcStatus, Service
from agentnb.errors import (
    A2AError,
    AuthenticationError,
    ProtocolError,
    RemoteServerUnavailableError,
    RemoteTimeoutError,
)

__all__ = ["GrpcChannels", "target_of"]

#: gRPC status -> JSON-RPC code, when the server sent no ErrorInfo reason (which wins when present).
_STATUS_CODES = {
    grpc.StatusCode.NOT_FOUND: -32001,
    grpc.StatusCode.UNIMPLEMENTED: -32004,
    grpc.StatusCode.INVALID_ARGUMENT: -32602,
    grpc.StatusCode.INTERNAL: -32603,
}
#: HTTP headers that mean nothing (or something else) as gRPC metadata.
_NOT_METADATA = {"accept", "content-type", "content-length", "connection", "host", "te", "user-agent"}
_MAX_DETAILS = 500


def target_of(url: str) -> tuple[str, bool]:
    """``(host:port, secure)`` of an interface URL: ``host:port``, ``grpc://``, ``grpcs://`` or ``http(s)://``.

    A bare ``host:port`` (what a2a-sdk cards list) is plaintext, as over ``http://``.
    """
    if "://" not in url:
        return url.rstrip("/"), False
    parts = urlsplit(url)
    secure = parts.scheme in ("https", "grpcs")
    port = parts.port or (443 if secure else 80)
    host = parts.hostname or ""
    return (f"[{host}]" if ":" in host else host) + f":{port}", secure


def metadata_of(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """HTTP-style headers as gRPC metadata (lower-case keys, the last of a name wins; transport
    headers dropped)."""
    merged = {k.lower(): v for k, v in headers.items()}
    return [(k, v) for k, v in merged.items() if k not in _NOT_METADATA]


class GrpcChannels:
    """A target's ``grpc.aio`` channels, one per event loop (a channel is bound to its loop)."""

    def __init__(self, url: str) -> None:
        self.target, self.secure = target_of(url)
        self._channels: dict[int, tuple[asyncio.AbstractEventLoop, grpc.aio.Channel]] = {}
        #: Each loop's closer, held here: on a loop without HTTP clients nothing else holds it,
        #: and the collector would finalise its parked generator (closing the channel) at once.
        self._closers: dict[int, _ChannelCloser] = {}

    async def channel(self) -> grpc.aio.Channel:
        loop = asyncio.get_running_loop()
        held = self._channels.get(id(loop))
        if held is not None and held[0] is loop:
            return held[1]
        channel = (
            grpc.aio.secure_channel(self.target, grpc.ssl_channel_credentials())
            if self.secure
            else grpc.aio.insecure_channel(self.target)
        )
        self._channels[id(loop)] = (loop, channel)
        closer = _ChannelCloser(self, loop)
        # Closed with the loop: by the HTTP plumbing's shutdown hook when this loop has HTTP
        # clients (it releases open streams first), and in any case by an async generator that
        # asyncio.run() finalises (a loop that only ever spoke gRPC).
        release_at_loop_shutdown(closer, loop, keep=True)
        parked = closer.at_shutdown()
        await parked.__anext__()
        closer.parked = parked
        self._closers[id(loop)] = closer
        return channel

    async def close(self) -> None:
        """Close the running loop's channel (the others close with their loops)."""
        loop_id = id(asyncio.get_running_loop())
        self._closers.pop(loop_id, None)
        held = self._channels.pop(loop_id, None)
        if held is not None:
            await held[1].close()

    def _request(self, service: Service, name: str, params: Any) -> tuple[Method, Message]:
        method = service.methods.get(name)
        if method is None:
            raise A2AError(f"{service.label}: no method {name!r}", code=-32601, url=self.target)
        try:
            request = json_format.ParseDict(params or {}, method.request())
        except json_format.ParseError as exc:
            raise ProtocolError(f"{service.label} {name}: the request does not fit a2a.proto: {exc}") from exc
        return method, request

    async def unary(
        self, service: Service, name: str, params: Any, headers: Mapping[str, str], timeout: float | None
    ) -> dict[str, Any]:
        """Send one unary call; the answer's ProtoJSON."""
        method, request = self._request(service, name, params)
        callable_ = (await self.channel()).unary_unary(
            service.path + name,
            request_serializer=_serialize,
            response_deserializer=method.answer.FromString,
        )
        try:
            answer = await callable_(request, metadata=metadata_of(headers), timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            raise self.error(exc, service, name, timeout, headers) from exc
        return _to_json(answer)

    async def open_stream(
        self,
        service: Service,
        name: str,
        params: Any,
        headers: Mapping[str, str],
        timeout: float | None,
        wrap: Callable[[dict[str, Any]], Any],
    ) -> httpx.Response:
        """Start a server-streaming call; its messages (``wrap``-ped) as an SSE ``httpx.Response``.

        The first message is awaited here, so a refused call raises from the opener like an HTTP
        error status would; ``timeout`` bounds each wait for the next message.
        """
        method, request = self._request(service, name, params)
        callable_ = (await self.channel()).unary_stream(
            service.path + name,
            request_serializer=_serialize,
            response_deserializer=method.answer.FromString,
        )
        call = callable_(request, metadata=metadata_of(headers))
        body = _StreamBody(self, call, (service, name), timeout, headers, wrap)
        try:
            await body.prefetch()
        except BaseException:
            call.cancel()
            raise
        request_url = f"grpc://{self.target}{service.path}{name}"
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            stream=body,
            request=httpx.Request("POST", request_url),
        )

    def error(
        self,
        exc: grpc.aio.AioRpcError,
        service: Service,
        name: str,
        timeout: float | None,
        headers: Mapping[str, str],
    ) -> Exception:
        """The agentnb error for a failed call (same classes and codes as JSON-RPC and REST)."""
        code = exc.code()
        details = str(exc.details() or "")[:_MAX_DETAILS]
        reason = _reason(exc.trailing_metadata())
        message = f"{service.label} at {self.target}: {name} failed with {code.name}: {details}"
        if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
            sent = any(k.lower() == "authorization" for k in headers)
            message += (
                ". An Authorization: Bearer header was sent (value hidden); check the token."
                if sent
                else ". No Authorization header was sent; pass auth_token= (or set it on the client)."
            )
            status = 401 if code is grpc.StatusCode.UNAUTHENTICATED else 403
            request = httpx.Request("POST", f"grpc://{self.target}{service.path}{name}")
            detail = {"status": code.name, "message": details, "details": [{"reason": reason}]}
            response = httpx.Response(status, request=request)
            return as_a2a_http_error(
                AuthenticationError(message, request=request, response=response, detail=detail)
            )
        if code is grpc.StatusCode.DEADLINE_EXCEEDED:
            return RemoteTimeoutError(message, self.target, exc, timeout=timeout)
        if code is grpc.StatusCode.UNAVAILABLE:
            return RemoteServerUnavailableError(message, self.target, exc)
        return A2AError(
            message,
            code=REASON_CODES.get(reason or "") or _STATUS_CODES.get(code),
            data={"status": code.name},
            reason=reason,
            url=self.target,
        )


class _StreamBody(httpx.AsyncByteStream, FramedBody):
    """A gRPC stream's messages as frames (``GrpcFrame``); ``aclose`` cancels the call.

    ``timeout`` bounds each wait for the next message. One timer per stream watches it (see
    ``_expire``) rather than an ``asyncio.timeout`` per message: arming and cancelling a timer
    for every token cost more than reading the token.
    """

    def __init__(
        self,
        channels: GrpcChannels,
        call: Any,
        method: tuple[Service, str],
        timeout: float | None,
        headers: Mapping[str, str],
        wrap: Callable[[dict[str, Any]], Any],
    ) -> None:
        self._channels, self._call, (self._service, self._name) = channels, call, method
        self._timeout, self._headers, self._wrap = timeout, headers, wrap
        self._first: Any = None
        self._ended = False
        #: Whether a read is under way and since when (loop time), and whether the timer
        #: cancelled the call because one waited longer than ``timeout``.
        self._reading = False
        self._waiting_since = 0.0
        self._timed_out = False
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def prefetch(self) -> None:
        if self._timeout is not None:
            loop = self._loop = asyncio.get_running_loop()
            self._timer = loop.call_at(loop.time() + self._timeout, self._expire)
        self._first = await self._read()

    def _expire(self) -> None:
        """The timer: cancel the call if the read under way has waited ``timeout``, else look
        again when it would have (messages arrived meanwhile, or nobody is reading now)."""
        loop, timeout = self._loop, self._timeout
        assert loop is not None and timeout is not None
        self._timer = None
        if self._ended:
            return
        now = loop.time()
        due = self._waiting_since + timeout if self._reading else now + timeout
        if now >= due:
            self._timed_out = True
            self._call.cancel()  # the pending read ends (CancelledError), and the server sees it
        else:
            self._timer = loop.call_at(due, self._expire)

    async def _read(self) -> Any:
        """The next message, or None at the end (errors mapped as for a unary call)."""
        loop = self._loop
        if loop is not None:
            self._waiting_since, self._reading = loop.time(), True
        try:
            message = await self._call.read()
        except grpc.aio.AioRpcError as exc:
            self._stop()
            raise self._channels.error(exc, self._service, self._name, self._timeout, self._headers) from exc
        except BaseException as exc:
            self._stop()
            if not (self._timed_out and isinstance(exc, asyncio.CancelledError)):
                raise  # our task was cancelled, or the stream closed: not a timeout
            where = f"{self._service.label} at {self._channels.target}"
            raise RemoteTimeoutError(
                f"{where}: no {self._name} message in {self._timeout}s",
                self._channels.target,
                exc,
                timeout=self._timeout,
            ) from exc
        self._reading = False
        if message is grpc.aio.EOF:
            self._stop()
            return None
        return message

    def _stop(self) -> None:
        self._ended = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def frames(self) -> AsyncIterator[list[SSEFrame]]:
        # Each message as one frame holding the message itself: written as SSE text, the engine
        # would cut and parse it again, and its ProtoJSON is made only if the reader needs it.
        # No generator nests in this one: the engine closes it when it leaves, and nothing is
        # left for the loop to end.
        wrap = self._wrap
        first, self._first = self._first, None
        if first is not None:
            yield [grpc_frame(first, wrap)]
        while not self._ended:
            message = await self._read()
            if message is not None:
                yield [grpc_frame(message, wrap)]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # The same messages as SSE text, for a reader of the response itself (``aread``).
        first, self._first = self._first, None
        message = first if first is not None else (None if self._ended else await self._read())
        while message is not None:
            payload = self._wrap(_to_json(message))
            yield b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"
            message = None if self._ended else await self._read()

    async def aclose(self) -> None:
        # Cancelling an ended call is a no-op; cancelling a running one tells the server we left.
        self._stop()
        self._call.cancel()


class _ChannelCloser:
    """Closes a loop's channel when that loop shuts down (see agentnb._http.loops)."""

    def __init__(self, channels: GrpcChannels, loop: asyncio.AbstractEventLoop) -> None:
        self._channels, self._loop = channels, loop
        self.parked: AsyncGenerator[None, None] | None = None

    async def at_shutdown(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            await self.release()

    async def release(self) -> None:
        closers = self._channels._closers
        if closers.get(id(self._loop)) is not self:
            return  # its channel was closed already (``close``): a later one is not its to close
        del closers[id(self._loop)]
        held = self._channels._channels.pop(id(self._loop), None)
        if held is not None and held[0] is self._loop:
            with contextlib.suppress(Exception):  # the loop is ending; a failed close changes nothing
                await held[1].close()


def _serialize(message: Message) -> bytes:
    return bytes(message.SerializeToString())


def _to_json(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(message)
    return out


def _reason(trailers: Any) -> str | None:
    """The ErrorInfo ``reason`` from a ``grpc-status-details-bin`` trailer, if any."""
    for key, value in trailers or ():
        if key != "grpc-status-details-bin" or not isinstance(value, bytes):
            continue
        try:
            status = RpcStatus.FromString(value)
            for detail in status.details:
                if detail.type_url.endswith("/google.rpc.ErrorInfo"):
                    return RpcErrorInfo.FromString(detail.value).reason[:100] or None
        except DecodeError:
            return None
    return None

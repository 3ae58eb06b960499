"""The exception hierarchy: every error agentnb raises derives from AgentNBError.

HTTP errors also derive from ``httpx.HTTPStatusError`` because agno's documentation promises that
type to callers; connection failures keep agno's ``RemoteServerUnavailableError`` name and fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

__all__ = [
    "A2AError",
    "A2AHTTPError",
    "AgentNBError",
    "AuthenticationError",
    "ConfigurationError",
    "EndpointNotServedError",
    "NotFoundError",
    "ProtocolError",
    "RateLimitError",
    "RemoteHTTPError",
    "RemoteServerUnavailableError",
    "RemoteTimeoutError",
    "RequestValidationError",
    "RunAlreadyContinuedError",
    "ServerError",
    "StreamInterruptedError",
    "UnresolvedToolsError",
]


#: Set True to see agentnb errors in a notebook with their whole traceback and chained causes.
FULL_TRACEBACKS = False


class AgentNBError(Exception):
    """Root of every error raised by agentnb.

    In IPython (a notebook cell) it shows as its one-line message instead of a traceback whose
    chained httpx/anyio errors run to hundreds of lines; ``agentnb.errors.FULL_TRACEBACKS = True``
    brings the full traceback back, and the cause stays on ``__cause__`` either way.
    """

    @property
    def _render_traceback_(self) -> Callable[[], list[str]]:
        # IPython's protocol: it calls this when the attribute exists. Raising AttributeError
        # (FULL_TRACEBACKS) makes hasattr() false, and IPython renders the usual traceback.
        if FULL_TRACEBACKS:
            raise AttributeError("_render_traceback_")
        return self._short_traceback

    def _short_traceback(self) -> list[str]:
        return [
            f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}",
            "(full traceback: agentnb.errors.FULL_TRACEBACKS = True, then run the cell again)",
        ]


class ConfigurationError(AgentNBError, ValueError):
    """The caller passed something agentnb cannot send (an unknown keyword, a bad value)."""


class RemoteServerUnavailableError(AgentNBError):
    """The server could not be reached: refused connection, unknown host, dropped socket.

    Same name and fields as agno's ``agno.exceptions.RemoteServerUnavailableError``.
    """

    def __init__(
        self,
        message: str,
        base_url: str | None = None,
        original_error: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.base_url = base_url
        self.original_error = original_error

    def __str__(self) -> str:
        return self.message


class RemoteTimeoutError(RemoteServerUnavailableError, TimeoutError):
    """The server was reached but did not answer in time.

    A subclass of RemoteServerUnavailableError so that code written against agno's documentation
    (which folds timeouts into that error) still catches it, while ``except RemoteTimeoutError``
    tells a slow server apart from a dead one.
    """

    def __init__(
        self,
        message: str,
        base_url: str | None = None,
        original_error: BaseException | None = None,
        *,
        phase: str = "read",
        timeout: float | None = None,
    ) -> None:
        super().__init__(message, base_url, original_error)
        self.phase = phase
        self.timeout = timeout


class RemoteHTTPError(AgentNBError, httpx.HTTPStatusError):
    """The server answered with an HTTP error status.

    ``detail`` is the server's own explanation (AgentOS ``{"detail": ...}``), already read even
    for streamed requests, so ``str(error)`` is useful and ``error.response.text`` never raises.
    """

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request,
        response: httpx.Response,
        detail: Any = None,
        agent_id: str | None = None,
    ) -> None:
        httpx.HTTPStatusError.__init__(self, message, request=request, response=response)
        self.message = message
        self.status_code = response.status_code
        self.detail = detail
        self.agent_id = agent_id
        self.url: str | None = str(request.url)

    def __str__(self) -> str:
        return self.message


class AuthenticationError(RemoteHTTPError):
    """401 or 403: the server refused the credentials (or their absence)."""


class NotFoundError(RemoteHTTPError):
    """404: unknown agent, session, run or route."""


class EndpointNotServedError(NotFoundError):
    """404 for a route the server does not serve at all (an older AgentOS, a feature turned off).

    ``endpoint`` names it ("GET /traces"); a missing memory or trace stays a plain NotFoundError.
    """

    endpoint: str = ""


class RequestValidationError(RemoteHTTPError):
    """422 (or 400): the server rejected the request's shape."""


class RateLimitError(RemoteHTTPError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    retry_after: float | None = None


class ServerError(RemoteHTTPError):
    """5xx: the server failed."""


class ProtocolError(AgentNBError):
    """The peer sent something that violates the protocol; ``raw`` holds the offending bytes."""

    def __init__(self, message: str, raw: bytes | str | None = None, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.raw = raw
        self.url = url

    def __str__(self) -> str:
        return self.message


class StreamInterruptedError(ProtocolError):
    """A stream ended before its terminal event; ``partial`` keeps everything received so far."""

    def __init__(
        self,
        message: str,
        raw: bytes | str | None = None,
        *,
        url: str | None = None,
        partial: Any = None,
        original_error: BaseException | None = None,
    ) -> None:
        super().__init__(message, raw, url=url)
        self.partial = partial
        self.original_error = original_error


class UnresolvedToolsError(AgentNBError, ValueError):
    """continue_run was asked to continue while paused tools are still undecided.

    AgentOS would silently treat them as rejected (or fail later), so we refuse before sending.
    """

    def __init__(self, message: str, pending: list[Any]) -> None:
        super().__init__(message)
        self.pending = pending


class RunAlreadyContinuedError(AgentNBError, ValueError):
    """The run was already continued; AgentOS would fork it and run the tools a second time."""


class A2AError(AgentNBError):
    """An A2A peer reported an error: JSON-RPC ``error`` or a v1.0 REST ``{"error": {...}}``.

    ``code`` is the JSON-RPC code (-32001 task not found, -32002 not cancelable, -32601 method not
    found, -32009 version not supported, ...); ``reason`` the v1.0 ErrorInfo reason when given.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        data: Any = None,
        reason: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.data = data
        self.reason = reason
        self.url = url

    def __str__(self) -> str:
        return self.message


class A2AHTTPError(RemoteHTTPError, A2AError):
    """An A2A error carried by an HTTP error status (REST bindings, Agno's dialect)."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request,
        response: httpx.Response,
        detail: Any = None,
        code: int | None = None,
        data: Any = None,
        reason: str | None = None,
    ) -> None:
        RemoteHTTPError.__init__(self, message, request=request, response=response, detail=detail)
        self.code = code
        self.data = data
        self.reason = reason

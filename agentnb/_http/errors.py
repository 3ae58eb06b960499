"""The one place that turns httpx exceptions and HTTP error statuses into agentnb errors."""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass
from typing import Any

import httpx

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

__all__ = ["ERROR_BODY_CAP", "ErrorContext", "http_error", "map_transport_error", "retry_after_seconds"]

#: How much of an error body we read and quote; error pages can be large.
ERROR_BODY_CAP = 64 * 1024
DETAIL_QUOTE_CAP = 500


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


#: Characters a server's detail must not carry into a message a terminal or a log shows: line
#: breaks and tabs (the message is one line; a forged second line could pose as ours), the other
#: C0/C1 controls (terminal escape sequences) and the bidirectional overrides (text shown in
#: another order than it reads).
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _quote(text: str) -> str:
    """A server's text as one safe line: breaks become spaces, controls visible escapes, capped."""
    text = _LINE_BREAKS.sub(" ", text.strip())
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= DETAIL_QUOTE_CAP else text[:DETAIL_QUOTE_CAP] + "…"


def retry_after_seconds(response: httpx.Response) -> float | None:
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
        error.retry_after = retry_after_seconds(response)
    return error

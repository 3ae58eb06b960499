"""The base of every A2A dialect: how a (version, binding) pair names its calls and wraps its answers.

| dialect | calls | objects |
|---|---|---|
| v0.3 JSON-RPC | POST url, ``message/send`` … | ``kind`` JSON (v03_objects) |
| v0.3 REST | ``/v1/message:send`` … | proto-JSON v0.3 (v10_objects, ``v03=True``) |
| Agno | JSON-RPC envelopes POSTed to ``{agent}/v1/message:send`` … | ``kind`` JSON |
| v1.0 JSON-RPC | POST url, ``SendMessage`` …, header ``A2A-Version: 1.0`` | proto-JSON v1.0 |
| v1.0 REST | ``/message:send`` … (optional tenant prefix), same header | proto-JSON v1.0 |
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from agentnb.a2a.models import A2AMessage, ArtifactUpdate, StatusUpdate, Task
from agentnb.errors import (
    A2AError,
    A2AHTTPError,
    AuthenticationError,
    ProtocolError,
    RateLimitError,
    RemoteHTTPError,
)

__all__ = [
    "CODE_REASONS",
    "REASON_CODES",
    "Call",
    "Dialect",
    "Item",
    "as_a2a_http_error",
    "code_from_message",
    "error_reason",
    "push_config_v03",
    "unauthenticated_error",
]

Item = Task | A2AMessage | StatusUpdate | ArtifactUpdate
T = TypeVar("T")

#: v1.0 ErrorInfo reasons → JSON-RPC codes, so REST errors carry the same ``code``.
REASON_CODES = {
    "TASK_NOT_FOUND": -32001,
    "TASK_NOT_CANCELABLE": -32002,
    "PUSH_NOTIFICATION_NOT_SUPPORTED": -32003,
    "UNSUPPORTED_OPERATION": -32004,
    "CONTENT_TYPE_NOT_SUPPORTED": -32005,
    "INVALID_AGENT_RESPONSE": -32006,
    "EXTENDED_AGENT_CARD_NOT_CONFIGURED": -32007,
    "EXTENSION_SUPPORT_REQUIRED": -32008,
    "VERSION_NOT_SUPPORTED": -32009,
    "METHOD_NOT_FOUND": -32601,
    "INVALID_PARAMS": -32602,
    "INVALID_REQUEST": -32600,
    "INTERNAL_ERROR": -32603,
}

#: JSON-RPC codes → the v1.0 reasons (the spec's table), so a v0.3 error (no ``data``) has a reason too.
CODE_REASONS = {code: reason for reason, code in REASON_CODES.items()}

#: What a refused credential is called where a server wraps it in a JSON-RPC error or error body.
_REFUSED = {"UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403, "UNAUTHORIZED": 401, "FORBIDDEN": 403}


#: The spec's standard error messages, for peers whose REST errors carry only a message
#: (a2a-sdk 0.3.26: ``{"message": "Task not found"}``; Agno: ``{"detail": "Task not found"}``).
MESSAGE_CODES = {
    "task not found": -32001,
    "task cannot be canceled": -32002,
    "push notification is not supported": -32003,
    "this operation is not supported": -32004,
    "incompatible content types": -32005,
    "invalid agent response": -32006,
    "method not found": -32601,
}


def code_from_message(message: Any) -> int | None:
    text = str(message or "").strip().lower()
    return next((code for prefix, code in MESSAGE_CODES.items() if text.startswith(prefix)), None)


@dataclass(frozen=True)
class Call:
    """One HTTP request a dialect wants sent."""

    method: str
    url: str
    json: Any = None
    params: dict[str, Any] | None = None


#: What a dialect without push configs lacks (the words of its A2AError).
_NO_PUSH = "push notification configs (built for A2A JSON-RPC, REST and gRPC)"


def push_config_v03(config: dict[str, Any]) -> dict[str, Any]:
    """A v1.0 push config as v0.3's PushNotificationConfig: the same fields but the task id."""
    return {k: v for k, v in config.items() if k != "taskId"}


def error_reason(data: Any) -> str | None:
    """The ``reason`` of a google.rpc.ErrorInfo in v1.0 error details, if any."""
    if isinstance(data, list):
        for detail in data:
            if isinstance(detail, dict) and detail.get("reason"):
                return str(detail["reason"])
    return None


class Dialect:
    """Base of the dialects; subclasses fill in names and shapes."""

    version = "0.3"
    binding = "JSONRPC"
    label = "A2A"

    def __init__(self, url: str, *, tenant: str | None = None) -> None:
        self.url = url.rstrip("/") if self.binding != "JSONRPC" else url
        self.tenant = tenant

    def __repr__(self) -> str:
        return f"<{self.label} at {self.url}>"

    @property
    def headers(self) -> dict[str, str]:
        return {"A2A-Version": "1.0"} if self.version.startswith("1") else {}

    # -- requests ------------------------------------------------------------------------------

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        raise NotImplementedError

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        raise NotImplementedError

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        raise NotImplementedError

    def subscribe(self, task_id: str) -> Call:
        raise self.unsupported("resubscribing to a task")

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        raise self.unsupported("listing tasks (a v1.0 operation)")

    def extended_card(self) -> Call:
        raise self.unsupported("the extended agent card")

    # -- push notification configs ---------------------------------------------------------------
    # ``config`` is a PushConfig's v1.0 wire object ({"id", "taskId", "url", "token"}, empty fields
    # left out); each dialect reshapes it as its version and binding want. Answers are read by
    # ``unwrap``, so a dialect that speaks push only adds these calls.

    #: Whether a send's request sits in a JSON-RPC envelope's ``params`` rather than being the body.
    request_in_params = False

    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        raise self.unsupported(_NO_PUSH)

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        raise self.unsupported(_NO_PUSH)

    def list_push_configs(self, task_id: str) -> Call:
        raise self.unsupported(_NO_PUSH)

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        raise self.unsupported(_NO_PUSH)

    def with_push(self, call: Call, config: dict[str, Any]) -> Call:
        """The send ``call`` asking the server to push the task's updates as ``config`` says."""
        raise self.unsupported(_NO_PUSH)

    def _configure_send(self, call: Call, key: str, value: Any) -> Call:
        """A copy of the send ``call`` with ``value`` at ``configuration[key]`` of its request."""
        body = json.loads(json.dumps(call.json))  # a deep copy: the caller's Call stays as it was
        request = body["params"] if self.request_in_params else body
        request.setdefault("configuration", {})[key] = value
        return replace(call, json=body)

    def unsupported(self, what: str) -> A2AError:
        return A2AError(f"{self.label} at {self.url} does not support {what}", code=-32004, url=self.url)

    # -- answers -------------------------------------------------------------------------------

    def unwrap(self, payload: Any) -> Any:
        """The result inside the answer (JSON-RPC: ``result``; raises A2AError for ``error``)."""
        return payload

    def decode(self, payload: Any) -> Item:
        """A send/get/cancel answer; anything that does not fit the protocol is a ProtocolError."""
        return self._guard(self._decode, payload)

    def decode_stream(self, payload: Any) -> Item:
        return self.decode(payload)

    def decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return self._guard(self._decode_list, payload)

    def list_page(self, payload: Any) -> tuple[list[Any], str | None]:
        """A ListTasks answer's task JSON, undecoded, and its next page token (v1.0 only)."""
        return self._guard(self._list_page, payload)

    def _decode(self, payload: Any) -> Item:
        raise NotImplementedError

    def _list_page(self, payload: Any) -> tuple[list[Any], str | None]:
        raise self.unsupported("listing tasks")

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        raise self.unsupported("listing tasks")

    def _guard(self, decode: Callable[[Any], T], payload: Any) -> T:
        try:
            return decode(payload)
        except (ProtocolError, A2AError):
            raise
        except (ValidationError, TypeError, AttributeError, KeyError, ValueError) as exc:
            # A peer's answer of the wrong shape (a list where a string belongs, ...).
            raise ProtocolError(
                f"{self.label} at {self.url}: an answer that does not fit the protocol "
                f"({type(exc).__name__}: {str(exc)[:200]})",
                raw=str(payload)[:500],
                url=self.url,
            ) from exc

    def decode_card(self, payload: Any) -> dict[str, Any]:
        result = self.unwrap(payload)
        if not isinstance(result, dict):
            raise ProtocolError(
                f"{self.label}: the extended card is not a JSON object", raw=str(result)[:500]
            )
        return result


#: A2A flavours of the typed HTTP errors, so ``except AuthenticationError`` catches an A2A 401 too.
_A2A_HTTP_CLASSES: dict[type[RemoteHTTPError], type[A2AHTTPError]] = {}


def _a2a_class(status_class: type[RemoteHTTPError]) -> type[A2AHTTPError]:
    if status_class is RemoteHTTPError or issubclass(status_class, A2AHTTPError):
        return A2AHTTPError
    cls = _A2A_HTTP_CLASSES.get(status_class)
    if cls is None:
        cls = type(f"A2A{status_class.__name__}", (A2AHTTPError, status_class), {"__module__": __name__})
        _A2A_HTTP_CLASSES[status_class] = cls
    return cls


def as_a2a_http_error(exc: RemoteHTTPError) -> A2AHTTPError:
    """REST and Agno errors are HTTP statuses; keep them HTTPStatusErrors and add the A2A code."""
    if isinstance(exc, A2AHTTPError):
        return exc
    detail = exc.detail if isinstance(exc.detail, dict) else _bare_status(exc.response) or exc.detail
    code: int | None = None
    reason: str | None = None
    data: Any = None
    if isinstance(detail, dict):  # v1.0 REST: {"error": {"code", "status", "message", "details"}}
        data = detail.get("details")
        # A JSON-RPC error object sent with an HTTP error status: its code is negative (HTTP and
        # gRPC codes are not) and its details are ``data``.
        rpc_code = detail.get("code") if type(detail.get("code")) is int and detail["code"] < 0 else None
        if rpc_code is not None and data is None:
            data = detail.get("data")
        status = detail.get("status")
        reason = error_reason(data) or (status if isinstance(status, str) and status else None)
        code = REASON_CODES.get(reason or "") or rpc_code or code_from_message(detail.get("message"))
    else:
        code = code_from_message(detail)
    reason = reason or CODE_REASONS.get(code or 0)
    status_class: type[RemoteHTTPError] = type(exc)
    message = exc.message
    refused = _refused_status(detail if isinstance(detail, dict) else {"message": detail})
    if refused is not None and not isinstance(exc, AuthenticationError):
        # A refusal of the credentials sent with another status (a2a-sdk 0.3 REST: 400): say what it is.
        status_class = AuthenticationError
        reason = reason or ("UNAUTHENTICATED" if refused == 401 else "PERMISSION_DENIED")
        sent = "authorization" in {k.lower() for k in exc.request.headers}
        message += (
            f" (the server refused the credentials; an Authorization header was {'' if sent else 'not '}sent"
            + (", value hidden)" if sent else ": pass auth_token=)")
        )
    error = _a2a_class(status_class)(
        message,
        request=exc.request,
        response=exc.response,
        detail=detail,
        code=code,
        data=data,
        reason=reason,
    )
    if isinstance(exc, RateLimitError) and isinstance(error, RateLimitError):
        error.retry_after = exc.retry_after
    return error


def _bare_status(response: httpx.Response) -> dict[str, Any] | None:
    """An error body that is a google.rpc.Status itself (grpc-gateway's shape: no ``error`` wrapper)."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError, httpx.ResponseNotRead):
        return None
    return body if isinstance(body, dict) and isinstance(body.get("details"), list) else None


def _refused_status(error: dict[str, Any]) -> int | None:
    """401/403 when a JSON-RPC error object says the credentials were refused, else None."""
    data = error.get("data")
    named = [error_reason(data), error.get("status")]
    codes = [error.get("code")]
    if isinstance(data, dict):
        named += [data.get("reason"), data.get("status")]
        codes += [data.get("status"), data.get("httpStatus"), data.get("status_code")]
    for name in named:
        if isinstance(name, str) and name.upper() in _REFUSED:
            return _REFUSED[name.upper()]
    for code in codes:
        if code in (401, 403):
            return int(code)
    message = str(error.get("message") or "").strip().lower()
    return 401 if message.startswith(("unauthenticated", "unauthorized")) else None


def unauthenticated_error(payload: Any, call: Call, *, sent_auth: bool) -> A2AHTTPError | None:
    """A JSON-RPC answer whose error means "credentials refused", as an A2A AuthenticationError.

    Some servers answer HTTP 200 with ``{"error": {"code": ..., "data": [{"reason":
    "UNAUTHENTICATED"}]}}`` (or a wrapped 401) instead of HTTP 401. ``status_code`` is the status
    the error names (401/403); ``response`` is the HTTP 200 that carried it.
    """
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict) or (status := _refused_status(error)) is None:
        return None
    code = error.get("code")
    data = error.get("data")
    text = str(error.get("message") or "")[:200]
    request = httpx.Request(call.method, call.url)
    response = httpx.Response(200, json=payload, request=request)
    message = (
        f"HTTP {status} (in a JSON-RPC error answered with HTTP 200) from {call.method} {call.url}: "
        f"{text!r}. "
        + (
            "An Authorization: Bearer header was sent (value hidden); check the token."
            if sent_auth
            else "No Authorization header was sent; pass auth_token= (or set it on the client)."
        )
    )
    error_class = _a2a_class(AuthenticationError)
    refusal = error_class(
        message,
        request=request,
        response=response,
        detail=error,
        code=code if isinstance(code, int) else None,
        data=data,
        reason=error_reason(data) or ("UNAUTHENTICATED" if status == 401 else "PERMISSION_DENIED"),
    )
    refusal.status_code = status
    return refusal

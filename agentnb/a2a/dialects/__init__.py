"""A2A dialects: one module per binding, and ``dialect_for`` to pick one by version and binding."""

from __future__ import annotations

from agentnb.a2a.dialects.base import (
    CODE_REASONS,
    REASON_CODES,
    Call,
    Dialect,
    Item,
    as_a2a_http_error,
    code_from_message,
    error_reason,
    unauthenticated_error,
)
from agentnb.a2a.dialects.jsonrpc import AgnoDialect, JsonRpcDialect, V03JsonRpc, V10JsonRpc
from agentnb.a2a.dialects.rest import V03Rest, V10Rest
from agentnb.a2a.grpc.dialect import GrpcDialect, V03Grpc, V10Grpc  # no grpcio until a call
from agentnb.errors import A2AError

__all__ = [
    "CODE_REASONS",
    "REASON_CODES",
    "AgnoDialect",
    "Call",
    "Dialect",
    "GrpcDialect",
    "Item",
    "JsonRpcDialect",
    "V03Grpc",
    "V03JsonRpc",
    "V03Rest",
    "V10Grpc",
    "V10JsonRpc",
    "V10Rest",
    "as_a2a_http_error",
    "code_from_message",
    "dialect_for",
    "error_reason",
    "unauthenticated_error",
]

_DIALECTS: dict[tuple[str, str], type[Dialect]] = {
    ("0.3", "JSONRPC"): V03JsonRpc,
    ("0.3", "HTTP+JSON"): V03Rest,
    ("0.3", "AGNO"): AgnoDialect,
    ("1.0", "JSONRPC"): V10JsonRpc,
    ("1.0", "HTTP+JSON"): V10Rest,
    ("1.0", "GRPC"): V10Grpc,
    ("0.3", "GRPC"): V03Grpc,
}


def dialect_for(version: str, binding: str, url: str, *, tenant: str | None = None) -> Dialect:
    """The dialect for a protocol version ("0.3", "1.0", "1.x") and a binding name."""
    major = "1.0" if version.startswith("1") else "0.3"
    cls = _DIALECTS.get((major, binding.upper()))
    if cls is None:
        raise A2AError(
            f"no A2A dialect for version {version!r} over binding {binding!r}", code=-32004, url=url
        )
    return cls(url, tenant=tenant)

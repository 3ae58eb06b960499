"""The gRPC transport's pure parts: interface URLs to targets, headers to metadata, and the error
details a server sends in its ``grpc-status-details-bin`` trailer (untrusted bytes)."""

from __future__ import annotations

import pytest

from agentnb.a2a.grpc import a2a_v1_pb2 as pb
from agentnb.a2a.grpc.transport import _reason, metadata_of, target_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("127.0.0.1:50051", ("127.0.0.1:50051", False)),  # what a2a-sdk cards list
        ("grpc://agent.example:7000", ("agent.example:7000", False)),
        ("grpcs://agent.example", ("agent.example:443", True)),
        ("https://agent.example/a2a", ("agent.example:443", True)),
        ("http://[::1]:9000/", ("[::1]:9000", False)),
    ],
)
def test_interface_urls_become_targets(url: str, expected: tuple[str, bool]) -> None:
    assert target_of(url) == expected


def test_headers_become_lower_case_metadata_once_per_name() -> None:
    metadata = metadata_of(
        {
            "A2A-Version": "1.0",
            "Authorization": "Bearer a",
            "authorization": "Bearer b",  # the later one wins, as in one HTTP header map
            "Content-Type": "application/json",  # gRPC's own business
            "A2A-Extensions": "urn:x",
        }
    )
    assert metadata == [("a2a-version", "1.0"), ("authorization", "Bearer b"), ("a2a-extensions", "urn:x")]


def _status(reason: str, type_url: str = "type.googleapis.com/google.rpc.ErrorInfo") -> bytes:
    info = pb.RpcErrorInfo(reason=reason, domain="a2a-protocol.org").SerializeToString()
    return bytes(
        pb.RpcStatus(
            code=5, message="x", details=[pb.RpcAny(type_url=type_url, value=info)]
        ).SerializeToString()
    )


def test_the_error_reason_is_read_from_the_status_details() -> None:
    assert _reason([("grpc-status-details-bin", _status("TASK_NOT_FOUND"))]) == "TASK_NOT_FOUND"
    # Other details, junk bytes, a text value or no trailer: no reason, and no exception.
    assert (
        _reason([("grpc-status-details-bin", _status("X", "type.googleapis.com/google.rpc.BadRequest"))])
        is None
    )
    assert _reason([("grpc-status-details-bin", b"\xff\xff\xff\x07junk")]) is None
    assert _reason([("grpc-status-details-bin", "text")]) is None
    assert _reason(None) is None
    # A server's reason is capped before it reaches an error message.
    assert _reason([("grpc-status-details-bin", _status("R" * 10_000))]) == "R" * 100

"""A gRPC A2A v1.0 server for the benchmarks: ``SendStreamingMessage`` answered with pre-built messages.

Run as ``python -m benchmarks._grpc_server <n>`` (``bench_a2a_decode.py`` starts it); it binds a
free port on 127.0.0.1 and prints ``PORT <p>``. Every call streams the exchange the HTTP server
streams as JSON frames (a Task, working, ``n`` artifact chunks, completed: the same items,
``benchmarks._server.a2a_items``) as ``lf.a2a.v1.StreamResponse`` messages of agentnb's own
``.proto`` subset. They are serialized once, at start, and written as bytes, so the server costs
the client side almost nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from typing import Any

import grpc
from google.protobuf import json_format

from agentnb.a2a.grpc import a2a_v1_pb2
from benchmarks._server import a2a_items

SERVICE = "lf.a2a.v1.A2AService"


def messages(n: int) -> list[bytes]:
    pb: Any = a2a_v1_pb2
    return [
        json_format.ParseDict(item, pb.StreamResponse()).SerializeToString()
        for item in a2a_items(n, v10=True)
    ]


async def serve(n: int) -> None:
    answers = messages(n)

    async def stream(request: bytes, context: Any) -> AsyncIterator[bytes]:
        for answer in answers:
            yield answer

    handler = grpc.method_handlers_generic_handler(
        SERVICE, {"SendStreamingMessage": grpc.unary_stream_rpc_method_handler(stream)}
    )
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(f"PORT {port}", flush=True)
    await server.wait_for_termination()


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(int(sys.argv[1])))


if __name__ == "__main__":
    main()

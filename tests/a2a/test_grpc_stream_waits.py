"""A gRPC stream's wait for each message, against a real grpc.aio server started here.

The client's timeout bounds each wait for the next message (one timer per stream watches it):
a server that stalls mid-stream is a RemoteTimeoutError and sees its call cancelled, while a
reader that is slow between messages is no timeout at all. A reader of the response itself
(``aread``) gets the messages as SSE text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

pytest.importorskip("grpc")

import grpc
import grpc.aio
from google.protobuf import json_format

from agentnb import RemoteTimeoutError
from agentnb.a2a.grpc import a2a_v1_pb2
from agentnb.a2a.grpc.frames import GrpcFrame
from agentnb.a2a.grpc.services import V10_SERVICE
from agentnb.a2a.grpc.transport import GrpcChannels

PB: Any = a2a_v1_pb2
REQUEST = {"message": {"messageId": "m1", "role": "ROLE_USER", "parts": [{"text": "hi"}]}}


def answers(n: int) -> list[Any]:
    return [
        json_format.ParseDict(
            {
                "artifactUpdate": {
                    "taskId": "t",
                    "artifact": {"artifactId": "a", "parts": [{"text": f"t{i} "}]},
                }
            },
            PB.StreamResponse(),
        )
        for i in range(n)
    ]


class Server:
    """Streams ``x-send`` messages, then sleeps ``x-stall`` seconds (noting a cancelled call)."""

    def __init__(self) -> None:
        self.cancelled = asyncio.Event()
        self.server: Any = None
        self.port = 0

    async def stream(self, request: Any, context: Any) -> AsyncIterator[Any]:
        metadata = dict(context.invocation_metadata())
        try:
            for answer in answers(int(metadata.get("x-send", "3"))):
                yield answer
            await asyncio.sleep(float(metadata.get("x-stall", "0")))
        except asyncio.CancelledError:
            self.cancelled.set()
            raise

    async def start(self) -> None:
        handler = grpc.method_handlers_generic_handler(
            "lf.a2a.v1.A2AService",
            {
                "SendStreamingMessage": grpc.unary_stream_rpc_method_handler(
                    self.stream,
                    request_deserializer=PB.SendMessageRequest.FromString,
                    response_serializer=lambda m: m.SerializeToString(),
                )
            },
        )
        self.server = grpc.aio.server()
        self.server.add_generic_rpc_handlers((handler,))
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        await self.server.start()


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[Server]:
    """The server, on the test's own loop (grpc.aio binds to one loop)."""
    peer = Server()
    await peer.start()
    try:
        yield peer
    finally:
        await peer.server.stop(None)


def wrap(answer: dict[str, Any]) -> Any:
    return {"jsonrpc": "2.0", "id": "1", "result": answer}


async def open_stream(server: Server, timeout: float, **metadata: str) -> tuple[GrpcChannels, Any]:
    channels = GrpcChannels(f"127.0.0.1:{server.port}")
    headers = {f"x-{k}": v for k, v in metadata.items()}
    response = await channels.open_stream(
        V10_SERVICE, "SendStreamingMessage", REQUEST, headers, timeout, wrap
    )
    return channels, response


async def test_a_server_stalling_mid_stream_times_out_and_sees_the_cancel() -> None:
    async with serving() as server:
        await stalling(server)


async def stalling(server: Server) -> None:
    channels, response = await open_stream(server, 0.3, send="2", stall="30")
    frames = response.stream.frames()
    got = [await anext(frames), await anext(frames)]
    assert [f[0].message.artifact_update.artifact.parts[0].text for f in got] == ["t0 ", "t1 "]
    with pytest.raises(RemoteTimeoutError) as info:
        await anext(frames)
    assert info.value.timeout == 0.3 and "no SendStreamingMessage message in 0.3s" in str(info.value)
    await asyncio.wait_for(server.cancelled.wait(), 10)
    await channels.close()


async def test_a_slow_reader_is_not_a_timeout() -> None:
    async with serving() as server:
        await slow_reader(server)


async def slow_reader(server: Server) -> None:
    channels, response = await open_stream(server, 0.2, send="3")
    seen = []
    async for frames in response.stream.frames():
        assert type(frames[0]) is GrpcFrame
        seen.append(frames[0].payload["result"]["artifactUpdate"]["artifact"]["parts"][0]["text"])
        await asyncio.sleep(0.5)  # longer than the timeout, between reads: not a wait for the server
    assert seen == ["t0 ", "t1 ", "t2 "]
    assert not server.cancelled.is_set()
    await channels.close()


async def test_reading_the_response_itself_gives_sse_text() -> None:
    async with serving() as server:
        await as_text(server)


async def as_text(server: Server) -> None:
    channels, response = await open_stream(server, 5, send="3")
    body = (await response.aread()).decode()
    expected = [wrap(json_format.MessageToDict(m)) for m in answers(3)]
    assert [json.loads(line[6:]) for line in body.split("\n\n") if line] == expected
    assert body.startswith("data: {") and body.endswith("\n\n")
    await channels.close()

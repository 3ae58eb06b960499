"""A minimal, fast HTTP/1.1 server for the benchmarks: AgentOS- and A2A-shaped answers, pre-built.

Run as ``python -m benchmarks._server`` (the benchmarks start it themselves); it binds a free
port on 127.0.0.1 and prints ``PORT <n>``. Raw asyncio streams, keep-alive, chunked encoding:
the bodies are built once per shape and then written with one ``write`` call, so the server
spends almost no CPU and the client is what is measured.

What the path says is what you get (``<mode>`` is ``frame``: every SSE frame is its own HTTP
chunk, or ``bulk``: the byte stream cut into 64 KiB chunks):

| request | answer |
|---|---|
| ``GET /health`` | ``{"status": "ok"}`` |
| ``GET /agents/<id>`` | an AgentResponse |
| ``POST /agents/<mode>-<n>/runs`` (form, ``stream=true``) | RunStarted, ``n`` RunContent, RunCompleted |
| ``POST /agents/<anything>/runs`` (form, ``stream=false``) | a RunOutput JSON (§2a) |
| ``GET /sessions?component_id=sessions-<n>&page=&limit=`` | page of ``n`` sessions (§8) |
| ``GET /a2a03-<mode>-<n>/.well-known/agent-card.json`` | v0.3 card, JSON-RPC at ``/a2a03-<mode>-<n>/`` |
| ``POST /a2a03-<mode>-<n>/`` ``message/stream`` | v0.3: Task, working, ``n`` artifact chunks, done |
| ``GET /a2a10-<mode>-<n>/.well-known/agent-card.json`` | v1.0 card (``supportedInterfaces``) |
| ``POST /a2a10-<mode>-<n>/`` ``SendStreamingMessage`` | the same exchange as v1.0 frames |
| ``POST /a2a10-<mode>-<n>/`` ``ListTasks`` | ``n`` artifacts, 4 per task, paged by ``pageSize`` |
| ``GET /a2a03rest-<mode>-<n>/.well-known/agent-card.json`` | v0.3 card, HTTP+JSON at its path |
| ``POST /a2a03rest-<mode>-<n>/v1/message:stream`` | the same exchange as v0.3 REST frames |
| ``GET /a2agrpc10-<port>/.well-known/agent-card.json`` | v1.0 card naming the gRPC server on ``<port>`` |
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import functools
import json
import sys
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

RUN_ID = "7e34cd6d-102e-4c00-91ba-223bd32391f0"
SESSION_ID = "sess-1"
TASK_ID = "4f9c2d1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f"
CONTEXT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
CREATED = 1795261330
BULK_CHUNK = 64 * 1024

_WORDS = (
    "the ",
    "agent ",
    "streams ",
    "tokens ",
    "into ",
    "a ",
    "notebook ",
    "cell, ",
    "and ",
    "each ",
    "one ",
    "is ",
    "small.\n\n",
    "**bold** ",
    "`code` ",
    "words ",
)


def token(i: int) -> str:
    """The i-th text delta: realistic word-sized pieces (mean ~6 characters)."""
    return _WORDS[(i * 7 + i // 16) % len(_WORDS)]


def full_text(n: int) -> str:
    return "".join(token(i) for i in range(n))


def _compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _base(event: str) -> dict[str, Any]:
    return {
        "created_at": CREATED,
        "event": event,
        "agent_id": "assistant",
        "agent_name": "Assistant",
        "run_id": RUN_ID,
        "session_id": SESSION_ID,
        "nested_depth": 0,
    }


def sse_frame(event: str | None, data: str, eol: str = "\n") -> bytes:
    head = f"event: {event}{eol}" if event else ""
    return f"{head}data: {data}{eol}{eol}".encode()


def agentos_frames(n: int) -> list[bytes]:
    """An AgentOS run stream as agno 3.1.10 frames it (reference/agentos-protocol.md §3)."""
    frames = [
        sse_frame("RunStarted", _compact({**_base("RunStarted"), "model": "m1", "model_provider": "X"}))
    ]
    for i in range(n):
        payload = {
            **_base("RunContent"),
            "content": token(i),
            "workflow_agent": False,
            "content_type": "str",
            "reasoning_content": "",
        }
        frames.append(sse_frame("RunContent", _compact(payload)))
    done = {
        **_base("RunCompleted"),
        "content": full_text(n),
        "content_type": "str",
        "session_state": {},
        "metrics": {"input_tokens": 10, "output_tokens": n, "total_tokens": n + 10, "duration": 1.0},
    }
    frames.append(sse_frame("RunCompleted", _compact(done)))
    return frames


def chunked(frames: list[bytes], mode: str) -> bytes:
    """The body in HTTP/1.1 chunked encoding: one chunk per frame, or 64 KiB chunks."""
    if mode == "bulk":
        stream = b"".join(frames)
        pieces = [stream[i : i + BULK_CHUNK] for i in range(0, len(stream), BULK_CHUNK)]
    else:
        pieces = frames
    out = bytearray()
    for piece in pieces:
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    out += b"0\r\n\r\n"
    return bytes(out)


def run_output(message: str) -> dict[str, Any]:
    """A RunOutput like AgentOS answers a non-streamed run with (§2a)."""
    text = f"Hello! You said: {message}. This is a deterministic answer."
    return {
        "run_id": RUN_ID,
        "agent_id": "assistant",
        "agent_name": "Assistant",
        "session_id": SESSION_ID,
        "user_id": "u1",
        "content": text,
        "content_type": "str",
        "model": "scripted-v1",
        "model_provider": "Offline",
        "session_state": {},
        "created_at": CREATED,
        "status": "COMPLETED",
        "metrics": {
            "input_tokens": 10,
            "output_tokens": 11,
            "total_tokens": 21,
            "time_to_first_token": 0.0019,
            "duration": 0.0020,
            "details": {"model": [{"input_tokens": 10, "output_tokens": 11, "id": "scripted-v1"}]},
        },
        "messages": [
            {"role": "system", "content": "You are a helpful assistant.", "created_at": CREATED},
            {"role": "user", "content": message, "created_at": CREATED},
            {"role": "assistant", "content": text, "created_at": CREATED},
        ],
        "tools": [],
        "input": {"input_content": message},
    }


AGENT = {
    "id": "assistant",
    "name": "Assistant",
    "description": "A benchmark agent",
    "model": {"name": "scripted-v1", "model": "scripted-v1", "provider": "Offline"},
    "tools": {"tools": []},
    "sessions": {"session_table": "agno_sessions"},
}


def session_record(i: int) -> dict[str, Any]:
    day = 1 + i % 28
    stamp = f"2026-11-{day:02d}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z"
    return {
        "session_id": f"session-{i:06d}-{RUN_ID[:8]}",
        "session_name": f"Conversation number {i} about the quarterly numbers",
        "session_state": {},
        "created_at": stamp,
        "updated_at": stamp,
        "session_type": "agent",
        "agent_id": "assistant",
        "user_id": f"user-{i % 50}",
        "metrics": {
            "input_tokens": 10 + i % 90,
            "output_tokens": 30 + i % 70,
            "total_tokens": 40 + i % 160,
            "details": {"model": [{"id": "scripted-v1", "provider": "Offline"}]},
        },
        "total_tokens": 40 + i % 160,
    }


@functools.lru_cache(maxsize=512)
def sessions_page(total: int, page: int, limit: int) -> bytes:
    start = (page - 1) * limit
    data = [session_record(i) for i in range(start, min(total, start + limit))]
    pages = max(1, -(-total // limit))
    meta = {"page": page, "limit": limit, "total_pages": pages, "total_count": total, "search_time_ms": 0.1}
    return _compact({"data": data, "meta": meta}).encode()


# --------------------------------------------------------------------------- A2A


def card_v03(url: str) -> dict[str, Any]:
    return {
        "additionalInterfaces": [{"transport": "JSONRPC", "url": url}],
        "capabilities": {"pushNotifications": False, "streaming": True},
        "defaultInputModes": ["text/plain"],
        "defaultOutputModes": ["text/plain", "application/json"],
        "description": "benchmark peer (v0.3 JSON-RPC frames)",
        "name": "bench-a2a-v03",
        "preferredTransport": "JSONRPC",
        "protocolVersion": "0.3.0",
        "skills": [{"id": "echo", "name": "echo", "description": "echoes", "tags": ["bench"]}],
        "url": url,
        "version": "1.0.0",
    }


def card_v10(url: str) -> dict[str, Any]:
    return {
        "name": "bench-a2a-v10",
        "description": "benchmark peer (v1.0 JSON-RPC frames)",
        "supportedInterfaces": [{"url": url, "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}],
        "version": "1.0.0",
        "capabilities": {"streaming": True, "pushNotifications": False},
        "defaultInputModes": ["text/plain"],
        "defaultOutputModes": ["text/plain"],
        "skills": [{"id": "echo", "name": "echo", "description": "echoes", "tags": ["bench"]}],
    }


def _rpc(result: Any, rid: Any, v10: bool) -> str:
    if v10:
        # a2a-sdk 1.x frames with json.dumps' default separators, result first.
        return json.dumps({"result": result, "id": rid, "jsonrpc": "2.0"})
    return _compact({"id": rid, "jsonrpc": "2.0", "result": result})


def a2a_frames(n: int, v10: bool, rid: Any = 2) -> list[bytes]:
    """A task streamed as a2a-sdk servers stream it: CRLF, data-only frames (§5)."""
    return [sse_frame(None, _rpc(item, rid, v10), eol="\r\n") for item in a2a_items(n, v10)]


def rest03_frames(n: int) -> list[bytes]:
    """The same task as v0.3 REST (HTTP+JSON) streams it: bare proto-JSON StreamResponses, whose
    v1.0-like shape differs only in the message's part list (``content``)."""
    items = a2a_items(n, v10=True)
    for message in items[0]["task"]["history"]:
        message["content"] = message.pop("parts")
    return [sse_frame(None, json.dumps(item), eol="\r\n") for item in items]


def a2a_items(n: int, v10: bool) -> list[Any]:
    """The stream's results: a Task snapshot, working, ``n`` artifact chunks, completed."""
    history = [{"messageId": "m-user-1", "role": "ROLE_USER" if v10 else "user", "parts": []}]
    items: list[Any] = []
    if v10:
        history[0]["parts"] = [{"text": "hello"}]
        items.append(
            {
                "task": {
                    "id": TASK_ID,
                    "contextId": CONTEXT_ID,
                    "status": {"state": "TASK_STATE_SUBMITTED"},
                    "history": history,
                }
            }
        )
        items.append(
            {
                "statusUpdate": {
                    "taskId": TASK_ID,
                    "contextId": CONTEXT_ID,
                    "status": {"state": "TASK_STATE_WORKING", "timestamp": "2026-11-21T12:21:08.536301Z"},
                }
            }
        )
        for i in range(n):
            update: dict[str, Any] = {
                "taskId": TASK_ID,
                "contextId": CONTEXT_ID,
                "artifact": {
                    "artifactId": "answer-4f9c2d1e",
                    "name": "answer",
                    "parts": [{"text": token(i)}],
                },
            }
            if i:
                update["append"] = True
            if i == n - 1:
                update["lastChunk"] = True
            items.append({"artifactUpdate": update})
        items.append(
            {
                "statusUpdate": {
                    "taskId": TASK_ID,
                    "contextId": CONTEXT_ID,
                    "status": {"state": "TASK_STATE_COMPLETED", "timestamp": "2026-11-21T12:21:09.536301Z"},
                }
            }
        )
    else:
        history[0].update(kind="message", parts=[{"kind": "text", "text": "hello"}])
        items.append(
            {
                "contextId": CONTEXT_ID,
                "history": history,
                "id": TASK_ID,
                "kind": "task",
                "status": {"state": "submitted"},
            }
        )
        items.append(
            {
                "contextId": CONTEXT_ID,
                "final": False,
                "kind": "status-update",
                "status": {"state": "working", "timestamp": "2026-11-21T12:32:31.357674+00:00"},
                "taskId": TASK_ID,
            }
        )
        for i in range(n):
            items.append(
                {
                    "append": i > 0,
                    "artifact": {
                        "artifactId": "answer-4f9c2d1e",
                        "name": "answer",
                        "parts": [{"kind": "text", "text": token(i)}],
                    },
                    "contextId": CONTEXT_ID,
                    "kind": "artifact-update",
                    "lastChunk": i == n - 1,
                    "taskId": TASK_ID,
                }
            )
        items.append(
            {
                "contextId": CONTEXT_ID,
                "final": True,
                "kind": "status-update",
                "status": {"state": "completed", "timestamp": "2026-11-21T12:32:32.357674+00:00"},
                "taskId": TASK_ID,
            }
        )
    return items


def _task_v10(t: int, per_task: int) -> dict[str, Any]:
    tid = f"task-{t:06d}"
    kinds = [
        {"text": f"Report {t}: the numbers for this quarter look fine. " * 2},
        {
            "raw": base64.b64encode(f"file body {t} ".encode() * 8).decode(),
            "filename": f"r{t}.txt",
            "mediaType": "text/plain",
        },
        {"data": {"answer": t, "ratio": 0.5, "tags": ["a", "b"]}},
        {"url": f"https://files.example/{t}.pdf", "filename": f"{t}.pdf", "mediaType": "application/pdf"},
    ]
    artifacts = [
        {"artifactId": f"art-{t:06d}-{k}", "name": f"artifact {k}", "parts": [kinds[k % len(kinds)]]}
        for k in range(per_task)
    ]
    return {
        "id": tid,
        "contextId": CONTEXT_ID,
        "status": {"state": "TASK_STATE_COMPLETED", "timestamp": "2026-11-21T12:21:08.536301Z"},
        "artifacts": artifacts,
        "history": [],
    }


@functools.lru_cache(maxsize=512)
def _tasks_result(total_artifacts: int, token_: str, size: int) -> str:
    per_task = 4
    tasks = -(-total_artifacts // per_task)
    start = int(token_ or 0)
    end = min(tasks, start + size)
    page = [_task_v10(t, min(per_task, total_artifacts - t * per_task)) for t in range(start, end)]
    result: dict[str, Any] = {"tasks": page, "pageSize": size, "totalSize": tasks}
    if end < tasks:
        result["nextPageToken"] = str(end)
    return json.dumps(result)


def tasks_page(total_artifacts: int, token_: str, size: int, rid: Any) -> bytes:
    """One ListTasks answer (v1.0 JSON-RPC): tasks of 4 artifacts each, ``n`` artifacts in all."""
    result = _tasks_result(total_artifacts, token_, size)
    return f'{{"result": {result}, "id": {json.dumps(rid)}, "jsonrpc": "2.0"}}'.encode()


# --------------------------------------------------------------------------- HTTP


@functools.lru_cache(maxsize=64)
def agentos_body(mode: str, n: int) -> bytes:
    return chunked(agentos_frames(n), mode)


@functools.lru_cache(maxsize=64)
def a2a_body(mode: str, n: int, v10: bool) -> bytes:
    return chunked(a2a_frames(n, v10), mode)


@functools.lru_cache(maxsize=64)
def rest03_body(mode: str, n: int) -> bytes:
    return chunked(rest03_frames(n), mode)


def card_rest03(url: str) -> dict[str, Any]:
    return {
        **card_v03(url),
        "additionalInterfaces": [{"transport": "HTTP+JSON", "url": url}],
        "description": "benchmark peer (v0.3 REST frames)",
        "name": "bench-a2a-v03-rest",
        "preferredTransport": "HTTP+JSON",
    }


def card_grpc10(target: str) -> dict[str, Any]:
    return {
        **card_v10(target),
        "description": "benchmark peer (v1.0 gRPC messages)",
        "name": "bench-a2a-v10-grpc",
        "supportedInterfaces": [{"url": target, "protocolBinding": "GRPC", "protocolVersion": "1.0"}],
    }


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def json_response(obj: Any, status: str = "200 OK") -> bytes:
    body = obj if isinstance(obj, bytes) else _compact(obj).encode()
    return _head(status, {"content-type": "application/json", "content-length": str(len(body))}) + body


SSE_HEAD = _head(
    "200 OK",
    {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "transfer-encoding": "chunked",
    },
)


def _split_key(key: str) -> tuple[str, int]:
    mode, _, n = key.rpartition("-")
    return (mode if mode in ("frame", "bulk") else "frame"), int(n)


def route(method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
    url = urlsplit(target)
    path = unquote_plus(url.path)
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    parts = [p for p in path.split("/") if p]
    host = headers.get("host", "127.0.0.1")
    if path == "/health":
        return json_response({"status": "ok"})
    if parts[:1] == ["agents"] and len(parts) == 2 and method == "GET":
        return json_response({**AGENT, "id": parts[1]})
    if parts[:1] == ["agents"] and len(parts) == 3 and parts[2] == "runs" and method == "POST":
        form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        if form.get("stream", "true") == "false":
            return json_response(run_output(form.get("message", "")))
        mode, n = _split_key(parts[1])
        return SSE_HEAD + agentos_body(mode, n)
    if path == "/sessions":
        total = int(query.get("component_id", "sessions-100").rpartition("-")[2])
        page, limit = int(query.get("page", 1)), int(query.get("limit", 20))
        return json_response(sessions_page(total, page, limit))
    if parts and parts[0].startswith("a2a03rest-"):
        mode, n = _split_key(parts[0][len("a2a03rest-") :])
        if method == "GET" and path.endswith("/.well-known/agent-card.json"):
            return json_response(card_rest03(f"http://{host}/{parts[0]}"))
        if method == "POST" and parts[1:] == ["v1", "message:stream"]:
            return SSE_HEAD + rest03_body(mode, n)
    if parts and parts[0].startswith("a2agrpc10-") and path.endswith("/.well-known/agent-card.json"):
        # The card of the gRPC server on the port the path names (benchmarks/_grpc_server.py).
        return json_response(card_grpc10(f"127.0.0.1:{int(parts[0].split('-')[1])}"))
    if parts and parts[0].startswith(("a2a03-", "a2a10-")):
        v10 = parts[0].startswith("a2a10-")
        mode, n = _split_key(parts[0][len("a2a03-") :])
        if method == "GET" and path.endswith("/.well-known/agent-card.json"):
            url_ = f"http://{host}/{parts[0]}/"
            return json_response(card_v10(url_) if v10 else card_v03(url_))
        if method == "POST":
            rpc = json.loads(body)
            if rpc.get("method") == "ListTasks":
                params = rpc.get("params") or {}
                size = int(params.get("pageSize") or 50)
                return json_response(tasks_page(n, params.get("pageToken") or "", size, rpc.get("id")))
            return SSE_HEAD + a2a_body(mode, n, v10)
    return json_response({"detail": "Not Found"}, "404 Not Found")


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            try:
                answer = route(method, target, headers, body)
            except Exception as exc:  # a benchmark bug: say so loudly, keep serving
                print(f"server error on {method} {target}: {exc!r}", file=sys.stderr, flush=True)
                answer = json_response({"detail": repr(exc)}, "500 Internal Server Error")
            writer.write(answer)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def serve(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port))


if __name__ == "__main__":
    main()

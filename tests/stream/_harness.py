"""Shared by test_clean_close.py and the subprocess it starts: the streams under test, the ways of
leaving them, an observing httpx transport, and a long-lived event loop like a Jupyter kernel's.

Only the public API is used (``RemoteAgent``, ``A2AClient``, ``transport=``), so these helpers keep
working while the package internals change.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from agentnb import A2AClient, RemoteAgent

#: The ways of leaving a stream (see ``leave``).
WAYS = ("break", "raise", "cancel", "del", "end", "loop-end")
#: Streams 40-50 chunks 0.1 s apart on every peer (4-5 s): leaving after the first event is mid-stream.
SLOW_PROMPT = "slow please"
#: A short answer that ends within milliseconds, for the "end" way.
QUICK_PROMPT = "hello there"
#: Each test leaves this many streams in a row: whether a broken close shows depends on the order
#: the loop finalizes the generators in, which depends on memory layout; a few rounds vary it.
ROUNDS = 3
#: Bounds of the settling after an exit.
SETTLE_TURNS = 10
SETTLE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Target:
    """A stream under test: which public entry point, on which peer."""

    api: str  # "agentos": RemoteAgent.arun | "a2a": A2AClient.stream_message | "remote-a2a": RemoteAgent(a2a)
    peer: str  # "agentos" | "v03" | "v1" | "agno" (Agno's A2A interface on the AgentOS peer)

    @property
    def id(self) -> str:
        return self.api if self.api == self.peer else f"{self.api}-{self.peer}"


TARGETS = (
    Target("agentos", "agentos"),
    *(Target(api, peer) for api in ("a2a", "remote-a2a") for peer in ("v03", "v1", "agno")),
)


class Stream(Protocol):
    def __aiter__(self) -> AsyncIterator[Any]: ...
    async def __anext__(self) -> Any: ...
    async def aclose(self) -> None: ...


# --------------------------------------------------------------------------- observing transport


class _ObservedStream(httpx.AsyncByteStream):
    """A response body that records whether ``aclose()`` was called (no async generator of its own)."""

    def __init__(self, inner: httpx.AsyncByteStream, label: str) -> None:
        self._inner = inner
        self._chunks: AsyncIterator[bytes] | None = None
        self.label = label
        self.closed = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        self._chunks = self._inner.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._chunks is not None
        return await self._chunks.__anext__()

    async def aclose(self) -> None:
        self.closed = True
        await self._inner.aclose()


class ObservingTransport(httpx.AsyncBaseTransport):
    """Real HTTP through ``httpx.AsyncHTTPTransport``; counts response streams opened vs closed."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.streams: list[_ObservedStream] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        observed = _ObservedStream(response.stream, f"{request.method} {request.url}")
        self.streams.append(observed)
        response.stream = observed
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()

    @property
    def opened(self) -> int:
        return len(self.streams)

    @property
    def still_open(self) -> list[str]:
        return [s.label for s in self.streams if not s.closed]


# --------------------------------------------------------------------------- streams and ways out


OpenStream = Callable[[str, str], Stream]  # (prompt, session_id) -> a new stream


def stream_factory(target: Target, url: str, transport: httpx.AsyncBaseTransport) -> OpenStream:
    """Call it outside a running loop: a RemoteAgent made inside one would fetch its config on
    agentnb's IO thread, i.e. use ``transport`` from a second loop."""
    if target.api == "a2a":
        client = A2AClient(url, transport=transport)
        return lambda prompt, session_id: client.stream_message(prompt)
    if target.api == "remote-a2a":
        a2a_agent = RemoteAgent(url, agent_id="assistant", protocol="a2a", transport=transport)
        return lambda prompt, session_id: a2a_agent.arun(prompt, stream=True)
    agent = RemoteAgent(url, agent_id="assistant", transport=transport)
    return lambda prompt, session_id: agent.arun(prompt, stream=True, session_id=session_id)


class _Boom(Exception):
    pass


async def leave(way: str, open_stream: OpenStream, session_id: str, keep: list[Stream]) -> int:
    """Open a stream, leave it the way ``way`` says; returns how many events were read.

    The stream is a local of this coroutine, as in a function: no reference is left once it returns,
    except for "loop-end", which parks the half-read stream in ``keep`` (a notebook variable).
    """
    stream = open_stream(QUICK_PROMPT if way == "end" else SLOW_PROMPT, session_id)
    events = 0
    if way == "break":
        async for _ in stream:
            events += 1
            break
    elif way == "raise":
        with contextlib.suppress(_Boom):
            async for _ in stream:
                events += 1
                raise _Boom
    elif way == "cancel":
        first = asyncio.Event()

        async def consume() -> None:
            nonlocal events
            async for _ in stream:
                events += 1
                first.set()

        task = asyncio.get_running_loop().create_task(consume())
        await asyncio.wait_for(first.wait(), timeout=15)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert task.cancelled(), "the consumer ended before it was cancelled"
    elif way == "del":
        await anext(stream)
        events = 1
        del stream
        gc.collect()
        for _ in range(SETTLE_TURNS):
            await asyncio.sleep(0)
    elif way == "end":
        async for _ in stream:
            events += 1
    elif way == "loop-end":
        await anext(stream)
        events = 1
        keep.append(stream)
    else:
        raise ValueError(f"unknown way {way!r}")
    return events


async def settle(transport: ObservingTransport) -> list[str]:
    """What a loop does after the exit: gc, a few turns, a bounded wait for pending tasks, and a
    bounded poll for the response streams to close. Returns the streams still open."""
    loop = asyncio.get_running_loop()
    gc.collect()
    for _ in range(SETTLE_TURNS):
        await asyncio.sleep(0)
    pending = asyncio.all_tasks() - {asyncio.current_task()}
    if pending:
        await asyncio.wait(pending, timeout=SETTLE_TIMEOUT_S)
    del pending  # so a task that failed is collected now and its exception reported
    gc.collect()
    for _ in range(SETTLE_TURNS):
        await asyncio.sleep(0)
    deadline = loop.time() + SETTLE_TIMEOUT_S
    while transport.still_open and loop.time() < deadline:
        await asyncio.sleep(0.02)
    return transport.still_open


def run_in_fresh_loops(target_id: str, url: str, way: str, session_id: str) -> list[dict[str, Any]]:
    """The subprocess side: ROUNDS times one ``asyncio.run()`` with the default exception handler
    (which writes to stderr), each with its own client and transport, as a script would."""
    target = next(t for t in TARGETS if t.id == target_id)
    reports: list[dict[str, Any]] = []
    for round_ in range(ROUNDS):
        transport = ObservingTransport()
        open_stream = stream_factory(target, url, transport)
        keep: list[Stream] = []
        report: dict[str, Any] = {}

        async def main() -> None:
            report["events"] = await leave(way, open_stream, f"{session_id}-{round_}", keep)  # noqa: B023
            if way != "loop-end":
                report["open_after_exit"] = await settle(transport)  # noqa: B023

        asyncio.run(main())
        keep.clear()
        gc.collect()
        report["open_after_run"] = transport.still_open
        report["opened"] = transport.opened
        reports.append(report)
    return reports


# --------------------------------------------------------------------------- a kernel-like loop


class KernelLoop:
    """An event loop running forever in a background thread, as in an ipykernel; every call of its
    exception handler is recorded in ``reports``. ``close()`` ends it the way ``asyncio.run`` does."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.reports: list[dict[str, Any]] = []
        self.loop.set_exception_handler(lambda _loop, context: self.reports.append(context))
        self._thread = threading.Thread(target=self._run, name="kernel-loop", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            try:
                tasks = asyncio.all_tasks(loop)
                for task in tasks:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
                for task in tasks:
                    if not task.cancelled() and task.exception() is not None:
                        self.reports.append({"message": "task failed at shutdown", "task": task})
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    def run(self, coro: Any, timeout: float = 30.0) -> Any:
        """Run ``coro`` on the loop (like a notebook cell) and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self, timeout: float = 15.0) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)
        assert not self._thread.is_alive(), "the kernel loop did not shut down"


@contextlib.contextmanager
def recorded_unraisables() -> Iterator[list[str]]:
    """Record what ``sys.unraisablehook`` sees ("Exception ignored in ...") instead of printing it."""
    seen: list[str] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(f"{u.err_msg or 'unraisable'}: {u.object!r}: {u.exc_value!r}")
    try:
        yield seen
    finally:
        sys.unraisablehook = previous

"""run_sync(): the engine under every sync twin (run, continue_run, cancel, agent_config, ...).

With no event loop running, the coroutine runs on a fresh loop, like ``asyncio.run``. Inside a
running loop (every notebook cell), it runs on one private daemon thread that owns its own loop,
and the caller waits for the result. We never patch the caller's loop with nest_asyncio: it is
archived upstream and breaks anyio/httpx on newer Pythons (reference/notebook-ux-research.md §2).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, ParamSpec, TypeVar

from agentnb import _http

T = TypeVar("T")
P = ParamSpec("P")

__all__ = ["in_running_loop", "io_loop", "iterate_sync", "run_in_io_thread", "run_sync", "twin"]

_io_lock = threading.Lock()
_io_loop: asyncio.AbstractEventLoop | None = None
_io_thread: threading.Thread | None = None


def in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def io_loop() -> asyncio.AbstractEventLoop:
    """The private IO loop, started on first use in a daemon thread."""
    global _io_loop, _io_thread
    with _io_lock:
        if _io_loop is None or _io_loop.is_closed() or _io_thread is None or not _io_thread.is_alive():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def _serve() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            thread = threading.Thread(target=_serve, name="agentnb-io", daemon=True)
            thread.start()
            ready.wait()
            _io_loop, _io_thread = loop, thread
        return _io_loop


def run_in_io_thread(coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
    """Schedule ``coro`` on the IO loop and return a concurrent future at once."""
    return asyncio.run_coroutine_threadsafe(coro, io_loop())


async def _then_close_clients(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return await coro
    finally:
        await _http.close_clients_of_running_loop()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from synchronous code, in or out of a running loop."""
    if not in_running_loop():
        return asyncio.run(_then_close_clients(coro))
    if threading.current_thread() is _io_thread:
        coro.close()
        raise RuntimeError("run_sync() called from agentnb's own IO thread; await the coroutine instead")
    future = run_in_io_thread(coro)
    try:
        return future.result()
    except KeyboardInterrupt:
        # Interrupting the kernel stops only this waiting thread; without this the coroutine
        # (a run, a batch) would go on in the IO thread. Cancelling it lets it tell the server.
        future.cancel()
        raise


def twin(method: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """The sync twin of a coroutine method: the same signature, run through run_sync().

    async def alist_agents(self, ...) -> list[AgentConfig]: ...
    list_agents = _sync.twin(alist_agents)
    """

    @functools.wraps(method)
    def sync(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_sync(method(*args, **kwargs))

    sync.__doc__ = f"Sync twin of ``{method.__name__}()``: the same arguments, waits for the result."
    sync.__sync_twin_of__ = method.__name__  # type: ignore[attr-defined]
    return sync


def iterate_sync(aiter: AsyncIterator[T]) -> Iterator[T]:
    """Drive an async iterator from sync code; every step runs on the IO loop.

    One loop for the whole iteration, because an HTTP stream is bound to the loop that opened it.
    Leaving the for-loop early closes the async iterator (and its HTTP response) on that loop.
    """
    loop = io_loop()
    try:
        while True:
            try:
                yield asyncio.run_coroutine_threadsafe(_anext(aiter), loop).result()
            except StopAsyncIteration:
                return
    finally:
        aclose = getattr(aiter, "aclose", None)
        if aclose is not None:
            asyncio.run_coroutine_threadsafe(aclose(), loop).result()


async def _anext(aiter: AsyncIterator[T]) -> T:
    return await aiter.__anext__()

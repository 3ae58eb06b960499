"""Closing what a stream leaves open: quietly, on the stream's own loop, even at loop shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx

from agentnb._http import loops

__all__ = ["close_quietly", "drop"]

#: Close tasks started for dropped streams; asyncio keeps only weak references to tasks.
_closing: set[asyncio.Task[None]] = set()


class _Leftover:
    """The open response of a stream that was dropped: closed by a task, or at loop shutdown."""

    def __init__(self, chunks: AsyncIterator[bytes] | None, response: httpx.Response) -> None:
        self.chunks: AsyncIterator[bytes] | None = chunks
        self.response: httpx.Response | None = response

    async def release(self) -> None:
        chunks, response, self.chunks, self.response = self.chunks, self.response, None, None
        await close_quietly(chunks, response)


def drop(
    loop: asyncio.AbstractEventLoop, chunks: AsyncIterator[bytes] | None, response: httpx.Response
) -> None:
    """A stream was dropped with its response open: close it in a task on its loop (from any thread),
    and at that loop's shutdown if the task never ran."""
    leftover = _Leftover(chunks, response)
    loops.release_at_loop_shutdown(leftover, loop, keep=True)
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_spawn_close, loop, leftover)


async def close_quietly(chunks: AsyncIterator[bytes] | None, response: httpx.Response | None) -> None:
    if chunks is not None:
        with contextlib.suppress(Exception):
            await chunks.aclose()  # type: ignore[attr-defined]
    if response is not None:
        with contextlib.suppress(Exception):
            await response.aclose()


def _spawn_close(loop: asyncio.AbstractEventLoop, leftover: _Leftover) -> None:
    if loop.is_closed():
        return
    task = loop.create_task(_release_leftover(loop, leftover))
    _closing.add(task)
    task.add_done_callback(_forget)


async def _release_leftover(loop: asyncio.AbstractEventLoop, leftover: _Leftover) -> None:
    await leftover.release()
    loops.forget(leftover, loop)


def _forget(task: asyncio.Task[None]) -> None:
    _closing.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a failed close is never reported as "never retrieved"

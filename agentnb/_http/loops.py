"""One httpx.AsyncClient per event loop, closed when that loop shuts down.

Why: an httpx connection pool is bound to the loop that created it, so a single global client
(what agno does) breaks the second ``asyncio.run()`` in a process. Each loop gets its own client,
closed when that loop shuts down (``asyncio.run`` finalises async generators, and we park one per
loop whose ``finally`` closes the clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from agentnb import __version__
from agentnb.errors import ConfigurationError

__all__ = [
    "DEFAULT_LIMITS",
    "Releasable",
    "client_for_running_loop",
    "close_clients_of_running_loop",
    "forget",
    "pool_limits",
    "release_at_loop_shutdown",
]

_USER_AGENT = f"agentnb/{__version__}"

#: The pool of a loop's client unless a client asks for another: up to 200 connections open at
#: once (streams beyond that wait for one, up to the timeout), 20 kept alive when idle.
DEFAULT_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=20)


def pool_limits(max_connections: int | None = None, limits: httpx.Limits | None = None) -> httpx.Limits:
    """The pool limits a client asked for: ``limits`` as given, else ``max_connections`` open
    connections (all of them kept alive when idle, so a batch of that many streams can run again
    without reconnecting), else DEFAULT_LIMITS."""
    if limits is not None:
        if max_connections is not None:
            raise ConfigurationError("pass max_connections= or limits=, not both")
        return limits
    if max_connections is None:
        return DEFAULT_LIMITS
    if max_connections < 1:
        raise ConfigurationError(f"max_connections must be at least 1, not {max_connections}")
    return httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)


def _limits_key(limits: httpx.Limits) -> tuple[int | None, int | None, float | None]:
    # httpx.Limits compares by value but is not hashable.
    return (limits.max_connections, limits.max_keepalive_connections, limits.keepalive_expiry)


class Releasable(Protocol):
    """Something holding an open response: ``release()`` closes it (idempotent, never raises)."""

    async def release(self) -> None: ...


@dataclass
class _LoopClients:
    loop_ref: weakref.ReferenceType[asyncio.AbstractEventLoop]
    #: One client per (transport, pool limits) asked for on this loop.
    clients: dict[tuple[int, tuple[int | None, int | None, float | None]], httpx.AsyncClient] = field(
        default_factory=dict
    )
    closer: AsyncGenerator[None, None] | None = None
    #: Open streams, released before the clients close (held weakly: a stream may just be dropped).
    streams: weakref.WeakSet[Releasable] = field(default_factory=weakref.WeakSet)
    #: What dropped streams left open, held until released.
    leftovers: set[Releasable] = field(default_factory=set)


_registry: dict[int, _LoopClients] = {}
_registry_lock = threading.Lock()


async def _close_on_loop_shutdown(entry: _LoopClients) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await _close_entry(entry)


def release_at_loop_shutdown(
    holder: Releasable, loop: asyncio.AbstractEventLoop, *, keep: bool = False
) -> None:
    """Release ``holder`` when ``loop`` shuts down, before its clients close.

    A stream still open when ``asyncio.run()`` ends (its close task, if any, is cancelled by the
    runner first) is closed here rather than left to the connection pool. ``keep=True`` holds the
    holder strongly until then (or until ``forget``); a loop without clients opened nothing.
    """
    entry = _registry.get(id(loop))
    if entry is None or entry.loop_ref() is not loop:
        return
    if keep:
        entry.leftovers.add(holder)
    else:
        entry.streams.add(holder)


def forget(holder: Releasable, loop: asyncio.AbstractEventLoop) -> None:
    """``holder`` released itself: nothing to do for it at shutdown."""
    entry = _registry.get(id(loop))
    if entry is not None:
        entry.leftovers.discard(holder)
        entry.streams.discard(holder)


async def _close_entry(entry: _LoopClients) -> None:
    holders = [*entry.leftovers, *entry.streams]
    entry.leftovers.clear()
    for holder in holders:
        await holder.release()
    clients = list(entry.clients.values())
    entry.clients.clear()
    for client in clients:
        with contextlib.suppress(Exception):
            await client.aclose()


def _purge_closed_loops() -> None:
    for key, entry in list(_registry.items()):
        loop = entry.loop_ref()
        if loop is None or loop.is_closed():
            # That loop is gone; its sockets cannot be closed from here, only forgotten.
            del _registry[key]


async def client_for_running_loop(
    transport: httpx.AsyncBaseTransport | None, limits: httpx.Limits = DEFAULT_LIMITS
) -> httpx.AsyncClient:
    """The running loop's client for this transport and these pool limits (made on first use).

    Clients asking for the same limits share one pool, so ``max_connections`` caps the
    connections they open together on this loop."""
    loop = asyncio.get_running_loop()
    tkey = (id(transport) if transport is not None else 0, _limits_key(limits))
    entry = _registry.get(id(loop))
    if entry is not None and entry.loop_ref() is loop:
        client = entry.clients.get(tkey)
        if client is not None and not client.is_closed:
            return client
    with _registry_lock:
        _purge_closed_loops()
        entry = _registry.get(id(loop))
        new_entry = entry is None or entry.loop_ref() is not loop
        if new_entry:
            entry = _LoopClients(loop_ref=weakref.ref(loop))
            _registry[id(loop)] = entry
        assert entry is not None
        client = httpx.AsyncClient(
            transport=transport,
            headers={"User-Agent": _USER_AGENT},
            follow_redirects=True,
            # The pool limits matter for many concurrent streams from one notebook.
            limits=limits,
        )
        entry.clients[tkey] = client
    if new_entry:
        closer = _close_on_loop_shutdown(entry)
        await closer.__anext__()
        entry.closer = closer
    return client


async def close_clients_of_running_loop() -> None:
    """Close every client that belongs to the running loop (used by run_sync before it exits)."""
    loop = asyncio.get_running_loop()
    with _registry_lock:
        entry = _registry.pop(id(loop), None)
    if entry is None or entry.loop_ref() is not loop:
        return
    await _close_entry(entry)
    if entry.closer is not None:
        await entry.closer.aclose()

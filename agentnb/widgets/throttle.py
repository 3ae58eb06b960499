"""Coalescing of widget updates: many deltas in, at most one flush per interval out.

Every widget trait change is one comm message carrying the whole value, so updating per token
floods the browser (2,000 tokens: 2,000 messages, ~12 MB, reference/notebook-ux-research.md §3).
A Coalescer collects deltas and calls ``flush`` at most once per ``interval`` seconds, on the
running loop (never from a thread); ``flush_now()`` is for state changes and the end.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

__all__ = ["DEFAULT_INTERVAL", "Coalescer"]

#: 80 ms: inside the 50–100 ms band, i.e. at most 12.5 updates a second per view.
DEFAULT_INTERVAL = 0.08


class Coalescer:
    """Buffer text deltas; call ``flush(text_so_far)`` at most every ``interval`` seconds."""

    def __init__(self, flush: Callable[[], None], interval: float = DEFAULT_INTERVAL) -> None:
        self._flush = flush
        self.interval = interval
        self._handle: asyncio.TimerHandle | None = None
        self._last = 0.0
        self.flushes = 0
        self.pending = False

    def touch(self) -> None:
        """Something changed; make sure a flush happens within ``interval``."""
        self.pending = True
        if self._handle is not None:
            return
        delay = max(0.0, self.interval - (time.monotonic() - self._last))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush_now()  # no loop (plain script): nothing to coalesce against
            return
        self._handle = loop.call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._handle = None
        if self.pending:
            self.flush_now()

    def flush_now(self) -> None:
        """Flush at once (state changes, the end) and cancel the scheduled flush."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.pending = False
        self._last = time.monotonic()
        self.flushes += 1
        self._flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

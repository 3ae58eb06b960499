"""Run many jobs with bounded concurrency: order kept, failures isolated, Stop cancels on the server.

I/O-free apart from the ``attempt`` and ``cancel`` callables the caller gives: the runner knows
nothing of AgentOS or A2A. A job's row is built as soon as its run ends and the run itself is
dropped (paused runs excepted), so memory grows with the answers, not with the events.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchStop", "Job", "Progress", "Row", "Tracker", "run_jobs"]

#: How long Stop waits for the server to accept the cancellations before returning anyway.
CANCEL_TIMEOUT = 10.0
ERROR_CHARS = 500


@dataclass
class Job:
    """One prompt of the batch with its own keyword arguments (from a DataFrame's other columns)."""

    index: int
    prompt: Any
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    """What the batch keeps of one run (the DataFrame's row); ``paused`` only for paused runs."""

    prompt: str
    status: str = "pending"
    content: str | None = None
    run_id: str | None = None
    session_id: str | None = None
    duration: float | None = None
    time_to_first_token: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    error: str | None = None
    paused: Any = None


class Tracker:
    """What an attempt tells the runner while it runs: the run's id (so Stop can cancel it)."""

    def __init__(self) -> None:
        self.run_id: str | None = None
        self.session_id: str | None = None
        self.first_token_at: float | None = None

    def started(self, run_id: str | None, session_id: str | None = None) -> None:
        self.run_id = run_id or self.run_id
        self.session_id = session_id or self.session_id

    def first_token(self) -> None:
        if self.first_token_at is None:
            self.first_token_at = time.perf_counter()


class BatchStop:
    """Stop a batch from anywhere (a button, another thread): pending runs are cancelled.

    ``set()`` is thread-safe; the batch returns the rows that finished, the rest marked "cancelled".
    """

    def __init__(self) -> None:
        self._flag = threading.Event()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._lock = threading.Lock()

    def set(self) -> None:
        self._flag.set()
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that loop has closed: nothing waits there
                loop.call_soon_threadsafe(event.set)

    def is_set(self) -> bool:
        return self._flag.is_set()

    async def wait(self) -> None:
        event = asyncio.Event()
        with self._lock:
            self._waiters.append((asyncio.get_running_loop(), event))
        if self._flag.is_set():
            event.set()
        try:
            await event.wait()
        finally:
            with self._lock:
                self._waiters = [w for w in self._waiters if w[1] is not event]


class Progress:
    """The progress display's interface: the runner counts, the display shows (no-op here)."""

    def update(self, status: str) -> None:
        """One job ended with ``status`` (completed, error, paused, cancelled)."""

    def close(self) -> None:
        """The batch ended."""


Attempt = Callable[[Job, Tracker], Awaitable[Row]]
Cancel = Callable[[str, str | None], Awaitable[Any]]


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


async def run_jobs(
    jobs: Sequence[Job],
    attempt: Attempt,
    cancel: Cancel,
    *,
    concurrency: int = 8,
    retries: int = 0,
    stop: BatchStop | None = None,
    progress: Progress | None = None,
) -> list[Row]:
    """Run ``jobs`` at most ``concurrency`` at a time and return one Row per job, in input order.

    A failing job becomes an "error" row (retried ``retries`` times first); the others go on.
    ``stop.set()`` asks the server to cancel every started run (``cancel(run_id, session_id)``),
    marks unstarted jobs "cancelled" and returns what finished. Cancelling this coroutine does
    the same on the server, then re-raises the cancellation.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    stop = stop or BatchStop()
    progress = progress or Progress()
    rows: list[Row | None] = [None] * len(jobs)
    trackers: dict[int, Tracker] = {}
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def one(job: Job) -> Row:
        for tries in range(retries + 1):
            tracker = trackers[job.index] = Tracker()
            started = time.perf_counter()
            try:
                row = await attempt(job, tracker)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if tries < retries and not stop.is_set():
                    continue
                row = Row(prompt=str(job.prompt), status="error", error=_error_text(exc))
                row.run_id, row.session_id = tracker.run_id, tracker.session_id
            if row.duration is None:
                row.duration = time.perf_counter() - started
            if row.time_to_first_token is None and tracker.first_token_at is not None:
                row.time_to_first_token = tracker.first_token_at - started
            return row
        raise AssertionError("unreachable")  # pragma: no cover

    async def worker() -> None:
        while not stop.is_set():
            try:
                job = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            row = await one(job)
            rows[job.index] = row
            trackers.pop(job.index, None)
            progress.update(row.status)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(jobs)) or 1)]
    stopper = asyncio.ensure_future(stop.wait())
    interrupted: BaseException | None = None
    try:
        await asyncio.wait([*workers, stopper], return_when=asyncio.FIRST_COMPLETED)
        while not stop.is_set() and not all(w.done() for w in workers):
            await asyncio.wait([*workers, stopper], return_when=asyncio.FIRST_COMPLETED)
    except (asyncio.CancelledError, KeyboardInterrupt) as exc:
        interrupted = exc
        stop.set()
    finally:
        stopper.cancel()
        if stop.is_set():
            await _cancel_started(workers, trackers, cancel)
        progress.close()
    for w in workers:
        if w.done() and not w.cancelled() and w.exception() is not None:
            raise w.exception()  # type: ignore[misc]  # a bug in an attempt, not a failed run
    for job in jobs:
        if rows[job.index] is None:
            tracker = trackers.get(job.index)
            rows[job.index] = Row(
                prompt=str(job.prompt),
                status="cancelled",
                run_id=tracker.run_id if tracker else None,
                session_id=tracker.session_id if tracker else None,
            )
    if isinstance(interrupted, asyncio.CancelledError):
        raise interrupted
    return [r for r in rows if r is not None]


async def _cancel_started(
    workers: Sequence[asyncio.Future[None]], trackers: dict[int, Tracker], cancel: Cancel
) -> None:
    """Cancel the runs in flight, on the server first (so they stop costing), then locally."""
    started = [(t.run_id, t.session_id) for t in trackers.values() if t.run_id]
    if started:
        asks = [asyncio.ensure_future(cancel(run_id, session_id)) for run_id, session_id in started if run_id]
        with contextlib.suppress(asyncio.TimeoutError):
            # A refusal or a failure to cancel leaves that run to the server; it never hides the rows.
            await asyncio.wait_for(asyncio.gather(*asks, return_exceptions=True), CANCEL_TIMEOUT)
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)

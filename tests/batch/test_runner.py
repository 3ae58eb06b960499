"""The batch runner on its own (it is I/O-free): retries, interrupts and bounded memory.

The runs against real servers are in test_batch_peers.py; here the attempt is a plain coroutine,
which is what lets 10,000 jobs run in a test.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from typing import Any

from agentnb.batch import BatchStop, Job, Row, run_jobs
from agentnb.batch.runner import Tracker


async def never_cancel(run_id: str, session_id: str | None) -> Any:
    raise AssertionError(f"nothing should be cancelled ({run_id})")


async def test_retries_resend_a_failed_prompt_and_give_up_with_an_error_row() -> None:
    calls: dict[int, int] = {}

    async def flaky(job: Job, tracker: Tracker) -> Row:
        calls[job.index] = calls.get(job.index, 0) + 1
        if job.prompt == "always" or calls[job.index] == 1:
            raise ConnectionError(f"try {calls[job.index]}")
        return Row(prompt=job.prompt, status="completed", content="ok")

    jobs = [Job(0, "once"), Job(1, "always")]
    rows = await run_jobs(jobs, flaky, never_cancel, retries=2)
    assert [r.status for r in rows] == ["completed", "error"]
    assert calls == {0: 2, 1: 3}
    assert rows[1].error == "ConnectionError: try 3"
    calls.clear()
    rows = await run_jobs(jobs, flaky, never_cancel)  # retries=0: the first failure is the answer
    assert [r.status for r in rows] == ["error", "error"] and calls == {0: 1, 1: 1}


async def test_an_interrupted_batch_cancels_its_started_runs_on_the_server() -> None:
    # Ctrl-C under asyncio.run (and a cancelled cell task) cancels the awaiting task: the runner
    # must tell the server before it lets the cancellation through.
    cancelled: list[str] = []
    in_flight = asyncio.Event()

    async def attempt(job: Job, tracker: Tracker) -> Row:
        tracker.started(f"run-{job.index}", "s")
        if job.index == 0:
            return Row(prompt=job.prompt, status="completed", run_id="run-0")
        in_flight.set()
        await asyncio.sleep(3600)  # long runs, in flight when the user interrupts
        raise AssertionError("unreachable")

    async def cancel(run_id: str, session_id: str | None) -> bool:
        cancelled.append(run_id)
        return True

    jobs = [Job(i, f"p{i}") for i in range(5)]
    task = asyncio.ensure_future(run_jobs(jobs, attempt, cancel, concurrency=3))
    await in_flight.wait()
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("the cancellation was swallowed")
    assert sorted(cancelled) == ["run-1", "run-2", "run-3"]  # run-0 had ended; 4 never started


async def test_stop_returns_what_finished_and_marks_the_rest() -> None:
    stop = BatchStop()
    cancelled: list[str] = []

    async def attempt(job: Job, tracker: Tracker) -> Row:
        tracker.started(f"run-{job.index}")
        if job.index < 2:
            return Row(prompt=job.prompt, status="completed", run_id=f"run-{job.index}")
        stop.set()  # e.g. a Stop button, from anywhere
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    async def cancel(run_id: str, session_id: str | None) -> bool:
        cancelled.append(run_id)
        return True

    rows = await run_jobs([Job(i, f"p{i}") for i in range(4)], attempt, cancel, concurrency=1, stop=stop)
    assert [r.status for r in rows] == ["completed", "completed", "cancelled", "cancelled"]
    assert cancelled == ["run-2"] and rows[2].run_id == "run-2" and rows[3].run_id is None


async def test_stop_before_start_sends_nothing() -> None:
    stop = BatchStop()
    stop.set()
    sent: list[int] = []

    async def attempt(job: Job, tracker: Tracker) -> Row:
        sent.append(job.index)
        return Row(prompt=job.prompt, status="completed")

    rows = await run_jobs([Job(0, "a"), Job(1, "b")], attempt, never_cancel, stop=stop)
    assert sent == [] and [r.status for r in rows] == ["cancelled", "cancelled"]


async def test_memory_grows_with_the_answers_not_with_the_runs() -> None:
    # Each attempt builds a big throwaway "run" (like the events of a streamed run) and keeps a
    # short answer: after 10,000 jobs only the answers may remain.
    async def attempt(job: Job, tracker: Tracker) -> Row:
        tracker.started(f"r{job.index}")
        events = [b"x" * 1000 for _ in range(20)]  # 20 KB that must not outlive the attempt
        await asyncio.sleep(0)
        return Row(
            prompt=job.prompt, status="completed", content=f"answer {job.index}", output_tokens=len(events)
        )

    jobs = [Job(i, f"prompt {i}") for i in range(10_000)]
    gc.collect()
    tracemalloc.start()
    try:
        rows = await run_jobs(jobs, attempt, never_cancel, concurrency=16)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(rows) == 10_000 and rows[-1].content == "answer 9999"
    # 20 KB of events per run were made 10,000 times (200 MB); what is kept is the rows.
    assert kept / len(rows) < 2_000, f"{kept / len(rows):.0f} bytes kept per prompt"
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB: the runs were held"

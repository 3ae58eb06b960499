"""Batch runs: many prompts through one agent with bounded concurrency, as a pandas DataFrame.

    frame = await agent.abatch(["Hi", "What is A2A?"], concurrency=4)   # RemoteAgent
    frame = client.batch(prompts)                                       # A2AClient, sync twin

The facade's ``abatch``/``batch`` methods load this package when first called (it needs pandas
and tqdm, the "widgets" extra). The result has the columns of ``BATCH_COLUMNS`` in input order;
one failure never stops the others; paused runs are kept (``frame.attrs["paused"]``) for
``agentnb.widgets.approve_paused``; ``stop=BatchStop()`` (``stop.set()`` from anywhere)
cancels the started runs on the server and returns what finished, the rest marked "cancelled".
Cancelling the awaiting task (Ctrl-C under ``asyncio.run``) also cancels them on the server,
then lets the cancellation through.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from agentnb.batch.attempts import a2a_attempt, a2a_cancel, agent_attempt, agent_cancel
from agentnb.batch.frame import BATCH_COLUMNS, batch_frame, jobs_from
from agentnb.batch.progress import TqdmProgress
from agentnb.batch.runner import BatchStop, Job, Progress, Row, run_jobs

__all__ = [
    "BATCH_COLUMNS", "BatchStop", "Job", "Row", "abatch_a2a", "abatch_agent", "batch_frame", "run_jobs",
]  # fmt: skip

#: DataFrame columns that may carry per-row keyword arguments.
AGENT_ROW_KEYWORDS = (
    "user_id", "session_id", "session_state", "images", "audio", "videos", "files",
    "metadata", "dependencies", "knowledge_filters", "auth_token",
)  # fmt: skip
A2A_ROW_KEYWORDS = ("context_id", "user_id", "metadata", "images", "audio", "videos", "files", "headers")


def _progress(show: bool, total: int, desc: str) -> Progress:
    return TqdmProgress(total, desc=desc) if show and total else Progress()


async def abatch_agent(
    agent: Any,
    prompts: Any,
    *,
    concurrency: int = 8,
    session_id: str | None = None,
    stream: bool = False,
    retries: int = 0,
    picks_run_ids: bool = False,
    progress: bool = True,
    stop: BatchStop | None = None,
    prompt_column: str = "prompt",
    **run_kwargs: Any,
) -> pd.DataFrame:
    """``RemoteAgent.abatch``: see the package docstring."""
    jobs = jobs_from(prompts, prompt_column=prompt_column, allowed=AGENT_ROW_KEYWORDS)
    if session_id is not None:
        run_kwargs["session_id"] = session_id
    rows = await run_jobs(
        jobs,
        agent_attempt(agent, stream=stream, picks_run_ids=picks_run_ids, run_kwargs=run_kwargs),
        agent_cancel(agent),
        concurrency=concurrency,
        retries=retries,
        stop=stop,
        progress=_progress(progress, len(jobs), agent.agent_id),
    )
    return batch_frame(rows)


async def abatch_a2a(
    client: Any,
    prompts: Any,
    *,
    concurrency: int = 8,
    context_id: str | None = None,
    retries: int = 0,
    progress: bool = True,
    stop: BatchStop | None = None,
    prompt_column: str = "prompt",
    **send_kwargs: Any,
) -> pd.DataFrame:
    """``A2AClient.abatch``: the same, over ``stream_message`` (tokens are not reported by A2A)."""
    jobs = jobs_from(prompts, prompt_column=prompt_column, allowed=A2A_ROW_KEYWORDS)
    if context_id is not None:
        send_kwargs["context_id"] = context_id
    rows = await run_jobs(
        jobs,
        a2a_attempt(client, run_kwargs=send_kwargs),
        a2a_cancel(client),
        concurrency=concurrency,
        retries=retries,
        stop=stop,
        progress=_progress(progress, len(jobs), "a2a batch"),
    )
    return batch_frame(rows)

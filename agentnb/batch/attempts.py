"""One run of a batch, for each kind of target: a RemoteAgent (either protocol) or an A2AClient.

Each attempt reports the run's id to its Tracker as soon as it is known, so that Stop can cancel
the run on the server, and folds the run into a Row at once: events are never kept.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from agentnb.a2a.models import TaskResult, TaskState
from agentnb.batch.runner import Attempt, Cancel, Job, Row, Tracker
from agentnb.runs.events import RunContentEvent
from agentnb.runs.models import RunOutput, RunStatus

__all__ = ["a2a_attempt", "a2a_cancel", "agent_attempt", "agent_cancel", "row_of_output", "row_of_task"]

#: A2A states as the batch's statuses (input/auth-required is a paused run).
_A2A_STATUS = {
    TaskState.completed: "completed",
    TaskState.failed: "error",
    TaskState.rejected: "error",
    TaskState.canceled: "cancelled",
    TaskState.input_required: "paused",
    TaskState.auth_required: "paused",
}


def _text(content: Any) -> str | None:
    if content is None or isinstance(content, str):
        return content
    try:
        return json.dumps(content, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(content)


def row_of_output(prompt: Any, output: RunOutput) -> Row:
    """The Row of a finished run: content only (the run itself is kept only when it paused)."""
    unfinished = output.status in (RunStatus.running, RunStatus.pending)
    status = "error" if unfinished else output.status.name
    error = "the run ended without a final status" if unfinished else _text(output.content)
    metrics = output.metrics
    row = Row(
        prompt=str(prompt),
        status=status,
        content=_text(output.content) if status != "error" else None,
        run_id=output.run_id,
        session_id=output.session_id,
        error=error if status == "error" else None,
    )
    if metrics is not None:
        row.input_tokens = metrics.input_tokens
        row.output_tokens = metrics.output_tokens
        row.time_to_first_token = metrics.time_to_first_token
    if output.is_paused:
        row.paused = output
    return row


def row_of_task(prompt: Any, result: TaskResult) -> Row:
    status = _A2A_STATUS.get(result.state, result.status)
    row = Row(
        prompt=str(prompt),
        status=status,
        content=result.content if status != "error" else None,
        run_id=result.task_id or None,
        session_id=result.context_id or None,
        error=(result.content or f"task {result.status}") if status == "error" else None,
    )
    if status == "paused":
        row.paused = result
    return row


def agent_attempt(agent: Any, *, stream: bool, picks_run_ids: bool, run_kwargs: dict[str, Any]) -> Attempt:
    """Run one prompt on a RemoteAgent.

    Non-streamed runs pick their run id up front where the server lets the client (AgentOS), so
    that Stop can cancel them; otherwise the run is streamed so its id arrives with the first event.
    """

    async def attempt(job: Job, tracker: Tracker) -> Row:
        kwargs = {**run_kwargs, **job.kwargs}
        if not stream and picks_run_ids:
            run_id = kwargs.pop("run_id", None) or str(uuid.uuid4())
            tracker.started(run_id, kwargs.get("session_id"))
            output = await agent.arun(job.prompt, run_id=run_id, **kwargs)
            return row_of_output(job.prompt, output)
        async with agent.arun(job.prompt, stream=True, **kwargs) as run:
            async for event in run:
                if tracker.run_id is None and run.run_id:
                    tracker.started(run.run_id, run.session_id)
                if isinstance(event, RunContentEvent) and event.content:
                    tracker.first_token()
            return row_of_output(job.prompt, run.output)

    return attempt


def agent_cancel(agent: Any) -> Cancel:
    async def cancel(run_id: str, session_id: str | None) -> Any:
        return await agent.cancel_run(run_id)

    return cancel


def a2a_attempt(client: Any, *, run_kwargs: dict[str, Any]) -> Attempt:
    """Run one prompt on an A2AClient: always streamed, so the task id is known (and cancellable)."""

    async def attempt(job: Job, tracker: Tracker) -> Row:
        kwargs = {**run_kwargs, **job.kwargs}
        async with client.stream_message(job.prompt, **kwargs) as run:
            async for event in run:
                if tracker.run_id is None and run.task_id:
                    tracker.started(run.task_id, event.context_id)
                if event.is_content:
                    tracker.first_token()
            return row_of_task(job.prompt, run.result)

    return attempt


def a2a_cancel(client: Any) -> Cancel:
    async def cancel(task_id: str, context_id: str | None) -> Any:
        return await client.acancel_task(task_id, context_id=context_id)

    return cancel

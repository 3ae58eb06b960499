"""Deterministic AgentExecutor for the a2a-sdk 1.x test peer (runs in the a2a-v1 virtualenv).

Same behaviour as ``a2a_executor_v03.py`` (keywords ``fail``, ``input``, ``slow``, ``direct``,
``file``; ``previous: <text>`` for multi-turn), written against the a2a-sdk 1.x protobuf types.
Keep the two in step.
"""

from __future__ import annotations

import asyncio
import uuid

from a2a.helpers import new_data_part, new_raw_part, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, Part, Role, Task, TaskState, TaskStatus

PEER_LABEL = "a2a-sdk 1.x"
SLOW_CHUNKS = 50
SLOW_DELAY_S = 0.1
QUESTION = "What is your name?"
FILE_NAME = "report.txt"
FILE_CONTENT = b"hello file"
DATA_PAYLOAD: dict[str, object] = {"answer": 42, "ratio": 0.5}


def choose_mode(text: str) -> str:
    """Return the behaviour selected by ``text`` (first matching keyword wins)."""
    lowered = text.lower()
    for keyword in ("fail", "input", "slow", "direct"):
        if keyword in lowered:
            return keyword
    return "default"


def answer_chunks(text: str, previous: str | None) -> list[str]:
    """The default answer, split into the chunks that are streamed."""
    chunks = ["Hello", " from the", f" {PEER_LABEL} peer.", f" You said: {text}."]
    if previous is not None:
        chunks.append(f" previous: {previous}")
    return chunks


class ScriptedExecutorV1(AgentExecutor):
    """Keyword-driven executor (a2a-sdk 1.x types)."""

    def __init__(self) -> None:
        self._previous: dict[str, str] = {}
        self._cancelled: dict[str, asyncio.Event] = {}

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        message = context.message
        if message is None:  # pragma: no cover - the SDK always passes a message to execute
            raise ValueError("execute() called without a message")
        text = context.get_user_input()
        task_id = context.task_id or message.task_id or str(uuid.uuid4())
        context_id = context.context_id or message.context_id or str(uuid.uuid4())
        previous = self._previous.get(context_id)
        self._previous[context_id] = text

        current = context.current_task
        mode = choose_mode(text)
        if mode == "direct" and current is None:
            reply = "Direct reply: " + "".join(answer_chunks(text, previous)).strip()
            await event_queue.enqueue_event(
                Message(
                    role=Role.ROLE_AGENT,
                    message_id=str(uuid.uuid4()),
                    context_id=context_id,
                    parts=[new_text_part(reply)],
                )
            )
            return

        if current is None:
            # a2a-sdk 1.x requires the Task before any status/artifact event of a new task.
            await event_queue.enqueue_event(
                Task(
                    id=task_id,
                    context_id=context_id,
                    status=TaskStatus(state=TaskState.TASK_STATE_SUBMITTED),
                    history=[message],
                )
            )
        updater = TaskUpdater(event_queue, task_id, context_id)
        cancelled = self._cancelled.setdefault(task_id, asyncio.Event())

        if current is not None and current.status.state == TaskState.TASK_STATE_INPUT_REQUIRED:
            await updater.start_work()
            chunks = ["Thanks", ", ", text.strip(), ". Input received."]
            if previous is not None:
                chunks.append(f" previous: {previous}")
            await self._stream_answer(updater, task_id, chunks, cancelled, delay=0.0)
            await updater.complete()
            return

        if mode == "fail":
            await updater.start_work()
            await updater.failed(
                updater.new_agent_message([new_text_part(f"Task failed as requested: {text}")])
            )
            return

        if mode == "input":
            await updater.requires_input(updater.new_agent_message([new_text_part(QUESTION)]))
            return

        await updater.start_work()
        if mode == "slow":
            chunks = [f"tick {i} " for i in range(1, SLOW_CHUNKS + 1)]
            if previous is not None:
                chunks.append(f" previous: {previous}")
            finished = await self._stream_answer(updater, task_id, chunks, cancelled, delay=SLOW_DELAY_S)
        else:
            finished = await self._stream_answer(
                updater, task_id, answer_chunks(text, previous), cancelled, delay=0.0
            )
        if not finished:
            return
        if "file" in text.lower():
            file_part: Part = new_raw_part(FILE_CONTENT, media_type="text/plain", filename=FILE_NAME)
            await updater.add_artifact(
                [file_part],
                artifact_id=f"file-{task_id[:8]}",
                name=FILE_NAME,
                last_chunk=True,
            )
            await updater.add_artifact(
                [new_data_part(dict(DATA_PAYLOAD))],
                artifact_id=f"data-{task_id[:8]}",
                name="data",
                last_chunk=True,
            )
        if not cancelled.is_set():
            await updater.complete()

    async def _stream_answer(
        self,
        updater: TaskUpdater,
        task_id: str,
        chunks: list[str],
        cancelled: asyncio.Event,
        *,
        delay: float,
    ) -> bool:
        """Send ``chunks`` as chunks of one artifact; False if cancelled meanwhile."""
        artifact_id = f"answer-{task_id[:8]}"
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            if cancelled.is_set():
                return False
            await updater.add_artifact(
                [new_text_part(chunk)],
                artifact_id=artifact_id,
                name="answer",
                append=index > 0,
                last_chunk=index == last,
            )
            if delay:
                await asyncio.sleep(delay)
        return not cancelled.is_set()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task_id = context.task_id or ""
        context_id = context.context_id or ""
        self._cancelled.setdefault(task_id, asyncio.Event()).set()
        updater = TaskUpdater(event_queue, task_id, context_id)
        await updater.cancel(updater.new_agent_message([new_text_part("Task canceled on request.")]))

"""Deterministic AgentExecutor for the a2a-sdk 0.3.x test peer.

Behaviour is chosen by case-insensitive substrings of the user's text (first match wins):

* ``fail``   -> task goes to ``failed`` with an explanatory status message.
* ``input``  -> task goes to ``input-required`` asking "What is your name?"; a follow-up message
  carrying the same ``taskId`` + ``contextId`` completes the task with text containing the reply.
* ``slow``   -> 50 artifact chunks, one every 0.1 s (about 5 s), so a cancel can land; cancel emits
  the ``canceled`` state.
* ``direct`` -> a single bare agent ``Message`` (no task at all).
* default    -> a Task whose answer is streamed as >= 4 chunks of one artifact (append/lastChunk),
  then ``completed``.

``file`` (combinable with default and ``slow``) additionally produces a file artifact
``report.txt`` (text/plain, content ``hello file``) and a data artifact ``{"answer": 42, "ratio": 0.5}``.

Multi-turn: the previous user text of a contextId is remembered; when present the answer contains
``previous: <text>``.

This module mirrors ``a2a_executor_v1.py`` (same behaviour, a2a-sdk 1.x types); keep them in step.
"""

from __future__ import annotations

import asyncio
import base64
import uuid

from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import (
    DataPart,
    FilePart,
    FileWithBytes,
    Message,
    Part,
    Role,
    TaskState,
    TextPart,
)
from a2a.utils import new_task

PEER_LABEL = "a2a-sdk 0.3"
SLOW_CHUNKS = 50
SLOW_DELAY_S = 0.1
QUESTION = "What is your name?"
FILE_NAME = "report.txt"
FILE_CONTENT = b"hello file"
DATA_PAYLOAD: dict[str, object] = {"answer": 42, "ratio": 0.5}


def choose_mode(text: str) -> str:
    """Return the behaviour selected by ``text`` (see module docstring)."""
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


def _text(text: str) -> Part:
    return Part(root=TextPart(text=text))


class ScriptedExecutorV03(AgentExecutor):
    """Keyword-driven executor (a2a-sdk 0.3.x types)."""

    def __init__(self) -> None:
        self._previous: dict[str, str] = {}
        self._cancelled: dict[str, asyncio.Event] = {}
        # The queue execute() publishes to, per running task: see cancel().
        self._queues: dict[str, EventQueue] = {}

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        task_id = context.task_id or ""
        self._queues[task_id] = event_queue
        try:
            await self._execute(context, event_queue)
        finally:
            if self._queues.get(task_id) is event_queue:
                del self._queues[task_id]

    async def _execute(self, context: RequestContext, event_queue: EventQueue) -> None:
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
                    role=Role.agent,
                    message_id=str(uuid.uuid4()),
                    context_id=context_id,
                    parts=[_text(reply)],
                )
            )
            return

        if current is None:
            await event_queue.enqueue_event(new_task(message))
        updater = TaskUpdater(event_queue, task_id, context_id)
        cancelled = self._cancelled.setdefault(task_id, asyncio.Event())

        if current is not None and current.status.state == TaskState.input_required:
            await updater.start_work()
            chunks = ["Thanks", ", ", text.strip(), ". Input received."]
            if previous is not None:
                chunks.append(f" previous: {previous}")
            await self._stream_answer(updater, task_id, chunks, cancelled, delay=0.0)
            await updater.complete()
            return

        if mode == "fail":
            await updater.start_work()
            await updater.failed(updater.new_agent_message([_text(f"Task failed as requested: {text}")]))
            return

        if mode == "input":
            await updater.requires_input(updater.new_agent_message([_text(QUESTION)]), final=True)
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
            await updater.add_artifact(
                [
                    Part(
                        root=FilePart(
                            file=FileWithBytes(
                                bytes=base64.b64encode(FILE_CONTENT).decode("ascii"),
                                mime_type="text/plain",
                                name=FILE_NAME,
                            )
                        )
                    )
                ],
                artifact_id=f"file-{task_id[:8]}",
                name=FILE_NAME,
                last_chunk=True,
            )
            await updater.add_artifact(
                [Part(root=DataPart(data=dict(DATA_PAYLOAD)))],
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
                [_text(chunk)],
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
        # a2a-sdk 0.3.26 hands cancel() a *tap* of the task's queue: an event put there reaches
        # the tasks/cancel caller but not the message/stream consumer, whose stream then never
        # ends (the producer is cancelled before it can close the queue). Publishing on the
        # running task's own queue reaches both (a queue forwards to its taps).
        running = self._queues.get(task_id)
        queue = running if running is not None and not running.is_closed() else event_queue
        updater = TaskUpdater(queue, task_id, context_id)
        await updater.cancel(updater.new_agent_message([_text("Task canceled on request.")]))

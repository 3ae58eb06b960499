"""The demo's standard a2a-sdk v0.3 server: one agent, "facts", for the A2A notebook.

It speaks A2A v0.3 JSON-RPC (``POST /``) and HTTP+JSON (``/v1/...``) on one port; the card is at
``/.well-known/agent-card.json``. Behaviour, by words in the user's message (first match wins):

* ``fail``  -> the task fails with a message.
* ``input`` -> the task is input-required, asking "What is your name?"; the reply (same task and
  context) completes it with a greeting.
* ``slow``  -> 50 artifact chunks 0.1 s apart, so a cancel can land.
* anything else -> a fact about the topic named (see facts.py), or a greeting listing the topics,
  streamed as >= 4 artifact chunks.
* ``file`` (with the last two) also produces a file artifact ``facts.txt``.

Multi-turn: the previous message of a context is remembered and mentioned ("previous: ...").
"""

from __future__ import annotations

import asyncio
import base64
import uuid

from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.apps import A2ARESTFastAPIApplication, A2AStarletteApplication
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    FilePart,
    FileWithBytes,
    Part,
    TaskState,
    TextPart,
    TransportProtocol,
)
from a2a.utils import new_task
from fastapi import FastAPI

from agentnb.demo.facts import FACTS, find_topic, lookup_fact

AGENT_NAME = "facts"
QUESTION = "What is your name?"
FILE_NAME = "facts.txt"
SLOW_CHUNKS = 50
SLOW_DELAY = 0.1


def choose_mode(text: str) -> str:
    """The behaviour selected by ``text`` (see the module docstring)."""
    lowered = text.lower()
    return next((k for k in ("fail", "input", "slow") if k in lowered), "default")


def answer_chunks(text: str, previous: str | None) -> list[str]:
    """The default answer, split into the chunks that are streamed."""
    topic = find_topic(text)
    if topic in FACTS:
        chunks = ["Here is", " a fact", f" about {topic}:", f" {lookup_fact(topic)}"]
    else:
        chunks = ["Hello", " from the", " facts agent.", f" You said: {text.strip()}."]
        chunks.append(f" Ask me about {', '.join(sorted(FACTS))}.")
    if previous is not None:
        chunks.append(f" (previous: {previous})")
    return chunks


def _text(text: str) -> Part:
    return Part(root=TextPart(text=text))


class FactsExecutor(AgentExecutor):
    """The "facts" agent: keyword-driven and deterministic."""

    def __init__(self) -> None:
        self._previous: dict[str, str] = {}
        self._cancelled: dict[str, asyncio.Event] = {}
        self._queues: dict[str, EventQueue] = {}  # the queue execute() publishes to, per task
        self._closing = False

    def close(self) -> None:
        """The server is stopping: end every running task now (as canceled) instead of mid-stream."""
        self._closing = True
        for event in self._cancelled.values():
            event.set()

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        task_id = context.task_id or ""
        self._queues[task_id] = event_queue
        try:
            await self._execute(context, event_queue)
        finally:
            if self._queues.get(task_id) is event_queue:
                del self._queues[task_id]
            self._cancelled.pop(task_id, None)

    async def _execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        message = context.message
        if message is None:  # the SDK always passes one to execute()
            raise ValueError("execute() called without a message")
        text = context.get_user_input()
        task_id = context.task_id or message.task_id or str(uuid.uuid4())
        context_id = context.context_id or message.context_id or str(uuid.uuid4())
        previous = self._previous.get(context_id)
        self._previous[context_id] = text
        current = context.current_task
        if current is None:
            await event_queue.enqueue_event(new_task(message))
        updater = TaskUpdater(event_queue, task_id, context_id)
        cancelled = self._cancelled.setdefault(task_id, asyncio.Event())

        if current is not None and current.status.state == TaskState.input_required:
            await updater.start_work()
            chunks = ["Nice to meet you", ", ", text.strip(), ". Ask me about: ", ", ".join(sorted(FACTS))]
            if await self._stream(updater, task_id, chunks, cancelled, delay=0.0):
                await updater.complete()
            return
        mode = choose_mode(text)
        if mode == "fail":
            await updater.start_work()
            await updater.failed(
                updater.new_agent_message([_text(f"The facts agent failed on purpose: {text}")])
            )
            return
        if mode == "input":
            await updater.requires_input(updater.new_agent_message([_text(QUESTION)]), final=True)
            return
        await updater.start_work()
        if mode == "slow":
            chunks, delay = [f"tick {i} " for i in range(1, SLOW_CHUNKS + 1)], SLOW_DELAY
        else:
            chunks, delay = answer_chunks(text, previous), 0.0
        if not await self._stream(updater, task_id, chunks, cancelled, delay=delay):
            if self._closing:
                await updater.cancel(updater.new_agent_message([_text("The demo server is stopping.")]))
            return
        if "file" in text.lower():
            content = "".join(f"{topic}: {fact}\n" for topic, fact in sorted(FACTS.items()))
            file = FileWithBytes(
                bytes=base64.b64encode(content.encode()).decode("ascii"),
                mime_type="text/plain",
                name=FILE_NAME,
            )
            await updater.add_artifact(
                [Part(root=FilePart(file=file))],
                artifact_id=f"file-{task_id[:8]}",
                name=FILE_NAME,
                last_chunk=True,
            )
        if not cancelled.is_set():
            await updater.complete()

    async def _stream(
        self, updater: TaskUpdater, task_id: str, chunks: list[str], cancelled: asyncio.Event, *, delay: float
    ) -> bool:
        """Send ``chunks`` as the chunks of one artifact; False if the task was cancelled meanwhile."""
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            if cancelled.is_set():
                return False
            await updater.add_artifact(
                [_text(chunk)],
                artifact_id=f"answer-{task_id[:8]}",
                name="answer",
                append=index > 0,
                last_chunk=index == last,
            )
            if delay:
                await asyncio.sleep(delay)
        return not cancelled.is_set()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task_id = context.task_id or ""
        self._cancelled.setdefault(task_id, asyncio.Event()).set()
        # a2a-sdk 0.3.26 hands cancel() a tap of the task's queue, which the streaming caller never
        # sees; publishing on the running task's own queue reaches both.
        running = self._queues.get(task_id)
        queue = running if running is not None and not running.is_closed() else event_queue
        updater = TaskUpdater(queue, task_id, context.context_id or "")
        await updater.cancel(updater.new_agent_message([_text("Task canceled on request.")]))


def build_card(base_url: str) -> AgentCard:
    """The "facts" agent card; ``base_url`` is how clients reach this server."""
    return AgentCard(
        name=AGENT_NAME,
        description="Streams facts (a2a-sdk 0.3). Say 'input' to be asked a question, 'file' for a file.",
        url=f"{base_url}/",
        version="1.0.0",
        preferred_transport=TransportProtocol.jsonrpc.value,
        additional_interfaces=[AgentInterface(transport=TransportProtocol.http_json.value, url=base_url)],
        capabilities=AgentCapabilities(streaming=True, push_notifications=False),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[
            AgentSkill(
                id="facts",
                name="Facts",
                description="Tells a fact about a topic; can ask for your name and send a file.",
                tags=["demo"],
                examples=["Tell me about France", "ask me for input", "send me a file", "slow", "fail"],
            )
        ],
    )


def build_app(base_url: str) -> FastAPI:
    """The ASGI app: HTTP+JSON routes under /v1, the card, and JSON-RPC at ``POST /``."""
    card = build_card(base_url.rstrip("/"))
    executor = FactsExecutor()
    handler = DefaultRequestHandler(agent_executor=executor, task_store=InMemoryTaskStore())
    app: FastAPI = A2ARESTFastAPIApplication(agent_card=card, http_handler=handler).build(
        title="agentnb demo: a2a-sdk 0.3 facts agent"
    )
    A2AStarletteApplication(agent_card=card, http_handler=handler).add_routes_to_app(app)
    app.state.close = executor.close
    return app

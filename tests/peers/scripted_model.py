"""A deterministic, offline agno model for the AgentOS test peer.

``ScriptedModel`` never talks to a network. It looks at the LAST user message and
picks a scripted behaviour from keywords (case-insensitive, first match wins):

==========================  ==========================================================
keyword                     behaviour
==========================  ==========================================================
``fail`` / ``explode``      raises ``RuntimeError("ScriptedModel exploded on purpose")``
``slow``                    streams ``"tick0 "`` … ``"tick39 "`` with 0.1 s between chunks
``markdown``                streams a markdown answer (heading, fenced python, table)
``delete two``/``two files`` two ``delete_file`` calls in one response  (needs the tool)
``delete``                  ``delete_file(path="/tmp/important.txt")``  (needs the tool)
``email``                   ``send_email(subject="Hello", body="Hi from agno")``  (needs the tool)
``shell`` / ``run``         ``run_shell_command(command="ls")``  (needs the tool)
``weather``                 ``get_weather(city="Berlin")``  (needs the tool)
anything else               ``"Hello! You said: <text>. This is a deterministic streamed answer."``
==========================  ==========================================================

Tool behaviours only fire when the agent actually offers the tool; otherwise the
next rule is tried (so ``"run"`` sent to an agent without ``run_shell_command`` falls
through to the default answer).

When the messages after the last user message end with tool results, the model
answers them instead: ``"Tool said: <result 1> | <result 2>. Done."`` with each tool
message's content verbatim; a failed or rejected call (``tool_call_error``) reads
``"<tool_name> error: <content>"``, e.g. ``"Tool said: delete_file error: Function call
was rejected by the user. Done."`` (or the user's ``confirmation_note`` instead).

Text is streamed two words per chunk (``"Hello! You "``, ``"said: Hi "`` …); markdown is
streamed one line per chunk. Usage: ``input_tokens=10`` per model call; output tokens
are one per streamed chunk, or the word count for a non-streamed call.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from agno.metrics import MessageMetrics
from agno.models.base import Model
from agno.models.message import Message
from agno.models.response import ModelResponse

MODEL_ID = "scripted-v1"
MODEL_PROVIDER = "Offline"

ERROR_TEXT = "ScriptedModel exploded on purpose"
WEATHER_RESULT = "It is 21C and sunny in Berlin."
INPUT_TOKENS = 10
SLOW_TICKS = 40
SLOW_DELAY = 0.1

MARKDOWN_TEXT = (
    "# Scripted report\n"
    "\n"
    "Some **bold** text and a list:\n"
    "\n"
    "- first item\n"
    "- second item\n"
    "\n"
    "```python\n"
    "def greet(name: str) -> str:\n"
    '    return f"Hello, {name}!"\n'
    "```\n"
    "\n"
    "| city | temp |\n"
    "|------|------|\n"
    "| Berlin | 21C |\n"
    "| Paris | 18C |\n"
)


def default_answer(user_text: str) -> str:
    """The default deterministic answer for ``user_text``."""
    return f"Hello! You said: {user_text}. This is a deterministic streamed answer."


def tool_answer(results: list[str]) -> str:
    """The answer given after tool results ``results`` came back."""
    joined = " | ".join(r.strip() for r in results)
    return f"Tool said: {joined.rstrip('.')}. Done."


def slow_chunks() -> list[str]:
    return [f"tick{i} " for i in range(SLOW_TICKS)]


def split_words(text: str, per_chunk: int = 2) -> list[str]:
    """Split ``text`` into chunks of ``per_chunk`` words, keeping the whitespace."""
    words = re.findall(r"\s*\S+\s*", text) or [text]
    return ["".join(words[i : i + per_chunk]) for i in range(0, len(words), per_chunk)]


def _tool_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"call_{uuid4().hex[:12]}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


@dataclass
class Plan:
    """What the model will do for one invocation."""

    kind: str  # "text" | "tools" | "error" | "slow"
    chunks: list[str]
    tool_calls: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def _offered_tools(tools: Any) -> set[str]:
    names: set[str] = set()
    for t in tools or []:
        if isinstance(t, dict):
            fn = t.get("function")
            name = fn.get("name") if isinstance(fn, dict) else t.get("name")
            if isinstance(name, str):
                names.add(name)
        else:
            name = getattr(t, "name", None)
            if isinstance(name, str):
                names.add(name)
    return names


def _role(m: Any) -> str:
    return str(getattr(m, "role", "") or "")


def _content(m: Any) -> str:
    if isinstance(m, Message):
        return m.get_content_string()
    content = getattr(m, "content", None)
    return content if isinstance(content, str) else ("" if content is None else str(content))


def plan_for(messages: list[Message], tools: Any = None) -> Plan:
    """Decide the scripted behaviour for ``messages`` (pure apart from fresh call ids)."""
    last_user = -1
    for i, m in enumerate(messages):
        if _role(m) == "user":
            last_user = i
    user_text = _content(messages[last_user]) if last_user >= 0 else ""
    after = messages[last_user + 1 :] if last_user >= 0 else list(messages)

    # Answer tool results when the conversation after the user turn ends in tool messages.
    if after and _role(after[-1]) == "tool":
        trailing: list[str] = []
        for m in reversed(after):
            if _role(m) != "tool":
                break
            text = _content(m)
            if getattr(m, "tool_call_error", None):
                # Rejected confirmations and failed tools: keep agno's message, flag it.
                text = f"{getattr(m, 'tool_name', None) or 'tool'} error: {text}"
            trailing.append(text)
        trailing.reverse()
        return Plan("text", split_words(tool_answer(trailing)), [])

    low = user_text.lower()
    offered = _offered_tools(tools)

    if re.search(r"\b(fail|explode)", low):
        return Plan("error", [], [])
    if "slow" in low:
        return Plan("slow", slow_chunks(), [])
    if "markdown" in low:
        return Plan("text", MARKDOWN_TEXT.splitlines(keepends=True), [])
    if "delete_file" in offered and ("delete two" in low or "two files" in low):
        calls = [
            _tool_call("delete_file", {"path": "/tmp/important.txt"}),
            _tool_call("delete_file", {"path": "/tmp/other.txt"}),
        ]
        return Plan("tools", [], calls)
    if "delete_file" in offered and "delete" in low:
        return Plan("tools", [], [_tool_call("delete_file", {"path": "/tmp/important.txt"})])
    if "send_email" in offered and "email" in low:
        return Plan("tools", [], [_tool_call("send_email", {"subject": "Hello", "body": "Hi from agno"})])
    if "run_shell_command" in offered and re.search(r"\b(shell|run)\b", low):
        return Plan("tools", [], [_tool_call("run_shell_command", {"command": "ls"})])
    if "get_weather" in offered and "weather" in low:
        return Plan("tools", [], [_tool_call("get_weather", {"city": "Berlin"})])
    return Plan("text", split_words(default_answer(user_text)), [])


def _usage(output_tokens: int, *, with_input: bool = True) -> MessageMetrics:
    input_tokens = INPUT_TOKENS if with_input else 0
    return MessageMetrics(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
    )


def _run_id(kwargs: dict[str, Any]) -> str | None:
    run_response = kwargs.get("run_response")
    run_id = getattr(run_response, "run_id", None)
    return run_id if isinstance(run_id, str) else None


@dataclass
class ScriptedModel(Model):
    """Offline model whose replies are scripted by keywords (see module docstring)."""

    id: str = MODEL_ID
    name: str | None = "ScriptedModel"
    provider: str | None = MODEL_PROVIDER

    # ----- non-streaming -------------------------------------------------

    def _full_response(self, plan: Plan) -> ModelResponse:
        if plan.kind == "tools":
            return ModelResponse(
                role="assistant",
                tool_calls=plan.tool_calls,
                response_usage=_usage(len(plan.tool_calls)),
            )
        return ModelResponse(
            role="assistant",
            content=plan.text,
            response_usage=_usage(len(plan.text.split())),
        )

    def invoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        plan = plan_for(kwargs.get("messages") or [], kwargs.get("tools"))
        if plan.kind == "error":
            raise RuntimeError(ERROR_TEXT)
        if plan.kind == "slow":
            from agno.run.cancel import raise_if_cancelled

            run_id = _run_id(kwargs)
            for _ in plan.chunks:
                if run_id is not None:
                    raise_if_cancelled(run_id)
                time.sleep(SLOW_DELAY)
        return self._full_response(plan)

    async def ainvoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        plan = plan_for(kwargs.get("messages") or [], kwargs.get("tools"))
        if plan.kind == "error":
            raise RuntimeError(ERROR_TEXT)
        if plan.kind == "slow":
            from agno.run.cancel import araise_if_cancelled

            run_id = _run_id(kwargs)
            for _ in plan.chunks:
                if run_id is not None:
                    await araise_if_cancelled(run_id)
                await asyncio.sleep(SLOW_DELAY)
        return self._full_response(plan)

    # ----- streaming -----------------------------------------------------

    def _deltas(self, plan: Plan) -> list[ModelResponse]:
        if plan.kind == "tools":
            return [
                ModelResponse(
                    role="assistant",
                    tool_calls=plan.tool_calls,
                    response_usage=_usage(len(plan.tool_calls)),
                )
            ]
        return [
            ModelResponse(role="assistant", content=chunk, response_usage=_usage(1, with_input=i == 0))
            for i, chunk in enumerate(plan.chunks)
        ]

    def invoke_stream(self, *args: Any, **kwargs: Any) -> Iterator[ModelResponse]:
        plan = plan_for(kwargs.get("messages") or [], kwargs.get("tools"))
        if plan.kind == "error":
            raise RuntimeError(ERROR_TEXT)
        for i, delta in enumerate(self._deltas(plan)):
            if plan.kind == "slow" and i > 0:
                time.sleep(SLOW_DELAY)
            yield delta

    async def ainvoke_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ModelResponse]:
        plan = plan_for(kwargs.get("messages") or [], kwargs.get("tools"))
        if plan.kind == "error":
            raise RuntimeError(ERROR_TEXT)
        for i, delta in enumerate(self._deltas(plan)):
            if plan.kind == "slow" and i > 0:
                await asyncio.sleep(SLOW_DELAY)
            yield delta

    # ----- provider parsing (unused: there is no provider) ---------------

    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

"""A deterministic, offline agno model: each demo agent gets a fixed script instead of an LLM.

``ScriptedModel(script="chat")`` never talks to a network. It reads the last user message (and,
after a tool ran, the tool messages that follow it) and answers from its script:

=========  ===================================================================================
script     behaviour
=========  ===================================================================================
chat       streams markdown: a heading, the user's words, a fenced python block, a table,
           and "(turn N in this session)"
tools      calls ``lookup(topic=...)`` with the topic named in the message, then answers with it
confirm    "delete <name>" -> ``delete_file(name)``; "list" -> ``list_files()``;
           "restore" -> ``restore_files()``; anything else -> a short help text
email      always calls ``send_email()``: the user fills in to / subject / urgent
shell      calls ``run_shell_command(command)`` (the command in backticks or after "run", else
           ``ls``), then summarises the output the notebook sent back
slow       streams "tick 0 " ... "tick 59 ", 0.1 s apart (cancellable)
failing    raises ``RuntimeError(FAIL_TEXT)``
=========  ===================================================================================
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from agno.metrics import MessageMetrics
from agno.models.base import Model
from agno.models.message import Message
from agno.models.response import ModelResponse

from agentnb.demo.facts import find_topic

MODEL_ID = "scripted-demo"
MODEL_PROVIDER = "Offline"
SCRIPTS = ("chat", "tools", "confirm", "email", "shell", "slow", "failing")
FAIL_TEXT = "The Failing Agent failed on purpose (this is how an agent error looks in agentnb)."
SLOW_TICKS = 60
SLOW_DELAY = 0.1
# A short pause between streamed chunks so a notebook visibly streams; small enough to stay fast.
CHUNK_DELAY = 0.02
INPUT_TOKENS = 10


@dataclass
class Plan:
    """What the model does for one call: stream text, call tools, fail, or tick slowly."""

    kind: str  # "text" | "tools" | "error" | "slow"
    chunks: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"call_{uuid4().hex[:12]}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


def _words(text: str, per_chunk: int = 3) -> list[str]:
    words = re.findall(r"\s*\S+\s*", text) or [text]
    return ["".join(words[i : i + per_chunk]) for i in range(0, len(words), per_chunk)]


def _text(m: Message) -> str:
    return m.get_content_string() if isinstance(m, Message) else str(getattr(m, "content", "") or "")


def chat_markdown(user_text: str, turn: int) -> str:
    """The Chat Agent's answer: always a heading, a python block and a table."""
    said = " ".join(user_text.split()) or "(nothing)"
    short = said if len(said) <= 60 else said[:57] + "..."
    return (
        f"## Re: {short}\n"
        "\n"
        f"You said: *{said}* (turn {turn} in this session).\n"
        "\n"
        "Here is a small Python example:\n"
        "\n"
        "```python\n"
        "def greet(name: str) -> str:\n"
        '    return f"Hello, {name}!"\n'
        "\n"
        'print(greet("notebook"))\n'
        "```\n"
        "\n"
        "| step | what happens |\n"
        "|------|--------------|\n"
        "| 1 | you send a message |\n"
        "| 2 | the agent streams this answer |\n"
        "| 3 | the notebook renders the markdown |\n"
    )


def _file_name(text: str) -> str:
    match = re.search(r"\bdelete\s+(?:the\s+)?(?:file\s+)?[`'\"]?([^\s`'\"]+)", text, re.IGNORECASE)
    return match.group(1).rstrip(".,;!?") if match else "old.log"


def _shell_command(text: str) -> str:
    quoted = re.search(r"`([^`]+)`", text)
    if quoted:
        return quoted.group(1).strip()
    after = re.search(r"\brun\s+(?:the\s+command\s+)?(.+)$", text, re.IGNORECASE)
    if after and after.group(1).strip(" .!?"):
        return after.group(1).strip(" .!?")
    return "ls"


def _tool_reply(script: str, results: list[Message]) -> str:
    lines = []
    for m in results:
        content = _text(m).strip()
        if m.tool_call_error:
            lines.append(f"I did not run {m.tool_name or 'the tool'}: {content}")
        elif script == "shell":
            args = m.tool_args if isinstance(m.tool_args, dict) else {}
            command = args.get("command", "the command")
            out_lines = content.splitlines() or [""]
            lines.append(
                f"`{command}` printed {len(out_lines)} line(s); the first is `{out_lines[0]}`."
                f"\n\n```\n{content}\n```"
            )
        elif script == "tools":
            lines.append(f"According to my lookup tool: {content}")
        else:
            lines.append(content)
    return "\n\n".join(lines)


def _tool_messages(after: list[Message]) -> list[Message]:
    calls: dict[str, dict[str, Any]] = {}
    for m in after:
        for call in m.tool_calls or []:
            fn = call.get("function") or {}
            try:
                calls[str(call.get("id"))] = json.loads(fn.get("arguments") or "{}")
            except ValueError:
                calls[str(call.get("id"))] = {}
    trailing: list[Message] = []
    for m in reversed(after):
        if m.role != "tool":
            break
        if m.tool_args is None and m.tool_call_id in calls:
            m = m.model_copy(update={"tool_args": calls[m.tool_call_id]})
        trailing.append(m)
    return trailing[::-1]


def plan_for(script: str, messages: list[Message]) -> Plan:
    """Decide what ``script`` does for ``messages`` (pure apart from fresh tool-call ids)."""
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    last = users[-1] if users else -1
    user_text = _text(messages[last]) if users else ""
    after = messages[last + 1 :]
    if after and after[-1].role == "tool":
        return Plan("text", _words(_tool_reply(script, _tool_messages(after))))
    low = user_text.lower()
    if script == "failing":
        return Plan("error")
    if script == "slow":
        return Plan("slow", [f"tick {i} " for i in range(SLOW_TICKS)])
    if script == "chat":
        return Plan("text", chat_markdown(user_text, len(users)).splitlines(keepends=True))
    if script == "tools":
        return Plan("tools", tool_calls=[_call("lookup", {"topic": find_topic(user_text)})])
    if script == "confirm":
        if re.search(r"\b(delete|remove)\b", low):
            return Plan("tools", tool_calls=[_call("delete_file", {"name": _file_name(user_text)})])
        if re.search(r"\b(restore|reset)\b", low):
            return Plan("tools", tool_calls=[_call("restore_files", {})])
        if re.search(r"\b(list|ls|show|files?)\b", low):
            return Plan("tools", tool_calls=[_call("list_files", {})])
        help_text = 'I look after the files in my sandbox. Try "list", or "delete old.log" (I ask first).'
        return Plan("text", _words(help_text))
    if script == "email":
        return Plan("tools", tool_calls=[_call("send_email", {})])
    if script == "shell":
        return Plan("tools", tool_calls=[_call("run_shell_command", {"command": _shell_command(user_text)})])
    return Plan("text", _words(f"You said: {user_text}"))


def _usage(output_tokens: int, *, with_input: bool = True) -> MessageMetrics:
    input_tokens = INPUT_TOKENS if with_input else 0
    return MessageMetrics(
        input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=input_tokens + output_tokens
    )


def _run_id(kwargs: dict[str, Any]) -> str | None:
    run_id = getattr(kwargs.get("run_response"), "run_id", None)
    return run_id if isinstance(run_id, str) else None


@dataclass
class ScriptedModel(Model):
    """Offline agno model that follows one of ``SCRIPTS`` (see the module docstring)."""

    id: str = MODEL_ID
    name: str | None = "ScriptedModel"
    provider: str | None = MODEL_PROVIDER
    script: str = "chat"

    def _plan(self, kwargs: dict[str, Any]) -> Plan:
        plan = plan_for(self.script, list(kwargs.get("messages") or []))
        if plan.kind == "error":
            raise RuntimeError(FAIL_TEXT)
        return plan

    def _whole(self, plan: Plan) -> ModelResponse:
        if plan.kind == "tools":
            return ModelResponse(
                role="assistant", tool_calls=plan.tool_calls, response_usage=_usage(len(plan.tool_calls))
            )
        return ModelResponse(role="assistant", content=plan.text, response_usage=_usage(len(plan.chunks)))

    def _deltas(self, plan: Plan) -> list[ModelResponse]:
        if plan.kind == "tools":
            return [self._whole(plan)]
        return [
            ModelResponse(role="assistant", content=chunk, response_usage=_usage(1, with_input=i == 0))
            for i, chunk in enumerate(plan.chunks)
        ]

    @staticmethod
    def _delay(plan: Plan) -> float:
        return SLOW_DELAY if plan.kind == "slow" else CHUNK_DELAY

    def invoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        plan = self._plan(kwargs)
        if plan.kind == "slow":
            from agno.run.cancel import raise_if_cancelled

            run_id = _run_id(kwargs)
            for _ in plan.chunks:
                if run_id is not None:
                    raise_if_cancelled(run_id)
                time.sleep(SLOW_DELAY)
        return self._whole(plan)

    async def ainvoke(self, *args: Any, **kwargs: Any) -> ModelResponse:
        plan = self._plan(kwargs)
        if plan.kind == "slow":
            from agno.run.cancel import araise_if_cancelled

            run_id = _run_id(kwargs)
            for _ in plan.chunks:
                if run_id is not None:
                    await araise_if_cancelled(run_id)
                await asyncio.sleep(SLOW_DELAY)
        return self._whole(plan)

    def invoke_stream(self, *args: Any, **kwargs: Any) -> Iterator[ModelResponse]:
        plan = self._plan(kwargs)
        for i, delta in enumerate(self._deltas(plan)):
            if i > 0:
                time.sleep(self._delay(plan))
            yield delta

    async def ainvoke_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ModelResponse]:
        plan = self._plan(kwargs)
        for i, delta in enumerate(self._deltas(plan)):
            if i > 0:
                await asyncio.sleep(self._delay(plan))
            yield delta

    # There is no provider, so there is nothing to parse.
    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

"""A deterministic, offline agno model: each demo agent gets a fixed script instead of an LLM.

``ScriptedModel(script="chat")`` never talks to a network. It reads the last user message (and,
after a tool ran, the tool messages that follow it) and answers from its script:

=========  ===================================================================================
script     behaviour
=========  ===================================================================================
chat       streams markdown: a heading, the user's words, a fenced python block, a table,
           and "(turn N in this session)"; asked for "a long answer" (or a long reply, response,
           report, essay, text), several thousand words of markdown instead
tools      calls ``lookup(topic=...)`` with the topic named in the message, then answers with it
confirm    "delete <name>" -> ``delete_file(name)``; "list" -> ``list_files()``;
           "restore" -> ``restore_files()``; anything else -> a short help text
email      always calls ``send_email()``: the user fills in to / subject / urgent
shell      calls ``run_shell_command(command)`` (the command in backticks or after "run", else
           ``ls``), then summarises the output the notebook sent back
slow       streams "tick 0 " ... "tick 59 ", 0.1 s apart (cancellable)
failing    raises ``RuntimeError(FAIL_TEXT)``
memory     offered agno's ``add_memory`` (its memory manager), stores what the user said; offered
           ``search_knowledge_base``, searches for it and answers with what it found; else echoes
keywords   picks a behaviour from keywords in the message, for agentnb's own test AgentOS peer
           (``fail`` raises, ``slow`` ticks, ``markdown``, ``delete``, ``email``, ``weather`` ...;
           see ``agentnb.demo.plans``); give it ``id=plans.KEYWORDS_MODEL_ID`` (``scripted-v1``)
=========  ===================================================================================
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from agno.metrics import MessageMetrics
from agno.models.base import Model
from agno.models.message import Message
from agno.models.response import ModelResponse

from agentnb.demo.facts import find_topic
from agentnb.demo.plans import (
    KEYWORDS,
    LONG_ANSWER,
    Plan,
    keyword_plan,
    long_markdown,
    message_text,
    offered_tools,
    split_words,
    tool_call,
)

MODEL_ID = "scripted-demo"
MODEL_PROVIDER = "Offline"
SCRIPTS = ("chat", "tools", "confirm", "email", "shell", "slow", "failing", "memory", KEYWORDS)
FAIL_TEXT = "The Failing Agent failed on purpose (this is how an agent error looks in agentnb)."
SLOW_TICKS = 60
SLOW_DELAY = 0.1
# A short pause between streamed chunks so a notebook visibly streams; small enough to stay fast.
CHUNK_DELAY = 0.02
INPUT_TOKENS = 10
DEMO_WORDS_PER_CHUNK = 3  # words per streamed chunk of a text answer
LONG_LINES_PER_CHUNK = 4  # lines per streamed chunk of the chat agent's long answer


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
        content = message_text(m).strip()
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


def plan_for(script: str, messages: list[Message], tools: Any = None) -> Plan:
    """Decide what ``script`` does for ``messages`` (pure apart from fresh tool-call ids).

    ``tools`` (what agno offers the model) only matters to the ``keywords`` script.
    """
    if script == KEYWORDS:
        return keyword_plan(messages, tools)
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    last = users[-1] if users else -1
    user_text = message_text(messages[last]) if users else ""
    after = messages[last + 1 :]
    if after and after[-1].role == "tool":
        return Plan("text", split_words(_tool_reply(script, _tool_messages(after)), DEMO_WORDS_PER_CHUNK))
    low = user_text.lower()
    if script == "failing":
        return Plan("error")
    if script == "slow":
        return Plan("slow", [f"tick {i} " for i in range(SLOW_TICKS)])
    if script == "chat" and LONG_ANSWER.search(user_text):
        lines = long_markdown(user_text).splitlines(keepends=True)
        return Plan(
            "text",
            [
                "".join(lines[i : i + LONG_LINES_PER_CHUNK])
                for i in range(0, len(lines), LONG_LINES_PER_CHUNK)
            ],
        )
    if script == "chat":
        return Plan("text", chat_markdown(user_text, len(users)).splitlines(keepends=True))
    if script == "tools":
        return Plan("tools", tool_calls=[tool_call("lookup", {"topic": find_topic(user_text)})])
    if script == "confirm":
        if re.search(r"\b(delete|remove)\b", low):
            return Plan("tools", tool_calls=[tool_call("delete_file", {"name": _file_name(user_text)})])
        if re.search(r"\b(restore|reset)\b", low):
            return Plan("tools", tool_calls=[tool_call("restore_files", {})])
        if re.search(r"\b(list|ls|show|files?)\b", low):
            return Plan("tools", tool_calls=[tool_call("list_files", {})])
        help_text = 'I look after the files in my sandbox. Try "list", or "delete old.log" (I ask first).'
        return Plan("text", split_words(help_text, DEMO_WORDS_PER_CHUNK))
    if script == "email":
        return Plan("tools", tool_calls=[tool_call("send_email", {})])
    if script == "memory":
        return _memory_plan(user_text, tools)
    if script == "shell":
        return Plan(
            "tools", tool_calls=[tool_call("run_shell_command", {"command": _shell_command(user_text)})]
        )
    return Plan("text", split_words(f"You said: {user_text}", DEMO_WORDS_PER_CHUNK))


def _memory_plan(user_text: str, tools: Any) -> Plan:
    offered = offered_tools(tools)
    if "add_memory" in offered:
        liking = re.search(r"\b(like|love|prefer)s?\b", user_text, re.IGNORECASE)
        args = {"memory": user_text.strip(), "topics": ["preferences" if liking else "notes"]}
        return Plan("tools", tool_calls=[tool_call("add_memory", args)])
    if "search_knowledge_base" in offered:
        return Plan("tools", tool_calls=[tool_call("search_knowledge_base", {"query": user_text.strip()})])
    return Plan("text", split_words(f"Noted: {user_text}", DEMO_WORDS_PER_CHUNK))


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
        plan = plan_for(self.script, list(kwargs.get("messages") or []), kwargs.get("tools"))
        if plan.kind == "error":
            raise RuntimeError(plan.text or FAIL_TEXT)
        return plan

    def _whole(self, plan: Plan) -> ModelResponse:
        if plan.kind == "tools":
            return ModelResponse(
                role="assistant", tool_calls=plan.tool_calls, response_usage=_usage(len(plan.tool_calls))
            )
        # The keywords script counts a whole answer's words; the demo scripts count its chunks.
        tokens = len(plan.text.split()) if self.script == KEYWORDS else len(plan.chunks)
        return ModelResponse(role="assistant", content=plan.text, response_usage=_usage(tokens))

    def _deltas(self, plan: Plan) -> list[ModelResponse]:
        if plan.kind == "tools":
            return [self._whole(plan)]
        return [
            ModelResponse(role="assistant", content=chunk, response_usage=_usage(1, with_input=i == 0))
            for i, chunk in enumerate(plan.chunks)
        ]

    def _delay(self, plan: Plan) -> float:
        if plan.kind == "slow":
            return SLOW_DELAY
        return 0.0 if self.script == KEYWORDS else CHUNK_DELAY  # keywords streams without pauses

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
        delay = self._delay(plan)
        for i, delta in enumerate(self._deltas(plan)):
            if i > 0 and delay:
                time.sleep(delay)
            yield delta

    async def ainvoke_stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ModelResponse]:
        plan = self._plan(kwargs)
        delay = self._delay(plan)
        for i, delta in enumerate(self._deltas(plan)):
            if i > 0 and delay:
                await asyncio.sleep(delay)
            yield delta

    # There is no provider, so there is nothing to parse.
    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return response if isinstance(response, ModelResponse) else ModelResponse()

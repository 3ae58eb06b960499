"""What the scripted model does for one call (a ``Plan``), its helpers, and the ``keywords`` script.

The demo's own scripts live in ``agentnb.demo.scripted``. The ``keywords`` script here is the
one agentnb's test AgentOS peer runs (``tests/peers/agentos_server.py``): it looks at the LAST
user message and picks a behaviour from keywords (case-insensitive, first match wins):

==========================  ==========================================================
keyword                     behaviour
==========================  ==========================================================
``fail`` / ``explode``      raises ``RuntimeError("ScriptedModel exploded on purpose")``
``slow``                    streams ``"tick0 "`` ... ``"tick39 "`` with 0.1 s between chunks
``markdown``                streams a markdown answer (heading, fenced python, table)
``delete two``/``two files`` two ``delete_file`` calls in one response  (needs the tool)
``delete``                  ``delete_file(path="/tmp/important.txt")``  (needs the tool)
``email``                   ``send_email(subject="Hello", body="Hi from agno")``  (needs the tool)
``shell`` / ``run``         ``run_shell_command(command="ls")``  (needs the tool)
``weather``                 ``get_weather(city="Berlin")``  (needs the tool)
``publish``                 ``publish_report(title="Weekly report")``  (a team's own tool)
``delete``/``weather``      a team leader delegates to its member ``janitor``/``researcher``
                            (``delegate_task_to_member``, the task being the user's text)
anything else               ``"Hello! You said: <text>. This is a deterministic streamed answer."``
==========================  ==========================================================

Tool behaviours only fire when the agent actually offers the tool; otherwise the next rule is
tried (so ``"run"`` sent to an agent without ``run_shell_command`` gets the default answer).

When the messages after the last user message end with tool results, the script answers them:
``"Tool said: <result 1> | <result 2>. Done."`` with each tool message's content verbatim; a
failed or rejected call (``tool_call_error``) reads ``"<tool_name> error: <content>"``, e.g.
``"Tool said: delete_file error: Function call was rejected by the user. Done."``.

Text is streamed two words per chunk (``"Hello! You "``, ``"said: Hi "`` ...) with no pause;
markdown one line per chunk. Usage: ``input_tokens=10`` per model call; output tokens are one
per streamed chunk, or the word count for a non-streamed call. The model id is ``scripted-v1``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from agno.models.message import Message

KEYWORDS = "keywords"
KEYWORDS_MODEL_ID = "scripted-v1"
ERROR_TEXT = "ScriptedModel exploded on purpose"
KEYWORD_SLOW_TICKS = 40

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


@dataclass
class Plan:
    """What the model does for one call: stream text, call tools, fail, or tick slowly.

    An ``error`` plan's text, when it has one, is the message the model raises.
    """

    kind: str  # "text" | "tools" | "error" | "slow"
    chunks: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def tool_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI-style function call with a fresh id."""
    return {
        "id": f"call_{uuid4().hex[:12]}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


def split_words(text: str, per_chunk: int) -> list[str]:
    """Split ``text`` into chunks of ``per_chunk`` words, keeping the whitespace."""
    words = re.findall(r"\s*\S+\s*", text) or [text]
    return ["".join(words[i : i + per_chunk]) for i in range(0, len(words), per_chunk)]


def message_text(m: Any) -> str:
    """A message's content as text ("" when it has none)."""
    return m.get_content_string() if isinstance(m, Message) else str(getattr(m, "content", "") or "")


def default_answer(user_text: str) -> str:
    """The ``keywords`` script's answer when no keyword matches."""
    return f"Hello! You said: {user_text}. This is a deterministic streamed answer."


def tool_answer(results: list[str]) -> str:
    """The ``keywords`` script's answer once tool results ``results`` came back."""
    joined = " | ".join(r.strip() for r in results)
    return f"Tool said: {joined.rstrip('.')}. Done."


def offered_tools(tools: Any) -> set[str]:
    """The names of the tools agno offers the model (dicts or Function-like objects)."""
    names: set[str] = set()
    for t in tools or []:
        if isinstance(t, dict):
            fn = t.get("function")
            name = fn.get("name") if isinstance(fn, dict) else t.get("name")
        else:
            name = getattr(t, "name", None)
        if isinstance(name, str):
            names.add(name)
    return names


def _role(m: Any) -> str:
    return str(getattr(m, "role", "") or "")


def keyword_plan(messages: list[Message], tools: Any = None) -> Plan:
    """The ``keywords`` script's plan for ``messages`` (pure apart from fresh call ids)."""
    users = [i for i, m in enumerate(messages) if _role(m) == "user"]
    last = users[-1] if users else -1
    user_text = message_text(messages[last]) if users else ""
    after = messages[last + 1 :]
    if after and _role(after[-1]) == "tool":
        trailing: list[str] = []
        for m in reversed(after):
            if _role(m) != "tool":
                break
            text = message_text(m)
            if getattr(m, "tool_call_error", None):  # rejected confirmations and failed tools
                text = f"{getattr(m, 'tool_name', None) or 'tool'} error: {text}"
            trailing.append(text)
        return Plan("text", split_words(tool_answer(trailing[::-1]), 2))

    low = user_text.lower()
    offered = offered_tools(tools)
    if re.search(r"\b(fail|explode)", low):
        return Plan("error", [ERROR_TEXT])
    if "slow" in low:
        return Plan("slow", [f"tick{i} " for i in range(KEYWORD_SLOW_TICKS)])
    if "markdown" in low:
        return Plan("text", MARKDOWN_TEXT.splitlines(keepends=True))
    if "delete_file" in offered and ("delete two" in low or "two files" in low):
        paths = ("/tmp/important.txt", "/tmp/other.txt")
        return Plan("tools", tool_calls=[tool_call("delete_file", {"path": p}) for p in paths])
    if "delete_file" in offered and "delete" in low:
        return Plan("tools", tool_calls=[tool_call("delete_file", {"path": "/tmp/important.txt"})])
    team = team_plan(user_text, offered)
    if team is not None:
        return team
    if "send_email" in offered and "email" in low:
        args = {"subject": "Hello", "body": "Hi from agno"}
        return Plan("tools", tool_calls=[tool_call("send_email", args)])
    if "run_shell_command" in offered and re.search(r"\b(shell|run)\b", low):
        return Plan("tools", tool_calls=[tool_call("run_shell_command", {"command": "ls"})])
    if "get_weather" in offered and "weather" in low:
        return Plan("tools", tool_calls=[tool_call("get_weather", {"city": "Berlin"})])
    return Plan("text", split_words(default_answer(user_text), 2))


#: Which member a scripted team leader hands a task to, by keyword (first match wins).
TEAM_MEMBERS = (("delete", "janitor"), ("weather", "researcher"))


def team_plan(user_text: str, offered: set[str]) -> Plan | None:
    """A team leader's plan: its own ``publish_report`` tool, or a delegation by keyword."""
    low = user_text.lower()
    if "publish_report" in offered and "publish" in low:
        return Plan("tools", tool_calls=[tool_call("publish_report", {"title": "Weekly report"})])
    if "delegate_task_to_member" in offered:
        for word, member in TEAM_MEMBERS:
            if word in low:
                args = {"member_id": member, "task": user_text}
                return Plan("tools", tool_calls=[tool_call("delegate_task_to_member", args)])
    return None


LONG_ANSWER = re.compile(r"\b(long|longer|lengthy)\s+(answer|reply|response|report|essay|text)\b", re.I)
_LONG_TOPICS = (
    ("Streaming", "streams tokens as they arrive", "stream"),
    ("Tools", "calls a tool and waits for its result", "lookup"),
    ("Approvals", "pauses until a person approves a call", "approve"),
    ("Forms", "asks the user to fill in a few fields", "form"),
    ("Sessions", "keeps the history of one conversation", "session"),
    ("Errors", "reports a failure without hiding it", "error"),
    ("Cancellation", "stops a run that takes too long", "cancel"),
    ("Tables", "renders rows and columns as a grid", "table"),
)
_LONG_SENTENCES = (
    "In a notebook the {name} part of an agent {what}, and the cell shows each step as it happens.",
    "The scripted demo agent answers the same way every time, so you can rerun this cell and compare.",
    "Nothing here needs a network connection or an API key; every word comes from a fixed template.",
    "Scroll through the output to check that long answers keep their headings, lists and code intact.",
    "A real model would write different words, but the markdown it produces has the same building blocks.",
    "When the answer is long, the chat pane should stay responsive while the text keeps streaming in.",
)


def long_markdown(user_text: str, paragraphs: int = 6) -> str:
    """A deterministic, several-thousand-word markdown answer: headings, lists, code and tables."""
    said = " ".join(user_text.split()) or "(nothing)"
    out = [
        "# A long answer",
        "",
        f"You asked: *{said}*. Here is a long, deterministic answer in {len(_LONG_TOPICS)} sections.",
        "",
        "## Contents",
        "",
        *[f"{i}. [{name}](#{i}-{name.lower()})" for i, (name, _, _) in enumerate(_LONG_TOPICS, 1)],
        "",
    ]
    for i, (name, what, word) in enumerate(_LONG_TOPICS, 1):
        out += [f"## {i}. {name}", ""]
        for p in range(paragraphs):
            sentences = [_LONG_SENTENCES[(p + k) % len(_LONG_SENTENCES)] for k in range(4)]
            out += [
                f"**{name}, part {p + 1}.** "
                + " ".join(s.format(name=name.lower(), what=what) for s in sentences),
                "",
            ]
        out += [
            f"### Key points about {name.lower()}",
            "",
            f"- the agent {what}",
            f"- the notebook shows the `{word}` step as soon as it happens",
            "- the answer is the same on every run, so tests can check it",
            "  - nested item: no network, no key",
            "  - nested item: plain markdown",
            "",
            "```python",
            f"def {word}_example(items: list[str]) -> dict[str, int]:",
            f'    """Count the words of each item ({name.lower()} example)."""',
            "    return {item: len(item.split()) for item in items}",
            "",
            f'print({word}_example(["one two", "three"]))',
            "```",
            "",
            "| step | what happens | words |",
            "|------|--------------|-------|",
            *[f"| {s} | the {name.lower()} step {s} of {word} | {s * 10 + i} |" for s in range(1, 5)],
            "",
            f"> {name}: {what}.",
            "",
        ]
    out += ["## Summary", "", f"That was a long answer about {len(_LONG_TOPICS)} topics.", ""]
    return "\n".join(out)

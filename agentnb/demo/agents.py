"""The demo's agents and their tools: chat, tools, confirm, email, shell, slow, failing."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("AGNO_TELEMETRY", "false")  # offline: never try to send telemetry

from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.models.base import Model
from agno.tools import tool
from agno.tools.function import Function

from agentnb.demo.facts import lookup_fact
from agentnb.demo.media_agents import build_media_agents
from agentnb.demo.paths import DemoPaths
from agentnb.demo.scripted import ScriptedModel

# (id, name, description, instructions) of every agent, in the order GET /agents lists them.
AGENT_SPECS: list[tuple[str, str, str, str]] = [
    ("chat", "Chat Agent", "Chats in markdown (headings, code, tables).", "Answer in rich markdown."),
    (
        "tools",
        "Tools Agent",
        "Looks facts up with its lookup tool.",
        "Use the lookup tool for every question, then answer with what it returned.",
    ),
    (
        "confirm",
        "File Agent",
        "Lists and deletes files in its sandbox folder; deleting asks for your approval.",
        "Manage the sandbox files with your tools. To delete, call delete_file with the file name.",
    ),
    (
        "email",
        "Email Agent",
        "Sends an email after you fill in a form (to, subject, urgent).",
        "To send an email, call send_email; the user fills in its fields.",
    ),
    (
        "shell",
        "Shell Agent",
        "Asks the notebook to run a shell command, then summarises the output.",
        "Use run_shell_command to run the command the user asks for (default: ls), then summarise.",
    ),
    ("slow", "Slow Agent", "Streams slowly for a minute, so you can press Stop.", "Count slowly."),
    ("failing", "Failing Agent", "Always fails, to show how errors look.", "Fail."),
]
AGENT_IDS = [spec[0] for spec in AGENT_SPECS]
# These two show Stop and errors; a real model would not reliably be slow or fail, so they stay scripted.
ALWAYS_SCRIPTED = ("slow", "failing")


def _inside(sandbox: Path, name: str) -> Path | None:
    root = sandbox.resolve()
    target = (root / name).resolve()
    return target if target != root and target.is_relative_to(root) else None


def file_tools(paths: DemoPaths) -> list[Function]:
    """``list_files``, ``delete_file`` (asks for confirmation) and ``restore_files``, on the sandbox."""

    @tool
    def list_files() -> str:
        """List the files in the sandbox folder."""
        names = sorted(p.name for p in paths.sandbox.iterdir() if p.is_file())
        return "Files in the sandbox: " + (", ".join(names) if names else "(none)") + "."

    @tool(requires_confirmation=True)
    def delete_file(name: str) -> str:
        """Delete one file from the sandbox folder.

        Args:
            name: the file's name inside the sandbox, e.g. old.log
        """
        target = _inside(paths.sandbox, name)
        if target is None:
            return f"Refused: {name!r} is outside the sandbox."
        if not target.is_file():
            return f"There is no file named {name!r} in the sandbox."
        target.unlink()
        return f"Deleted {name} from the sandbox."

    @tool
    def restore_files() -> str:
        """Put the sandbox's original files back."""
        restored = paths.seed_sandbox()
        return "Restored: " + (", ".join(restored) if restored else "nothing was missing") + "."

    return [list_files, delete_file, restore_files]


def email_tool(paths: DemoPaths) -> Function:
    """``send_email``: every field comes from the user's form; "sending" appends to the outbox."""

    @tool(requires_user_input=True, user_input_fields=["to", "subject", "urgent"])
    def send_email(to: str, subject: str, urgent: bool) -> str:
        """Send an email.

        Args:
            to: the recipient's address
            subject: the subject line
            urgent: mark the email as urgent
        """
        record = {"to": to, "subject": subject, "urgent": bool(urgent), "sent_at": time.time()}
        with paths.outbox.open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps(record) + "\n")
        flag = "an urgent" if urgent else "an"
        return f"Sent {flag} email to {to} with the subject {subject!r}."

    return send_email


@tool
def lookup(topic: str) -> str:
    """Look up a fact about a topic (a country's capital, python, jupyter, agno, a2a, ...).

    Args:
        topic: what to look up, e.g. France
    """
    return lookup_fact(topic)


@tool(external_execution=True)
def run_shell_command(command: str) -> str:
    """Run a shell command. The notebook runs it and sends the output back.

    Args:
        command: the command line, e.g. ls
    """
    return f"(the server never runs {command!r}: the notebook does)"


def _tools_for(agent_id: str, paths: DemoPaths) -> list[Function]:
    if agent_id == "tools":
        return [lookup]
    if agent_id == "confirm":
        return file_tools(paths)
    if agent_id == "email":
        return [email_tool(paths)]
    if agent_id == "shell":
        return [run_shell_command]
    return []


def build_agents(
    paths: DemoPaths, db: SqliteDb, real_model: Callable[[], Model] | None = None
) -> list[Agent]:
    """The seven demo agents; ``real_model`` (a factory) replaces the script where it makes sense."""
    agents = []
    for agent_id, name, description, instructions in AGENT_SPECS:
        model: Any
        if real_model is not None and agent_id not in ALWAYS_SCRIPTED:
            model = real_model()
        else:
            model = ScriptedModel(script=agent_id)
        agents.append(
            Agent(
                id=agent_id,
                name=name,
                description=description,
                instructions=instructions,
                model=model,
                tools=_tools_for(agent_id, paths),
                db=db,
                add_history_to_context=agent_id not in ALWAYS_SCRIPTED,
                num_history_runs=5,
                telemetry=False,
                markdown=agent_id == "chat",
            )
        )
    return agents + build_media_agents(db)

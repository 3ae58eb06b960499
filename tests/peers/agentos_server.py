"""A real agno AgentOS on a scripted offline model, for agentnb's tests.

Usage::

    python tests/peers/agentos_server.py --port 7777 [--host 127.0.0.1] [--db FILE]
                                         [--security-key KEY] [--a2a]

Agents (all on the demo's ``ScriptedModel`` with its ``keywords`` script, model id ``scripted-v1``;
see ``agentnb/demo/plans.py`` for the keywords):

* ``assistant``      - tool ``get_weather``; default / weather / slow / fail / markdown
* ``confirm-agent``  - tool ``delete_file`` (``requires_confirmation=True``)
* ``input-agent``    - tool ``send_email`` (user input required for ``to``)
* ``external-agent`` - tool ``run_shell_command`` (``external_execution=True``)
* ``attachments`` / ``picture`` - the demo's media agents (``agentnb/demo/media_agents.py``)

Teams and workflows (``ops-team``, ``cleanup-workflow``, ``publish-workflow``): see
``tests/peers/agentos_teams.py``.
* ``memory-agent`` / ``knowledge-agent`` - agno memory and a LanceDB knowledge base with tracing
  on (``agentos_knowledge.py``, built from ``agentnb/demo/knowledge.py``)

Readiness: ``GET /health`` answers 200 once uvicorn is up.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

# Offline: never try to send telemetry (agent/_init.py reads AGNO_TELEMETRY).
os.environ.setdefault("AGNO_TELEMETRY", "false")

from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.os import AgentOS
from agno.os.settings import AgnoAPISettings
from agno.tools import tool
from agno.tools.function import Function
from fastapi import FastAPI

from agentnb.demo.media_agents import build_media_agents
from agentnb.demo.plans import KEYWORDS, KEYWORDS_MODEL_ID
from agentnb.demo.scripted import ScriptedModel

try:  # run as a script (python tests/peers/agentos_server.py) or imported as tests.peers...
    from agentos_teams import extra_components  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from tests.peers.agentos_teams import extra_components
try:  # run as a script: this folder is on sys.path
    from agentos_knowledge import extra_agents, os_options
except ImportError:  # imported as tests.peers.agentos_server
    from tests.peers.agentos_knowledge import extra_agents, os_options

WEATHER_RESULT = "It is 21C and sunny in Berlin."


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    if city.strip().lower() == "berlin":
        return WEATHER_RESULT
    return f"It is 15C and cloudy in {city}."


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file (needs the user's confirmation)."""
    return f"Deleted {path}."


@tool(requires_user_input=True, user_input_fields=["to"])
def send_email(to: str, subject: str, body: str) -> str:
    """Send an email; the recipient is asked from the user."""
    return f"Email '{subject}' sent to {to}."


@tool(external_execution=True)
def run_shell_command(command: str) -> str:
    """Run a shell command (executed by the client, never by the server)."""
    return f"(server-side execution of {command!r} should not happen)"


# (id, name, description, role, tool) for every agent the peer serves.
AGENT_SPECS: list[tuple[str, str, str, str, Function]] = [
    (
        "assistant",
        "Assistant",
        "A helpful scripted assistant that can look up the weather.",
        "General assistant",
        get_weather,
    ),
    (
        "confirm-agent",
        "Confirm Agent",
        "Deletes files, but only after the user confirms.",
        "File janitor (confirmation required)",
        delete_file,
    ),
    (
        "input-agent",
        "Input Agent",
        "Sends emails; asks the user for the recipient.",
        "Mailer (user input required)",
        send_email,
    ),
    (
        "external-agent",
        "External Agent",
        "Asks the client to run shell commands for it.",
        "Shell operator (external execution)",
        run_shell_command,
    ),
]


def build_agents(db: SqliteDb) -> list[Agent]:
    return [
        Agent(
            id=agent_id,
            name=name,
            description=description,
            role=role,
            model=ScriptedModel(id=KEYWORDS_MODEL_ID, script=KEYWORDS),
            tools=[fn],
            db=db,
            telemetry=False,
            markdown=False,
        )
        for agent_id, name, description, role, fn in AGENT_SPECS
    ]


def build_app(db_file: str, *, security_key: str | None = None, a2a: bool = False) -> FastAPI:
    db = SqliteDb(db_file=db_file)
    settings = AgnoAPISettings(os_security_key=security_key) if security_key else None
    agent_os = AgentOS(
        id="agentnb-test-os",
        name="agentnb test AgentOS",
        description="Offline AgentOS with scripted agents for agentnb tests",
        db=db,
        agents=[*build_agents(db), *build_media_agents(db), *extra_agents(db, Path(db_file).parent)],
        **extra_components(db, get_weather, delete_file),
        a2a_interface=a2a,
        settings=settings,
        telemetry=False,
        **os_options(),
    )
    return agent_os.get_app()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", default=None, help="SQLite file (default: ./agentos-test.db)")
    parser.add_argument("--security-key", default=None, help="require 'Authorization: Bearer KEY'")
    parser.add_argument("--a2a", action="store_true", help="also serve the A2A interface under /a2a")
    args = parser.parse_args(argv)

    if args.security_key is None:
        # An inherited OS_SECURITY_KEY would silently turn auth on: only --security-key does.
        os.environ.pop("OS_SECURITY_KEY", None)

    db_file = args.db or str(Path.cwd() / "agentos-test.db")
    app = build_app(db_file, security_key=args.security_key, a2a=args.a2a)

    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()

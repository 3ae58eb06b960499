"""The keyword arguments of ``arun``/``run``, written once (agno's names and meanings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import TypedDict

__all__ = ["AGENTOS_ONLY", "RunArgs", "refuse_unknown"]


class RunArgs(TypedDict, total=False):
    """What ``arun`` takes besides the input and ``stream``."""

    user_id: str | None
    session_id: str | None
    session_state: dict[str, Any] | None
    images: Sequence[Any] | None
    audio: Sequence[Any] | None
    videos: Sequence[Any] | None
    files: Sequence[Any] | None
    stream_events: bool | None
    #: AgentOS's own server-side retry of the run (client-side retries are ``max_retries=``).
    retries: int | None
    knowledge_filters: dict[str, Any] | list[Any] | None
    add_history_to_context: bool | None
    add_dependencies_to_context: bool | None
    add_session_state_to_context: bool | None
    dependencies: dict[str, Any] | None
    metadata: dict[str, Any] | None
    #: Extra data handed to the run (agno's RemoteWorkflow.arun names it; AgentOS passes unknown
    #: form fields on to the agent, team or workflow).
    additional_data: dict[str, Any] | None
    #: A bearer token for this call only (the agent's ``auth_token`` otherwise).
    auth_token: str | None
    #: The run's id, chosen up front so a non-streamed run can be cancelled from elsewhere.
    run_id: str | None
    #: Keep every streamed event on ``output.events``.
    keep_events: bool


#: Arguments only AgentOS understands: refused over A2A rather than silently dropped.
AGENTOS_ONLY = (
    "session_state",
    "stream_events",
    "retries",
    "knowledge_filters",
    "add_history_to_context",
    "add_dependencies_to_context",
    "add_session_state_to_context",
    "dependencies",
    "run_id",
    "additional_data",
)


def refuse_unknown(method: str, kwargs: Mapping[str, Any]) -> None:
    """A TypeError like Python's own for a keyword ``arun`` does not take."""
    unknown = sorted(set(kwargs) - set(RunArgs.__annotations__))
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")

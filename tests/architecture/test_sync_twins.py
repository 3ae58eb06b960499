"""Every public coroutine method has a sync twin with the same signature (DESIGN.md, "Layers").

agno's names rule where agno has one (``arun``/``run``, ``aget_agent_card``/``get_agent_card``,
``send_message``/``send``); otherwise ``aname`` is async and ``name`` is sync.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from agentnb import (
    A2AClient,
    AgentOS,
    AgentOSClient,
    RemoteAgent,
    RemoteDb,
    RemoteKnowledge,
    RemoteTeam,
    RemoteWorkflow,
)

#: Twins whose names come from agno (or keep a name users already rely on) instead of the a-rule.
NAMED_TWINS = {
    (RemoteAgent, "cancel_run"): "cancel",  # agno's async cancel_run; its sync twin was always cancel()
    (RemoteAgent, "acancel_run"): "cancel",
    (RemoteAgent, "get_agent_config"): "agent_config",  # agno's async name
    (RemoteAgent, "refresh_config"): "reload_config",  # agno's async name
    (A2AClient, "send_message"): "send",  # agno's async name
    **{(cls, "cancel_run"): "cancel" for cls in (RemoteTeam, RemoteWorkflow)},
    **{(cls, "acancel_run"): "cancel" for cls in (RemoteTeam, RemoteWorkflow)},
    **{(cls, "get_agent_config"): "agent_config" for cls in (RemoteTeam, RemoteWorkflow)},
    **{(cls, "refresh_config"): "reload_config" for cls in (RemoteTeam, RemoteWorkflow)},
    (RemoteTeam, "get_team_config"): "team_config",  # agno's async name
    (RemoteWorkflow, "get_workflow_config"): "workflow_config",  # agno's async name
}
#: Classes whose coroutine methods all carry agno's (async) names: each sync twin is ``<name>_sync``.
SUFFIX_TWINS = (RemoteDb, RemoteKnowledge)
#: Methods that return a coroutine or a stream, so they are not coroutine functions themselves.
DUAL = {
    (cls, name): name[1:]
    for cls in (RemoteAgent, RemoteTeam, RemoteWorkflow)
    for name in ("arun", "acontinue_run")
}


def public_coroutine_methods(cls: type) -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_")
        and inspect.iscoroutinefunction(member)
        and getattr(member, "__sync_twin_of__", None) is None
    )


def twin_name(cls: type, name: str) -> str:
    if (cls, name) in NAMED_TWINS:
        return NAMED_TWINS[(cls, name)]
    if cls in SUFFIX_TWINS:
        return f"{name}_sync"
    assert name.startswith("a"), f"{cls.__name__}.{name}: async but neither a-named nor agno's name"
    return name[1:]


def parameters(fn: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    sig = inspect.signature(inspect.unwrap(fn))
    return [(p.name, p.kind, p.default) for p in sig.parameters.values()]


CASES = [
    pytest.param(cls, name, id=f"{cls.__name__}.{name}")
    for cls in (
        RemoteAgent,
        RemoteTeam,
        RemoteWorkflow,
        AgentOS,
        A2AClient,
        AgentOSClient,
        RemoteDb,
        RemoteKnowledge,
    )
    for name in public_coroutine_methods(cls)
]


@pytest.mark.parametrize(("cls", "name"), CASES)
def test_every_coroutine_method_has_a_sync_twin(cls: type, name: str) -> None:
    twin = getattr(cls, twin_name(cls, name), None)
    assert twin is not None, f"{cls.__name__}.{name} has no sync twin {twin_name(cls, name)!r}"
    assert not inspect.iscoroutinefunction(twin), f"{cls.__name__}.{twin.__name__} is async too"
    original = getattr(cls, name)
    assert getattr(twin, "__sync_twin_of__", None) in (name, original.__name__)
    assert parameters(twin) == parameters(original)


@pytest.mark.parametrize(("key", "sync_name"), DUAL.items(), ids=[f"{c.__name__}.{n}" for c, n in DUAL])
def test_stream_or_coroutine_methods_have_twins_with_the_same_parameters(
    key: tuple[type, str], sync_name: str
) -> None:
    cls, name = key
    assert parameters(getattr(cls, sync_name)) == parameters(getattr(cls, name))


def test_the_enumeration_finds_the_methods_it_should() -> None:
    # A check that cannot fail is worthless: the enumeration must see the known coroutine methods.
    assert {"get_agent_config", "cancel_run", "aget_tools", "alist_sessions"} <= set(
        public_coroutine_methods(RemoteAgent)
    )
    assert {"cancel_run", "aget_run", "alist_sessions", "aget_os_config"} <= set(
        public_coroutine_methods(RemoteTeam)
    )
    assert {"alist_teams", "alist_workflows", "aget_os_config"} <= set(public_coroutine_methods(AgentOS))
    assert {"send_message", "aget_agent_card", "aget_task", "alist_tasks"} <= set(
        public_coroutine_methods(A2AClient)
    )
    assert {"alist_agents", "acreate_run", "aget_session"} <= set(public_coroutine_methods(AgentOSClient))
    assert {"alist_memories", "asearch_knowledge", "aget_trace", "arun_eval", "aget_metrics"} <= set(
        public_coroutine_methods(AgentOSClient)
    )
    assert {"get_memories", "get_trace", "create_eval_run", "migrate_database"} <= set(
        public_coroutine_methods(RemoteDb)
    )
    assert {"search_knowledge", "upload_content", "wait_until_processed"} <= set(
        public_coroutine_methods(RemoteKnowledge)
    )


def test_a_generated_twin_really_runs_the_coroutine() -> None:
    class Thing:
        async def aanswer(self, x: int, *, y: int = 1) -> int:
            return x + y

        from agentnb import _sync

        answer = _sync.twin(aanswer)

    assert Thing().answer(2, y=3) == 5
    assert parameters(Thing.answer) == parameters(Thing.aanswer)

"""Every public method of agno's AgentOSClient, RemoteAgent, RemoteTeam, RemoteWorkflow, RemoteDb and
RemoteKnowledge, compared with agentnb's by ``inspect.signature``: it exists, it is a coroutine where
agno's is, and it takes each of agno's parameters under agno's name with agno's default.

What differs on purpose is listed below with its reason; a new agno method or parameter fails the
test until it is either added to agentnb or listed here.

House rules that hold everywhere (not listed per method):
- ``headers=`` is agentnb's ``auth_token=`` (DESIGN.md: auth says which header was sent, never its
  value; a per-call headers dict would put the token where a repr or log can reach it).
- Parameters after a method's leading identifiers are keyword-only in agentnb (one reading of a call
  whatever the order agno's releases put them in: agno 3.1.10 moved ``user_id`` after ``headers``).
  The leading positional parameters keep agno's order.
- agno's async ``AgentOSClient.x`` is agentnb's ``ax`` (with the sync twin ``x``); agno's own
  ``ax``/``x`` pairs keep their names.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from agno.agent.remote import RemoteAgent as AgnoRemoteAgent
from agno.client.os import AgentOSClient as AgnoAgentOSClient
from agno.remote.base import RemoteDb as AgnoRemoteDb
from agno.remote.base import RemoteKnowledge as AgnoRemoteKnowledge
from agno.team.remote import RemoteTeam as AgnoRemoteTeam
from agno.workflow.remote import RemoteWorkflow as AgnoRemoteWorkflow

from agentnb import RemoteAgent, RemoteTeam, RemoteWorkflow
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentRoutes
from agentnb.remote._run_args import RunArgs
from agentnb.remote.db import RemoteDb
from agentnb.remote.knowledge import RemoteKnowledge

ALWAYS_RENAMED = {"headers": "auth_token"}

# -- AgentOSClient ---------------------------------------------------------------------------------

#: agno's run methods take a message and loose kwargs that become form fields; agentnb's take the
#: form its facade validated (agentos/forms.py) and return a RunStream for the streamed variant.
#: Teams and workflows run on ComponentRoutes(client, "teams" | "workflows"), checked below.
CLIENT_RENAMED = {
    "run_agent": "acreate_run",
    "run_agent_stream": "stream_run",
    "continue_agent_run": "acontinue_run",
    "continue_agent_run_stream": "stream_continue_run",
    "cancel_agent_run": "acancel_run",
    "get_sessions": "alist_sessions",
}
COMPONENT_RUN_METHODS = {
    "run_{k}": "acreate_run",
    "run_{k}_stream": "stream_run",
    "continue_{k}_run": "acontinue_run",
    "continue_{k}_run_stream": "stream_continue_run",
    "cancel_{k}_run": "acancel_run",
}
#: The run routes' parameters are a form, not keywords (see above): their names are not compared.
CLIENT_FORM_METHODS = set(CLIENT_RENAMED) - {"get_sessions"} | {
    pattern.format(k=kind) for pattern in COMPONENT_RUN_METHODS for kind in ("team", "workflow")
}

#: (method, parameter): agentnb's default differs from agno's, and why.
CLIENT_DEFAULTS = {
    # agno sends no ``type`` and AgentOS reads "agent"; agentnb sends "agent": the same request.
    ("get_sessions", "session_type"): "agent",
    ("get_session", "session_type"): "agent",
    ("get_session_runs", "session_type"): "agent",
    ("rename_session", "session_type"): "agent",
    ("delete_sessions", "session_types"): None,  # agno requires it; None means "agent" for each
    # agno's group_by default is its enum TraceSearchGroupBy.RUN, whose value is "run".
    ("search_traces", "group_by"): "run",
}


def agno_methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: fn
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and fn.__qualname__.split(".")[0] in {c.__name__ for c in cls.__mro__}
    }


def params(fn: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    return {n: p for n, p in inspect.signature(inspect.unwrap(fn)).parameters.items() if n != "self"}


def default(p: inspect.Parameter) -> Any:
    value = p.default
    return value.value if isinstance(value, enum.Enum) else value


def is_async(fn: Callable[..., Any]) -> bool:
    # Not unwrapped: a sync twin wraps (functools.wraps) the coroutine function it runs.
    return inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)


def client_counterpart(name: str, fn: Callable[..., Any]) -> str:
    if name in CLIENT_RENAMED:
        return CLIENT_RENAMED[name]
    agno_has_pair = name.startswith("a") and hasattr(AgnoAgentOSClient, name[1:])
    return "a" + name if is_async(fn) and not agno_has_pair else name


def positional(ps: dict[str, inspect.Parameter]) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [n for n, p in ps.items() if p.kind in kinds]


def missing_parameters(
    method: str,
    theirs: dict[str, inspect.Parameter],
    ours: dict[str, inspect.Parameter],
    defaults: dict[Any, Any],
) -> list[str]:
    """agno's parameters agentnb lacks or defaults differently (``**kwargs`` on our side takes any)."""
    short = method.rsplit(".", 1)[-1]
    problems = []
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in ours.values())
    for name, p in theirs.items():
        if p.kind in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL):
            continue
        name = ALWAYS_RENAMED.get(name, name)
        if name not in ours:
            if not takes_any:
                problems.append(f"{method}: no parameter {name!r}")
            continue
        if p.default is inspect.Parameter.empty and (short, name) not in defaults:
            if ours[name].default is not inspect.Parameter.empty and name != "auth_token":
                problems.append(f"{method}: {name!r} is required in agno")
            continue
        want = defaults.get((short, name), default(p))
        if name != "auth_token" and default(ours[name]) != want:
            problems.append(f"{method}: {name!r} defaults to {default(ours[name])!r}, agno's {want!r}")
    # The positional parameters both sides have keep agno's order (a positional call means the same).
    mine, agnos = positional(ours), [ALWAYS_RENAMED.get(n, n) for n in positional(theirs)]
    if any(a != b for a, b in zip(mine, agnos, strict=False)):
        problems.append(f"{method}: positional order {mine} differs from agno's {agnos}")
    return problems


AGNO_CLIENT = agno_methods(AgnoAgentOSClient)


def test_agno_client_enumeration_is_not_empty() -> None:
    # Guards the enumeration itself: an empty list would make the tests below vacuous.
    assert len(AGNO_CLIENT) >= 60 and {"list_memories", "run_agent_stream", "get_config"} <= set(AGNO_CLIENT)


@pytest.mark.parametrize("name", sorted(AGNO_CLIENT))
def test_every_agno_client_method_has_its_counterpart(name: str) -> None:
    fn = AGNO_CLIENT[name]
    kind = "team" if "team" in name else "workflow" if "workflow" in name else None
    component_pattern = name.replace(kind, "{k}") if kind else name
    if component_pattern in COMPONENT_RUN_METHODS:
        ours = getattr(ComponentRoutes, COMPONENT_RUN_METHODS[component_pattern])
    else:
        ours_name = client_counterpart(name, fn)
        assert hasattr(AgentOSClient, ours_name), f"AgentOSClient lacks {ours_name} (agno's {name})"
        ours = getattr(AgentOSClient, ours_name)
        # The agno-named twin of an async method is sync; the a-named one is async, as agno's.
        assert is_async(ours) == ours_name.startswith("a") or ours_name.startswith("stream_"), ours_name
        if not is_async(fn) and name == ours_name:
            assert not is_async(ours), f"agno's {name} is sync; ours must be too"
    if name in CLIENT_FORM_METHODS:
        return
    problems = missing_parameters(name, params(fn), params(ours), CLIENT_DEFAULTS)
    assert not problems, problems


# -- RemoteAgent, RemoteTeam, RemoteWorkflow -------------------------------------------------------

#: agno methods with no counterpart, and why.
FACADE_NOT_PORTED = {
    # Publishes the component as a tool of agno's own AgentOS MCP server (agno.tools.component);
    # agentnb is a client and does not plug into agno's server (docs/porting-from-agno.md).
    "as_tool",
}

#: (method, parameter): differs on purpose.
FACADE_DEFAULTS = {
    # agno's None means "not streamed"; agentnb's overloads need a bool to pick the return type.
    ("arun", "stream"): False,
    ("acontinue_run", "stream"): False,
    # agno's RemoteTeam requires the requirements; agentnb also continues a paused TeamRunOutput
    # passed as run_id whose requirements were decided in place (None: take them from it).
    ("acontinue_run", "requirements"): None,
}

#: RemoteWorkflow.arun keywords agno accepts and never sends: ``background`` (agno's own code says
#: "TODO: Deal with background"), and the server-side FastAPI objects ``websocket`` and
#: ``background_tasks``, which only mean something inside agno's own AgentOS process.
WORKFLOW_ARUN_UNSENT = {"background", "websocket", "background_tasks"}

#: RemoteAgent.acontinue_run's second positional parameter is ``updated_tools`` (agno's documented
#: name, reference/agno-remote-agent-doc.md); agno 3.1.10's code calls it ``requirements``, which
#: agentnb takes as a keyword, and a positional list of RunRequirements is read as requirements.
AGENT_CONTINUE_ORDER = {("RemoteAgent", "acontinue_run")}


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [(AgnoRemoteAgent, RemoteAgent), (AgnoRemoteTeam, RemoteTeam), (AgnoRemoteWorkflow, RemoteWorkflow)],
    ids=["agent", "team", "workflow"],
)
def test_every_facade_method_and_parameter(theirs: type, ours: type) -> None:
    problems = []
    for name, fn in sorted(agno_methods(theirs).items()):
        if name in FACADE_NOT_PORTED:
            continue
        mine = getattr(ours, name, None)
        if mine is None:
            problems.append(f"{ours.__name__} lacks {name}")
            continue
        # arun / acontinue_run return a coroutine or a stream; refresh_os_config returns
        # aget_os_config's coroutine (so its sync twin keeps the name get_os_config).
        returns_awaitable = name in ("arun", "acontinue_run", "refresh_os_config")
        if is_async(fn) and not (is_async(mine) or returns_awaitable):
            problems.append(f"{ours.__name__}.{name} is not a coroutine function, agno's is")
        if name == "arun":
            # agentnb's arun takes ``**kwargs: Unpack[RunArgs]`` (refused when unknown): each of
            # agno's keywords must be one RunArgs names.
            accepted = set(RunArgs.__annotations__)
            lacking = sorted(
                set(params(fn)) - accepted - {"input", "stream", "kwargs"} - WORKFLOW_ARUN_UNSENT
            )
            problems += [f"{ours.__name__}.arun does not take {n!r}" for n in lacking]
            continue
        mine_params = params(mine)
        theirs_params = params(fn)
        if (ours.__name__, name) in AGENT_CONTINUE_ORDER:
            theirs_params = {
                ("updated_tools" if n == "requirements" else n): p for n, p in theirs_params.items()
            }
        problems += missing_parameters(f"{ours.__name__}.{name}", theirs_params, mine_params, FACADE_DEFAULTS)
    assert not problems, problems


def test_run_args_cover_what_agnos_arun_overloads_name() -> None:
    # The assertion above must be able to fail: a keyword RunArgs lacks is reported.
    fake = {"input": None, "stream": None, "brand_new": None}
    assert sorted(set(fake) - set(RunArgs.__annotations__) - {"input", "stream"}) == ["brand_new"]


# -- RemoteDb, RemoteKnowledge ---------------------------------------------------------------------

#: agno's RemoteDb / RemoteKnowledge methods pass ``**kwargs`` on to an AgentOSClient method: the
#: keywords they take are that method's. Where the client method's name differs from the facade's:
DB_FORWARDS = {
    "get_memories": "list_memories",
    "get_eval_runs": "list_eval_runs",
    "create_eval_run": "run_eval",
}
KNOWLEDGE_FORWARDS = {
    "search_knowledge": "search_knowledge",
    "upload_content": "upload_knowledge_content",
    "update_content": "update_knowledge_content",
    "get_content": "list_knowledge_content",
    "get_content_by_id": "get_knowledge_content",
    "delete_content_by_id": "delete_knowledge_content",
    "delete_all_content": "delete_all_knowledge_content",
    "get_content_status": "get_knowledge_content_status",
}
#: The object is the database / knowledge base: agentnb binds its id and refuses another one
#: (agno's RemoteDb lets a session call name any ``db_id``, an easy way to read the wrong table).
BOUND = {"db_id", "knowledge_id"}
#: agno methods with no counterpart, and why.
STORE_NOT_PORTED = {
    # Builds agno's RemoteDb from agno's ConfigResponse; agentnb's RemoteDb(id, client, tables=...)
    # is made by RemoteAgent.db from our OSConfig.
    "from_config",
}
STORE_DEFAULTS = {
    # agno sends nothing and AgentOS applies its defaults (20, 1, created_at, desc); agentnb names them.
    ("get_content", "limit"): 20,
    ("get_content", "page"): 1,
    ("get_content", "sort_by"): "created_at",
    ("get_content", "sort_order"): "desc",
    **CLIENT_DEFAULTS,
}


def effective(fn: Callable[..., Any], forwarded: Callable[..., Any] | None) -> dict[str, inspect.Parameter]:
    """The keywords a facade method takes: its own, plus what its ``**kwargs`` hands on."""
    own = params(fn)
    takes_more = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in own.values())
    result = {n: p for n, p in own.items() if p.kind is not inspect.Parameter.VAR_KEYWORD}
    if takes_more and forwarded is not None:
        for name, p in params(forwarded).items():
            if name not in result and p.kind is not inspect.Parameter.VAR_KEYWORD:
                result[name] = p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
    return result


def our_forward(agno_client_name: str) -> Callable[..., Any] | None:
    fn = AGNO_CLIENT.get(agno_client_name)
    if fn is None:
        return None
    return getattr(AgentOSClient, client_counterpart(agno_client_name, fn), None)


@pytest.mark.parametrize(
    ("theirs", "ours", "forwards"),
    [(AgnoRemoteDb, RemoteDb, DB_FORWARDS), (AgnoRemoteKnowledge, RemoteKnowledge, KNOWLEDGE_FORWARDS)],
    ids=["db", "knowledge"],
)
def test_every_store_method_and_keyword(theirs: type, ours: type, forwards: dict[str, str]) -> None:
    problems = []
    methods = agno_methods(theirs)
    assert len(methods) >= 8  # the enumeration itself must find them
    for name, fn in sorted(methods.items()):
        if name in STORE_NOT_PORTED:
            continue
        mine = getattr(ours, name, None)
        if mine is None:
            problems.append(f"{ours.__name__} lacks {name}")
            continue
        if is_async(fn) and not is_async(mine):
            problems.append(f"{ours.__name__}.{name} is not a coroutine function, agno's is")
        target = forwards.get(name, name)
        theirs_params = effective(fn, AGNO_CLIENT.get(target))
        mine_params = effective(mine, our_forward(target))
        for bound in BOUND:
            theirs_params.pop(bound, None)
        problems += missing_parameters(f"{ours.__name__}.{name}", theirs_params, mine_params, STORE_DEFAULTS)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [(AgnoRemoteAgent, RemoteAgent), (AgnoRemoteTeam, RemoteTeam), (AgnoRemoteWorkflow, RemoteWorkflow)],
    ids=["agent", "team", "workflow"],
)
def test_constructor_and_properties(theirs: type, ours: type) -> None:
    # agno's constructor parameters with agno's defaults. Two differ on purpose:
    # - the order is the one agno's documentation gives (reference/agno-remote-agent-doc.md:
    #   protocol, a2a_protocol, timeout), where agno 3.1.10's code puts timeout third; a number
    #   passed third is read as the timeout, so both spellings work (tests/remote/test_remote_agent.py);
    # - a2a_protocol defaults to None: the binding the agent card offers, where agno assumes "rest".
    theirs_init = params(theirs.__init__)
    if ours is RemoteAgent:
        order = ["base_url", "agent_id", "protocol", "a2a_protocol", "timeout", "config_ttl"]
        theirs_init = {name: theirs_init[name] for name in order}
    init_defaults = {("__init__", "a2a_protocol"): None}
    problems = missing_parameters(
        f"{ours.__name__}.__init__", theirs_init, params(ours.__init__), init_defaults
    )
    # Every property agno's facade has (name, description, role, tools, db, knowledge, model, ...).
    agno_properties = {
        name
        for klass in theirs.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, property) and not name.startswith("_")
    }
    assert {"name", "db", "id"} <= agno_properties  # the enumeration itself
    problems += [
        f"{ours.__name__} lacks property {n}" for n in sorted(agno_properties) if not hasattr(ours, n)
    ]
    assert not problems, "\n".join(problems)

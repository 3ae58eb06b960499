"""RemoteTeam against the real scripted AgentOS: runs, member trees, pauses, cancel, sessions."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from agentnb import (
    ConfigurationError,
    NotFoundError,
    RemoteTeam,
    RunAlreadyContinuedError,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunPaused,
    RunStatus,
    TeamConfig,
    TeamRunCancelledEvent,
    TeamRunCompletedEvent,
    TeamRunContentEvent,
    TeamRunOutput,
    TeamRunPausedEvent,
    TeamRunStartedEvent,
    TeamToolCallStartedEvent,
    ToolCallCompleted,
    UnresolvedToolsError,
)
from agentnb.runs.models import RunOutput
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WEATHER = "Tool said: It is 21C and sunny in Berlin. Done."
DELETED = "Tool said: Deleted /tmp/important.txt. Done."


def team(peer: AgentOSPeer, **kwargs: Any) -> RemoteTeam:
    return RemoteTeam(peer.base_url, "ops-team", prefetch_config=False, **kwargs)


def sid() -> str:
    return f"team-{uuid.uuid4().hex[:10]}"


async def drain(stream: Any) -> tuple[list[Any], RunOutput]:
    events = [e async for e in stream]
    return events, stream.output


# --------------------------------------------------------------------------- config


async def test_config_properties_and_repr(agentos: AgentOSPeer) -> None:
    t = RemoteTeam(agentos.base_url, "ops-team", auth_token="secret-token-x", prefetch_config=False)
    config = await t.get_team_config()
    assert isinstance(config, TeamConfig) and t.team_config().id == "ops-team" and t.user_id is None
    assert (t.id, t.team_id, t.name) == ("ops-team", "ops-team", "Ops Team")
    assert t.description.startswith("A scripted team")
    assert {m["id"] for m in config.members or []} == {"researcher", "janitor"}
    assert "publish_report" in [tool["name"] for tool in t.tools or []]
    assert t.db is not None and t.db.id == config.db_id
    assert (
        "secret-token-x" not in repr(t) and repr(t) == f"RemoteTeam({agentos.base_url!r}, team_id='ops-team')"
    )


async def test_unknown_team_is_a_not_found_naming_it(agentos: AgentOSPeer) -> None:
    with pytest.raises(NotFoundError, match="team 'no-such-team'"):
        await RemoteTeam(agentos.base_url, "no-such-team", prefetch_config=False).arun("hi")


def test_constructor_takes_agnos_positional_order_and_refuses_a2a_and_empty_ids() -> None:
    t = RemoteTeam("http://x/", "t", 30.0, "agentos", None, 10.0, prefetch_config=False)
    assert (t.base_url, t.timeout, t.config_ttl, t.protocol) == ("http://x", 30.0, 10.0, "agentos")
    with pytest.raises(ConfigurationError, match="AgentOS only"):
        RemoteTeam("http://x", "t", protocol="a2a")
    with pytest.raises(ConfigurationError, match="team_id"):
        RemoteTeam("http://x", "")


# --------------------------------------------------------------------------- runs


async def test_run_not_streamed_keeps_the_member_tree(agentos: AgentOSPeer) -> None:
    out = await team(agentos).arun("what is the weather", session_id=sid())
    assert isinstance(out, TeamRunOutput) and out.status is RunStatus.completed
    assert out.team_id == "ops-team" and WEATHER in out.content
    researcher = out.member("researcher")
    assert researcher is not None and researcher.content == WEATHER
    assert [t.tool_name for t in researcher.tools or []] == ["get_weather"]
    assert out.member("janitor") is None


async def test_run_streamed_nests_member_events_under_the_team(agentos: AgentOSPeer) -> None:
    events, out = await drain(team(agentos).arun("what is the weather", stream=True, session_id=sid()))
    assert isinstance(events[0], TeamRunStartedEvent) and isinstance(events[-1], TeamRunCompletedEvent)
    team_run = out.run_id
    member_events = [e for e in events if e.run_id != team_run]
    # every member event says whose it is and which team run it belongs to
    assert member_events and {(e.agent_id, e.parent_run_id) for e in member_events} == {
        ("researcher", team_run)
    }
    # a member's RunCompleted did not end the team's stream
    assert any(type(e) is RunCompleted for e in member_events)
    assert any(isinstance(e, ToolCallCompleted) and e.tool.tool_name == "get_weather" for e in member_events)
    assert any(isinstance(e, TeamToolCallStartedEvent) for e in events)
    # the leader's text and the member's stay apart
    leader_text = "".join(e.content for e in events if isinstance(e, TeamRunContentEvent))
    member_text = "".join(e.content for e in member_events if type(e) is RunContent)
    assert member_text == WEATHER and leader_text == out.content
    assert isinstance(out, TeamRunOutput) and out.status is RunStatus.completed
    (member,) = out.member_responses
    assert (member.agent_id, member.run_id, member.content, member.status) == (
        "researcher",
        member_events[0].run_id,
        WEATHER,
        RunStatus.completed,
    )


def test_sync_twin_runs_and_streams(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    out = t.run("hello team", session_id=sid())
    assert out.content == "Hello! You said: hello team. This is a deterministic streamed answer."
    events = list(t.run("hello again", stream=True, session_id=sid()))
    assert isinstance(events[-1], TeamRunCompletedEvent)


# --------------------------------------------------------------------------- pauses


@pytest.mark.parametrize("stream", [False, True])
async def test_member_tool_confirmation_continues(agentos: AgentOSPeer, stream: bool) -> None:
    t = team(agentos)
    if stream:
        events, paused = await drain(t.arun("please delete the file", stream=True, session_id=sid()))
        assert isinstance(events[-1], TeamRunPausedEvent)
        # the member paused first; its pause did not end the stream
        assert any(type(e) is RunPaused and e.agent_id == "janitor" for e in events[:-1])
    else:
        paused = await t.arun("please delete the file", session_id=sid())
    assert paused.is_paused
    (req,) = paused.active_requirements
    assert (req.member_agent_id, req.member_agent_name, req.tool_execution.tool_name) == (
        "janitor",
        "Janitor",
        "delete_file",
    )
    assert isinstance(paused, TeamRunOutput) and paused.requirements_of("janitor") == [req]
    req.confirm()
    if stream:
        events, done = await drain(t.acontinue_run(paused, stream=True))
        assert isinstance(events[-1], TeamRunCompletedEvent)
        assert any(isinstance(e, ToolCallCompleted) and e.agent_id == "janitor" for e in events)
    else:
        done = await t.acontinue_run(paused)
    assert done.status is RunStatus.completed and DELETED in done.content
    assert isinstance(done, TeamRunOutput)
    janitor = done.member("janitor")
    assert janitor is not None and janitor.content == DELETED


@pytest.mark.parametrize("stream", [False, True])
async def test_team_own_tool_rejection_continues(agentos: AgentOSPeer, stream: bool) -> None:
    t = team(agentos)
    paused = await t.arun("publish the weekly report", session_id=sid())
    (req,) = paused.active_requirements
    assert req.member_agent_id is None and req.tool_execution.tool_name == "publish_report"
    req.reject("not today")
    if stream:
        events, done = await drain(
            t.acontinue_run(paused.run_id, paused.requirements, stream=True, session_id=paused.session_id)
        )
        assert isinstance(events[-1], TeamRunCompletedEvent)
    else:
        done = await t.acontinue_run(paused.run_id, paused.requirements, session_id=paused.session_id)
    assert done.status is RunStatus.completed
    assert done.content == "Tool said: publish_report error: not today. Done."


async def test_refusals_undecided_and_second_continue(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    paused = await t.arun("please delete the file", session_id=sid())
    with pytest.raises(UnresolvedToolsError, match="delete_file \\(Janitor\\)") as info:
        await t.acontinue_run(paused)
    assert [p.tool_name for p in info.value.pending] == ["delete_file"]
    with pytest.raises(ConfigurationError, match="nothing paused has tool_call_id 'nope'"):
        await t.acontinue_run(paused, [{"tool_call_id": "nope", "confirmed": True}])
    assert paused.active_requirements  # a refused continue changed nothing
    paused.requirements[0].confirm()  # type: ignore[index]
    done = t.continue_run(paused)
    assert done.status is RunStatus.completed
    with pytest.raises(RunAlreadyContinuedError):
        await t.acontinue_run(paused)


async def test_continue_of_a_run_paused_elsewhere_fetches_it(agentos: AgentOSPeer) -> None:
    paused = await team(agentos).arun("please delete the file", session_id=sid())
    decision = paused.requirements[0].model_copy(deep=True)  # type: ignore[index]
    decision.confirm()
    fresh = team(agentos)  # knows nothing of the run
    events = list(fresh.continue_run(paused.run_id, [decision], stream=True, session_id=paused.session_id))
    assert isinstance(events[-1], TeamRunCompletedEvent) and DELETED in (events[-1].content or "")


# --------------------------------------------------------------------------- cancel and sessions


async def test_cancel_mid_stream(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    stream = t.arun("go slow please", stream=True, session_id=sid())
    events = []
    async with stream:
        async for event in stream:
            events.append(event)
            if isinstance(event, TeamRunContentEvent) and event.content == "tick2 ":
                assert await t.cancel_run(stream.run_id) is True  # type: ignore[arg-type]
    assert isinstance(events[-1], TeamRunCancelledEvent) and isinstance(events[-1], RunCancelled)
    assert stream.output.is_cancelled and stream.output.text.startswith("tick0 tick1 tick2 ")
    assert await t.cancel_run(stream.run_id) is False  # type: ignore[arg-type]


async def test_sessions_after_runs(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    session = sid()
    first = await t.arun("hello team", session_id=session)
    await t.arun("what is the weather", session_id=session)
    page = await t.alist_sessions()
    assert session in [s.session_id for s in page.data]
    runs = await t.aget_session_runs(session)
    team_runs = [r for r in runs if r.run_id == first.run_id]
    assert team_runs and team_runs[0].status is RunStatus.completed
    stored = await t.aget_run(first.run_id, session)  # type: ignore[arg-type]
    assert isinstance(stored, TeamRunOutput) and stored.content == first.content
    detail = t.get_session(session)
    assert detail.session_id == session


async def test_async_with_closes_the_streams_it_opened(agentos: AgentOSPeer) -> None:
    async with team(agentos) as t:
        stream = t.arun("go slow please", stream=True, session_id=sid())
        first = await stream.__anext__()
        assert isinstance(first, TeamRunStartedEvent)
    # leaving the team's block closed the stream it opened, mid-run: the output says it is partial
    assert stream.output.interrupted and not stream.finished
    assert [e async for e in stream] == []

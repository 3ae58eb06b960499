"""agentnb's run models carry agno 3's shapes: code written for agno's RemoteAgent keeps working.

Payloads are shaped as AgentOS sends them (reference/agentos-protocol.md, agno's own to_dict).
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from agentnb import AgentConfig, RemoteAgent, RunOutput, RunStatus
from agentnb.agentos.models import ModelConfig, RunRecord
from agentnb.runs.messages import Message, RunInput
from agentnb.runs.metrics import ModelMetrics, RunMetrics
from agentnb.runs.models import RunRequirement, ToolExecution
from tests.peers.agentos import AgentOSPeer

METRICS: dict[str, Any] = {
    "input_tokens": 10,
    "output_tokens": 11,
    "total_tokens": 21,
    "time_to_first_token": 0.0019,
    "duration": 0.002,
    "details": {"model": [{"input_tokens": 10, "output_tokens": 11, "total_tokens": 21, "id": "scripted-v1",
                           "provider": "Offline"}]},
}  # fmt: skip

COMPLETED: dict[str, Any] = {
    "run_id": "r1",
    "agent_id": "assistant",
    "agent_name": "Assistant",
    "session_id": "s1",
    "content": "Hello! You said: Hi there.",
    "content_type": "str",
    "model": "scripted-v1",
    "model_provider": "Offline",
    "created_at": 1795261330,
    "status": "COMPLETED",
    "metrics": METRICS,
    "messages": [
        {"id": "m0", "role": "system", "content": "You are helpful.", "from_history": False,
         "stop_after_tool_call": False, "created_at": 1795261330},
        {"id": "m1", "role": "user", "content": "Hi there", "from_history": False,
         "stop_after_tool_call": False, "created_at": 1795261330},
        {"id": "m2", "role": "assistant", "content": "Hello! You said: Hi there.", "from_history": False,
         "stop_after_tool_call": False, "created_at": 1795261330, "provider_data": {"x": 1},
         "metrics": {"input_tokens": 10, "output_tokens": 11, "total_tokens": 21, "duration": 0.002}},
    ],
    "tools": [],
    "input": {"input_content": "Hi there"},
}  # fmt: skip

FEEDBACK_TOOL: dict[str, Any] = {
    "tool_call_id": "call_fb",
    "tool_name": "ask_user",
    "tool_args": {},
    "requires_confirmation": None,
    "user_feedback_schema": [
        {"question": "Which colour?", "header": "Colour", "multi_select": False, "selected_options": None,
         "options": [{"label": "red", "description": None, "selected": False},
                     {"label": "blue", "description": None, "selected": False}]},
    ],
    "answered": None,
}  # fmt: skip

CONFIRM_TOOL: dict[str, Any] = {
    "tool_call_id": "call_1",
    "tool_name": "delete_file",
    "tool_args": {"path": "/tmp/x"},
    "result": None,
    "metrics": None,
    "stop_after_tool_call": False,
    "created_at": 1795261331,
    "requires_confirmation": True,
    "confirmed": None,
    "confirmation_note": None,
}


def completed() -> RunOutput:
    return RunOutput.from_wire(copy.deepcopy(COMPLETED))


# --------------------------------------------------------------------------- 1. metrics


def test_metrics_read_as_attributes_and_as_the_dict_they_were() -> None:
    out = completed()
    assert isinstance(out.metrics, RunMetrics)
    m = out.metrics
    assert (m.input_tokens, m.output_tokens, m.total_tokens) == (10, 11, 21)
    assert m.duration == 0.002 and m.time_to_first_token == 0.0019
    assert m.cost is None and m.reasoning_tokens == 0  # agno's defaults for what was not sent
    assert m.details is not None and isinstance(m.details["model"][0], ModelMetrics)
    assert m.details["model"][0].id == "scripted-v1" and m.details["model"][0].provider == "Offline"
    # dict-style reads, as agentnb handed out before (tables/, reprs, user code)
    assert m["input_tokens"] == 10 and m.get("total_tokens") == 21
    assert m.get("reasoning_tokens") is None and m.get("cost", "n/a") == "n/a"
    assert "duration" in m and "cost" not in m and len(m) == 6
    with pytest.raises(KeyError):
        m["cost"]
    assert m == METRICS and dict(m)["output_tokens"] == 11
    assert m.details["model"][0]["id"] == "scripted-v1"


def test_metrics_keep_unknown_keys_none_and_odd_shapes() -> None:
    out = RunOutput.model_validate({**COMPLETED, "metrics": {**METRICS, "eval_duration": 1.5}})
    assert out.metrics is not None and out.metrics.get("eval_duration") == 1.5
    assert out.metrics.model_dump()["eval_duration"] == 1.5
    assert RunOutput.model_validate({**COMPLETED, "metrics": None}).metrics is None
    assert RunOutput.model_validate({"run_id": "r"}).metrics is None
    # an older agno sent lists of numbers: kept as sent rather than failing the whole run
    old = RunOutput.model_validate({"metrics": {"input_tokens": [4, 6], "time": [0.1]}})
    assert old.metrics is not None and old.metrics["input_tokens"] == [4, 6] and old.metrics["time"] == [0.1]


def test_assigned_metrics_dict_becomes_typed() -> None:
    """The stream assembler assigns RunCompleted's metrics dict; readers still get attributes."""
    out = RunOutput()
    out.metrics = {"total_tokens": 5, "input_tokens": 2}
    assert isinstance(out.metrics, RunMetrics) and out.metrics.input_tokens == 2
    assert out.metrics == {"total_tokens": 5, "input_tokens": 2}
    out.metrics = None
    assert out.metrics is None


def test_reprs_and_round_trip_with_typed_fields() -> None:
    out = completed()
    assert "21" in out._repr_html_() and "21" in out._repr_markdown_()
    assert "RunMetrics(input_tokens=10" in repr(out.metrics)
    dumped = out.model_dump(mode="json")
    assert dumped["metrics"] == METRICS  # only what was sent: exact round trip
    assert dumped["messages"][1] == COMPLETED["messages"][1]
    again = RunOutput.model_validate(json.loads(json.dumps(dumped)))
    assert again.metrics == out.metrics and again.messages == out.messages and again.input == out.input
    assert again.requirements is None and again.status is RunStatus.completed


# --------------------------------------------------------------------------- 2. messages, input


def test_messages_and_input_are_typed() -> None:
    out = completed()
    assert out.messages is not None and all(isinstance(msg, Message) for msg in out.messages)
    system, user, assistant = out.messages
    assert (system.role, user.role, assistant.role) == ("system", "user", "assistant")
    assert user.content == "Hi there" and user.get_content_string() == "Hi there"
    assert assistant.metrics.output_tokens == 11 and assistant.provider_data == {"x": 1}
    assert system.metrics.input_tokens == 0 and system.metrics.to_dict() == {}
    assert user["role"] == "user" and user.get("content") == "Hi there" and user.get("nope") is None
    assert Message.model_validate({"role": "tool", "content": "x", "tool_extra": 7}).get("tool_extra") == 7
    assert isinstance(out.input, RunInput) and out.input.input_content == "Hi there"
    assert out.input.input_content_string() == "Hi there" and out.input["input_content"] == "Hi there"
    assert RunOutput(input="bare prompt").input == RunInput(input_content="bare prompt")
    listed = RunInput.model_validate({"input_content": [{"role": "user", "content": "a"}]})
    assert json.loads(listed.input_content_string()) == [{"role": "user", "content": "a"}]


def test_message_to_dict_is_agnos() -> None:
    from agno.models.message import Message as AgnoMessage

    for payload in COMPLETED["messages"]:
        ours = Message.model_validate(copy.deepcopy(payload)).to_dict()
        theirs = AgnoMessage.from_dict(copy.deepcopy(payload)).to_dict()
        assert ours == theirs


# --------------------------------------------------------------------------- 3. to_dict / to_json / content


def test_to_dict_has_agnos_shape() -> None:
    from agno.run.agent import RunOutput as AgnoRunOutput

    out = completed()
    ours = out.to_dict()
    theirs = AgnoRunOutput.from_dict(copy.deepcopy(COMPLETED)).to_dict()
    for key in ("run_id", "agent_id", "session_id", "content", "status", "metrics", "messages", "input"):
        assert ours[key] == theirs[key], key
    assert ours["status"] == "COMPLETED" and ours["input"] == {"input_content": "Hi there"}
    assert ours["metrics"]["details"]["model"][0] == {"input_tokens": 10, "output_tokens": 11,
                                                      "total_tokens": 21, "id": "scripted-v1",
                                                      "provider": "Offline"}  # fmt: skip
    assert "requirements" not in ours and "raw" not in ours and "interrupted" not in ours
    assert None not in ours.values()
    assert json.loads(out.to_json()) == ours and out.to_json(indent=None).startswith('{"run_id": "r1"')


def test_get_content_as_string() -> None:
    class Answer(BaseModel):
        city: str
        temp: int | None = None

    assert completed().get_content_as_string() == "Hello! You said: Hi there."
    assert RunOutput(content={"a": "é"}).get_content_as_string() == '{"a": "é"}'
    assert RunOutput(content=Answer(city="Berlin")).get_content_as_string() == '{"city":"Berlin"}'
    assert RunOutput(content=Answer(city="Berlin")).to_dict()["content"] == {"city": "Berlin"}
    assert RunOutput().get_content_as_string() == "null"  # as agno's


# --------------------------------------------------------------------------- 4. tools and requirements


def test_tool_is_paused_and_requirement_pause_type() -> None:
    tool = ToolExecution.model_validate(CONFIRM_TOOL)
    assert tool.is_paused and not ToolExecution(tool_name="x").is_paused
    assert ToolExecution(external_execution_required=True).is_paused
    req = RunRequirement(id="q1", created_at="2026-11-21T11:42:11+00:00", tool_execution=tool)
    assert req.pause_type == "confirmation" and not req.needs_user_feedback
    assert RunRequirement(tool_execution=ToolExecution(requires_user_input=True)).pause_type == "user_input"
    assert RunRequirement(tool_execution=ToolExecution(external_execution_required=True)).pause_type == (
        "external_execution"
    )
    req.confirm()
    as_dict = req.to_dict()
    assert as_dict["id"] == "q1" and as_dict["created_at"] == "2026-11-21T11:42:11+00:00"
    assert as_dict["confirmation"] is True and as_dict["tool_execution"]["confirmed"] is True
    assert "member_agent_id" not in as_dict and "confirmation_note" not in as_dict


def test_user_feedback_requirement() -> None:
    out = RunOutput.model_validate(
        {"status": "PAUSED", "tools": [copy.deepcopy(FEEDBACK_TOOL)],
         "requirements": [{"id": "q2", "tool_execution": copy.deepcopy(FEEDBACK_TOOL)}]}
    )  # fmt: skip
    assert out.requirements is not None
    (req,) = out.requirements
    assert req.pause_type == "user_feedback" and req.needs_user_feedback and not req.is_resolved()
    req.provide_user_feedback({"Which colour?": ["blue"]})
    assert not req.needs_user_feedback and req.is_resolved() and req.tool_execution.answered is True
    question = out.tools[0].user_feedback_schema[0]  # type: ignore[index]
    assert question["selected_options"] == ["blue"]
    assert [o["selected"] for o in question["options"]] == [False, True]
    assert req.to_dict()["user_feedback_schema"][0]["selected_options"] == ["blue"]
    with pytest.raises(ValueError, match="does not require user feedback"):
        req.provide_user_feedback({"Which colour?": ["red"]})


# --------------------------------------------------------------------------- 5. requirements None


def test_requirements_none_when_completed_linked_when_paused() -> None:
    assert completed().requirements is None
    assert RunOutput.model_validate({**COMPLETED, "requirements": []}).requirements is None
    done_tool = {**CONFIRM_TOOL, "requires_confirmation": None, "result": "ok"}
    assert RunOutput.model_validate({**COMPLETED, "tools": [done_tool]}).requirements is None
    paused = RunOutput.model_validate(
        {"status": "PAUSED", "tools": [dict(CONFIRM_TOOL)],
         "requirements": [{"id": "q1", "tool_execution": dict(CONFIRM_TOOL)}]}
    )  # fmt: skip
    assert paused.requirements is not None and paused.tools is not None
    assert paused.requirements[0].tool_execution is paused.tools[0]
    implied = RunOutput.model_validate({"status": "PAUSED", "tools": [dict(CONFIRM_TOOL)]})
    assert implied.requirements is not None and implied.requirements[0].tool_execution is implied.tools[0]  # type: ignore[index]


# --------------------------------------------------------------------------- 6. agent config


def test_agent_config_model_is_typed() -> None:
    config = AgentConfig.model_validate(
        {"id": "assistant", "name": "Assistant",
         "model": {"name": "ScriptedModel", "model": "scripted-v1", "provider": "Offline"}}
    )  # fmt: skip
    assert isinstance(config.model, ModelConfig)
    assert (config.model.name, config.model.id, config.model.provider) == (
        "ScriptedModel",
        "scripted-v1",
        "Offline",
    )
    assert config.model.model == "scripted-v1" and config.model["provider"] == "Offline"
    assert config.model.get("name") == "ScriptedModel"
    assert config.model_dump()["model"] == {
        "name": "ScriptedModel",
        "model": "scripted-v1",
        "provider": "Offline",
    }
    assert AgentConfig.model_validate({"id": "a"}).model is None
    assert AgentConfig.model_validate({"id": "a", "model": "gpt-x"}).model.id == "gpt-x"  # type: ignore[union-attr]


def test_run_record_still_validates() -> None:
    record = RunRecord.model_validate(
        {"run_id": "r1", "status": "COMPLETED", "run_input": "Hi", "metrics": METRICS,
         "messages": COMPLETED["messages"], "tools": [dict(CONFIRM_TOOL)], "created_at": 1795261330}
    )  # fmt: skip
    assert record.metrics is not None and record.metrics["total_tokens"] == 21
    assert record.tools is not None and record.tools[0].is_paused


# --------------------------------------------------------------------------- against a real AgentOS


@pytest.mark.peer
async def test_agno_shapes_against_real_agentos(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    session = f"agno-models-{uuid.uuid4().hex[:8]}"
    out = await agent.arun("Hi there", session_id=session)
    assert out.status is RunStatus.completed
    assert out.metrics is not None and out.metrics.input_tokens > 0
    assert out.metrics.total_tokens == out.metrics["total_tokens"] == out.metrics.get("total_tokens")
    assert out.messages is not None and out.messages[0].role in {"system", "user"}
    assert any(m.role == "user" and m.get_content_string() == "Hi there" for m in out.messages)
    assert out.input is not None and out.input.input_content == "Hi there"
    assert out.requirements is None
    as_dict = out.to_dict()
    assert as_dict["status"] == "COMPLETED" and as_dict["metrics"]["input_tokens"] == out.metrics.input_tokens
    assert json.loads(out.to_json())["run_id"] == out.run_id
    config = await agent.get_agent_config()
    assert config.model is not None and config.model.name and config.model.id and config.model.provider

    import agno.utils.http as agno_http
    from agno.agent import RemoteAgent as AgnoRemoteAgent  # agno is in the test extra: no skip

    # agno keeps one global httpx client, bound to the loop of whichever test used it first.
    agno_http._global_async_client = None
    theirs_agent = AgnoRemoteAgent(base_url=agentos.base_url, agent_id="assistant")
    theirs_config = await theirs_agent.get_agent_config()
    assert theirs_config.model is not None
    assert (config.model.name, config.model.id, config.model.provider) == (
        theirs_config.model.name,
        theirs_config.model.model,
        theirs_config.model.provider,
    )
    theirs = await theirs_agent.arun("Hi there", session_id=f"{session}-agno", stream=False)
    assert theirs.metrics is not None and out.metrics.input_tokens == theirs.metrics.input_tokens
    assert out.metrics.output_tokens == theirs.metrics.output_tokens
    assert theirs.messages is not None
    assert [m.role for m in out.messages] == [m.role for m in theirs.messages]
    assert set(as_dict) - {"created_at", "session_state"} <= set(theirs.to_dict()) | {
        "model",
        "model_provider",
    }

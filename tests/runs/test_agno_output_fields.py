"""agno's RunOutput, TeamRunOutput and WorkflowRunOutput fields all exist on ours, hold what agno's
own ``to_dict`` writes, and a streamed run's reasoning ends up on the output as a non-streamed
run's does (frames built with agno's own event classes)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from agno.models.message import Message as AgnoMessage
from agno.reasoning.step import ReasoningStep
from agno.run import agent as agno_agent
from agno.run import team as agno_team
from agno.run import workflow as agno_workflow

from agentnb import RunOutput, TeamRunOutput, WorkflowRunOutput
from agentnb._sse import SSEFrame
from agentnb.agentos.decode import decode_event
from agentnb.runs.assembler import RunAssembler


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        (agno_agent.RunOutput, RunOutput),
        (agno_team.TeamRunOutput, TeamRunOutput),
        (agno_workflow.WorkflowRunOutput, WorkflowRunOutput),
    ],
    ids=["run", "team", "workflow"],
)
def test_every_agno_output_field_exists(theirs: type, ours: type) -> None:
    names = {f.name for f in dataclasses.fields(theirs)}
    assert len(names) > 20  # the enumeration itself
    missing = sorted(n for n in names if n not in ours.model_fields and not hasattr(ours, n))
    assert not missing, missing


def test_agnos_own_output_json_keeps_the_rare_fields() -> None:
    agno_out = agno_agent.RunOutput(
        run_id="r1",
        content="done",
        reasoning_content="because",
        reasoning_steps=[ReasoningStep(title="look", reasoning="at it")],
        reasoning_messages=[AgnoMessage(role="assistant", content="thinking")],
        followups=["and then?"],
        forked_from_run_id="r0",
        model_provider_data={"id": "resp_1"},
    )
    ours = RunOutput.from_wire(json.loads(agno_out.to_json()))
    assert ours.reasoning_content == "because" and ours.followups == ["and then?"]
    assert ours.reasoning_steps is not None and ours.reasoning_steps[0]["title"] == "look"
    assert ours.reasoning_messages is not None and ours.reasoning_messages[0]["content"] == "thinking"
    assert ours.forked_from_run_id == "r0" and ours.model_provider_data == {"id": "resp_1"}
    # agno code reading a field no run carried gets None, as with agno, not an AttributeError.
    assert RunOutput().reasoning_steps is None and RunOutput().compaction is None


def frame(event: object) -> SSEFrame:
    data = event.to_json()  # type: ignore[attr-defined]
    return SSEFrame(json.loads(data)["event"], data)


def test_streamed_reasoning_reaches_the_output() -> None:
    assembler = RunAssembler(RunOutput())
    events = [
        agno_agent.RunStartedEvent(run_id="r1"),
        agno_agent.ReasoningStartedEvent(run_id="r1"),
        agno_agent.ReasoningContentDeltaEvent(run_id="r1", reasoning_content="first, "),
        agno_agent.ReasoningContentDeltaEvent(run_id="r1", reasoning_content="then"),
        agno_agent.ReasoningCompletedEvent(run_id="r1"),
        agno_agent.RunContentEvent(run_id="r1", content="answer"),
    ]
    for event in events:
        assert assembler.absorb(decode_event(frame(event))) is False
    assert assembler.folded().reasoning_content == "first, then"
    # A member's reasoning (nested) is not the run's own.
    assembler.absorb(
        decode_event(frame(agno_agent.ReasoningContentDeltaEvent(reasoning_content="x", nested_depth=1)))
    )
    assert assembler.folded().reasoning_content == "first, then"
    done = agno_agent.RunCompletedEvent(
        run_id="r1",
        content="answer",
        reasoning_content="first, then (whole)",
        reasoning_steps=[ReasoningStep(title="plan", result="ok")],
    )
    assert assembler.absorb(decode_event(frame(done))) is True
    out = assembler.finish()
    assert out.reasoning_content == "first, then (whole)"  # the server's whole text wins
    assert out.reasoning_steps is not None and out.reasoning_steps[0]["title"] == "plan"
    assert out.text == "answer"


def test_many_reasoning_deltas_join_once_and_mid_stream_reads_are_current() -> None:
    """Reasoning deltas are kept as pieces (adding each to the field copied the whole reasoning per
    delta); whoever reads the output mid-run still gets everything so far, content included."""
    assembler = RunAssembler(RunOutput())
    assembler.absorb(decode_event(frame(agno_agent.RunStartedEvent(run_id="r1"))))
    pieces = [f"step {i}; " for i in range(3000)]
    for i, piece in enumerate(pieces):
        assembler.absorb(
            decode_event(frame(agno_agent.ReasoningContentDeltaEvent(run_id="r1", reasoning_content=piece)))
        )
        assembler.absorb(decode_event(frame(agno_agent.RunContentEvent(run_id="r1", content=str(i % 10)))))
        if i in (0, 1499):
            now = assembler.folded()
            assert now.reasoning_content == "".join(pieces[: i + 1])
            assert now.content == "".join(str(k % 10) for k in range(i + 1))
    out = assembler.finish()
    assert out.reasoning_content == "".join(pieces) and len(out.text) == 3000

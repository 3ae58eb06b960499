"""AgentOS's teams and workflows: their configs, run routes and streams, one class for both.

A team's and a workflow's routes are an agent's under another prefix (``/teams/{id}/runs`` ...)
with one difference each: a team's continue sends ``requirements`` (agno's RunRequirement dicts),
a workflow's ``step_requirements`` (StepRequirement dicts), where an agent's sends ``tools``.
Their streams use their own event names (``TeamRunContent``, ``WorkflowStarted`` ...), decoded
here into ``runs.team_events`` / ``runs.workflow_events`` and folded by their assemblers.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

import httpx
from pydantic import ValidationError

from agentnb._http import ErrorContext
from agentnb._sse import SSEFrame
from agentnb.agentos.client import AgentOSClient, _many, _one
from agentnb.agentos.decode import AgentOSRunReader, decode_event
from agentnb.agentos.forms import encode_form
from agentnb.agentos.models import AgentConfig, RunRecord, TeamConfig, WorkflowConfig
from agentnb.errors import ProtocolError
from agentnb.runs.events import RunEvent, UnknownEvent
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream
from agentnb.runs.team import TeamRunAssembler, TeamRunOutput
from agentnb.runs.team_events import TEAM_EVENT_CLASSES
from agentnb.runs.workflow import WorkflowRunAssembler, WorkflowRunOutput
from agentnb.runs.workflow_events import WORKFLOW_EVENT_CLASSES

# TeamConfig and WorkflowConfig live in models.py (the client lists them too); re-exported here.
__all__ = ["ComponentKind", "ComponentRoutes", "TeamConfig", "WorkflowConfig", "decode_component_event"]

ComponentKind = Literal["teams", "workflows"]


#: Per kind: the config model, the output model, its assembler, the event classes, the continue
#: form field, and the word used in error messages.
_KINDS: dict[str, tuple[type[AgentConfig], type[RunOutput], Any, dict[str, type[RunEvent]], str, str]] = {
    "teams": (TeamConfig, TeamRunOutput, TeamRunAssembler, TEAM_EVENT_CLASSES, "requirements", "team"),
    "workflows": (
        WorkflowConfig,
        WorkflowRunOutput,
        WorkflowRunAssembler,
        WORKFLOW_EVENT_CLASSES,
        "step_requirements",
        "workflow",
    ),
}
_VALIDATORS: dict[str, Callable[[str], Any]] = {
    name: cls.__pydantic_validator__.validate_json
    for table in (TEAM_EVENT_CLASSES, WORKFLOW_EVENT_CLASSES)
    for name, cls in table.items()
}
_CLASSES: dict[str, type[RunEvent]] = {**TEAM_EVENT_CLASSES, **WORKFLOW_EVENT_CLASSES}


def decode_component_event(frame: SSEFrame) -> RunEvent:
    """A team's or workflow's frame to its typed event (an agent event's take ``decode_event``)."""
    validate = _VALIDATORS.get(frame.event)
    if validate is not None:
        try:
            event: RunEvent = validate(frame.data)
        except ValidationError:
            pass
        else:
            if event.event == frame.event and "event" in event.__pydantic_fields_set__:
                event.__dict__["_raw_text"] = frame.data
                return event
    event = decode_event(frame)
    raw = event.raw if isinstance(event, UnknownEvent) else None
    name = event.event
    if raw is not None and name in _CLASSES and frame.event in (name, "message"):
        try:
            typed = _CLASSES[name].model_validate(raw)
        except ValidationError:
            return event
        typed.raw = raw
        return typed
    return event


class _ComponentReader(AgentOSRunReader):
    """AgentOS frames of a team or workflow run into events, folded by the kind's assembler."""

    def __init__(self, output: RunOutput, assembler: Any, *, url: str, keep_events: bool) -> None:
        super().__init__(output, url=url, keep_events=keep_events)
        self.assembler = assembler(output, keep_events=keep_events)
        self._absorb = self.assembler.absorb

    def read(self, frame: SSEFrame, out: deque[RunEvent]) -> bool:
        event = decode_component_event(frame)
        out.append(event)
        return self._absorb(event)

    def read_trailing(self, frame: SSEFrame) -> None:
        self.trailing_events.append(decode_component_event(frame))


class ComponentRoutes:
    """The routes of AgentOS's teams or workflows, over an AgentOSClient's HTTP client."""

    def __init__(self, client: AgentOSClient, kind: ComponentKind) -> None:
        if kind not in _KINDS:
            raise ValueError(f"kind must be 'teams' or 'workflows', not {kind!r}")
        self.client = client
        self.http = client.http
        self.kind = kind
        self.config_cls, self.output_cls, self._assembler, _, self.continue_field, self.noun = _KINDS[kind]

    def _context(self, component_id: str, run_id: str | None = None) -> ErrorContext:
        what = f"{self.noun} {component_id!r}" + (f", run {run_id!r}" if run_id else "")
        return ErrorContext(component_id, what)

    # -- configs -----------------------------------------------------------------------------

    async def alist(self, *, auth_token: str | None = None) -> list[AgentConfig]:
        data = await self.http.request_json("GET", f"/{self.kind}", auth_token=auth_token)
        return _many(self.config_cls, data, f"GET /{self.kind}")

    async def aget(self, component_id: str, *, auth_token: str | None = None) -> AgentConfig:
        path = f"/{self.kind}/{component_id}"
        data = await self.http.request_json(
            "GET", path, auth_token=auth_token, context=self._context(component_id)
        )
        return _one(self.config_cls, data, f"GET {path}")

    # -- runs --------------------------------------------------------------------------------

    async def acreate_run(
        self, component_id: str, form: Mapping[str, Any], *, auth_token: str | None = None
    ) -> RunOutput:
        path = f"/{self.kind}/{component_id}/runs"
        data = await self.http.request_json(
            "POST",
            path,
            data=encode_form({**form, "stream": False}),
            auth_token=auth_token,
            context=self._context(component_id),
        )
        return _one(self.output_cls, data, f"POST {path}")

    def stream_run(
        self,
        component_id: str,
        form: Mapping[str, Any],
        *,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream:
        path = f"/{self.kind}/{component_id}/runs"
        payload = encode_form({**form, "stream": True})

        async def opener() -> httpx.Response:
            return await self.http.open_stream(
                "POST", path, data=payload, auth_token=auth_token, context=self._context(component_id)
            )

        output = self._new_output(
            component_id, session_id=form.get("session_id"), user_id=form.get("user_id")
        )
        return self._stream(output, opener, path, keep_events, on_done)

    def _new_output(self, component_id: str, **fields: Any) -> RunOutput:
        key = "team_id" if self.kind == "teams" else "workflow_id"
        return self.output_cls(**{key: component_id}, **fields)

    def _stream(
        self,
        output: RunOutput,
        opener: Callable[[], Any],
        path: str,
        keep_events: bool,
        on_done: Callable[[RunOutput], None] | None,
    ) -> RunStream:
        url = self.http.url(path)
        reader = _ComponentReader(output, self._assembler, url=url, keep_events=keep_events)
        return RunStream(
            reader, opener, url=url, max_event_bytes=self.client.max_event_bytes, on_done=on_done
        )

    def _continue_form(
        self, decisions: Sequence[dict[str, Any]], session_id: str, user_id: str | None, stream: bool
    ) -> dict[str, str]:
        fields: dict[str, Any] = {
            self.continue_field: json.dumps(list(decisions), default=str),
            "session_id": session_id,
            "user_id": user_id,
            "stream": stream,
        }
        return encode_form({k: v for k, v in fields.items() if v is not None})

    async def acontinue_run(
        self,
        component_id: str,
        run_id: str,
        decisions: Sequence[dict[str, Any]],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        path = f"/{self.kind}/{component_id}/runs/{run_id}/continue"
        data = await self.http.request_json(
            "POST",
            path,
            data=self._continue_form(decisions, session_id, user_id, stream=False),
            auth_token=auth_token,
            context=self._context(component_id, run_id),
        )
        return _one(self.output_cls, data, f"POST {path}")

    def stream_continue_run(
        self,
        component_id: str,
        run_id: str,
        decisions: Callable[[], Awaitable[Sequence[dict[str, Any]]]],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream:
        """A continue streamed as events; ``decisions`` is worked out when the stream opens."""
        path = f"/{self.kind}/{component_id}/runs/{run_id}/continue"

        async def opener() -> httpx.Response:
            form = self._continue_form(await decisions(), session_id, user_id, stream=True)
            return await self.http.open_stream(
                "POST", path, data=form, auth_token=auth_token, context=self._context(component_id, run_id)
            )

        output = self._new_output(component_id, run_id=run_id, session_id=session_id, user_id=user_id)
        return self._stream(output, opener, path, keep_events, on_done)

    async def acancel_run(
        self, component_id: str, run_id: str, *, session_id: str | None = None, auth_token: str | None = None
    ) -> Any:
        return await self.http.request_json(
            "POST",
            f"/{self.kind}/{component_id}/runs/{run_id}/cancel",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=self._context(component_id, run_id),
        )

    async def aget_run(
        self, component_id: str, run_id: str, *, session_id: str, auth_token: str | None = None
    ) -> RunOutput:
        path = f"/{self.kind}/{component_id}/runs/{run_id}"
        data = await self.http.request_json(
            "GET",
            path,
            params={"session_id": session_id},
            auth_token=auth_token,
            context=self._context(component_id, run_id),
        )
        return _one(self.output_cls, data, f"GET {path}")

    async def alist_runs(
        self, component_id: str, *, session_id: str, status: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        """The component's runs in one session (``status``: PENDING, RUNNING, COMPLETED or ERROR), as
        stored (AgentOS sends its run schema here, not a run output)."""
        path = f"/{self.kind}/{component_id}/runs"
        data = await self.http.request_json(
            "GET",
            path,
            params={"session_id": session_id, "status": status},
            auth_token=auth_token,
            context=self._context(component_id),
        )
        return _many(RunRecord, data, f"GET {path}")

    async def afork_session(
        self, component_id: str, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> str:
        """A copy of a team's session (AgentOS forks teams' and agents', not workflows'): its new id."""
        path = f"/{self.kind}/{component_id}/sessions/{session_id}/fork"
        data = await self.http.request_json(
            "POST",
            path,
            params={"user_id": user_id},
            auth_token=auth_token,
            context=self._context(component_id),
        )
        new_id = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(new_id, str):
            raise ProtocolError(f"POST {path}: no session_id in the answer", raw=str(data)[:500])
        return new_id

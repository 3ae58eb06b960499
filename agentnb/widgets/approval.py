"""ApprovalForm: decide on a paused run's tools, then continue it in place.

One card per paused tool, chosen by its pause kind: confirmation (Approve / Reject with a note),
user input (fields generated from ``user_input_schema``, validated before submit), external
execution (a result box, or a Python callable registered for that tool name, run on click).
Over A2A, an input-required task gets a reply box that answers into the same task.

Submit is enabled only when every pending tool is decided; it is disabled the moment it is
clicked (AgentOS would fork a run continued twice). The continuation streams into a StreamView
below the form; if it pauses again, a new form appears under it.

    out = await ApprovalForm(agent, paused_run)     # shows the form, returns the final RunOutput
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable, Generator
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError, RunAlreadyContinuedError
from agentnb.runs.models import RunOutput, ToolExecution, UserInputField
from agentnb.widgets.askers import name_askers, pending_tools
from agentnb.widgets.render import escape, pretty_json
from agentnb.widgets.stream_view import StreamView

__all__ = ["ApprovalForm", "register_executor"]

#: Python callables that run an external-execution tool locally, by tool name.
_EXECUTORS: dict[str, Callable[..., Any]] = {}

#: Run ids some form continued (whichever RemoteAgent it used); a second continue would fork the run.
_CONTINUED: set[str] = set()


def register_executor(tool_name: str, function: Callable[..., Any]) -> None:
    """Let ApprovalForm run ``tool_name`` locally (called with the tool's arguments) on click."""
    _EXECUTORS[tool_name] = function


class _Card:
    """The decision widgets of one paused tool."""

    def __init__(
        self, tool: ToolExecution, on_change: Callable[[], None], executors: dict[str, Callable[..., Any]]
    ):
        self.tool = tool
        self.on_change = on_change
        self.kind = tool.pause_kind or "confirmation"
        self.decision: str | None = None
        self.error = widgets.HTML(value="")
        header = widgets.HTML(
            value=(
                f"<b>tool <code>{escape(tool.tool_name)}</code></b> "
                f'<span style="color:#6b7280">({escape(self.kind.replace("_", " "))})</span>'
                + (f"<pre>{pretty_json(tool.tool_args)}</pre>" if tool.tool_args else "")
            )
        )
        self.fields: dict[str, widgets.Widget] = {}
        #: Fields the user changed: only these show their problems until Submit is pressed.
        self.touched: set[str] = set()
        body: list[widgets.Widget] = []
        if self.kind == "user_input":
            body = self._input_fields(tool.user_input_schema or [])
        elif self.kind == "external_execution":
            body = self._external(executors.get(tool.tool_name or "") or _EXECUTORS.get(tool.tool_name or ""))
        else:
            body = self._confirmation()
        self.widget = widgets.VBox(
            [header, *body, self.error],
            layout=widgets.Layout(border="1px solid #e5e7eb", padding="4px 8px", margin="4px 0"),
        )

    # confirmation ----------------------------------------------------------------------------

    def _confirmation(self) -> list[widgets.Widget]:
        self.approve = widgets.Button(description="Approve", button_style="success", icon="check")
        self.reject = widgets.Button(description="Reject", button_style="danger", icon="times")
        self.note = widgets.Text(placeholder="optional note to the agent")
        self.approve.on_click(lambda _: self._decide("approved"))
        self.reject.on_click(lambda _: self._decide("rejected"))
        self.status = widgets.HTML(value="")
        return [widgets.HBox([self.approve, self.reject, self.note]), self.status]

    def _decide(self, decision: str) -> None:
        self.decision = decision
        self.approve.button_style = "success" if decision == "approved" else ""
        self.reject.button_style = "danger" if decision == "rejected" else ""
        self.status.value = f"<i>{escape(decision)}</i>"
        self.on_change()

    # user input ------------------------------------------------------------------------------

    def _input_fields(self, schema: list[UserInputField]) -> list[widgets.Widget]:
        rows: list[widgets.Widget] = []
        for field in schema:
            kind = (field.field_type or "str").lower()
            label = field.name + (f" — {field.description}" if field.description else "")
            choices = _choices(kind)
            control: widgets.Widget
            if choices:
                control = widgets.Dropdown(
                    options=choices, value=field.value if field.value in choices else None
                )
            elif kind in ("bool", "boolean"):
                control = widgets.Checkbox(value=bool(field.value), indent=False)
            elif kind in ("int", "integer"):
                control = widgets.Text(
                    value="" if field.value is None else str(field.value), placeholder="integer"
                )
            elif kind in ("float", "number"):
                control = widgets.Text(
                    value="" if field.value is None else str(field.value), placeholder="number"
                )
            else:
                control = widgets.Text(value="" if field.value is None else str(field.value))
            control.observe(lambda _change, name=field.name: self._touch(name), names="value")
            self.fields[field.name] = control
            rows.append(widgets.HBox([widgets.HTML(value=f"<b>{escape(label)}</b>"), control]))
        return rows

    def _touch(self, name: str) -> None:
        self.touched.add(name)
        self.on_change()

    def input_values(self, shown: bool = False) -> tuple[dict[str, Any], list[str]]:
        """The typed values and the problems that block submitting (``shown``: of touched fields only)."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field in self.tool.user_input_schema or []:
            value, problem = self._field_value(field)
            if problem is None:
                values[field.name] = value
            elif not shown or field.name in self.touched:
                problems.append(problem)
        return values, problems

    def _field_value(self, field: UserInputField) -> tuple[Any, str | None]:
        control = self.fields[field.name]
        raw = control.value
        kind = (field.field_type or "str").lower()
        if isinstance(control, widgets.Checkbox):
            return bool(raw), None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, f"{field.name} is required"
        try:
            if kind in ("int", "integer"):
                return int(str(raw).strip()), None
            if kind in ("float", "number"):
                return float(str(raw).strip()), None
        except ValueError:
            return None, f"{field.name} must be a {'whole number' if kind.startswith('int') else 'number'}"
        return raw, None

    # external execution ----------------------------------------------------------------------

    def _external(self, executor: Callable[..., Any] | None) -> list[widgets.Widget]:
        self.result_box = widgets.Textarea(placeholder="the tool's output, as the agent should see it")
        self.result_box.observe(lambda _change: self.on_change(), names="value")
        rows: list[widgets.Widget] = [self.result_box]
        if executor is not None:
            self.run_button = widgets.Button(
                description=f"Run {self.tool.tool_name} here",
                icon="play",
                layout=widgets.Layout(width="auto"),  # the default fixed width cuts the tool name off
            )
            self.run_button.on_click(lambda _: asyncio.ensure_future(self._run_executor(executor)))
            rows.insert(0, self.run_button)
        return rows

    async def _run_executor(self, executor: Callable[..., Any]) -> None:
        self.run_button.disabled = True
        try:
            result = executor(**(self.tool.tool_args or {}))
            if inspect.isawaitable(result):
                result = await result
            self.result_box.value = result if isinstance(result, str) else repr(result)
            self.error.value = ""
        except Exception as exc:  # the user's own function: show what it raised, keep the form usable
            self.error.value = (
                f'<span style="color:#dc2626">{escape(type(exc).__name__)}: {escape(exc)}</span>'
            )
        finally:
            self.run_button.disabled = False

    # decisions -------------------------------------------------------------------------------

    @property
    def decided(self) -> bool:
        if self.kind == "user_input":
            return not self.input_values()[1]
        if self.kind == "external_execution":
            return bool(self.result_box.value.strip())
        return self.decision is not None

    def apply(self) -> None:
        """Write the decision onto the ToolExecution that continue_run will send."""
        if self.kind == "user_input":
            values, problems = self.input_values()
            if problems:
                raise ValueError("; ".join(problems))
            self.tool.provide_user_input(values)
        elif self.kind == "external_execution":
            self.tool.set_external_execution_result(self.result_box.value)
        elif self.decision == "approved":
            self.tool.confirm(self.note.value or None)
        else:
            self.tool.reject(self.note.value or None)

    def disable(self) -> None:
        for child in _walk(self.widget):
            if hasattr(child, "disabled"):
                child.disabled = True


def _choices(kind: str) -> list[str]:
    """Options of a ``Literal['a', 'b']`` / ``enum[a|b]`` field type, else []."""
    match = re.match(r"^(?:literal|enum)\[(.*)\]$", kind.strip(), flags=re.I)
    if not match:
        return []
    return [c.strip().strip("'\"") for c in re.split(r"[,|]", match.group(1)) if c.strip()]


def _walk(widget: Any) -> list[Any]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _walk(child)
    return out


class ApprovalForm(widgets.VBox):  # type: ignore[misc]
    """Decide on a paused run's tools and continue it; ``await`` it for the final RunOutput."""

    children: tuple[Any, ...]  # the VBox trait, typed for mypy

    def __init__(
        self,
        agent: Any,
        paused: RunOutput,
        *,
        executors: dict[str, Callable[..., Any]] | None = None,
        stream: bool = True,
        **kwargs: Any,
    ) -> None:
        if not paused.is_paused:
            raise ValueError(f"run {paused.run_id!r} is not paused (status {paused.status.value})")
        self.agent = agent
        self.paused = paused
        self.stream = stream
        self.result: RunOutput | None = None
        self.continuation: StreamView | None = None
        self.next_form: ApprovalForm | None = None
        self._done: asyncio.Future[RunOutput] | None = None
        self._task: asyncio.Future[None] | None = None
        self._tried = False  # Submit was pressed: show every field's problem, touched or not
        #: The run waits for a free-text answer (an A2A input-required task), not for tool decisions.
        self.asks_for_reply = paused.awaiting_reply
        self.cards: list[_Card] = []
        rows: list[widgets.Widget] = []
        if self.asks_for_reply:
            question = paused.question or paused.text or "The agent needs more input."
            self.reply = widgets.Textarea(placeholder="your answer")
            self.reply.observe(lambda _change: self._refresh(), names="value")
            rows = [widgets.HTML(value=f"<b>The agent asks: {escape(question)}</b>"), self.reply]
        else:
            self.cards = [_Card(tool, self._refresh, executors or {}) for tool in pending_tools(paused)]
            rows = [card.widget for card in self.cards]
        self.title = widgets.HTML(value="<b>The agent is waiting for your decision</b>")
        self.submit_button = widgets.Button(description="Submit", button_style="primary", icon="paper-plane")
        self.submit_button.on_click(self._on_submit)
        self.message = widgets.HTML(value="")
        super().__init__(children=[self.title, *rows, self.submit_button, self.message], **kwargs)
        self.add_class("agentnb-approval")
        name_askers(self)  # "member Janitor asks", "step publish asks ...": who is asking
        self._refresh()

    def __repr__(self) -> str:
        return f"<ApprovalForm run={self.paused.run_id} tools={len(self.cards)} submitted={self.submitted}>"

    @property
    def submitted(self) -> bool:
        return self._task is not None

    @property
    def ready(self) -> bool:
        """Every pending tool is decided (or the A2A reply is written)."""
        if self.submitted:
            return False
        if self.asks_for_reply:
            return bool(self.reply.value.strip())
        return all(card.decided for card in self.cards)

    def _refresh(self) -> None:
        self.submit_button.disabled = not self.ready
        if not self.asks_for_reply and not self.submitted:
            shown = not self._tried
            problems = [
                p for card in self.cards if card.kind == "user_input" for p in card.input_values(shown)[1]
            ]
            self.message.value = (
                f'<span style="color:#6b7280">{escape("; ".join(problems))}</span>' if problems else ""
            )

    # -- submit and continue -----------------------------------------------------------------

    def _refusal(self) -> str | None:
        """Why this form must not be sent at all (checked before anything is sent), else None."""
        mine = getattr(self.agent, "agent_id", None)
        if self.paused.agent_id and mine and self.paused.agent_id != mine:
            return f"run paused by agent {self.paused.agent_id!r}; it cannot be continued by {mine!r}"
        if self.paused.run_id and self.paused.run_id in _CONTINUED:
            return f"run {self.paused.run_id!r} was already continued; it cannot be continued again"
        return None

    def _fail(self, message: Any) -> None:
        self.message.value = f'<span style="color:#dc2626">⚠ {escape(message)}</span>'

    def _on_submit(self, _button: Any = None) -> None:
        if self.submitted:  # guards a second click that raced the first
            return
        if not self.ready:
            self._tried = True
            self._refresh()
            return
        refusal = self._refusal()
        if refusal is not None:
            self.submit_button.disabled = True
            self._fail(refusal)
            return
        if self.paused.run_id:
            _CONTINUED.add(self.paused.run_id)
        self.submit_button.disabled = True
        for card in self.cards:
            card.disable()
        if self.asks_for_reply:
            self.reply.disabled = True
        self._task = asyncio.ensure_future(self._continue())

    def submit(self) -> None:
        """What the Submit button does, for code."""
        self._on_submit()

    def _future(self) -> asyncio.Future[RunOutput]:
        if self._done is None:
            self._done = asyncio.get_running_loop().create_future()
        return self._done

    async def _continue(self) -> None:
        done = self._future()
        try:
            for card in self.cards:
                card.apply()
            kwargs: dict[str, Any] = {"input": self.reply.value} if self.asks_for_reply else {}
            # Called before the StreamView exists: a refusal (RunAlreadyContinuedError, undecided
            # tools) is raised here, before anything is sent, and is shown once, in the message.
            started = self.agent.acontinue_run(self.paused, stream=self.stream, **kwargs)
            if self.stream:
                view = self.continuation = StreamView(title="continued")
                self.children = (*self.children, view)
                result = await view.run(started, agent=self.agent)
            else:
                result = await started
            self.message.value = ""
            if result.is_paused:
                _CONTINUED.discard(self.paused.run_id or "")  # paused again: the same run id continues
                next_form = ApprovalForm(self.agent, result, stream=self.stream)
                self.next_form = next_form
                self.children = (*self.children, next_form)
                result = await self.next_form.wait()
            self.result = result
            if not done.done():
                done.set_result(result)
        except (AgentNBError, ValueError) as exc:
            if not isinstance(exc, RunAlreadyContinuedError):
                _CONTINUED.discard(self.paused.run_id or "")
            if self.continuation is None or self.continuation.error is None:
                self._fail(exc)  # a StreamView that already shows it would show it twice
            if not done.done():
                done.set_exception(exc)

    async def wait(self) -> RunOutput:
        """Wait until the run is continued to its end (through any further pauses)."""
        return await self._future()

    def __await__(self) -> Generator[Any, None, RunOutput]:
        return self._show_and_wait().__await__()

    async def _show_and_wait(self) -> RunOutput:
        from IPython.display import display

        display(self)  # type: ignore[no-untyped-call]
        return await self.wait()

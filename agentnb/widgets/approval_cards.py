"""The decision widgets of one paused tool, chosen by its pause kind (used by ApprovalForm).

Confirmation: Approve / Reject with an optional note. User input: fields generated from
``user_input_schema``, validated after the user touched them. External execution: a result box,
or a Python callable registered for that tool name, run on click.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from agentnb.runs.models import ToolExecution, UserInputField
from agentnb.widgets.render import escape, pretty_json

__all__ = ["register_executor"]

#: Python callables that run an external-execution tool locally, by tool name.
_EXECUTORS: dict[str, Callable[..., Any]] = {}


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
        self.approve.on_click(lambda _: self.decide("approved"))
        self.reject.on_click(lambda _: self.decide("rejected"))
        self.status = widgets.HTML(value="")
        # The note comes first: with a single tool, Approve / Reject sends at once.
        return [widgets.HBox([self.note, self.approve, self.reject]), self.status]

    def decide(self, decision: str) -> None:
        """Approve or reject (what the two buttons do)."""
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

    @property
    def summary(self) -> str:
        """What was decided, in a few words ("approved delete_file")."""
        name = self.tool.tool_name or "the tool"
        if self.kind == "user_input":
            return f"answered {name}"
        if self.kind == "external_execution":
            return f"ran {name}"
        return f"{self.decision or 'undecided'} {name}"

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

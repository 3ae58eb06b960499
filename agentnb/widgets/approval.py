"""ApprovalForm: decide on a paused run's tools, then continue it in place.

One card per paused tool, chosen by its pause kind (see ``approval_cards``). Over A2A, an
input-required task gets a reply box that answers into the same task, and the form says the
agent asks a question (there is nothing to "decide").

One click for one decision: a single tool that needs confirmation is sent the moment Approve or
Reject is clicked. With several tools, Submit (and "Approve all") stays, enabled only when every
pending tool is decided; it is disabled the moment it is clicked (AgentOS would fork a run
continued twice). The continuation streams into a StreamView below the form; if it pauses again,
a new form appears under it. When the run has continued, the form collapses to one line
("approved delete_file · continued ✓") and the paused view it answers stops saying "waiting".

    out = await ApprovalForm(agent, paused_run)     # shows the form, returns the final RunOutput
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError, RunAlreadyContinuedError
from agentnb.runs.continued import ContinuedRuns
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.widgets.approval_cards import _Card, register_executor
from agentnb.widgets.askers import name_askers, pending_tools
from agentnb.widgets.render import escape
from agentnb.widgets.stream_view import StreamView

__all__ = ["ApprovalForm", "register_executor"]

#: Run ids some form continued (whichever RemoteAgent it used); a second continue would fork the run.
_CONTINUED = ContinuedRuns()


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
        view: StreamView | None = None,
        **kwargs: Any,
    ) -> None:
        """``view``: the StreamView that shows the paused run; it stops saying "waiting" once continued."""
        if not paused.is_paused:
            raise ValueError(f"run {paused.run_id!r} is not paused (status {paused.status.value})")
        self.agent = agent
        self.paused = paused
        self.stream = stream
        self.paused_view = view
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
            waiting = "The agent asks you a question and waits for your reply"
        else:
            self.cards = [_Card(tool, self._refresh, executors or {}) for tool in pending_tools(paused)]
            rows = [card.widget for card in self.cards]
            waiting = "The agent is waiting for your decision"
        #: One tool to approve or reject: its buttons send at once, there is no Submit.
        self.one_click = len(self.cards) == 1 and self.cards[0].kind == "confirmation"
        self.title = widgets.HTML(value=f"<b>{escape(waiting)}</b>")
        self.submit_button = widgets.Button(description="Submit", button_style="primary", icon="paper-plane")
        self.submit_button.on_click(self._on_submit)
        self.approve_all_button = widgets.Button(
            description="Approve all", icon="check-double", tooltip="Approve every tool above"
        )
        self.approve_all_button.on_click(lambda _: self.approve_all())
        confirmations = sum(card.kind == "confirmation" for card in self.cards)
        if confirmations < 2:
            self.approve_all_button.layout.display = "none"
        if self.one_click:
            self.submit_button.layout.display = "none"
        self.message = widgets.HTML(value="")
        self.summary = widgets.HTML(value="")
        self.summary.add_class("agentnb-approval-summary")
        self._controls = widgets.HBox([self.submit_button, self.approve_all_button])
        self._form_rows: list[widgets.Widget] = [self.title, *rows, self._controls, self.message]
        super().__init__(children=list(self._form_rows), **kwargs)
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

    def approve_all(self) -> None:
        """Approve every tool that asks for a confirmation (what "Approve all" does)."""
        for card in self.cards:
            if card.kind == "confirmation" and not self.submitted:
                card.decide("approved")

    def _refresh(self) -> None:
        self.submit_button.disabled = not self.ready
        self.approve_all_button.disabled = self.submitted
        if self.one_click and self.ready:
            self._on_submit()
            return
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
        self.submit_button.disabled = self.approve_all_button.disabled = True
        for card in self.cards:
            card.disable()
        if self.asks_for_reply:
            self.reply.disabled = True
        self._task = asyncio.ensure_future(self._continue())
        self._collapse("continuing…")

    def _decisions(self) -> str:
        if self.asks_for_reply:
            return "answered the agent's question"
        return ", ".join(card.summary for card in self.cards)

    def _collapse(self, ending: str) -> None:
        """Replace the decided form by one line saying what was decided and how the run went."""
        self.summary.value = (
            f'<span style="color:#374151">{escape(self._decisions())}</span>'
            f' <span style="color:#6b7280">· {escape(ending)}</span>'
        )
        extra = [c for c in (self.continuation, self.next_form) if c is not None]
        self.children = (self.summary, self.message, *extra)

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
            if self.paused_view is not None:
                self.paused_view.resolve("continued")
            if result.is_paused:
                _CONTINUED.discard(self.paused.run_id or "")  # paused again: the same run id continues
                next_form = ApprovalForm(self.agent, result, stream=self.stream, view=self.continuation)
                self.next_form = next_form
                self._collapse("continued; the agent asks again below")
                result = await self.next_form.wait()
            self.result = result
            self._collapse(_ending(result))
            if not done.done():
                done.set_result(result)
        except (AgentNBError, ValueError) as exc:
            if not isinstance(exc, RunAlreadyContinuedError):
                _CONTINUED.discard(self.paused.run_id or "")
            if self.continuation is None or self.continuation.error is None:
                self._fail(exc)  # a StreamView that already shows it would show it twice
            self._collapse("not continued ✗" if self.continuation is None else "continued ✗ (failed)")
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


def _ending(result: RunOutput) -> str:
    if result.status is RunStatus.completed:
        return "continued ✓"
    if result.status is RunStatus.cancelled:
        return "continued, then stopped"
    if result.status is RunStatus.error:
        return "continued ✗ (the run failed)"
    return f"continued ({result.status.value.lower()})"

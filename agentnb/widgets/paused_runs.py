"""approve_paused: the ApprovalForms of a batch's paused runs, one after another.

frame = await agent.abatch(prompts)
queue = approve_paused(agent, frame)      # shows the first form; the next appears once it is done
results = await queue.wait()              # every continued run's final RunOutput, in order
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from agentnb.runs.models import RunOutput
from agentnb.widgets.approval import ApprovalForm
from agentnb.widgets.render import escape

__all__ = ["PausedRuns", "approve_paused"]


def _paused_of(runs: Any) -> list[RunOutput]:
    attrs = getattr(runs, "attrs", None)
    if isinstance(attrs, dict) and "paused" in attrs:  # a batch's DataFrame
        items: Iterable[Any] = [attrs["paused"][k] for k in sorted(attrs["paused"])]
    else:
        items = runs
    return [r for r in items if isinstance(r, RunOutput) and r.is_paused]


class PausedRuns(widgets.VBox):  # type: ignore[misc]
    """One ApprovalForm at a time; the next opens when the current run has been continued."""

    def __init__(self, agent: Any, runs: Any, **form_kwargs: Any) -> None:
        self.agent = agent
        self.runs = _paused_of(runs)
        self.form_kwargs = form_kwargs
        self.results: list[RunOutput] = []
        self.form: ApprovalForm | None = None
        self.header = widgets.HTML(value="")
        super().__init__(children=[self.header])
        self.add_class("agentnb-paused-runs")
        self._done: asyncio.Future[list[RunOutput]] | None = None
        self._task: asyncio.Future[None] | None = None
        self._open(0)

    def __repr__(self) -> str:
        return f"<PausedRuns {len(self.results)}/{len(self.runs)} continued>"

    def _open(self, index: int) -> None:
        if index >= len(self.runs):
            self.form = None
            self.header.value = f"<b>{len(self.results)} paused run(s) continued</b>"
            self.children = [self.header]
            if self._done is not None and not self._done.done():
                self._done.set_result(self.results)
            return
        run = self.runs[index]
        self.header.value = (
            f"<b>paused run {index + 1} of {len(self.runs)}</b> "
            f'<span style="color:#6b7280">{escape(run.run_id or "")}</span>'
        )
        self.form = ApprovalForm(self.agent, run, **self.form_kwargs)
        self.children = [self.header, self.form]
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: wait() starts the chain
        self._task = asyncio.ensure_future(self._next_after(self.form, index))

    async def _next_after(self, form: ApprovalForm, index: int) -> None:
        try:
            self.results.append(await form.wait())
        except Exception:
            return  # the form shows its own error; the user can retry there
        self._open(index + 1)

    async def wait(self) -> list[RunOutput]:
        """Every continued run's final RunOutput, once the last form is done."""
        if self._done is None:
            self._done = asyncio.get_running_loop().create_future()
            if not self.runs:
                self._done.set_result([])
            elif self._task is None and self.form is not None:
                index = self.runs.index(self.form.paused)
                self._task = asyncio.ensure_future(self._next_after(self.form, index))
        return await self._done


def approve_paused(agent: Any, runs: Any, **form_kwargs: Any) -> PausedRuns:
    """The paused runs of a batch DataFrame (or any RunOutputs) as forms, one after another.

    Like ChatPane, it shows where it is the cell's value (or pass it to ``display``).
    """
    return PausedRuns(agent, runs, **form_kwargs)

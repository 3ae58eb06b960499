"""``%agent`` and ``%%agent``: name remote agents, list them, show cards, send a cell's text.

    %load_ext agentnb
    %agent connect helper http://localhost:7777 --agent-id assistant --token-env AGENTOS_TOKEN
    %agent list
    %agent cards http://localhost:7777/a2a/agents/assistant

    %%agent helper --session demo --out answer
    Summarise {topic} in two sentences.

The answer streams into a StreamView in JupyterLab / Notebook 7 and as plain text in a terminal;
the final RunOutput lands in ``_agent`` (or ``--out``); a paused run shows its ApprovalForm.
The magic waits for the run (so the next cell sees the result): interrupt the kernel to stop it,
which closes the stream and asks the server to cancel. Mistakes and failures are one line.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Any

import httpx
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.display import display as _display

from agentnb import _sync
from agentnb.errors import AgentNBError
from agentnb.magics.args import MagicError, connect_parser, parse, run_parser, substitute
from agentnb.magics.named import NamedAgents
from agentnb.runs.events import RunContent
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.widgets.stream_view import StreamView
from agentnb.widgets.throttle import DEFAULT_INTERVAL

__all__ = ["AgentMagics"]


def display(obj: Any, **kwargs: Any) -> Any:
    return _display(obj, **kwargs)  # type: ignore[no-untyped-call]


USAGE = (
    "usage: %agent connect NAME URL [--agent-id ID] [--a2a] [--token-env VAR] | %agent list | "
    "%agent cards URL... | %%agent NAME [--session ID] [--user ID] [--no-stream] [--out VAR]"
)
#: Longest error line shown; a server's message can be long.
ERROR_CHARS = 300


@magics_class
class AgentMagics(Magics):
    """The ``%agent`` line magic and the ``%%agent`` cell magic."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.named = NamedAgents()
        #: None: widgets when running in a Jupyter kernel, text in a terminal. Tests may force it.
        self.widgets: bool | None = None

    @line_cell_magic
    def agent(self, line: str, cell: str | None = None) -> Any:
        try:
            if cell is None:
                return self._line(line)
            self._cell(line, cell)
        except (MagicError, AgentNBError, httpx.HTTPError, ValueError) as exc:
            _say_error(exc)
        return None

    # -- %agent ----------------------------------------------------------------------------------

    def _line(self, line: str) -> Any:
        command, _, rest = line.strip().partition(" ")
        if command == "connect":
            args = parse(connect_parser(), rest)
            named = self.named.connect(
                args.name, args.url, agent_id=args.agent_id, a2a=args.a2a, token_env=args.token_env
            )
            token = f", token from ${named.token_env}" if named.token_env else ""
            agent = named.agent
            print(f"{named.name}: {agent.protocol} agent {agent.agent_id!r} at {agent.base_url}{token}")
            return None
        if command == "list":
            return self.named.table()
        if command == "cards":
            urls = rest.split()
            if not urls:
                raise MagicError("%agent cards needs at least one URL")
            from agentnb.tables import agent_cards_table

            return agent_cards_table(urls)
        raise MagicError(USAGE)

    # -- %%agent ---------------------------------------------------------------------------------

    @property
    def user_ns(self) -> dict[str, Any]:
        return self.shell.user_ns if self.shell is not None else {}

    def _cell(self, line: str, cell: str) -> None:
        args = parse(run_parser(), line)
        if args.out is not None and not args.out.isidentifier():
            raise MagicError(f"--out {args.out!r}: not a variable name")
        agent = self.named.get(args.name)
        prompt = substitute(cell, self.user_ns).strip()
        if not prompt:
            raise MagicError("the cell is empty: nothing to send")
        kwargs: dict[str, Any] = {}
        if args.session:
            kwargs["session_id"] = args.session
        if args.user:
            kwargs["user_id"] = args.user
        if args.no_stream:
            output = agent.run(prompt, **kwargs)
            display(output) if self._use_widgets() else print(output.text or output.status.name.lower())
        elif self._use_widgets():
            output = self._stream_into_view(agent, prompt, kwargs, title=args.name)
        else:
            output = _stream_as_text(agent, prompt, kwargs)
        self.user_ns[args.out or "_agent"] = output
        if output.is_error:
            _say_error(MagicError(f"the run failed: {output.text or output.error_type or 'no reason given'}"))
        if output.is_paused:
            self._show_paused(agent, output)

    def _use_widgets(self) -> bool:
        if self.widgets is not None:
            return self.widgets
        return getattr(self.shell, "kernel", None) is not None

    def _show_paused(self, agent: Any, output: RunOutput) -> None:
        if not self._use_widgets():
            names = ", ".join(r.tool_execution.tool_name or "?" for r in output.active_requirements)
            print(f"paused: waiting for {names or 'a reply'}; continue it with ApprovalForm(agent, _agent)")
            return
        from agentnb.widgets.approval import ApprovalForm

        # The form continues the run on the kernel's loop once the cell has returned.
        display(ApprovalForm(agent, output))

    def _stream_into_view(self, agent: Any, prompt: str, kwargs: dict[str, Any], *, title: str) -> RunOutput:
        """Stream into a StreamView from this (blocked) cell: events come from agentnb's IO thread,
        the view is updated here, at most once per interval, because the kernel's loop (which
        would coalesce) does not turn while a magic runs."""
        view = StreamView(title=title)
        handle = display(view, display_id=True)
        stream = agent.arun(prompt, stream=True, **kwargs)
        view.run_id, view.started_at = None, time.monotonic()
        view._set_state("running")
        last = 0.0
        try:
            for event in _sync.iterate_sync(stream):
                view.handle(event)
                if time.monotonic() - last >= DEFAULT_INTERVAL:
                    last = time.monotonic()
                    view.coalescer.flush_now()
            view._final_text = stream.output.text
            view._set_state(_state_of(stream.output))
        except KeyboardInterrupt:
            _stopped(agent, stream.output)
            view._final_text = view.text
            view._set_state("stopped")
        finally:
            view.ended_at = time.monotonic()
            view.output = stream.output
            view.stop_button.layout.display = "none"
            view.coalescer.flush_now()
            if handle is not None:
                handle.update(view)
        return stream.output  # type: ignore[no-any-return]


def _stream_as_text(agent: Any, prompt: str, kwargs: dict[str, Any]) -> RunOutput:
    stream = agent.arun(prompt, stream=True, **kwargs)
    try:
        for event in _sync.iterate_sync(stream):
            if isinstance(event, RunContent) and isinstance(event.content, str):
                print(event.content, end="", flush=True)
        print()
    except KeyboardInterrupt:
        _stopped(agent, stream.output)
        print("\n[stopped]")
    return stream.output  # type: ignore[no-any-return]


def _stopped(agent: Any, output: RunOutput) -> None:
    """The user interrupted: the stream is closed already; make sure the server cancels too."""
    output.interrupted = True
    if output.status is RunStatus.running:
        output.status = RunStatus.cancelled
    if output.run_id:
        with contextlib.suppress(AgentNBError, httpx.HTTPError):
            agent.cancel(output.run_id)


def _state_of(output: RunOutput) -> str:
    return output.status.name.lower() if output.status is not RunStatus.running else "completed"


def _say_error(exc: BaseException) -> None:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > ERROR_CHARS:
        text = text[: ERROR_CHARS - 1] + "…"
    name = "" if isinstance(exc, MagicError) else f"{type(exc).__name__}: "
    print(f"%agent: {name}{text}", file=sys.stderr)

"""ChatPane: a chat with one agent inside a notebook cell.

History with user and agent bubbles and timestamps; a message box (Enter sends, Shift+Enter is a
newline); Send turns into Stop while a run is going; Retry last; New session; a session picker
filled from the server; user_id; transcript export as JSON and Markdown with tokens redacted.
A paused run shows its ApprovalForm inline and continues in place; an error shows inline with the
server's message and a Retry. Every callback only schedules work on the kernel's loop.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError
from agentnb.runs.models import RunOutput
from agentnb.widgets.approval import ApprovalForm
from agentnb.widgets.chat_input import ChatInput
from agentnb.widgets.render import escape, render_markdown
from agentnb.widgets.stream_view import StreamView

__all__ = ["ChatPane"]

_NEW = "(new session)"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _bubble(role: str, text: str, when: datetime, *, markdown: bool) -> widgets.HTML:
    mine = role == "user"
    body = render_markdown(text) if markdown else f'<div style="white-space:pre-wrap">{escape(text)}</div>'
    style = (
        "margin:4px 0 4px auto;background:#dbeafe;" if mine else "margin:4px auto 4px 0;background:#f3f4f6;"
    ) + "max-width:85%;border-radius:10px;padding:4px 10px"
    stamp = when.astimezone().strftime("%H:%M:%S")
    who = "you" if mine else "agent"
    return widgets.HTML(
        value=(
            f'<div class="agentnb-bubble agentnb-{escape(role)}" style="{style}">{body}'
            f'<div style="color:#6b7280;font-size:0.75em">{who} · {stamp}</div></div>'
        )
    )


class ChatPane(widgets.VBox):  # type: ignore[misc]
    """Chat with ``agent`` (a RemoteAgent, over AgentOS or A2A).

    >>> ChatPane(agent, user_id="ada")
    """

    def __init__(
        self,
        agent: Any,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        title: str | None = None,
        max_turns: int = 200,
        export_dir: str | Path = ".",
        **kwargs: Any,
    ) -> None:
        self.agent = agent
        self.session_id = session_id
        self.max_turns = max_turns
        self.export_dir = Path(export_dir)
        self.transcript: list[dict[str, Any]] = []
        self.last_prompt: str | None = None
        self.running: asyncio.Future[None] | None = None
        self.current_view: StreamView | None = None
        self.dropped_turns = 0
        #: Items (bubbles, views, forms) dropped from view so far, and the notice that says so.
        self.hidden_items = 0
        self._hidden_note: widgets.HTML | None = None
        name = title or getattr(agent, "agent_id", "agent")
        self.header = widgets.HTML(value=f"<b>{escape(name)}</b>")
        self.user_id = widgets.Text(
            value=user_id or "", placeholder="user_id", layout=widgets.Layout(width="140px")
        )
        self.sessions = widgets.Dropdown(
            options=[(_NEW, _NEW)], value=_NEW, layout=widgets.Layout(width="260px")
        )
        self.sessions.observe(self._on_pick_session, names="value")
        self.new_button = widgets.Button(description="New session", icon="plus")
        self.new_button.on_click(lambda _: self.new_session())
        self.refresh_button = widgets.Button(
            icon="refresh", tooltip="Reload the session list", layout=widgets.Layout(width="36px")
        )
        self.refresh_button.on_click(lambda _: self._schedule(self.refresh_sessions()))
        self.export_json_button = widgets.Button(
            description="JSON", icon="download", tooltip="Export the transcript"
        )
        self.export_md_button = widgets.Button(
            description="Markdown", icon="download", tooltip="Export the transcript"
        )
        self.export_json_button.on_click(lambda _: self._export("json"))
        self.export_md_button.on_click(lambda _: self._export("md"))
        self.history = widgets.VBox()  # no max height: flex children would shrink, not scroll
        self.input = ChatInput(layout=widgets.Layout(width="100%"))
        self.input.on_submit(lambda _text: self._send_from_box())
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane")
        self.send_button.on_click(self._on_send_or_stop)
        self.retry_button = widgets.Button(description="Retry", icon="repeat", disabled=True)
        self.retry_button.on_click(lambda _: self.retry())
        self.status = widgets.HTML(value="")
        toolbar = widgets.HBox(
            [self.header, self.sessions, self.refresh_button, self.new_button, self.user_id]
        )
        exports = widgets.HBox(
            [widgets.HTML(value="export:"), self.export_json_button, self.export_md_button]
        )
        inputs = widgets.HBox(
            [
                widgets.Box([self.input], layout=widgets.Layout(flex="1 1 auto", width="auto")),
                self.send_button,
                self.retry_button,
            ]
        )
        super().__init__(children=[toolbar, self.history, inputs, self.status, exports], **kwargs)
        self.add_class("agentnb-chat")
        if not getattr(agent, "lists_sessions", False):
            # A2A has no session listing: the context id is the session.
            self.sessions.layout.display = "none"
            self.refresh_button.layout.display = "none"
        else:
            self._schedule(self.refresh_sessions())

    def __repr__(self) -> str:
        return f"<ChatPane {getattr(self.agent, 'agent_id', '')} turns={len(self.transcript)}>"

    # -- scheduling --------------------------------------------------------------------------

    def _schedule(self, coro: Any) -> asyncio.Future[Any] | None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            coro.close()  # no loop: nothing to run it on (a plain script)
            return None
        task: asyncio.Future[Any] = asyncio.ensure_future(coro)
        return task

    @property
    def busy(self) -> bool:
        return self.running is not None and not self.running.done()

    # -- sending -------------------------------------------------------------------------------

    def _send_from_box(self) -> None:
        self.send()

    def _on_send_or_stop(self, _button: Any = None) -> None:
        if self.busy:
            self.stop()
        else:
            self.send()

    def send(self, text: str | None = None) -> asyncio.Future[None] | None:
        """Send ``text`` (or what is in the box); returns the task running the turn."""
        prompt = (self.input.value if text is None else text).strip()
        if self.busy:
            return None
        if not prompt:
            # Say why nothing happened, and drop the whitespace so the box is really empty.
            if text is None:
                self.input.value = ""
            self.status.value = '<span style="color:#6b7280">nothing to send: the message is empty</span>'
            return None
        self.input.value = ""
        return self._start(prompt)

    def retry(self) -> asyncio.Future[None] | None:
        """Send the last prompt again."""
        if self.last_prompt is None or self.busy:
            return None
        return self._start(self.last_prompt)

    def stop(self) -> None:
        """Stop whatever is streaming: the turn's answer or a continuation after an approval."""
        for view in self._views():
            if view.running:
                view.stop()

    def _views(self) -> list[StreamView]:
        found: list[StreamView] = []
        pending: list[Any] = list(self.history.children)
        while pending:
            item = pending.pop()
            if isinstance(item, StreamView):
                found.append(item)
            elif isinstance(item, ApprovalForm):
                pending += [c for c in (item.continuation, item.next_form) if c is not None]
        return found

    def _start(self, prompt: str) -> asyncio.Future[None] | None:
        self.last_prompt = prompt
        self._set_busy(True)
        self.running = self._schedule(self._turn(prompt))
        return self.running

    def _set_busy(self, busy: bool) -> None:
        self.send_button.description = "Stop" if busy else "Send"
        self.send_button.icon = "stop" if busy else "paper-plane"
        self.send_button.button_style = "warning" if busy else "primary"
        self.input.disabled = busy
        self.retry_button.disabled = busy or self.last_prompt is None
        self.new_button.disabled = busy
        self.sessions.disabled = busy

    def _append(self, *children: widgets.Widget) -> None:
        note = self._hidden_note
        items = [c for c in self.history.children if c is not note] + list(children)
        limit = self.max_turns * 4
        if len(items) > limit:
            # The widgets for old turns are dropped; the transcript keeps them. One notice, kept up
            # to date, counts everything hidden so far (not itself).
            self.dropped_turns += 1
            self.hidden_items += len(items) - limit
            if note is None:
                note = self._hidden_note = widgets.HTML()
            note.value = f'<i style="color:#6b7280">{self.hidden_items} older items hidden</i>'
            items = items[-limit:]
        self.history.children = [note, *items] if note is not None else items

    def _clear_history(self) -> None:
        self.history.children = []
        self.hidden_items, self._hidden_note = 0, None

    def _record(self, role: str, text: str, **extra: Any) -> None:
        self.transcript.append({"role": role, "text": text, "time": _now().isoformat(), **extra})

    async def _turn(self, prompt: str) -> None:
        self.status.value = ""
        self._append(_bubble("user", self._redact(prompt), _now(), markdown=False))
        self._record("user", prompt, session_id=self.session_id)
        view = self.current_view = StreamView(redact=self._redact)
        view.stop_button.layout.display = "none"  # the pane's own Send/Stop button stops it
        self._append(view)
        try:
            output = await view.run(
                self.agent.arun(
                    prompt,
                    stream=True,
                    session_id=self.session_id,
                    user_id=self.user_id.value or None,
                ),
                agent=self.agent,
            )
            await self._after_run(output)
        except AgentNBError as exc:
            self._show_error(exc)
        finally:
            self.current_view = None
            self._set_busy(False)

    async def _after_run(self, output: RunOutput) -> None:
        if output.session_id and output.session_id != self.session_id:
            self.session_id = output.session_id
            self._remember_session(output.session_id)
        self._record(
            "agent", output.text, run_id=output.run_id, status=output.status.value, session_id=self.session_id
        )
        while output.is_paused:
            form = ApprovalForm(self.agent, output)
            self._append(form)
            output = await form.wait()
            self._record("agent", output.text, run_id=output.run_id, status=output.status.value)

    def _show_error(self, exc: Exception) -> None:
        retry = widgets.Button(description="Retry", icon="repeat")
        retry.on_click(lambda _: self.retry())
        box = widgets.HBox([widgets.HTML(value=f'<span style="color:#dc2626">⚠ {escape(exc)}</span>'), retry])
        self._append(box)
        self._record("error", str(exc))

    # -- sessions ------------------------------------------------------------------------------

    def new_session(self) -> None:
        """Start over: a new session on the next message, an empty history."""
        if self.busy:
            return
        self.session_id = None
        self._clear_history()
        self.sessions.value = _NEW

    def _remember_session(self, session_id: str) -> None:
        options = list(self.sessions.options)
        label = next((o for o in options if o[1] == session_id), None)
        if label is None:
            options.append((f"{session_id[:8]} (this chat)", session_id))
            self.sessions.unobserve(self._on_pick_session, names="value")
            self.sessions.options = options
            self.sessions.value = session_id
            self.sessions.observe(self._on_pick_session, names="value")

    async def refresh_sessions(self) -> None:
        """Fill the session picker from the server (this agent's sessions, newest first)."""
        try:
            page = await self.agent.alist_sessions(user_id=self.user_id.value or None, limit=50)
        except AgentNBError as exc:
            self.status.value = f'<span style="color:#d97706">sessions: {escape(exc)}</span>'
            return
        options: list[tuple[str, str]] = [(_NEW, _NEW)]
        for s in page.data:
            name = (s.session_name or s.session_id)[:40]
            options.append((f"{name} · {s.session_id[:8]}", s.session_id))
        current = self.session_id if any(o[1] == self.session_id for o in options) else _NEW
        self.sessions.unobserve(self._on_pick_session, names="value")
        self.sessions.options = options
        self.sessions.value = current
        self.sessions.observe(self._on_pick_session, names="value")

    def _on_pick_session(self, change: dict[str, Any]) -> None:
        value = change.get("new")
        if value == _NEW or value is None:
            self.new_session()
            return
        self._schedule(self.load_session(str(value)))

    async def load_session(self, session_id: str) -> None:
        """Continue an existing session: its history comes from the server."""
        self.session_id = session_id
        self._clear_history()
        try:
            detail = await self.agent.aget_session(session_id, user_id=self.user_id.value or None)
        except AgentNBError as exc:
            self._show_error(exc)
            return
        for message in detail.chat_history or []:
            role = message.get("role")
            content = message.get("content")
            if role not in ("user", "assistant") or not isinstance(content, str) or not content:
                continue
            when = datetime.fromtimestamp(message.get("created_at") or 0, timezone.utc)
            role_name = "user" if role == "user" else "agent"
            self._append(_bubble(role_name, self._redact(content), when, markdown=role != "user"))

    # -- export --------------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        token = getattr(self.agent, "auth_token", None)
        if token:
            text = text.replace(token, "[redacted]")
        return re.sub(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+", r"\1[redacted]", text)

    def export_json(self) -> str:
        """The transcript as JSON (tokens redacted)."""
        meta = {"agent_id": getattr(self.agent, "agent_id", None), "session_id": self.session_id}
        return self._redact(json.dumps({**meta, "messages": self.transcript}, indent=2, ensure_ascii=False))

    def export_markdown(self) -> str:
        """The transcript as Markdown (tokens redacted)."""
        lines = [f"# Chat with {getattr(self.agent, 'agent_id', 'agent')}", ""]
        for entry in self.transcript:
            who = {"user": "**You**", "agent": "**Agent**", "error": "**Error**"}.get(
                entry["role"], entry["role"]
            )
            lines += [f"{who} · {entry['time']}", "", entry["text"], ""]
        return self._redact("\n".join(lines))

    def _export(self, kind: str) -> Path:
        stamp = _now().strftime("%Y%m%d-%H%M%S")
        path = self.export_dir / f"chat-{getattr(self.agent, 'agent_id', 'agent')}-{stamp}.{kind}"
        path.write_text(self.export_json() if kind == "json" else self.export_markdown(), encoding="utf-8")
        self.status.value = f"saved <code>{escape(path)}</code>"
        return path

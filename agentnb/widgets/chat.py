"""ChatPane: a chat with one agent inside a notebook cell.

History with user and agent bubbles and timestamps, in a bounded box that scrolls inside (drag its
corner to resize) and follows the newest message unless you scrolled up; a message box (Enter
sends, Shift+Enter is a newline); Send turns into Stop while a run is going; Retry; Edit last;
New session; a session picker filled from the server; a labelled user_id; Copy on every answer;
transcript export as JSON and Markdown (a download link, tokens redacted). A paused run shows
its ApprovalForm inline and continues in place; an error is shown once, with one Retry. Every
callback only schedules work on the kernel's loop.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError
from agentnb.runs.models import RunOutput
from agentnb.widgets import chat_export
from agentnb.widgets.approval import ApprovalForm
from agentnb.widgets.attachments import AttachmentBar
from agentnb.widgets.chat_bubbles import AgentBubble, user_bubble
from agentnb.widgets.chat_input import ChatInput
from agentnb.widgets.chat_scroll import ChatFrame
from agentnb.widgets.chat_sessions import NEW, SessionsMixin
from agentnb.widgets.media_view import media_html
from agentnb.widgets.render import escape
from agentnb.widgets.stream_view import StreamView

__all__ = ["ChatPane"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _bubble(role: str, text: str, when: datetime, *, markdown: bool) -> widgets.Widget:
    """A history item as the session loader makes it (kept for callers of the earlier helper)."""
    if role == "user" or not markdown:
        return user_bubble(text, when)
    return AgentBubble.from_markdown(text, when)


class ChatPane(SessionsMixin, widgets.VBox):  # type: ignore[misc]
    """Chat with ``agent`` (a RemoteAgent, over AgentOS or A2A).

    ``height``: the history's height before the reader resizes it. ``export_dir``: also write
    exports there (by default they are only offered as a download in the browser).

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
        height: str = "420px",
        export_dir: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        self.agent = agent
        self.session_id = session_id
        self.max_turns = max_turns
        self.export_dir = None if export_dir is None else Path(export_dir)
        self.transcript: list[dict[str, Any]] = []
        self.last_prompt: str | None = None
        self.running: asyncio.Future[None] | None = None
        self.current_view: StreamView | None = None
        self.dropped_turns = 0
        #: Items (bubbles, views, forms) dropped from view so far, and the notice that says so.
        self.hidden_items = 0
        self._hidden_note: widgets.HTML | None = None
        #: The widgets of the last turn if it failed: Retry replaces them rather than piling up.
        self._failed: list[widgets.Widget] = []
        self._fallback_id: str | None = None
        self.redact = chat_export.redactor(getattr(agent, "auth_token", None))
        self.name = title or getattr(agent, "agent_id", None) or "agent"
        self.header = widgets.HTML(value=f"<b>{escape(self.name)}</b>")
        self.user_id = widgets.Text(
            value=user_id or "",
            description="user_id",
            placeholder="(none)",
            tooltip="Sent with every message; the session list is filtered by it",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="220px"),
        )
        self.user_id.add_class("agentnb-user-id")
        self.sessions = widgets.Dropdown(
            options=[(NEW, NEW)], value=NEW, layout=widgets.Layout(width="260px")
        )
        self.sessions.observe(self._on_pick_session, names="value")
        self.new_button = widgets.Button(description="New session", icon="plus")
        self.new_button.on_click(lambda _: self.new_session())
        self.refresh_button = widgets.Button(
            icon="refresh", tooltip="Reload the session list", layout=widgets.Layout(width="36px")
        )
        self.refresh_button.on_click(lambda _: self._schedule(self.refresh_sessions()))
        self.export_json_button = widgets.Button(
            description="JSON", icon="download", tooltip="Download the transcript as JSON"
        )
        self.export_md_button = widgets.Button(
            description="Markdown", icon="download", tooltip="Download the transcript as Markdown"
        )
        self.export_json_button.on_click(lambda _: self._export("json"))
        self.export_md_button.on_click(lambda _: self._export("md"))
        self.history = widgets.VBox(layout=widgets.Layout(max_height=height, overflow="auto"))
        self.history.add_class("agentnb-chat-history")
        self.input = ChatInput(layout=widgets.Layout(width="100%"))
        self.input.on_submit(self._send_from_box)
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane")
        self.send_button.on_click(self._on_send_or_stop)
        self.retry_button = widgets.Button(description="Retry", icon="repeat", disabled=True)
        self.retry_button.on_click(lambda _: self.retry())
        self.edit_button = widgets.Button(
            description="Edit last",
            icon="pencil",
            disabled=True,
            tooltip="Put your last message back in the box",
        )
        self.edit_button.on_click(lambda _: self.edit_last())
        self.status = widgets.HTML(value="")
        #: Files for the next message: images/audio/videos/files over AgentOS, file parts over A2A.
        self.attachments = AttachmentBar()
        self._sent_files: tuple[dict[str, list[Any]], str, list[str]] = ({}, "", [])
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
                self.edit_button,
            ]
        )
        children = [toolbar, self.history, inputs, self.attachments, self.status, exports, ChatFrame()]
        super().__init__(children=children, **kwargs)
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

    def _send_from_box(self, text: str) -> None:
        # Enter: the browser has emptied its box; empty ours too, exactly as Send does.
        self.input.value = ""
        self.send(text)

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
        if text is None:
            self.input.value = ""
        return self._start(prompt)

    def retry(self) -> asyncio.Future[None] | None:
        """Send the last prompt again (a failed attempt is replaced, not kept)."""
        if self.last_prompt is None or self.busy:
            return None
        if self._failed:
            failed = set(map(id, self._failed))
            self.history.children = [c for c in self.history.children if id(c) not in failed]
            self._failed = []
        return self._start(self.last_prompt, again=True)

    def edit_last(self) -> None:
        """Put the last message back in the box to change it and send it again."""
        if self.last_prompt is None or self.busy:
            return
        self.input.value = self.last_prompt
        self.input.focus()

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
            elif isinstance(item, AgentBubble):
                pending.append(item.content)
            elif isinstance(item, ApprovalForm):
                pending += [c for c in (item.continuation, item.next_form) if c is not None]
        return found

    def _start(self, prompt: str, *, again: bool = False) -> asyncio.Future[None] | None:
        if not again:  # a new message takes the attached files; Retry re-sends the last ones
            bar = self.attachments
            self._sent_files = (bar.run_kwargs(), bar.thumbnails_html(), [a.name for a in bar.attachments])
            bar.clear()
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
        self.edit_button.disabled = busy or self.last_prompt is None
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
        self.hidden_items, self._hidden_note, self._failed = 0, None, []
        self._update_fallback()

    def _record(self, role: str, text: str, **extra: Any) -> None:
        self.transcript.append({"role": role, "text": text, "time": _now().isoformat(), **extra})

    async def _turn(self, prompt: str) -> None:
        self.status.value = ""
        files, thumbnails, names = self._sent_files
        asked = user_bubble(self._redact(prompt), _now(), thumbnails)
        self._record("user", prompt, session_id=self.session_id, **({"attachments": names} if names else {}))
        view = self.current_view = StreamView(redact=self._redact)
        view.stop_button.layout.display = "none"  # the pane's own Send/Stop button stops it
        answer = AgentBubble(view, _now())
        self._append(asked, answer)
        try:
            output = await view.run(
                self.agent.arun(
                    prompt,
                    stream=True,
                    session_id=self.session_id,
                    user_id=self.user_id.value or None,
                    **files,
                ),
                agent=self.agent,
            )
            answer.finish(self._redact(output.text), _now())
            if media := media_html(output):  # images inline, other files as links (escaped, capped)
                self._append(widgets.HTML(value=media))
            self.retry_button.button_style = ""
            await self._after_run(output, view)
        except AgentNBError as exc:
            answer.finish(self._redact(view.text), _now())
            self._failed = [asked, answer]
            self._show_error(exc, shown=view.error is not None)
        finally:
            self.current_view = None
            self._set_busy(False)
            self._update_fallback()

    async def _after_run(self, output: RunOutput, view: StreamView) -> None:
        if output.session_id and output.session_id != self.session_id:
            self.session_id = output.session_id
            self._remember_session(output.session_id)
        self._record(
            "agent", output.text, run_id=output.run_id, status=output.status.value, session_id=self.session_id
        )
        while output.is_paused:
            form = ApprovalForm(self.agent, output, view=view)
            self._append(form)
            output = await form.wait()
            self._record("agent", output.text, run_id=output.run_id, status=output.status.value)

    def _show_error(self, exc: Exception, *, shown: bool = False) -> None:
        """Show ``exc`` once (unless the answer's view ``shown`` it) and point at the one Retry."""
        if not shown:
            box = widgets.HTML(value=f'<span style="color:#dc2626">⚠ {escape(self._redact(str(exc)))}</span>')
            self._append(box)
            self._failed.append(box)
        self.retry_button.button_style = "warning" if self.last_prompt else ""
        self._record("error", str(exc))

    # -- export and the saved notebook ---------------------------------------------------------

    def _redact(self, text: str) -> str:
        return self.redact(text)

    def export_json(self) -> str:
        """The transcript as JSON (tokens redacted)."""
        meta = {"agent_id": getattr(self.agent, "agent_id", None), "session_id": self.session_id}
        return chat_export.transcript_json(meta, self.transcript, self._redact)

    def export_markdown(self) -> str:
        """The transcript as Markdown (tokens redacted)."""
        return chat_export.transcript_markdown(self.name, self.transcript, self._redact)

    def _export(self, kind: str) -> Path | None:
        """Offer the transcript as a download link (and write it to ``export_dir`` if one was given)."""
        stamp = _now().strftime("%Y%m%d-%H%M%S")
        filename = chat_export.safe_filename(f"chat-{self.name}-{stamp}.{kind}")
        content = self.export_json() if kind == "json" else self.export_markdown()
        path = None
        notes: list[str] = []
        if self.export_dir is not None:
            path = self.export_dir / filename
            path.write_text(content, encoding="utf-8")
            notes.append(f"saved <code>{escape(path)}</code>")
        try:
            notes.insert(0, chat_export.download_link(filename, kind, content))
        except ValueError as exc:
            notes.append(f'<span style="color:#d97706">{escape(exc)}</span>')
        self.status.value = " · ".join(notes)
        return path

    def _ipython_display_(self) -> None:
        """Show the widget, and under it a plain transcript kept up to date for saved notebooks."""
        from IPython.display import display

        bundle = self._repr_mimebundle_()
        if bundle is None:  # no kernel comm: nothing but the fallback to show
            bundle = {"text/plain": repr(self)}
        display(bundle, raw=True)  # type: ignore[no-untyped-call]
        self._fallback_id = self._fallback_id or uuid.uuid4().hex
        display(self._fallback_bundle(), raw=True, display_id=self._fallback_id)  # type: ignore[no-untyped-call]

    def _fallback_bundle(self) -> dict[str, str]:
        title = f"Chat with {self.name}"
        return {
            "text/html": chat_export.transcript_html(title, self.transcript, self._redact),
            "text/plain": chat_export.transcript_plain(title, self.transcript, self._redact),
        }

    def _update_fallback(self) -> None:
        """Refresh the saved-notebook transcript (where the front end routes display updates)."""
        if self._fallback_id is None:
            return
        from IPython.display import update_display

        update_display(self._fallback_bundle(), raw=True, display_id=self._fallback_id)  # type: ignore[no-untyped-call]

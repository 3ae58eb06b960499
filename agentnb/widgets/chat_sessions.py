"""The chat pane's sessions: the picker filled from the server, loading one, starting over."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import ipywidgets as widgets

from agentnb.errors import AgentNBError
from agentnb.widgets.chat_bubbles import AgentBubble, user_bubble
from agentnb.widgets.render import escape

__all__: list[str] = []

NEW = "(new session)"


class SessionsMixin:
    """Session handling for ChatPane (which provides the attributes declared here)."""

    agent: Any
    session_id: str | None
    sessions: widgets.Dropdown
    status: widgets.HTML
    user_id: widgets.Text

    @property
    def busy(self) -> bool:
        raise NotImplementedError

    def _clear_history(self) -> None:
        raise NotImplementedError

    def _append(self, *children: widgets.Widget) -> None:
        raise NotImplementedError

    def _redact(self, text: str) -> str:
        raise NotImplementedError

    def _show_error(self, exc: Exception) -> None:
        raise NotImplementedError

    def _schedule(self, coro: Any) -> Any:
        raise NotImplementedError

    def _update_fallback(self) -> None:
        raise NotImplementedError

    def new_session(self) -> None:
        """Start over: a new session on the next message, an empty history."""
        if self.busy:
            return
        self.session_id = None
        self._clear_history()
        self.sessions.value = NEW

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
        options: list[tuple[str, str]] = [(NEW, NEW)]
        for s in page.data:
            # A session is named after its first message, which may hold the token: redact, then cut.
            name = self._redact(s.session_name or s.session_id)[:40]
            options.append((f"{name} · {s.session_id[:8]}", s.session_id))
        current = self.session_id if any(o[1] == self.session_id for o in options) else NEW
        self.sessions.unobserve(self._on_pick_session, names="value")
        self.sessions.options = options
        self.sessions.value = current
        self.sessions.observe(self._on_pick_session, names="value")

    def _on_pick_session(self, change: dict[str, Any]) -> None:
        value = change.get("new")
        if value == NEW or value is None:
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
            text = self._redact(content)
            self._append(user_bubble(text, when) if role == "user" else AgentBubble.from_markdown(text, when))
        self._update_fallback()

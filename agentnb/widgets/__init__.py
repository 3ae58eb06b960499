"""Notebook widgets: a live streaming cell, a chat pane, and human-in-the-loop approval forms.

They never block the kernel: every button schedules a coroutine on the kernel's running loop.
"""

from agentnb.widgets.approval import ApprovalForm, register_executor
from agentnb.widgets.chat import ChatPane
from agentnb.widgets.chat_input import ChatInput
from agentnb.widgets.stream_view import StreamView, stream

__all__ = ["ApprovalForm", "ChatInput", "ChatPane", "StreamView", "register_executor", "stream"]

"""Notebook widgets: a live streaming cell, a chat pane, and human-in-the-loop approval forms.

They never block the kernel: every button schedules a coroutine on the kernel's running loop.
"""

from agentnb.widgets.approval import ApprovalForm, register_executor
from agentnb.widgets.attachments import AttachmentBar, thumbnails_html
from agentnb.widgets.chat import ChatPane
from agentnb.widgets.chat_input import ChatInput
from agentnb.widgets.knowledge_panel import KnowledgePanel
from agentnb.widgets.media_view import MediaView, media_html, save_media
from agentnb.widgets.memories_editor import MemoriesEditor
from agentnb.widgets.paused_runs import PausedRuns, approve_paused
from agentnb.widgets.push_view import PushView
from agentnb.widgets.stream_view import StreamView, stream
from agentnb.widgets.trace_view import TraceView

__all__ = [
    "ApprovalForm", "AttachmentBar", "ChatInput", "ChatPane", "KnowledgePanel", "MediaView", "MemoriesEditor",
    "PausedRuns", "PushView", "StreamView", "TraceView", "approve_paused", "media_html", "register_executor",
    "save_media", "stream", "thumbnails_html",
]  # fmt: skip

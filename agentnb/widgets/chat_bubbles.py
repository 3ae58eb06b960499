"""The chat pane's bubbles: the user's message, and the agent's answer with its stamp and Copy.

One look for a live answer and one reloaded from the server: both are an ``AgentBubble`` (a
StreamView or rendered markdown inside, then "agent · 12:03:04" and a Copy button). Copy has to
happen in the browser (the clipboard is the reader's, not the kernel's), so it is a tiny
anywidget holding the answer's text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from agentnb.widgets.render import escape, render_markdown

__all__ = ["AgentBubble", "CopyButton", "user_bubble"]

_COPY_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "agentnb-copy jupyter-button";
  button.type = "button";
  button.title = "Copy the answer's text";
  button.textContent = "Copy";
  button.style.fontSize = "0.9em";
  button.style.padding = "0 8px";
  const sync = () => { button.disabled = !model.get("text"); };
  sync();
  model.on("change:text", sync);
  const fallback = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };
  button.addEventListener("click", async () => {
    const text = model.get("text");
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      fallback(text);  // no clipboard API outside a secure context
    }
    button.textContent = "Copied ✓";
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
  el.appendChild(button);
}
export default { render };
"""


class CopyButton(anywidget.AnyWidget):
    """A button that copies ``text`` to the reader's clipboard."""

    _esm = _COPY_ESM
    text = traitlets.Unicode("").tag(sync=True)

    def __repr__(self) -> str:
        return f"<CopyButton {len(self.text)} chars>"


def _stamp(who: str, when: datetime) -> str:
    return f"{who} · {when.astimezone().strftime('%H:%M:%S')}"


def user_bubble(text: str, when: datetime, attached_html: str = "") -> widgets.HTML:
    """The user's message, as typed (escaped, never rendered as markdown).

    ``attached_html`` is AttachmentBar.thumbnails_html(): already escaped, shown under the text.
    """
    style = "margin:4px 0 4px auto;background:#dbeafe;max-width:85%;border-radius:10px;padding:4px 10px"
    bubble = widgets.HTML(
        value=(
            f'<div class="agentnb-bubble agentnb-user" style="{style}">'
            f'<div style="white-space:pre-wrap">{escape(text)}</div>{attached_html}'
            f'<div style="color:#6b7280;font-size:0.75em">{escape(_stamp("you", when))}</div></div>'
        )
    )
    bubble.layout.width = "100%"
    return bubble


class AgentBubble(widgets.VBox):  # type: ignore[misc]
    """An answer: ``content`` (a live StreamView, or markdown reloaded from the server), a stamp, Copy."""

    def __init__(self, content: widgets.Widget, when: datetime, text: str = "", **kwargs: Any) -> None:
        self.content = content
        self.stamp = widgets.HTML(value=escape(_stamp("agent", when)))
        self.copy_button = CopyButton(text=text)
        footer = widgets.HBox([self.stamp, self.copy_button])
        footer.add_class("agentnb-bubble-footer")
        super().__init__(children=[content, footer], **kwargs)
        self.add_class("agentnb-bubble-box")
        self.add_class("agentnb-agent")

    @classmethod
    def from_markdown(cls, text: str, when: datetime) -> AgentBubble:
        """A finished answer (from a session's history)."""
        body = widgets.HTML(value=f'<div class="agentnb-text">{render_markdown(text)}</div>')
        return cls(body, when, text)

    def finish(self, text: str, when: datetime) -> None:
        """The answer is complete (or stopped): stamp its time and let Copy take its text."""
        with self.hold_sync():
            self.stamp.value = escape(_stamp("agent", when))
            self.copy_button.text = text

    def __repr__(self) -> str:
        return f"<AgentBubble {len(self.copy_button.text)} chars>"

"""ChatInput: a textarea where Enter sends and Shift+Enter is a newline.

ipywidgets' Text sends "submit" on every Enter (no newlines) and Textarea never does, so this is
a 30-line anywidget: its front end ships inline, no extension build, and it works in JupyterLab,
VS Code and Colab alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

__all__ = ["ChatInput"]

_ESM = """
function render({ model, el }) {
  const box = document.createElement("textarea");
  box.className = "agentnb-chat-input";
  box.rows = 2;
  box.style.width = "100%";
  box.style.boxSizing = "border-box";
  box.style.resize = "vertical";
  box.style.fontFamily = "inherit";
  const sync = () => {
    if (box.value !== model.get("value")) box.value = model.get("value");
    box.placeholder = model.get("placeholder");
    box.disabled = model.get("disabled");
  };
  sync();
  box.addEventListener("keydown", (event) => {
    event.stopPropagation();  // keep JupyterLab's shortcuts out of the chat box
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      // Clear here, in the same step: the text travels in the message. Syncing it first and
      // clearing from the kernel loses a race with ipywidgets' buffered updates (typed keys
      // still queued behind the busy kernel arrive after the kernel's "" and put the text back).
      const text = box.value;
      box.value = "";
      model.set("value", "");
      model.save_changes();
      model.send({ type: "submit", text });
    }
  });
  box.addEventListener("input", () => {
    model.set("value", box.value);
    model.save_changes();
  });
  model.on("change:value", sync);
  model.on("change:placeholder", sync);
  model.on("change:disabled", sync);
  model.on("msg:custom", (msg) => {
    if (msg && msg.type === "focus") {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  });
  el.appendChild(box);
}
export default { render };
"""


class ChatInput(anywidget.AnyWidget):
    """A message box; ``on_submit(callback)`` is called with the text when Enter is pressed."""

    _esm = _ESM
    value = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("Message the agent… (Enter sends, Shift+Enter for a new line)").tag(
        sync=True
    )
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handlers: list[Callable[[str], None]] = []
        self.on_msg(self._on_message)

    def __repr__(self) -> str:
        return f"<ChatInput {len(self.value)} chars>"

    def on_submit(self, callback: Callable[[str], None]) -> None:
        self._handlers.append(callback)

    def submit(self, text: str | None = None) -> None:
        """What pressing Enter does: hand ``text`` (default: the box's value) to the handlers."""
        text = self.value if text is None else text
        for handler in self._handlers:
            handler(text)

    def focus(self) -> None:
        """Put the cursor in the box (at the end of its text) in every open view."""
        self.send({"type": "focus"})

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "submit":
            text = content.get("text")
            # The browser already emptied its box; the text comes with the message, not the trait.
            self.submit(text if isinstance(text, str) else None)

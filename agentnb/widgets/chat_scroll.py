"""ChatFrame: the chat pane's look and its scrolling, done where they must be done, in the browser.

ipywidgets' Layout has no background, border radius or ``resize``, and no way to follow the
newest message, so this invisible anywidget ships the pane's stylesheet (``_css``, injected once
per page) and a few lines that keep the history scrolled to the bottom while answers stream in,
unless the reader scrolled up to read something older. It finds its pane by class
(``.agentnb-chat``), so it needs nothing from the kernel after it is rendered.
"""

from __future__ import annotations

import anywidget

__all__ = ["ChatFrame"]

#: The history is bounded and scrolls inside; the user can drag its corner to resize it.
_CSS = """
.agentnb-chat .agentnb-chat-history {
  resize: vertical;
  overflow-y: auto;
  min-height: 120px;
  border: 1px solid var(--jp-border-color2, #e5e7eb);
  border-radius: 6px;
  padding: 4px 6px;
}
.agentnb-chat .agentnb-chat-history > * { flex-shrink: 0; }
.agentnb-chat .agentnb-bubble-box.agentnb-agent {
  background: #f3f4f6;
  border-radius: 10px;
  padding: 4px 10px;
  margin: 4px auto 4px 0;
  max-width: 85%;
  color: #111827;
}
.agentnb-chat .agentnb-bubble-footer { color: #6b7280; font-size: 0.75em; align-items: center; }
.agentnb-chat .agentnb-chat-frame { display: none; }
.agentnb-chat .agentnb-user-id label { font-size: 0.85em; }
/* The saved-notebook fallback is for readers without the widgets: hide it while they render. */
.jp-OutputArea-child:has(.agentnb-chat-fallback) { display: none; }
.agentnb-chat-fallback { display: none; }
"""

_ESM = """
function render({ el }) {
  el.classList.add("agentnb-chat-frame");
  let history = null;
  let follow = true;  // follow the newest message until the reader scrolls up
  const nearBottom = (h) => h.scrollHeight - h.scrollTop - h.clientHeight < 40;
  const toBottom = () => {
    if (history && follow) history.scrollTop = history.scrollHeight;
  };
  const attach = () => {
    const pane = el.closest(".agentnb-chat");
    const found = pane && pane.querySelector(".agentnb-chat-history");
    if (!found) return false;
    history = found;
    history.addEventListener("scroll", () => { follow = nearBottom(history); });
    // A drag on the resize corner must be able to make the box taller than its max-height.
    history.addEventListener("pointerdown", (event) => {
      const box = history.getBoundingClientRect();
      if (event.clientY > box.bottom - 18 && event.clientX > box.right - 18) {
        history.style.height = `${history.offsetHeight}px`;
        history.style.maxHeight = "none";
      }
    });
    new MutationObserver(toBottom).observe(history, { childList: true, subtree: true, characterData: true });
    new ResizeObserver(toBottom).observe(history);
    toBottom();
    return true;
  };
  // The view is rendered before it is attached to the page: look again until it is.
  let tries = 0;
  const look = () => { if (!attach() && tries++ < 200) setTimeout(look, 50); };
  look();
}
export default { render };
"""


class ChatFrame(anywidget.AnyWidget):
    """Invisible: styles the chat pane and keeps its history scrolled to the newest message."""

    _esm = _ESM
    _css = _CSS

    def __repr__(self) -> str:
        return "<ChatFrame>"

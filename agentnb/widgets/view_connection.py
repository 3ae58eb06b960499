"""Tell a live view whose kernel went away: a tiny front-end piece, plus the CSS that reacts to it.

After a kernel restart the Python objects behind a view are gone, but the page still shows the last
frame: "running" and a Stop that reaches nobody. Two signals from the front end say so:

* ipywidgets 8 itself: on a kernel "restarting" status, JupyterLab's widget manager sets
  ``comm_live = false`` on every model, and each DOMWidgetView then carries the class
  ``jupyter-widgets-disconnected`` (``@jupyter-widgets/base`` ``_comm_live_update``).
* a shut-down or replaced kernel does not trigger that, so ``ConnectionWatch`` (an anywidget, its
  JavaScript inline, no extension to build) looks at the widget manager's kernel and adds
  ``agentnb-disconnected`` to its view when the kernel is gone, dead, restarting or another one.

The CSS (anywidget puts ``_css`` in the page's head, never into an output) then hides the Stop
button and the live badge and shows the "disconnected" badge of views under either class; it also
keeps a streamed answer's blocks (one HTML widget each, see live_markdown.py) seamless. Front
ends whose widget manager has no ``kernel`` (VS Code, Colab) are left alone rather than guessed at.
"""

from __future__ import annotations

import anywidget

__all__ = ["DISCONNECTED_CLASSES", "ConnectionWatch"]

#: Classes a view's root element carries once its kernel went away.
DISCONNECTED_CLASSES = ("jupyter-widgets-disconnected", "agentnb-disconnected")

_ESM = """
const GONE = new Set(["dead", "restarting", "autorestarting", "terminating"]);
function render({ model, el }) {
  el.classList.add("agentnb-connection-watch");
  const manager = model.widget_manager;
  if (!manager || !("kernel" in manager)) return;
  let kernel = null;
  let firstId = null;
  const mark = () => {
    const root = el.closest(".agentnb-stream");
    if (root) root.classList.add("agentnb-disconnected");
  };
  const onStatus = (_sender, status) => { if (GONE.has(status)) mark(); };
  const check = () => {
    const current = manager.kernel;
    if (!current || current.isDisposed) return mark();
    if (firstId === null) firstId = current.id;
    if (current.id !== firstId) return mark();  // "Change kernel": the old objects are gone too
    if (current !== kernel) {
      if (kernel && kernel.statusChanged) kernel.statusChanged.disconnect(onStatus);
      kernel = current;
      if (kernel.statusChanged) kernel.statusChanged.connect(onStatus);
    }
    if (GONE.has(kernel.status)) mark();
  };
  check();
  const timer = setInterval(check, 1000);
  return () => {
    clearInterval(timer);
    if (kernel && kernel.statusChanged) kernel.statusChanged.disconnect(onStatus);
  };
}
export default { render };
"""


def _css() -> str:
    roots = [f".agentnb-stream.{name}" for name in DISCONNECTED_CLASSES]
    hidden = (".agentnb-if-connected", ".agentnb-stop")
    hide = ", ".join(f"{root} {part}" for root in roots for part in hidden)
    show = ", ".join(f"{root} .agentnb-if-disconnected" for root in roots)
    return (
        ".agentnb-stream .agentnb-if-disconnected { display: none; }\n"
        f"{show} {{ display: inline; }}\n"
        f"{hide} {{ display: none !important; }}\n"
        ".agentnb-connection-watch { display: none; }\n"
        # A streamed answer is many HTML widgets in VBoxes (live_markdown.py). As flex items each
        # would keep its blocks' margins to itself, doubling them at every seam; as plain blocks
        # the margins collapse across widgets exactly as inside one page of HTML.
        f"{_markdown_parts()} {{ display: block !important; overflow: visible !important; }}\n"
        # the font the answer had inside the view's one HTML widget (head and foot set it inline)
        ".agentnb-stream .agentnb-markdown { font-family: var(--jp-content-font-family, sans-serif); }\n"
    )


def _markdown_parts() -> str:
    # The answer itself (a flex item of the view, so its blocks' margins stay inside it, as in
    # one HTML widget) and everything in it; ipywidgets 8 gives widgets both class names.
    parts = ("jupyter-widget-vbox", "widget-vbox", "jupyter-widget-html", "widget-html")
    return ", ".join([".agentnb-markdown", *(f".agentnb-markdown .{part}" for part in parts)])


class ConnectionWatch(anywidget.AnyWidget):
    """Marks the enclosing ``.agentnb-stream`` view as disconnected once its kernel is gone."""

    _esm = _ESM
    _css = _css()

    def __repr__(self) -> str:
        return "<ConnectionWatch>"

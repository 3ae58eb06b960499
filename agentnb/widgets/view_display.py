"""Where a view was displayed, so that its saved form can be brought up to date when its run ends.

A widget output stores only a model id: a notebook saved from JupyterLab and opened without a
kernel shows nothing (or "model not found"), and ``nbconvert --to html`` picks the widget view
whenever the widget state was stored (nbclient does by default), then needs a CDN to draw it.
So a view publishes its own display with a display id, carrying ``text/html`` and ``text/plain``
beside the widget, and when its run ends replaces that output (``update_display_data``, which
JupyterLab, nbclient and VS Code route by display id) with the final HTML and text alone, unless
the view still has a button to offer (Retry), in which case the widget stays next to them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WIDGET_VIEW", "Displays"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class Displays:
    """The display ids one view was shown under (``display(view)`` twice is two outputs)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def show(self, bundle: dict[str, Any]) -> None:
        """Publish ``bundle`` as a new output and remember its display id."""
        from IPython.display import display

        handle = display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]
        if handle is not None:
            self.ids.append(str(handle.display_id))

    def update(self, bundle: dict[str, Any]) -> None:
        """Replace every output this view was shown in with ``bundle``."""
        if not self.ids:
            return
        from IPython.display import update_display

        for display_id in self.ids:
            update_display(bundle, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]

"""The browser harness itself, proven with plain ipywidgets in a real JupyterLab page."""

from __future__ import annotations

import html

from playwright.sync_api import expect

from tests.browser.harness import ARTIFACTS_DIR, KERNEL_IDLE_TEXT, NotebookFactory

BUTTON_CELL = """\
import ipywidgets as w
b = w.Button(description="Press me")
out = w.HTML(value="")
b.on_click(lambda _: setattr(out, "value", "<b>clicked</b>"))
display(w.VBox([b, out]))
"""


def test_button_click_reaches_the_kernel_and_back(notebook: NotebookFactory) -> None:
    nb = notebook([BUTTON_CELL], name="button")
    output = nb.run_cell(0)

    button = output.get_by_role("button", name="Press me")
    expect(button).to_be_visible()
    expect(output.locator(".widget-html-content")).to_have_text("")
    nb.screenshot(ARTIFACTS_DIR / "harness-button-before.png")

    button.click()

    expect(output.locator(".widget-html-content b")).to_have_text("clicked")
    expect(nb.page.get_by_text("clicked", exact=True)).to_be_visible()
    nb.screenshot(ARTIFACTS_DIR / "harness-button-after.png")


ASYNC_CELL = """\
import asyncio
import ipywidgets as w

status = w.HTML(value="waiting")
display(status)
release = asyncio.Event()

async def tick():
    for i in range(1, 6):
        await asyncio.sleep(0.2)
        status.value = f"tick {i}"
    await release.wait()
    status.value = "<i>async done</i>"

task = asyncio.ensure_future(tick())
"""

RELEASE_CELL = """\
print("pending:", not task.done())
release.set()
await asyncio.wait_for(asyncio.shield(task), 5)
"""


def test_widget_updates_from_a_background_task(notebook: NotebookFactory) -> None:
    nb = notebook([ASYNC_CELL, RELEASE_CELL], name="async-task")
    output = nb.run_cell(0)  # returns at once: the task runs on the kernel's loop afterwards

    # ~1 s of updates arrive while no cell runs; the task then parks on an Event, so what follows does
    # not depend on timing.
    expect(output.locator(".widget-html-content")).to_have_text("tick 5")
    expect(nb.kernel_status).to_have_text(KERNEL_IDLE_TEXT)

    # The kernel is free to run another cell while the task is still pending.
    second = nb.run_cell(1)
    expect(second).to_contain_text("pending: True")
    expect(output.locator(".widget-html-content i")).to_have_text("async done")
    expect(nb.kernel_status).to_have_text(KERNEL_IDLE_TEXT)


PAYLOAD = '<img src=x onerror="window.__pwned=1">&lt;script&gt;'
CONTROL = '<img src=y onerror="window.__control=1">'


def test_escaped_html_runs_nothing_and_the_check_can_fail(notebook: NotebookFactory) -> None:
    escaped = html.escape(PAYLOAD)
    nb = notebook(
        [
            f"import ipywidgets as w\ndisplay(w.HTML(value={escaped!r}))",
            # Positive control: the same kind of payload, raw. ipywidgets' HTML widget renders raw HTML,
            # so this onerror does run, which shows that the negative check below is able to fail.
            f"display(w.HTML(value={CONTROL!r}))",
        ],
        name="escaping",
    )
    page = nb.page
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__control") is None

    nb.run_all()

    # The escaped value shows as text, character for character (the entity too).
    expect(nb.output(0).locator(".widget-html-content")).to_have_text(PAYLOAD)
    expect(nb.output(0).locator(".widget-html-content img")).to_have_count(0)
    # The control's broken image errors out and sets its flag ...
    expect(nb.output(1).locator(".widget-html-content img")).to_have_count(1)
    page.wait_for_function("window.__control === 1", timeout=15_000)
    # ... so by now an executed payload would have set its flag too.
    assert not page.evaluate("window.__pwned")

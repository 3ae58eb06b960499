"""Real-browser fixtures: one JupyterLab server per session, Debian's chromium through Playwright.

Fixtures:

* ``jupyter_lab`` (session): a JupyterLab 4 server on a free 127.0.0.1 port, offline and quiet, serving
  a temporary ``root_dir``. Yields a :class:`~tests.browser.harness.JupyterLab` (``.url``, ``.root_dir``).
* ``browser`` (package scope, see its docstring for why not session): headless Debian chromium.
* ``browser_context`` (function): a fresh browser context per test (own cookies, storage, pages).
* ``notebook`` (function): ``notebook(["code", ...], name=...)`` writes ``<name>.ipynb`` into the
  server's root, opens it in a new page, waits for the kernel to be idle and returns a
  :class:`~tests.browser.harness.Notebook` (``run_cell``, ``run_all``, ``output``, ``screenshot``).

On a test failure every open page of the test's browser context is saved as a full-page PNG under
``test-artifacts/browser/<test-name>.png`` (the directory is git-ignored).

The tests here are plain ``def`` functions on purpose: the sync Playwright API refuses to start inside a
running asyncio loop, and ``asyncio_mode = "auto"`` only wraps ``async def`` tests and fixtures.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    for _module in ("jupyterlab", "ipykernel", "ipywidgets", "playwright.sync_api"):
        importlib.import_module(_module)
except ImportError as e:
    if os.environ.get("CI"):  # on CI a missing install step must fail, not skip quietly
        raise
    pytest.skip(f"browser tests need jupyterlab and playwright: {e}", allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.harness import (
    ARTIFACTS_DIR,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    JupyterLab,
    NotebookFactory,
    safe_name,
    start_jupyter_lab,
)


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """One JupyterLab server for the whole run; stopped by pid at the end."""
    lab = start_jupyter_lab(tmp_path_factory.mktemp("jupyter-lab"))
    yield lab
    lab.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium, shared by every test of this package.

    Package scope rather than session scope, deliberately: while a sync Playwright instance is alive it
    leaves its own event loop registered as the thread's running loop, and every ``async def`` test that
    runs after it (tests/http, tests/remote ... sort after tests/browser) then fails with
    "Runner.run() cannot be called from a running event loop". Package scope stops Playwright as soon as
    the last test of tests/browser is done, which for these tests is the same thing as one per session.
    """
    if not Path(CHROMIUM).exists():
        message = f"no chromium at {CHROMIUM} (apt-get install chromium, or set AGENTNB_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context per test; its pages are what the failure screenshot hook saves."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    yield context
    with contextlib.suppress(Exception):
        context.close()


@pytest.fixture
def notebook(
    jupyter_lab: JupyterLab, browser_context: BrowserContext, request: pytest.FixtureRequest
) -> Iterator[NotebookFactory]:
    factory = NotebookFactory(jupyter_lab, browser_context, request.node.name)
    yield factory
    factory.close()


# --------------------------------------------------------------------------- failure screenshots


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and report.when in ("setup", "call"):
        _attach_browser_state(item, report)
    return report


def _attach_browser_state(item: pytest.Item, report: pytest.TestReport) -> None:
    """Screenshot every open page of the test's context; add console output and the server log tail."""
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    context = funcargs.get("browser_context")
    if not isinstance(context, BrowserContext):
        return
    pages = [page for page in context.pages if not page.is_closed()]
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    saved: list[str] = []
    for number, page in enumerate(pages, start=1):
        suffix = "" if number == 1 else f"-{number}"
        target = ARTIFACTS_DIR / f"{safe_name(item.name)}{suffix}.png"
        try:
            page.screenshot(path=str(target), full_page=True, timeout=10_000)
            saved.append(str(target))
        except Exception as e:  # a crashed page must not hide the test's own failure
            saved.append(f"{target}: screenshot failed: {e}")
    if saved:
        report.sections.append(("browser screenshots", "\n".join(saved)))
    factory = funcargs.get("notebook")
    if isinstance(factory, NotebookFactory):
        for nb in factory.opened:
            if nb.console:
                report.sections.append((f"browser console: {nb.name}", "\n".join(nb.console[-50:])))
    lab = funcargs.get("jupyter_lab")
    if isinstance(lab, JupyterLab):
        report.sections.append(("jupyter lab log (tail)", lab.log_tail(40)))

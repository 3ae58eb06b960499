"""Missing test dependencies skip locally but fail on CI (``CI`` set), where a missing install step is a bug."""

from __future__ import annotations

import importlib.util
import os

import pytest


def on_ci() -> bool:
    """True on CI: the same test tests/browser/conftest.py makes (``CI`` set and not empty)."""
    return bool(os.environ.get("CI"))


def need_module(name: str, why: str) -> None:
    """Skip the calling test when ``name`` is not installed; on CI, fail it instead."""
    if importlib.util.find_spec(name) is not None:
        return
    message = f"{why} needs {name!r}, which is not installed (pip install -e '.[test]')"
    if on_ci():
        pytest.fail(message)
    pytest.skip(message)

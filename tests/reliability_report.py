"""Figures the reliability and security tests report; tests/conftest.py prints them at the end."""

from __future__ import annotations

REPORT: dict[str, str] = {}


def record(topic: str, figure: str) -> None:
    REPORT[topic] = figure

"""Figures the reliability and security tests report; tests/conftest.py prints them at the end.

A figure is a measurement: build it from what the test observed (counts, bytes, refusals, error
types), never write a fixed sentence. A test that records more than once replaces its figure.
"""

from __future__ import annotations

REPORT: dict[str, str] = {}


def record(topic: str, figure: str) -> None:
    REPORT[topic] = figure

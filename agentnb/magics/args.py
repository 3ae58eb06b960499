"""Parsing the magics' arguments and the cell's ``{var}`` substitution, with one-line refusals."""

from __future__ import annotations

import argparse
import shlex
import string
from collections.abc import Mapping
from typing import Any, NoReturn

__all__ = ["MagicError", "connect_parser", "parse", "run_parser", "substitute"]

#: A substituted value longer than this is refused: a prompt is not a place for a whole dataset.
MAX_VALUE_CHARS = 100_000


class MagicError(Exception):
    """A mistake in a magic's use, shown as one line (never a traceback)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise MagicError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise MagicError(message.strip() if message else f"{self.prog}: usage: {self.format_usage().strip()}")


def connect_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%agent connect", add_help=False)
    p.add_argument("name")
    p.add_argument("url")
    p.add_argument("--agent-id", default=None)
    p.add_argument("--a2a", action="store_true")
    p.add_argument("--token-env", default=None, help="the environment variable holding the token")
    return p


def run_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%%agent", add_help=False)
    p.add_argument("name")
    p.add_argument("--session", default=None)
    p.add_argument("--user", default=None)
    p.add_argument("--no-stream", action="store_true")
    p.add_argument("--out", default=None)
    return p


def parse(parser: argparse.ArgumentParser, line: str) -> argparse.Namespace:
    try:
        words = shlex.split(line)
    except ValueError as exc:  # an unclosed quote
        raise MagicError(f"{parser.prog}: {exc}") from None
    return parser.parse_args(words)


class _Namespace(string.Formatter):
    """``{name}`` from the user's namespace; ``{{``/``}}`` are literal braces (as jupyter-ai does).

    Only plain names: ``{obj.attr}`` or ``{x[0]}`` would run attribute and item lookups on whatever
    a cell happens to hold, which a prompt template has no need for.
    """

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        self.namespace = namespace

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise MagicError(f"{{{field_name}}}: only plain variable names can be substituted")
        if field_name not in self.namespace:
            raise MagicError(f"{{{field_name}}}: no such variable (write {{{{ for a literal brace)")
        value = self.namespace[field_name]
        return value, field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        text = format(value, format_spec)
        if len(text) > MAX_VALUE_CHARS:
            raise MagicError(f"a substituted value has {len(text):,} characters (limit {MAX_VALUE_CHARS:,})")
        return text


def substitute(text: str, namespace: Mapping[str, Any]) -> str:
    """The cell's text with ``{var}`` replaced from ``namespace``; ``{{`` and ``}}`` escape."""
    try:
        return _Namespace(namespace).vformat(text, (), {})
    except (ValueError, IndexError) as exc:  # a lone brace, "{}" or "{0}"
        raise MagicError(f"cannot substitute into the cell: {exc} (write {{{{ for a literal brace)") from None

"""``python -m agentnb.demo [options]``: the same as ``agentnb demo [options]``."""

from __future__ import annotations

import sys

from agentnb.demo.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["demo", *sys.argv[1:]]))

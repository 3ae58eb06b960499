"""Markdown tables get borders and code blocks a background, in JupyterLab's theme colours."""

from __future__ import annotations

import re

from agentnb.runs.models import ToolExecution
from agentnb.widgets.render import STYLES, render_markdown
from agentnb.widgets.view_parts import ToolCard, tool_card_html

TABLE = "| name | value |\n|---|--:|\n| <b>x</b> | `1` |\n"
CODE = "```python\ndef f(x):\n    return '<script>'\n```\n"


def test_table_cells_have_borders_from_the_theme_and_keep_their_alignment() -> None:
    html = render_markdown(TABLE)
    assert f'<table style="{STYLES["table"]}">' in html
    cells = re.findall(r"<t[hd] style=\"([^\"]*)\"", html)
    assert len(cells) == 4
    assert all("border:1px solid var(--jp-border-color1, " in style for style in cells)
    assert cells[1].startswith("text-align:right;") and cells[3].startswith("text-align:right;")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html  # cells stay escaped


def test_code_blocks_and_inline_code_have_a_theme_background_and_theme_token_colours() -> None:
    html = render_markdown(CODE + "\nand `inline` code\n\n    indented block\n")
    pres = re.findall(r"<pre style=\"([^\"]*)\">", html)
    assert len(pres) == 2 and all("background:var(--jp-layout-color2, " in style for style in pres)
    assert all("color:var(--jp-content-font-color1, " in style for style in pres)
    assert '<code style="background:var(--jp-layout-color2, ' in html  # the inline one
    assert "var(--jp-mirror-editor-keyword-color,#008000)" in html  # `def`, light fallback kept
    assert "var(--jp-mirror-editor-string-color," in html
    assert "&lt;script&gt;" in html and "<script" not in html


def test_tool_cards_use_theme_colours_for_their_frame_and_code() -> None:
    card = ToolCard(ToolExecution(tool_call_id="c", tool_name="lookup", tool_args={"q": 1}, result="ok"))
    card.ended = card.started
    html = tool_card_html(card)
    assert "var(--jp-border-color2, " in html and html.count(f'<pre style="{STYLES["pre"]}">') == 2

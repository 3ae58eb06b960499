"""MarkdownBlocks: block-by-block rendering equals a one-shot render_markdown at every split.

The equivalence is exact HTML equality: at any moment ``"".join(finished) + tail_html()`` is
``render_markdown(text_so_far)``; after ``close()``, ``"".join(finished)`` is
``render_markdown(text)``. The one documented exception is a text with a reference definition
while it streams (a definition acts on the whole document); after ``close()`` it is exact too.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentnb.widgets.markdown_blocks import MarkdownBlocks
from agentnb.widgets.render import render_markdown
from tests.browser.test_hostile_content import HOSTILE as BROWSER_HOSTILE
from tests.runs.test_reprs import HOSTILE as REPR_HOSTILE

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DOCUMENTS = [
    "# Title\n\nA paragraph\nover two lines.\n\n- a\n- b\n\n  still b\n\nafter the list\n",
    "```python\ndef f(x):\n\n    return x  # <b>\n```\ntext right after\n~~~\nunclosed tilde fence\n\n",
    "| a | b |\n|---|:-:|\n| 1 | <i>2</i> |\n| 3 |\n\nnext\n\nx | y\n--|--\n",
    "> quote\nlazy continuation\n\n> second quote\n>\n> > nested\n\n    indented code\n\n    more code\nend\n",
    "1. one\n2. two\n\n   para in two\n3) other list\n\n10. ten\n* star\n+ plus\n- [ ] task\n",
    "Setext\n===\n\nother\n---\nthen\n***\n- - -\n___\n#not a heading\n####### seven\n",
    'Hard  \nbreak\\\nand `code`, **bold**, _em_, ~~strike~~, <http://x.test>, [l](http://x.test "t")\n',
    "[a]: https://ref.test\n\nuse [a] and [b][a]\n\n[b]: javascript:alert(1)\n\n[b]\n",
    "\r\nwindows\r\nlines\r\n\r\nand\rold mac\r\rparagraphs\0nul\n",
    "\t- tab list\n\n\tcode by tab\n\n  \n\n\u00a0nbsp\n\n    \n",
    "<div>\n*html block*\n</div>\n\n<!-- comment -->\n<script>alert(1)</script>\n",
    "![img](javascript:alert(1)) [x](data:text/html,<b>) [y](//evil.test) [z](mailto:a@b.test)\n",
    ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> deep\n\nafter\n",
    "```\n```\n````\n```\n````\n``` ```\nnot a fence\n   ```js\n   indented fence\n   ```\n",
    "- a\n  ```\n  code in item\n  ```\n- b\n\n      indented in item\nlazy\n\n***bold em***\n",
    "  # spaced heading #\n\nfoo\n    bar\n\nfoo\n\n    bar\n",
    BROWSER_HOSTILE,
    REPR_HOSTILE + "\n\n" + BROWSER_HOSTILE.replace("><", ">\n\n<"),
    "",
    "\n\n\n",
    "no newline at all",
]

#: Lines that open, continue, interrupt or close blocks; random documents are made of them.
LINES = [
    "",
    "",
    "text",
    "more *text* and `code`",
    "# heading",
    "## heading ##",
    "===",
    "---",
    "***",
    "- item",
    "  continued item",
    "* other item",
    "1. first",
    "2) second",
    "> quote",
    ">",
    "    indented",
    "\tTab",
    "```",
    "```py",
    "~~~",
    "````",
    "| a | b |",
    "|---|---|",
    "a | b",
    "-|-",
    "[r]: https://r.test",
    "[r]",
    "<div>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "- [ ] task",
    "\r",
    "\\",
    "  ",
    "   - x",
    "  > y",
    "   ```",
    "    - z",
    "1.",
    "-",
    "[r]:",
    "  https://r.test",
    "'title'",
]


def chunks_of(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(max(c, 0), len(text)) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True) if b > a]


def stream(text: str, cuts: list[int], check_every_step: bool) -> MarkdownBlocks:
    blocks = MarkdownBlocks()
    seen = ""
    for piece in chunks_of(text, cuts):
        blocks.append(piece)
        seen += piece
        blocks.update()
        html = blocks.html()  # may discover a definition on the last, incomplete line
        if check_every_step and not blocks.has_references:
            assert html == render_markdown(seen), repr(seen)
    blocks.close()
    return blocks


documents = st.one_of(
    st.sampled_from(DOCUMENTS),
    st.lists(st.sampled_from(LINES), max_size=30).map(lambda lines: "\n".join(lines)),
    st.lists(st.sampled_from(LINES), max_size=30).map(lambda lines: "\n".join(lines) + "\n"),
    st.text(alphabet="#>-*`~|[]():\n \t1.=_\\<!a", max_size=120),
    st.text(max_size=120),
)


@PROPERTY
@given(documents, st.lists(st.integers(0, 400), max_size=25))
def test_finished_blocks_and_tail_equal_the_one_shot_render_at_every_split(
    text: str, cuts: list[int]
) -> None:
    blocks = stream(text, cuts, check_every_step=True)
    assert "".join(blocks.finished) == render_markdown(text)
    assert blocks.text == text


@PROPERTY
@given(documents, st.lists(st.integers(0, 400), max_size=25), st.lists(st.integers(0, 400), max_size=25))
def test_any_chunking_gives_the_same_final_html(text: str, cuts_a: list[int], cuts_b: list[int]) -> None:
    one = stream(text, [], check_every_step=False)
    a = stream(text, cuts_a, check_every_step=False)
    b = stream(text, cuts_b, check_every_step=False)
    assert "".join(a.finished) == "".join(b.finished) == "".join(one.finished)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_every_character_as_its_own_chunk(text: str) -> None:
    blocks = stream(text, list(range(len(text))), check_every_step=True)
    assert "".join(blocks.finished) == render_markdown(text)


def test_a_finished_block_is_rendered_once_and_never_again() -> None:
    rendered: list[str] = []

    def render(source: str) -> str:
        rendered.append(source)
        return render_markdown(source)

    blocks = MarkdownBlocks(render)
    for i in range(200):
        blocks.append(f"Paragraph {i} has *some* words.\n\n")
        blocks.update()
    finished_sources = list(rendered)
    assert len(blocks.finished) == 200 and len(finished_sources) == 200  # no tail was asked for
    assert all(source.startswith(f"Paragraph {i} ") for i, source in enumerate(finished_sources))
    blocks.append("open tail")
    assert blocks.tail_html() == "<p>open tail</p>\n" and blocks.tail_html() == "<p>open tail</p>\n"
    assert rendered[200:] == ["open tail"]  # the tail is cached until the next append


def test_the_open_region_stays_small_however_long_the_text() -> None:
    """No rescans: what ``update`` parses and ``tail_html`` renders is the open region only."""
    rendered: list[str] = []

    def render(source: str) -> str:
        rendered.append(source)
        return render_markdown(source)

    blocks = MarkdownBlocks(render)
    for i in range(2_000):
        blocks.append(f"word{i} ")
        if i % 10 == 9:
            blocks.append("\n\n- item\n- item\n\n```py\nx = 1\n```\n")
        blocks.update()
        blocks.tail_html()
    assert max(len(source) for source in rendered) < 200
    assert len(blocks._region()) < 200


@pytest.mark.parametrize(
    ("text", "open_tail"),
    [
        ("para\n\n", ""),  # a blank line closes a paragraph
        ("- item\n\n", "- item\n\n"),  # a list may go on after a blank line ("  more")
        ("    code\n\n", "    code\n\n"),  # so may indented code
        ("```\ncode\n\n", "```\ncode\n\n"),  # a fence is open until it closes
        ("```\ncode\n```", "```\ncode\n```"),  # "```" may still become "```x`" (not a closer)
        ("```\ncode\n```\n", ""),
        ("# heading\n", ""),
        ("para\n# heading", "para\n# heading"),  # "# heading" is not a complete line yet
        ("para\n# heading\n", ""),  # now it is: it closed the paragraph, and itself
        ("| a |\n|---|\n| 1 |\n", "| a |\n|---|\n| 1 |\n"),  # the next row may come
        ("| a |\n|---|\n| 1 |\n\n", ""),
        ("> q\n", "> q\n"),  # a lazy line may continue it
        ("text\n", "text\n"),  # "===" next would make it a heading
    ],
)
def test_which_blocks_stay_open(text: str, open_tail: str) -> None:
    blocks = MarkdownBlocks()
    blocks.append(text)
    blocks.update()
    assert blocks._region() == open_tail
    assert blocks.html() == render_markdown(text)


def test_a_reference_definition_makes_close_render_the_whole_text_once() -> None:
    text = "See [the docs][d] first.\n\nMore text.\n\n[d]: https://docs.test\n"
    blocks = MarkdownBlocks()
    for piece in re.findall(r".{1,7}", text, re.S):
        blocks.append(piece)
        blocks.update()
    assert "[the docs][d]" in "".join(blocks.finished)  # while streaming: shown as written
    assert blocks.has_references and blocks.close() is True
    assert blocks.finished == [render_markdown(text)]
    assert 'href="https://docs.test"' in blocks.finished[0]


def test_hostile_text_stays_escaped_block_by_block() -> None:
    blocks = stream(BROWSER_HOSTILE + "\n\n" + REPR_HOSTILE, list(range(0, 600, 3)), check_every_step=True)
    html = "".join(blocks.finished)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<style" not in html
    assert (
        'href="javascript' not in html
        and 'href="data' not in html
        and "onerror=" not in html.replace("onerror=&quot;", "")
    )


def test_windows_line_ends_split_between_cr_and_lf() -> None:
    blocks = MarkdownBlocks()
    for piece in ["one\r", "\n\r", "\ntwo\r", "\r", "\nthree"]:
        blocks.append(piece)
        blocks.update()
        assert blocks.html() == render_markdown(blocks.text)
    assert blocks.text == "one\r\n\r\ntwo\r\r\nthree"
    blocks.close()
    assert "".join(blocks.finished) == render_markdown(blocks.text)


def test_append_after_close_is_refused() -> None:
    blocks = MarkdownBlocks()
    blocks.append("x")
    blocks.close()
    with pytest.raises(RuntimeError):
        blocks.append("y")

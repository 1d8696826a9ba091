"""One Markdown reading rule: the page (markdown-it + nh3) and the Word and PDF writers (the
inline reader with source offsets) show a reader the same words for every block."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from drafting.text.brackets import find_brackets
from drafting.text.draft_format import parse_draft
from drafting.text.footnotes import has_footnotes
from drafting.text.inline import display_text
from drafting.text.markup import render_markdown

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
_BLOCK_TAGS = {"p", "blockquote", "ul", "ol", "li", "br"}


class _Visible(HTMLParser):
    """What a browser shows of the page's HTML, as text: a bullet or the number before each
    list item (nested items' markers side by side), a line per block and per line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[int | None] = []
        self.markers = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            self.lists.append(int(dict(attrs).get("start") or 1))
        elif tag == "li":
            number = self.lists[-1]
            self.markers += "\u2022 " if number is None else f"{number}. "
            if number is not None:
                self.lists[-1] = number + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"}:
            self.lists.pop()
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(self.markers)
            self.markers = ""
        self.parts.append(" ".join(data.split("\n")))  # a newline in HTML text is a space


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def page_text(source: str) -> str:
    reader = _Visible()
    reader.feed(str(render_markdown(source)))
    reader.close()
    return _lines("".join(reader.parts))


def writer_text(source: str) -> str:
    return _lines(display_text(source))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_page_and_writers_show_the_same_text_for_every_corpus_block():
    """Every block of the sample drafts and of the shared corpus (7,904 blocks; 8 disagreed,
    nested bullets such as ``* * 1991``): the same words, in the same order."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the checkout")
    files = [*REPO.glob("drafts/*.md"), *CORPUS.rglob("*.md")]
    blocks = [
        block.text
        for path in files
        if path.name not in {"README.md", "SOURCE.md"}
        for block in parse_draft(path.read_text(encoding="utf-8"))
        # Notes are printed apart and holders read "held by" on the page: their own tests.
        if not has_footnotes(block.text) and not any(s.holders for s in find_brackets(block.text))
    ]
    assert len(blocks) > 7_000
    disagreeing = [text for text in blocks if _words(page_text(text)) != _words(writer_text(text))]
    assert disagreeing == []


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("**Art. 5.**The State", "**Art. 5.**The State"),
        ("**Art. 5.** The State", "Art. 5. The State"),
        ("first line  \nsecond line", "first line\nsecond line"),
        ("first line\\\nsecond line", "first line\nsecond line"),
        ("a soft\nwrap", "a soft wrap"),
        ("* * 1991", "\u2022 \u2022 1991"),
        ("- one\n  - one point one\n- two", "\u2022 one\n\u2022 one point one\n\u2022 two"),
        ("3. third\n4. fourth", "3. third\n4. fourth"),
        ("> quoted words", "quoted words"),
        ("AT&amp;T &copy; &#65;; &bogus;", "AT&T \u00a9 A; &bogus;"),
        ("![the logo](https://example.org/logo.png) here", "the logo here"),
        ("above\n***\nbelow", "above\nbelow"),
        ("a lone\n-", "a lone"),
        ("-", "-"),
    ],
)
def test_page_and_writers_read_a_case_alike(source, shown):
    assert page_text(source) == shown
    assert _words(writer_text(source)) == _words(shown)


@pytest.mark.parametrize(
    "source", ["first line  \nsecond line", "first line\\\nsecond line", "- one\n- two"]
)
def test_hard_breaks_and_list_items_keep_their_line_in_the_writers(source):
    assert writer_text(source) == page_text(source)


def test_an_image_shows_its_description_escaped_not_an_element():
    html = str(render_markdown("![<img src=x onerror=alert(1)>](https://example.org/a.png)"))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html

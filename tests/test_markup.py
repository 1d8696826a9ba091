import re

import pytest

from drafting.text.markup import render_markdown


def test_emphasis_and_links_are_kept():
    html = render_markdown("We **reaffirm** the [Charter](https://example.org/charter).")
    assert "<strong>reaffirm</strong>" in html
    assert 'href="https://example.org/charter"' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<svg onload="alert(1)"></svg>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_raw_html_and_script_links_never_reach_the_page(payload):
    tags = re.findall(r"<(/?[a-z0-9]+)([^>]*)>", render_markdown(payload).lower())
    for name, attributes in tags:
        assert name.strip("/") in {"p", "a", "em", "strong"}
        assert not re.search(r"\bon[a-z]+\s*=", attributes)
        assert "javascript:" not in attributes and "data:" not in attributes


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in render_markdown("<b>bold</b>")


def _through_markdown(text: str, inline: bool) -> str:
    from drafting.text import markup

    html = markup._parsed(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return markup.sanitise(html)


def test_plain_text_skips_the_markdown_parser_with_the_same_html():
    """The shortcut for text Markdown would only escape must give exactly Markdown's HTML: on
    every paragraph of the sample drafts and the corpus, and on random strings built from the
    characters that matter."""
    import random
    from pathlib import Path

    from drafting.text import markup
    from drafting.text.draft_format import parse_draft
    from drafting.text.footnotes import has_footnotes

    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("drafts/*.md"), *(root.parent / "shared" / "corpus").rglob("*.md")]
    texts = [b.text for f in files for b in parse_draft(f.read_text(encoding="utf-8"))]
    texts = [text for text in texts if not has_footnotes(text)]  # Markdown knows no footnotes
    pieces = [*"ab XY.,;:'\"?!()%/-+=#>09\u00a0é—«", "1. ", "- ", "  ", "&", "<", "*", "A)", "\n"]
    rng = random.Random(7)
    texts += ["".join(rng.choices(pieces, k=rng.randint(0, 24))) for _ in range(8_000)]
    shortcut = 0
    for text in texts:
        shortcut += markup._plain_paragraph(text) is not None
        for inline in (False, True):
            assert render_markdown(text, inline=inline) == _through_markdown(text, inline), text
    assert shortcut > len(texts) // 4  # the shortcut is actually taken


def _visible(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", str(html)))


ADVERSARIAL = {
    **{
        f"run of {unit!r}": "Vienna " + unit * (50_000 // len(unit))
        for unit in [
            "[",
            "*",
            "_",
            "`",
            "<",
            "](",
            "![",
            "&",
            "\\",
            "*a_ ",
            "[ a_",
            "a**b c* ",
            "[a](",
        ]
    },
    "nested brackets": "Vienna " + "[" * 25_000 + "a" + "]" * 25_000,
    "list 1,500 deep": "\n".join("  " * i + f"- item{i}" for i in range(1_500)),
    "numbered list 1,500 deep": "\n".join("   " * i + f"1. item{i}" for i in range(1_500)),
    "quotes 1,500 deep": "\n".join(">" * i + f" item{i}" for i in range(1, 1_500)),
    "list 1,500 deep in a quote": "\n".join(">" + "  " * i + f"- item{i}" for i in range(1_500)),
    "list and quote on one line": "> - " * 12_500 + "item1499",
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_texts_render_with_their_words(text):
    """Runs of markup characters and absurd nesting render (once, in linear time: see
    bench/markup.py) and keep their words; nesting beyond the limit is flattened."""
    shown = _visible(render_markdown(text))
    assert ("item1499" if "item" in text else "Vienna") in shown


def test_a_text_is_rendered_once_per_process_long_ones_too_within_a_budget(monkeypatch):
    """A page of 5,000 comments must not render each again on every view: the renderer keeps
    what it rendered (texts are immutable once stored), short texts by number, long ones (a
    pasted annex) by size, so a process holds at most text.kept.LONG_KEPT_CHARS of them."""
    from drafting.text import kept, markup

    calls = []
    real = markup._parsed
    monkeypatch.setattr(markup, "_parsed", lambda text: calls.append(text) or real(text))
    short = "A *cached* text, unique to this test: 81c4."
    first = markup.render_markdown(short)
    assert markup.render_markdown(short) == first
    assert calls == [short]
    long_text = "*long* 5e0a " * (kept.SHORT_CHARS // 12 + 1)
    assert len(long_text) > kept.SHORT_CHARS
    first = markup.render_markdown(long_text)
    assert markup.render_markdown(long_text) == first
    assert calls.count(long_text) == 1
    assert markup._render_kept.long.cache.currsize >= len(first)


def test_long_texts_are_kept_within_a_budget_of_characters():
    """Long texts are kept by the size of what they make: beyond the budget the oldest go, and
    a value larger than the whole budget is made again on every call (rightly each time)."""
    from drafting.text.kept import SHORT_CHARS, kept_by_text

    made = []

    @kept_by_text(len, budget=3 * SHORT_CHARS)
    def shout(text: str, flag: bool) -> str:
        made.append(text)
        return text.upper()

    one, two, three = ("a" * (SHORT_CHARS + 1), "b" * (SHORT_CHARS + 1), "c" * (SHORT_CHARS + 1))
    for text in (one, two, one, two):
        assert shout(text, False) == text.upper()
    assert made == [one, two]
    shout(three, False)  # over the budget with the other two: the least recently used goes
    shout(one, False)
    assert made == [one, two, three, one]
    huge = "d" * (4 * SHORT_CHARS)
    assert shout(huge, False) == shout(huge, False) == huge.upper()
    assert made.count(huge) == 2
    assert shout("short", True) == shout("short", True) == "SHORT"
    assert made.count("short") == 1

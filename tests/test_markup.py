import re

import pytest

from drafting.markup import render_markdown


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

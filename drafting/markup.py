"""The one Markdown renderer: emphasis and links, no raw HTML, sanitised before it is shown."""

from __future__ import annotations

import html as html_lib
import re

import markdown
import nh3
from markupsafe import Markup

from drafting.documents.draft_format import LINK_SCHEMES

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "a",
    "code",
    "ul",
    "ol",
    "li",
    "br",
    "blockquote",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = set(LINK_SCHEMES)


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[], output_format="html")
    # Raw HTML in a draft is shown as text, never interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _markdown()


def sanitise(html: str) -> Markup:
    """Keep only the tags, attributes and URL schemes a declaration needs."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just sanitised it


# Text that Markdown would only escape and wrap in <p>: one line, none of the characters that
# start emphasis, links, code, entities or HTML, and no line start that makes a heading, a
# quote, a list or a code block. Most comments and paragraphs are such text; the Python
# Markdown parser is by far the slowest part of a page of 5,000 comments, so it is skipped
# for them (a test checks both paths give the same HTML). nh3 still sanitises every path.
_PLAIN = re.compile(r"[^\n\r\t\\`*_{}\[\]<>&|~]*")
_BLOCK_START = re.compile(r"[#>+*-]|\d+[.)]|=|\s")


def _plain_paragraph(text: str) -> str | None:
    if not text or not _PLAIN.fullmatch(text) or _BLOCK_START.match(text) or text[-1].isspace():
        return None
    return f"<p>{html_lib.escape(text, quote=False)}</p>"


def render_markdown(text: str, *, inline: bool = False) -> Markup:
    """Markdown to safe HTML; ``inline`` drops the wrapping <p> for text inside a paragraph."""
    html = _plain_paragraph(text) or _MD.reset().convert(text or "")
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitise(html)

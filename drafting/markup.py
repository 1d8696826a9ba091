"""The one Markdown renderer: emphasis and links, no raw HTML, sanitised before it is shown."""

from __future__ import annotations

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


def render_markdown(text: str, *, inline: bool = False) -> Markup:
    """Markdown to safe HTML; ``inline`` drops the wrapping <p> for text inside a paragraph."""
    html = _MD.reset().convert(text or "")
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitise(html)

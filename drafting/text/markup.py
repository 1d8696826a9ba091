"""The one Markdown renderer: emphasis and links, no raw HTML, sanitised before it is shown.

Texts come from anyone who may comment, so rendering must take time linear in their length:
markdown-it-py (a CommonMark parser without backtracking regexes) reads them, nesting deeper
than a person writes is flattened first, and nh3 sanitises what comes out.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markupsafe import Markup

from drafting.text.brackets import Bracket, find_brackets
from drafting.text.draft_format import LINK_SCHEMES
from drafting.text.footnotes import REFERENCE, has_footnotes, split_notes
from drafting.text.kept import kept_by_text

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
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "sup": {"title", "id"},
    "li": {"id"},
}
# Classes and ids only the renderer writes (raw HTML never reaches the page): a bracket and its
# holders, a footnote's reference and its note.
ALLOWED_CLASSES = {
    "span": {"bracket", "visually-hidden"},
    "sup": {"bracket-holders", "footnote-ref"},
    "ul": {"footnotes"},
}
ALLOWED_SCHEMES = set(LINK_SCHEMES)

# Lists and quotes deeper than this on one line are read as text: nobody writes them, and the
# parser recurses for each level. markdown-it's own limit (CommonMark preset: 20 levels of
# tokens, a list takes two) stays above it as a guard; it also bounds the work per `[` in link
# labels, so it stays small.
MAX_CONTAINER_DEPTH = 8
_MAX_TOKEN_NESTING = 20

# Raw HTML in a draft is shown as text, never interpreted (html=False escapes it).
_MD = MarkdownIt("commonmark", {"html": False, "maxNesting": _MAX_TOKEN_NESTING})
# Every link becomes <a>, and nh3 keeps its address only with an allowed scheme: one gate for
# URLs, and a link to a refused scheme reads as its words, not as Markdown source.
_MD.validateLink = lambda url: True


def _image_as_its_words(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    """An image shows as its description: the page loads nothing from a draft, and the words
    stay, as in the Word and PDF copies."""
    return html_lib.escape(self.renderInlineAsText(tokens[idx].children, options, env), quote=False)


_MD.add_render_rule("image", _image_as_its_words)


def _bracket_marks(state) -> dict[int, tuple[bool, Bracket]]:  # noqa: ANN001
    """Where each bracket of the inline text being read opens and closes, found once per text
    by the draft format's one reading of brackets (linear), then looked up at each ``[``/``]``."""
    known = state.env.get("brackets")
    if known is None or known[0] is not state.src:
        marks: dict[int, tuple[bool, Bracket]] = {}
        for bracket_set in find_brackets(state.src):
            for bracket in bracket_set.alternatives:
                marks[bracket.start] = (True, bracket)
                marks[bracket.start + 1 + len(bracket.text)] = (False, bracket)
        known = state.env["brackets"] = (state.src, marks)
    return known[1]


def _brackets(state, silent: bool) -> bool:  # noqa: ANN001
    """A bracket as negotiators write it, ``[shall]``, kept as text inside a styled span; the
    delegations holding it, ``{EU, TUR}``, as a superscript that a screen reader reads out."""
    if state.src[state.pos] not in "[]":
        return False
    mark = _bracket_marks(state).get(state.pos)
    if mark is None:
        return False
    opens, bracket = mark
    if opens and normalizeReference(bracket.text) in state.env.get("references", ()):
        return False  # a reference link, "[r1]" with "[r1]: /u1" below: the link rule reads it
    if not silent:
        shown = '<span class="bracket">[' if opens else f"]{_holders_html(bracket.holders)}</span>"
        state.push("html_inline", "", 0).content = shown
    state.pos = state.pos + 1 if opens else bracket.end
    return True


def _holders_html(holders: tuple[str, ...]) -> str:
    if not holders:
        return ""
    names = html_lib.escape(", ".join(holders))
    return (
        f'<sup class="bracket-holders" title="Held by {names}">'
        f'<span class="visually-hidden"> held by </span>{names}</sup>'
    )


# Before links: "[shall][should]" is two brackets, never a reference link (the draft format
# has no link definitions), and "[text](target)" is no bracket (find_brackets leaves it out).
_MD.inline.ruler.before("link", "brackets", _brackets)


def _footnote_reference(state, silent: bool) -> bool:  # noqa: ANN001
    """A footnote's reference, ``[^1]``, as a superscript link to its note below the paragraph;
    only a label that the paragraph's notes define (else it stays text, as Markdown has it)."""
    known = state.env.get("footnotes")
    if not known or not state.src.startswith("[^", state.pos):
        return False
    match = REFERENCE.match(state.src, state.pos)
    if match is None or match["label"] not in known[1]:
        return False
    if not silent:
        key, label = known[0], match["label"]
        state.push("html_inline", "", 0).content = (
            f'<sup class="footnote-ref" id="fnref-{key}-{label}">'
            f'<a href="#fn-{key}-{label}">{label}</a></sup>'
        )
    state.pos = match.end()
    return True


_MD.inline.ruler.before("brackets", "footnote_reference", _footnote_reference)


def _with_notes(text: str) -> str | None:
    """A paragraph with footnotes: its text, then its notes as a list, each note's label
    linking back to where it is referenced. None when the text has no note."""
    noted = split_notes(text)
    if not noted.notes:
        return None
    # Ids unique to the paragraph's text, so that two paragraphs' note 1 do not collide.
    key = hashlib.blake2s(text.encode("utf-8"), digest_size=4).hexdigest()
    env = {"footnotes": (key, {note.label for note in noted.notes})}
    body = _MD.render(flatten_nesting(noted.body), env).rstrip("\n") if noted.body else ""
    items = "".join(
        f'<li id="fn-{key}-{note.label}"><a href="#fnref-{key}-{note.label}">'
        f"<sup>{note.label}</sup></a> {_MD.renderInline(note.text)}</li>"
        for note in noted.notes
    )
    return f'{body}<ul class="footnotes">{items}</ul>'


_CONTAINER_MARKER = re.compile(r"([ \t]*)(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_INDENT = re.compile(r"[ \t]*")
# A text that is a list marker alone ("-", "7.") is shown as written, not as an empty list.
_LONE_MARKER = re.compile(r"\s*(?:[-+*]|\d{1,9}[.)])\s*")


def _container_depth(line: str) -> tuple[int, int]:
    """How deep the containers opened or continued by a line's start go, and where they end.

    Each marker (``>``, a bullet, a number) opens one; every two columns of indentation beyond
    the one space a marker needs may continue one more list item."""
    markers = spaces = position = 0
    while marker := _CONTAINER_MARKER.match(line, position):
        markers += 1
        spaces += len(marker.group(1).expandtabs(4))
        position = marker.end()
    prefix = _INDENT.match(line, position).end()
    spaces += len(line[position:prefix].expandtabs(4))
    return markers + max(spaces - markers, 0) // 2, prefix


def flatten_nesting(text: str) -> str:
    """Drop the list and quote markers of lines nested deeper than MAX_CONTAINER_DEPTH, so that
    their words join the paragraph above instead of opening ever deeper blocks."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        depth, prefix = _container_depth(line)
        if depth > MAX_CONTAINER_DEPTH:
            lines[number] = line[prefix:].lstrip(" \t>")
    return "\n".join(lines)


def sanitise(html: str) -> Markup:
    """Keep only the tags, attributes and URL schemes a declaration needs."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just sanitised it


# Text that Markdown would only escape and wrap in <p>: one line, none of the characters that
# start emphasis, links, code, entities or HTML, and no line start that makes a heading, a
# quote, a list or a code block. Most comments and paragraphs are such text; the parser is by
# far the slowest part of a page of 5,000 comments, so it is skipped for them (a test checks
# both paths give the same HTML). nh3 still sanitises every path.
_PLAIN = re.compile(r"[^\n\r\t\\`*_{}\[\]<>&|~\x00]*")
_BLOCK_START = re.compile(r"[#>+*-]|\d+[.)]|=|\s")


def _plain_paragraph(text: str) -> str | None:
    if not text or not _PLAIN.fullmatch(text) or _BLOCK_START.match(text) or text[-1].isspace():
        return None
    return f"<p>{html_lib.escape(text, quote=False)}</p>"


def _parsed(text: str) -> str:
    if _LONE_MARKER.fullmatch(text):
        return f"<p>{html_lib.escape(text.strip(), quote=False)}</p>"
    return _MD.render(flatten_nesting(text)).rstrip("\n")


def render_markdown(text: str, *, inline: bool = False) -> Markup:
    """Markdown to safe HTML; ``inline`` drops the wrapping <p> for text inside a paragraph.
    What a text renders to is kept (text.kept): a page of 5,000 comments renders none again."""
    return _render_kept(text or "", inline)


@kept_by_text(len)
def _render_kept(text: str, inline: bool) -> Markup:
    return _render(text, inline)


def _render(text: str, inline: bool) -> Markup:
    html = _plain_paragraph(text) or (has_footnotes(text) and _with_notes(text)) or _parsed(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitise(html)

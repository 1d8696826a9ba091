"""A block's inline Markdown as Akoma Ntoso inline elements: emphasis as ``i`` and ``b``, links
as ``a``, line breaks as ``eol``, and each bracket of the draft format as a ``span``.

It reads the text as the Word and PDF copies do (`drafting.text.inline.read_inline`, the reader
with source offsets), so that the XML shows a reader the same words. Brackets keep their
characters (``[shall]{EU}``) and are wrapped in ``<span class="bracket">``, alternatives side by
side in ``<span class="alternatives">``; a bracket's holders are named in ``refersTo`` by the
eIds of their ``TLCOrganization`` (see `holder_eid`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby, pairwise
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from lxml import etree

from drafting.text.brackets import find_brackets
from drafting.text.draft_format import LINK_SCHEMES
from drafting.text.inline import read_inline, xml_safe

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_Q = f"{{{AKN_NS}}}"
_URI_SAFE = "!$&'()*+,;=~-._:@/"
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?")


def akn(tag: str) -> str:
    """The qualified name of an Akoma Ntoso element."""
    return _Q + tag


def holder_eid(code: str) -> str:
    """The eId of the TLCOrganization that names a delegation (by its code) in the meta."""
    return "org_" + "".join(c if c.isalnum() or c == "-" else "_" for c in code.lower())


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    bold: bool
    italic: bool
    superscript: bool  # the delegations holding a bracket, printed after its "]"
    href: str | None
    open_point: int | None  # which bracket set of the text, if inside one
    bracket: int | None  # which bracket of that set


def _link_target(closer: str) -> str | None:
    """The address of a link from the source of its closer, ``](target "title")``: only web
    and mail addresses are kept (as the page's sanitiser keeps them), percent-encoded where a
    URI may not carry the character."""
    inner = closer[2:-1].strip()
    if inner.startswith("<"):
        target = inner[1 : inner.find(">")] if ">" in inner else ""
    else:
        target = inner.split(None, 1)[0] if inner else ""
    target = xml_safe(target)
    scheme, colon, _ = target.partition(":")
    if colon and scheme.lower() not in LINK_SCHEMES or not colon and not target:
        return None
    return _encoded(target)


def _encoded(target: str) -> str | None:
    """``target`` decoded, then percent-encoded part by part, so that a stray "%", a space, a
    second "#" or a "[" (none of which xs:anyURI takes there) arrives encoded; None for an
    address whose host and port no URI can carry (such a link keeps its words only)."""
    try:
        parts = urlsplit(unquote(target))
    except ValueError:  # an unclosed "[" in the host
        return None
    netloc = ""
    if parts.netloc:
        userinfo, at, hostport = parts.netloc.rpartition("@")
        host, _, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        if not _HOST.fullmatch(host) or not port.isdigit() and port:
            return None
        netloc = quote(userinfo, safe="~-._") + at + host + (f":{port}" if port else "")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URI_SAFE),
            quote(parts.query, safe=_URI_SAFE + "?/"),
            quote(parts.fragment, safe=_URI_SAFE + "?/"),
        )
    )


def _segments(source: str) -> Iterator[_Segment]:
    """The displayed text of ``source`` cut where its style, link or bracket changes."""
    spans = read_inline(source)
    hrefs: dict[int, str | None] = {}  # span index -> address of the link it belongs to
    opener: int | None = None
    for index, span in enumerate(spans):
        if span.text or span.end == span.start:
            continue
        if source[span.start] in "[!":
            opener = index if source[span.start] == "[" else None
            if opener is None:  # an image: its words, no link (the page loads nothing)
                opener = -1
        elif source[span.start] == "]" and opener is not None:
            href = _link_target(source[span.start : span.end]) if opener >= 0 else None
            for inside in range(max(opener, 0), index):
                hrefs[inside] = href
            opener = None
    places: list[tuple[int, int, int, int]] = []  # start, end, open point, bracket
    for point, bracket_set in enumerate(find_brackets(source)):
        for number, bracket in enumerate(bracket_set.alternatives):
            places.append((bracket.start, bracket.end, point, number))
    cuts = sorted({offset for start, end, _, _ in places for offset in (start, end)})
    place_index = 0
    for index, span in enumerate(spans):
        if not span.text:
            continue
        pieces = [(span.start, span.text)]
        if span.is_verbatim:
            inner = cuts[bisect_right(cuts, span.start) : bisect_left(cuts, span.end)]
            bounds = [span.start, *inner, span.end]
            pieces = [(a, span.text[a - span.start : b - span.start]) for a, b in pairwise(bounds)]
        for start, text in pieces:
            while place_index < len(places) and places[place_index][1] <= start:
                place_index += 1
            point = bracket = None
            if place_index < len(places) and places[place_index][0] <= start:
                _, _, point, bracket = places[place_index]
            yield _Segment(
                text, span.bold, span.italic, span.superscript, hrefs.get(index), point, bracket
            )


def fill_inline(parent: etree._Element, source: str) -> etree._Element:
    """Append the inline content of ``source`` (a block's Markdown) to ``parent``."""
    sets = find_brackets(source)
    for point, in_point in groupby(_segments(source), key=lambda s: s.open_point):
        if point is None:
            _fill_links(parent, in_point)
            continue
        alternatives = sets[point].alternatives
        container = parent
        if len(alternatives) > 1:
            container = etree.SubElement(parent, akn("span"), {"class": "alternatives"})
        for number, in_bracket in groupby(in_point, key=lambda s: s.bracket):
            span = etree.SubElement(container, akn("span"), {"class": "bracket"})
            holders = alternatives[number].holders
            if holders:
                span.set("refersTo", " ".join("#" + holder_eid(code) for code in holders))
            _fill_links(span, in_bracket)
    return parent


def _fill_links(parent: etree._Element, segments) -> None:
    for href, in_link in groupby(segments, key=lambda s: s.href):
        target = parent if href is None else etree.SubElement(parent, akn("a"), href=href)
        styles = groupby(in_link, key=lambda s: (s.bold, s.italic, s.superscript))
        for (bold, italic, superscript), styled in styles:
            holder = target
            if superscript:
                holder = etree.SubElement(holder, akn("sup"))
            if bold:
                holder = etree.SubElement(holder, akn("b"))
            if italic:
                holder = etree.SubElement(holder, akn("i"))
            _append_text(holder, "".join(s.text for s in styled))


def _append_text(element: etree._Element, text: str) -> None:
    """Add text at the end of ``element``, each line break as an ``eol``."""
    lines = xml_safe(text).split("\n")
    for number, line in enumerate(lines):
        if number < len(lines) - 1:
            line = line.rstrip(" ")  # the spaces that made a hard line break
        if number:
            etree.SubElement(element, akn("eol"))
        if not line:
            continue
        # The last child, found from the end: len() would count every child, each time.
        last = next(element.iterchildren(reversed=True), None)
        if last is not None:
            last.tail = (last.tail or "") + line
        else:
            element.text = (element.text or "") + line


def inline_text(source: str) -> str:
    """The plain words of ``source`` as the XML shows them (for attributes such as showAs)."""
    return xml_safe("".join(span.text for span in read_inline(source))).replace("\n", " ")

"""The draft format: a declaration as Markdown blocks separated by blank lines.

This is the one place that knows how a draft file is cut into blocks, how a heading is told from a
paragraph and how a number label ("7.", "(a)", "PP3.", "1bis.", "A.", "**41(2)(b)**") is read off a
paragraph.
It is pure (no Flask, no database) so the comparison package and the importer share it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["title", "heading", "paragraph"]

MAX_DRAFT_BYTES = 5 * 1024 * 1024
MAX_LABEL_LENGTH = 64

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
# "1bis.", "3 ter", "PP2quater": the Latin ordinals that insert a paragraph between two others.
LATIN_SUFFIXES = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"
# A label is a leading token followed by white space. Every pattern is bounded, so a label is
# never longer than MAX_LABEL_LENGTH and always fits its column. Order matters: bold labels
# first, then the parenthesised and dotted styles that real declarations use.
_LABEL_PATTERNS = (
    # **41(2)(b)** or **3(1) (definition)**: consolidated statutes print labels in bold.
    re.compile(r"^\*\*(?P<label>\d[^*\n]{0,40}?)\*\*(?=\s)"),
    # PP3. / OP12. / PP3bis : preambular and operative paragraphs of UN resolutions.
    re.compile(r"^(?P<label>(?:PP|OP)\d{1,4}(?: ?" + LATIN_SUFFIXES + r")?[.)]?)(?=\s)"),
    # 1bis. / 1 bis / 1ter) : a paragraph inserted after 1. without renumbering the rest.
    re.compile(r"^(?P<label>\d{1,4} ?" + LATIN_SUFFIXES + r"[.)]?)(?=\s)"),
    # 7.2 / 7.2.1 / 7.2. (sub-numbering)
    re.compile(r"^(?P<label>\d{1,4}(?:\.\d{1,4}){1,6}\.?)(?=\s)"),
    # 7. / 7)
    re.compile(r"^(?P<label>\d{1,4}[.)])(?=\s)"),
    # (7) / (7a) / (a) / (iv) / (b.1)
    re.compile(r"^(?P<label>\((?:\d{1,4}[a-z]?|[a-z](?:\.\d)?|" + _ROMAN + r")\))(?=\s)"),
    # a) / iv)
    re.compile(r"^(?P<label>(?:[a-z]|" + _ROMAN + r")\))(?=\s)"),
    # A. / B) / IV. : the parts and chapters of a declaration or an annex.
    re.compile(r"^(?P<label>(?:[A-Z]|(?=[IVX]{2})" + _ROMAN.upper() + r")[.)])(?=\s)"),
)

# (a) / a) / (b.1) / (iv) / iv): a lettered or roman item under a numbered paragraph, which
# declarations print indented beneath it.
_SUB_ITEM_LABEL = re.compile(r"^\(?(?=[a-z])(?:[a-z](?:\.\d)?|" + _ROMAN + r")\)$")


# What a draft may not carry: raw HTML (a tag or a comment; "<5%" or an autolink such as
# <https://example.org> is not one) and links whose scheme is not a web or mail address.
_RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_INLINE_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
# Linear on any text: the indentation stays on its line and a label stops at the next bracket
# (a label holds none), so no line start rescans the rest of the text.
# A footnote's note ("[^1]: Source: UNHCR") is no link definition.
_REFERENCE_LINK_TARGET = re.compile(
    r"^[ \t]*\[(?!\^)[^\[\]]+\]:\s*<?(\S*?)>?(?:\s|$)", re.MULTILINE
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


class DraftFormatError(ValueError):
    """The file cannot be read as a draft; the message is meant for the person who sent it."""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a draft: the title, a section heading or a paragraph.

    ``label`` is the number label as printed ("7.", "(a)", "41(2)(b)"), ``None`` when the
    paragraph is unnumbered; ``label_bold`` records that the source printed it in bold, so that
    export gives back the same block. ``text`` is the Markdown after the label.
    """

    kind: BlockKind
    text: str
    level: int = 0
    label: str | None = None
    label_bold: bool = False

    @property
    def is_heading(self) -> bool:
        return self.kind != "paragraph"

    @property
    def is_sub_item(self) -> bool:
        """A sub-item such as "(a)" or "(iv)", shown indented under its paragraph in the
        page, the editor, the comparison and the Word and PDF copies."""
        return self.label is not None and bool(_SUB_ITEM_LABEL.match(self.label))

    def to_markdown(self) -> str:
        if self.kind == "title":
            return f"# {self.text}"
        if self.kind == "heading":
            return f"{'#' * self.level} {self.text}"
        if self.label is None:
            return self.text
        label = f"**{self.label}**" if self.label_bold else self.label
        return f"{label} {self.text}" if self.text else label


def split_label(text: str) -> tuple[str | None, bool, str]:
    """Read a leading number label off a paragraph: (label, printed in bold, rest of text)."""
    for pattern in _LABEL_PATTERNS:
        match = pattern.match(text)
        if match:
            rest = text[match.end() :].lstrip()
            return match.group("label"), text.startswith("**"), rest
    return None, False, text


def parse_block(raw: str) -> Block:
    """Read one blank-line-free chunk of Markdown as a block."""
    raw = raw.strip("\n").rstrip()
    heading = _HEADING.match(raw) if "\n" not in raw else None
    if heading:
        level = len(heading.group(1))
        return Block(kind="title" if level == 1 else "heading", text=heading.group(2), level=level)
    label, bold, rest = split_label(raw.lstrip())
    return Block(kind="paragraph", text=rest, label=label, label_bold=bold)


def split_raw_blocks(source: str) -> list[str]:
    """The blank-line-separated chunks of a text, as the comparison contract numbers them."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return [chunk for chunk in _BLANK_LINE.split(source.strip("\n")) if chunk.strip()]


def parse_draft(source: str) -> list[Block]:
    """Cut a draft's Markdown into blocks. Raises DraftFormatError on text that is no draft."""
    if "\x00" in source:
        raise DraftFormatError("The file contains binary data; upload a Markdown (.md) text file.")
    blocks = [parse_block(chunk) for chunk in split_raw_blocks(source)]
    if not blocks:
        raise DraftFormatError("The file is empty: a draft needs at least one paragraph.")
    return blocks


def forbidden_markup(text: str) -> str | None:
    """Why ``text`` may not be stored (raw HTML, a link that is not to the web or to an e-mail
    address), or None when it is plain Markdown. Drafts and comments share this rule."""
    html = _RAW_HTML.search(text)
    if html:
        return f"contains raw HTML ({html.group(0)[:40]}); write plain Markdown instead"
    targets = _INLINE_LINK_TARGET.findall(text) + _REFERENCE_LINK_TARGET.findall(text)
    for target in targets:
        scheme, colon, _ = target.partition(":")
        if colon and scheme.lower() not in LINK_SCHEMES:
            return (
                f"links to “{target[:40]}”; links may only lead to web (http, https) or e-mail "
                "(mailto) addresses"
            )
    return None


def refuse_markup(blocks: list[Block]) -> None:
    """Refuse a draft that carries raw HTML or script links, naming the block to fix.

    The renderer would show such text harmlessly, but a declaration has no use for it, and a
    secretariat importing it has most likely taken the wrong file or pasted from a web page.
    """
    for number, block in enumerate(blocks, start=1):
        html = _RAW_HTML.search(block.text)
        if html:
            raise DraftFormatError(
                f"Block {number} contains raw HTML ({html.group(0)[:40]}). A draft is plain "
                "Markdown: remove the HTML and import the file again."
            )
        reason = forbidden_markup(block.text)
        if reason:
            raise DraftFormatError(f"Block {number} {reason}.")


def refuse_too_many_blocks(count: int, max_blocks: int | None) -> None:
    """Refuse, before anything reads them one by one, more blocks than a service can import in
    one request (a declaration has a few hundred; each block is a row and an alignment)."""
    if max_blocks is not None and count > max_blocks:
        raise DraftFormatError(
            f"The draft has {count:,} paragraphs and headings; at most {max_blocks:,} can be "
            "imported at once. Check that this is the right file, or split the text into "
            "several documents."
        )


def decode_draft(
    data: bytes, max_bytes: int = MAX_DRAFT_BYTES, max_blocks: int | None = None
) -> str:
    """Turn uploaded bytes into draft text, refusing what is too large, binary or not UTF-8,
    or (with ``max_blocks``) holds more blocks than can be imported at once."""
    if len(data) > max_bytes:
        raise DraftFormatError(
            f"The file is {len(data) / 1_048_576:.1f} MB; a draft may be at most "
            f"{max_bytes / 1_048_576:.0f} MB."
        )
    if not data.strip():
        raise DraftFormatError("The file is empty: a draft needs at least one paragraph.")
    if b"\x00" in data:
        raise DraftFormatError("The file contains binary data; upload a Markdown (.md) text file.")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftFormatError(
            f"The file is not UTF-8 text (byte {exc.start} cannot be read); "
            "save it as UTF-8 and upload it again."
        ) from None
    refuse_too_many_blocks(len(split_raw_blocks(source)), max_blocks)
    return source


def export_draft(blocks: list[Block]) -> str:
    """Write blocks back as a draft: the same blocks, separated by one blank line."""
    return "\n\n".join(block.to_markdown() for block in blocks) + "\n"


def canonical_hash(blocks: list[Block]) -> str:
    """SHA-256 of a version's canonical text (its Markdown export), as shown on its page."""
    return hashlib.sha256(export_draft(blocks).encode("utf-8")).hexdigest()


def describe_contents(blocks) -> str:
    """What a draft holds, as a reader counts it: "17 paragraphs and 3 headings" (the title is
    not counted). Takes blocks or paragraphs: anything with a ``kind``."""
    kinds = [str(getattr(b.kind, "value", b.kind)) for b in blocks]
    paragraphs, headings = kinds.count("paragraph"), kinds.count("heading")
    words = [f"{paragraphs} paragraph{'' if paragraphs == 1 else 's'}"]
    if headings:
        words.append(f"{headings} heading{'' if headings == 1 else 's'}")
    return " and ".join(words)

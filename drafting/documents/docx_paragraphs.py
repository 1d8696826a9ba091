"""Word's paragraphs read as draft blocks, with every tracked change accepted: the body walked in
reading order (through tables and content controls), runs joined with their bold and italic as
Markdown, deleted text and comments left out, labels taken from Word's numbering or from the
typed text, and characters that Markdown would read as markup escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from drafting.documents.docx_archive import MC, WML
from drafting.documents.docx_numbering import Numbering, Styles, child_val, to_int
from drafting.text.brackets import reads_as_holders
from drafting.text.draft_format import Block, export_draft, parse_draft, refuse_markup, split_label
from drafting.text.inline import starts_list_line

# Containers whose content is not shown in the accepted text, or is not part of the body flow.
_SKIPPED = {
    f"{WML}{tag}"
    for tag in (
        "del",
        "moveFrom",
        "pPr",
        "rPr",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "instrText",
        "delText",
        "delInstrText",
        "sdtPr",
        "sdtEndPr",
    )
} | {f"{MC}AlternateContent"}


# Where a footnote is referenced, carried through the paragraph's text to docx_footnotes:
# two private-use characters around Word's footnote id, which no escaping touches.
NOTE_MARK = "\ue000\ue001"


@dataclass(slots=True)
class _Piece:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


@dataclass(slots=True)
class _Paragraph:
    element: object
    pieces: list[_Piece]
    mark_deleted: bool


def _body_paragraphs(container) -> Iterator:
    """The body's paragraphs in reading order, through tables and content controls, leaving out
    table rows whose deletion is tracked (accepting it removes them)."""
    for child in container:
        tag = child.tag
        if tag == f"{WML}p":
            yield child
        elif tag == f"{WML}tbl":
            for row in child.iter(f"{WML}tr"):
                if row.find(f"{WML}trPr/{WML}del") is not None:
                    continue
                for cell in row.findall(f"{WML}tc"):
                    yield from _body_paragraphs(cell)
        elif tag in (
            f"{WML}sdt",
            f"{WML}customXml",
            f"{WML}sdtContent",
            f"{WML}ins",
            f"{WML}moveTo",
        ):
            yield from _body_paragraphs(child)


def _on(rpr, tag: str) -> bool:
    el = rpr.find(f"{WML}{tag}") if rpr is not None else None
    return el is not None and el.get(f"{WML}val", "true").lower() not in ("0", "false", "off")


def _pieces(element, out: list[_Piece]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{WML}r":
            _run(child, out)
        else:
            _pieces(child, out)


def _run(run, out: list[_Piece]) -> None:
    rpr = run.find(f"{WML}rPr")
    if _on(rpr, "vanish"):
        return
    style = child_val(rpr, "rStyle") if rpr is not None else None
    bold = _on(rpr, "b") or style == "Strong"
    italic = _on(rpr, "i") or style == "Emphasis"
    superscript = rpr is not None and child_val(rpr, "vertAlign") == "superscript"
    for child in run:
        tag = child.tag
        if tag == f"{WML}t":
            text = child.text or ""
        elif tag in (f"{WML}br", f"{WML}cr") and child.get(f"{WML}type") in (None, "textWrapping"):
            out.append(_Piece("\n"))  # a hard line break: the draft keeps it (see _markdown)
            continue
        elif tag in (f"{WML}tab", f"{WML}ptab", f"{WML}br"):
            text = " "  # a tab, or a page or column break
        elif tag == f"{WML}noBreakHyphen":
            text = "-"
        elif tag == f"{WML}sym":
            text = ""
        elif tag in (f"{WML}footnoteReference", f"{WML}endnoteReference"):
            kind = "e" if tag == f"{WML}endnoteReference" else ""  # an endnote becomes a note too
            mark = f"{NOTE_MARK[0]}{kind}{child.get(f'{WML}id', '')[:20]}{NOTE_MARK[1]}"
            out.append(_Piece(mark, bold, italic))
            continue
        else:
            continue
        out.append(_Piece(text, bold, italic, superscript))


def _accepted_paragraphs(body) -> Iterator[list[_Paragraph]]:
    """Paragraphs as they read once every change is accepted: a paragraph whose mark was
    deleted (or moved away) is joined with the next, and takes that one's properties."""
    pending: list[_Paragraph] = []
    for element in _body_paragraphs(body):
        pieces: list[_Piece] = []
        _pieces(element, pieces)
        mark = element.find(f"{WML}pPr/{WML}rPr")
        deleted = mark is not None and (
            mark.find(f"{WML}del") is not None or mark.find(f"{WML}moveFrom") is not None
        )
        pending.append(_Paragraph(element, pieces, deleted))
        if not deleted:
            yield pending
            pending = []
    if pending:
        yield pending


def read_blocks(body, styles: Styles, numbering: Numbering) -> Iterator[Block]:
    for group in _accepted_paragraphs(body):
        last = group[-1].element
        pieces = [piece for paragraph in group for piece in paragraph.pieces]
        ppr = last.find(f"{WML}pPr")
        style_id = child_val(ppr, "pStyle") if ppr is not None else None
        num_id, ilvl = styles.numbering(style_id)
        num_pr = ppr.find(f"{WML}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = child_val(num_pr, "numId") or num_id
            ilvl = to_int(child_val(num_pr, "ilvl"), ilvl)
        plain = _clean("".join(p.text for p in pieces))
        if not plain:
            continue  # An empty paragraph takes no number in Word either.
        number = numbering.label(num_id, ilvl or 0)
        heading = styles.heading_level(style_id)
        if heading is not None:
            plain = _clean(_with_holders(pieces))
            text = _escape(plain) if not number else f"{number} {_escape(plain)}"
            if heading == 0:
                yield Block(kind="title", text=text, level=1)
            else:
                yield Block(kind="heading", text=text, level=min(heading + 1, 6))
        elif number:
            yield Block(kind="paragraph", text=_markdown(pieces), label=number)
        else:
            yield _typed_label_paragraph(pieces, plain)


def _with_holders(pieces: list[_Piece]) -> str:
    """The runs' text, a superscript list of delegations after a "]" as a bracket's holders."""
    out: list[str] = []
    for piece in pieces:
        core = _clean(piece.text)
        if piece.superscript and out and out[-1].endswith("]") and reads_as_holders(core):
            out.append(f"{{{core}}}")
        else:
            out.append(piece.text)
    return "".join(out)


def _typed_label_paragraph(pieces: list[_Piece], plain: str) -> Block:
    """A paragraph whose number, if any, is typed: read off the text as a Markdown draft's is."""
    label, _, _ = split_label(plain)
    if label is None:
        # A label in bold that the runs cut apart from its text: "**41(2)(b)** The ...".
        label, bold, rest = split_label(_markdown(pieces))
        return Block(kind="paragraph", text=rest, label=label, label_bold=bold)
    remaining, bold = _drop_prefix(pieces, label)
    # Only a label that starts with a digit can be written in bold in the draft format.
    return Block(
        kind="paragraph",
        text=_markdown(remaining),
        label=label,
        label_bold=bold and label[0].isdigit(),
    )


def _drop_prefix(pieces: list[_Piece], label: str) -> tuple[list[_Piece], bool]:
    """The pieces without the leading ``label`` (and the white space around it), and whether
    the label's first character was bold."""
    remaining = [_Piece(p.text, p.bold, p.italic, p.superscript) for p in pieces]
    wanted, bold = len(label), None
    for piece in remaining:
        if wanted == 0:
            break
        stripped = piece.text.lstrip()
        if bold is None and stripped:
            bold = piece.bold
        taken = min(wanted, len(stripped))
        piece.text = stripped[taken:] if stripped else ""
        wanted -= taken
    return remaining, bool(bold)


def _clean(text: str) -> str:
    return " ".join(text.split())


# Characters that Markdown would read as emphasis, code or an escape; a "<" that would start
# something HTML-like; an "&" that would start an entity; a line start that makes a block.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^([#>+-])")
# Bullets typed (or printed by the Word copies of a draft) at the start of a line.
_BULLET = re.compile("[\u2022\u25e6\u25aa]")
_BULLETS = re.compile("^(?:[\u2022\u25e6\u25aa] )+(?=\\S)")


def _escape_inline(text: str) -> str:
    """Word text as Markdown showing the same characters: a "<b>" typed in Word stays text."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("[^", "\\[^")  # no footnote typed
    text = _ENTITY.sub("&amp;", text)
    return _TAG_START.sub("&lt;", text)


def _escape(text: str) -> str:
    return _LINE_START.sub(r"\\\1", _escape_inline(text))


def _markdown(pieces: list[_Piece]) -> str:
    """Runs as Markdown, line by line: a hard line break in Word stays one in the draft, and a
    line that starts with bullets ("• • 1991", as the Word copies print "* * 1991") is a list
    item again."""
    lines: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.text == "\n":
            lines.append([])
        else:
            lines[-1].append(piece)
    texts = [text for text in map(_line_markdown, lines) if text]
    if not texts:
        return ""
    joined = [texts[0]]
    for text in texts[1:]:
        # A list item's line breaks by itself, as the Word and PDF writers read it; any other
        # line takes a backslash, CommonMark's hard line break.
        joined.append(("\n" if starts_list_line(text) else "\\\n") + text)
    return "".join(joined)


def _line_markdown(pieces: list[_Piece]) -> str:
    """One line's runs as Markdown: bold as **…**, italic as *…*, white space kept outside the
    markers; leading bullets as list markers, and whatever else would start a block escaped."""
    spans: list[_Piece] = []
    for piece in pieces:
        style = (piece.bold, piece.italic, piece.superscript)
        if spans and (spans[-1].bold, spans[-1].italic, spans[-1].superscript) == style:
            spans[-1].text += piece.text
        else:
            spans.append(_Piece(piece.text, *style))
    out = []
    for span in spans:
        core = _clean(span.text)
        if span.superscript and out and out[-1].endswith("]") and reads_as_holders(core):
            out.append(f"{{{core}}}")  # a bracket's holders, as the Word copy prints them
            continue
        if not core:
            out.append(" " if span.text else "")
            continue
        marker = ("**" if span.bold else "") + ("*" if span.italic else "")
        lead = " " if span.text[0].isspace() else ""
        tail = " " if span.text[-1].isspace() else ""
        out.append(f"{lead}{marker}{_escape_inline(core)}{marker[::-1]}{tail}")
    text = _clean("".join(out))
    bullets = _BULLETS.match(text)
    if bullets is None:
        return _LINE_START.sub(r"\\\1", text)
    markers = "* " * len(_BULLET.findall(bullets.group()))
    return markers + _LINE_START.sub(r"\\\1", text[bullets.end() :])


def normalise_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks as they will be stored: written out as a draft and read back, so that what
    the review shows is exactly what the confirmation stores."""
    if not blocks:
        return []
    parsed = parse_draft(export_draft(blocks))
    refuse_markup(parsed)
    return parsed

"""Real Word footnotes in the Word copy: a paragraph's notes go to the footnotes part
(word/footnotes.xml), which python-docx does not write, and its references become Word's
footnote references, numbered by Word and kept through editing, as delegations expect."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from drafting.text.footnotes import FootnoteMark, display_with_notes
from drafting.text.inline import Piece, display_pieces

__all__ = ["write_noted_text"]

_NOTE_SIZE = Pt(9)
_SEPARATORS = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)

AddPieces = Callable[[Paragraph, Iterable[Piece]], None]


def write_noted_text(
    document: Document, paragraph: Paragraph, text: str, add_pieces: AddPieces
) -> None:
    """Write a paragraph's text into ``paragraph`` with ``add_pieces`` (the copy's own run
    writer), each footnote reference as a Word footnote holding its note; a note that the text
    never references is referenced at the paragraph's end, so that no note is lost."""
    items, noted = display_with_notes(text)
    referenced: set[str] = set()
    pieces: list[Piece] = []
    for item in items:
        if isinstance(item, Piece):
            pieces.append(item)
            continue
        add_pieces(paragraph, pieces)
        pieces = []
        if item.note is None:
            add_pieces(paragraph, [Piece(f"[^{item.label}]")])
        else:
            referenced.add(item.label)
            _add_footnote(document, paragraph, item, add_pieces)
    add_pieces(paragraph, pieces)
    for note in noted.notes:
        if note.label not in referenced:
            _add_footnote(document, paragraph, FootnoteMark(note.label, note), add_pieces)


def _add_footnote(
    document: Document, paragraph: Paragraph, mark: FootnoteMark, add_pieces: AddPieces
) -> None:
    notes = _footnotes_element(document)
    number = str(len(notes) - 1)  # the two separators hold ids -1 and 0; notes count from 1
    footnote = OxmlElement("w:footnote", attrs={qn("w:id"): number})
    note_paragraph = Paragraph(OxmlElement("w:p"), paragraph._parent)
    footnote.append(note_paragraph._p)
    note_paragraph.paragraph_format.space_after = Pt(0)
    note_paragraph._p.append(_reference_run("w:footnoteRef"))
    add_pieces(note_paragraph, [Piece(" "), *display_pieces(mark.note.text if mark.note else "")])
    for run in note_paragraph.runs:
        run.font.size = _NOTE_SIZE
    notes.append(footnote)
    paragraph._p.append(_reference_run("w:footnoteReference", number, mark))


def _reference_run(tag: str, number: str | None = None, mark: FootnoteMark | None = None):  # noqa: ANN202
    """A run holding a footnote's number in superscript: in the text (footnoteReference), in
    the emphasis of the words it stands in, or at the head of the note (footnoteRef)."""
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for flag, on in (("w:b", mark and mark.bold), ("w:i", mark and mark.italic)):
        if on:
            properties.append(OxmlElement(flag))
    raised = OxmlElement("w:vertAlign", attrs={qn("w:val"): "superscript"})
    properties.append(raised)
    run.append(properties)
    run.append(OxmlElement(tag, attrs={qn("w:id"): number} if number else None))
    return run


def _footnotes_element(document: Document):  # noqa: ANN202
    """The document's footnotes part, made on first use with the separators Word expects."""
    part = document.part
    for relationship in part.rels.values():
        if relationship.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
            return relationship.target_part.element
    notes = XmlPart(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        parse_xml(_SEPARATORS),
        part.package,
    )
    part.relate_to(notes, RELATIONSHIP_TYPE.FOOTNOTES)
    return notes.element

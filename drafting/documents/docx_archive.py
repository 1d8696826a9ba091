"""Opening a .docx as the hostile file it may be: the zip is checked for its size and entry count
before anything is unpacked, each part that the import reads is unpacked with a cap (a lying
header cannot make it unpack more), and parsed as XML without DTDs or entities. Every refusal is
a DocxError with words for the person who sent the file."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib

from lxml import etree

from drafting.text.draft_format import DraftFormatError

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2_000
ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
# An OLE compound file: an encrypted .docx (Word wraps it in one) or a Word 97-2003 .doc.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# "Strict Open XML" files name the same elements in another namespace.
W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
WML = f"{{{W}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
NOT_A_DOCX = (
    "This is not a Word .docx file (it is not a zip archive as a .docx is). Open it in Word "
    'and use "Save As" → "Word Document (.docx)", or upload the draft as Markdown (.md).'
)


class DocxError(DraftFormatError):
    """The .docx cannot be read as a draft; the message is meant for the person who sent it."""


_WANTED = (
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/comments.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
)


def unpack_parts(
    data: bytes, *, max_unpacked: int, max_entries: int, max_xml: int | None = None
) -> dict[str, bytes | None]:
    """The parts the import reads (None where the file has none), or DocxError before
    anything beyond the caps is unpacked."""
    if data.startswith(OLE_SIGNATURE):
        raise DocxError(
            "This file is password-protected (encrypted), or it is an old Word 97-2003 .doc "
            "file: both are stored this way and neither can be read here. Remove the password "
            '(File → Info → Protect Document) or use "Save As" → "Word Document (.docx)", '
            "then upload it again."
        )
    if not data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        raise DocxError(NOT_A_DOCX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError):
        raise DocxError(NOT_A_DOCX) from None
    too_big = (
        f"This file unpacks to more than {max_unpacked / 1_048_576:.0f} MB or holds more than "
        f"{max_entries:,} parts, far beyond any draft; it was not opened. Save the text "
        "alone as a new .docx and upload that."
    )
    if len(entries) > max_entries or sum(e.file_size for e in entries) > max_unpacked:
        raise DocxError(too_big)
    names = {e.filename: e for e in entries}
    if "word/document.xml" not in names:
        raise DocxError(
            "This zip file is not a Word document: it has no word/document.xml. Upload a .docx "
            "saved by Word or another word processor."
        )
    for name in _WANTED:
        if max_xml is not None and name in names and names[name].file_size > max_xml:
            raise DocxError(_part_too_big(name, names[name].file_size, max_xml))
    parts: dict[str, bytes | None] = {}
    budget = max_unpacked
    for name in _WANTED:
        entry = names.get(name)
        if entry is None:
            parts[name] = None
            continue
        if max_xml is not None and max_xml < budget:
            # The size a zip declares may lie: each part is cut off as soon as it passes.
            message = _part_too_big(name, max_xml + 1, max_xml)
            parts[name] = read_capped(archive, entry, max_xml, message)
        else:
            parts[name] = read_capped(archive, entry, budget, too_big)
        budget -= len(parts[name])
    return parts


def _part_too_big(name: str, size: int, max_xml: int) -> str:
    return (
        f"The part {name} of this Word file unpacks to {size / 1_048_576:.1f} MB or more; at "
        f"most {max_xml / 1_048_576:.1f} MB can be read in one import, far beyond any "
        "declaration. Save the text alone as a new .docx, or split it, and upload that."
    )


def read_capped(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int, too_big: str):
    """One entry's bytes, refusing as soon as it unpacks beyond what is left of the budget."""
    chunks, total = [], 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1 << 16):
                total += len(chunk)
                if total > budget:
                    raise DocxError(too_big)
                chunks.append(chunk)
    except DocxError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
    ):
        # A wrong checksum or size, broken compressed data, an unknown compression, or
        # encryption inside the zip.
        raise DocxError(
            f"The Word file is damaged: its part {entry.filename} cannot be unpacked. Open it "
            'in Word, use "Save As" → "Word Document (.docx)" and upload the new file.'
        ) from None
    return b"".join(chunks)


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


def parse_xml(data: bytes | None, name: str):
    if data is None:
        return None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise DocxError(f"The Word file is damaged: {name} declares a DTD, which Word never does.")
    try:
        return etree.fromstring(data.replace(W_STRICT, W.encode()), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxError(
            f"The Word file is damaged: {name} is not well-formed XML ({exc.msg}). Open it in "
            'Word, use "Save As" → "Word Document (.docx)" and upload the new file.'
        ) from None

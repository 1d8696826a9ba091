"""Marking up the service's own Word copy as a delegation does in Word, with lxml: tracked
insertions, deletions, moves, splits, new and deleted paragraphs, comments, footnotes and
formatting changes, written as Word writes them. And a tracked-change file read with every change
rejected (the text the delegation was given), for the corpus."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy

from lxml import etree

from drafting.documents.docx_archive import DocxError
from drafting.documents.docx_import import read_docx
from tests.documents.test_docx_import import without_tables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.Element(q(tag), {q(k): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _revision(tag: str, number: int) -> etree._Element:
    return el(tag, id=number, author="Delegation of Austria", date="2026-12-01T10:00:00Z")


def run(text: str, *, deleted: bool = False) -> etree._Element:
    r = el("r")
    r.append(el("delText" if deleted else "t", text))
    return r


class Marked:
    """A .docx opened for marking up: its parts, and document.xml as a tree."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.root.find(q("body"))
        self.numbers = iter(range(1000, 100000))
        self.comments: list[etree._Element] = []
        self.footnotes: list[etree._Element] = []

    def paragraph(self, uid: str) -> etree._Element:
        for mark in self.body.iter(q("bookmarkStart")):
            if mark.get(q("name")) == f"_p_{uid}":
                return mark.getparent()
        raise KeyError(uid)

    def text_run(self, p) -> etree._Element:
        """The paragraph's last run of text (after the label's run)."""
        return [r for r in p.findall(q("r")) if r.find(q("t")) is not None][-1]

    def insert_text(self, p, text: str) -> None:
        ins = _revision("ins", next(self.numbers))
        ins.append(run(text))
        end = p.find(q("bookmarkEnd"))
        end.addprevious(ins)

    def delete_text(self, p, word: str) -> None:
        r = self.text_run(p)
        t = r.find(q("t"))
        before, _, after = t.text.partition(word)
        t.text = before
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        deletion = _revision("del", next(self.numbers))
        deletion.append(run(word, deleted=True))
        r.addnext(deletion)
        deletion.addnext(run(after))

    def _mark(self, p, tag: str) -> None:
        ppr = p.find(q("pPr"))
        if ppr is None:
            ppr = el("pPr")
            p.insert(0, ppr)
        rpr = ppr.find(q("rPr"))
        if rpr is None:
            rpr = el("rPr")
            ppr.append(rpr)
        rpr.append(_revision(tag, next(self.numbers)))

    def _wrap_runs(self, p, tag: str, *, deleted: bool = False) -> None:
        wrapper = _revision(tag, next(self.numbers))
        runs = p.findall(q("r"))
        runs[0].addprevious(wrapper)
        for r in runs:
            if deleted:
                for t in r.findall(q("t")):
                    t.tag = q("delText")
            wrapper.append(r)

    def delete_paragraph(self, p) -> None:
        self._wrap_runs(p, "del", deleted=True)
        self._mark(p, "del")

    def new_paragraph_after(self, p, text: str) -> etree._Element:
        new = el("p")
        self._mark(new, "ins")
        ins = _revision("ins", next(self.numbers))
        ins.append(run(text))
        new.append(ins)
        p.addnext(new)
        return new

    def move_after(self, p, target) -> None:
        """A tracked move: the text leaves ``p`` (moveFrom) and arrives after ``target``
        (moveTo), the bookmark going with it, as Word does."""
        arrived = deepcopy(p)
        for mark in p.findall(q("bookmarkStart")) + p.findall(q("bookmarkEnd")):
            p.remove(mark)
        self._wrap_runs(p, "moveFrom", deleted=True)
        self._mark(p, "moveFrom")
        self._wrap_runs(arrived, "moveTo")
        self._mark(arrived, "moveTo")
        target.addnext(arrived)

    def split(self, p, at: str) -> etree._Element:
        """Press Enter before ``at`` with tracking on: the first part keeps the bookmark's
        start and a new (inserted) paragraph mark; the rest goes on in a new paragraph."""
        first = deepcopy(p)
        end = first.find(q("bookmarkEnd"))
        first.remove(end)
        t = self.text_run(first).find(q("t"))
        t.text = t.text[: t.text.index(at)].rstrip()
        self._mark(first, "ins")
        rest = p
        rest.remove(rest.find(q("bookmarkStart")))
        for r in rest.findall(q("r"))[:-1]:
            rest.remove(r)
        t = self.text_run(rest).find(q("t"))
        t.text = t.text[t.text.index(at) :]
        rest.addprevious(first)
        return rest

    def make_bold(self, p) -> None:
        r = self.text_run(p)
        rpr = r.find(q("rPr"))
        if rpr is None:
            rpr = el("rPr")
            r.insert(0, rpr)
        rpr.append(el("b"))
        change = _revision("rPrChange", next(self.numbers))
        change.append(el("rPr"))
        rpr.append(change)

    def comment(self, p, passage: str, text: str) -> None:
        """A Word comment on ``passage`` (which must be a whole run's text or part of it)."""
        number = str(len(self.comments) + 1)
        r = self.text_run(p)
        t = r.find(q("t"))
        before, _, after = t.text.partition(passage)
        t.text = before
        start, end = el("commentRangeStart", id=number), el("commentRangeEnd", id=number)
        reference = el("r")
        reference.append(el("commentReference", id=number))
        r.addnext(start)
        start.addnext(run(passage))
        start.getnext().addnext(end)
        end.addnext(reference)
        reference.addnext(run(after))
        comment = el("comment", id=number, author="Delegation of Austria")
        paragraph = el("p")
        paragraph.append(run(text))
        comment.append(paragraph)
        self.comments.append(comment)

    def footnote(self, p, old: str, added: str) -> None:
        """A footnote in ``p`` whose text ``old`` has a tracked insertion ``added``."""
        number = str(len(self.footnotes) + 1)
        reference = el("r")
        reference.append(el("footnoteReference", id=number))
        self.text_run(p).addnext(reference)
        note = el("footnote", id=number)
        paragraph = el("p")
        paragraph.append(run(old))
        ins = _revision("ins", next(self.numbers))
        ins.append(run(added))
        paragraph.append(ins)
        note.append(paragraph)
        self.footnotes.append(note)

    def save(self) -> bytes:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.root, xml_declaration=True)
        for name, items in (("comments", self.comments), ("footnotes", self.footnotes)):
            if items:
                root = el(name)
                root.extend(items)
                parts[f"word/{name}.xml"] = etree.tostring(root, xml_declaration=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return out.getvalue()


def accepted_blocks(data: bytes):
    """The blocks of a tracked-change file as the draft importer reads them (tables aside)."""
    try:
        return read_docx(without_tables(data)).blocks
    except DocxError:  # nothing but tables
        return []


def rejected_blocks(data: bytes):
    """The blocks of a tracked-change file as they read with every change rejected."""
    marked = Marked(data)
    body = marked.body
    for tag in ("del", "moveFrom", "ins", "moveTo"):
        for mark in list(body.iter(q(tag))):
            parent = mark.getparent()
            if parent.tag == q("rPr") and parent.getparent().tag == q("pPr"):
                if tag in ("ins", "moveTo"):
                    mark.tag = q("del")  # the mark was added: rejected, the two run together
                else:
                    parent.remove(mark)
            elif parent.tag == q("trPr"):
                row = parent.getparent()
                if tag == "ins":
                    row.getparent().remove(row)
                else:
                    parent.remove(mark)
            elif parent.tag in (q("rPr"), q("tcPr"), q("pPr")):
                continue
            elif tag in ("ins", "moveTo"):
                parent.remove(mark)
            else:
                for t in mark.iter(q("delText")):
                    t.tag = q("t")
                for child in list(mark):
                    mark.addprevious(child)
                parent.remove(mark)
    # The draft importer refuses tables; the reader names changes in them (tested apart).
    return accepted_blocks(marked.save())  # the reader names changes in tables (tested apart)

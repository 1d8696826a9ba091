"""A version as Akoma Ntoso 3.0 XML (OASIS LegalDocML), the open format in which parliaments
and international bodies publish legal texts, so that a declaration can be archived and read by
their tools.

The version is a ``statement`` named "declaration": ``meta`` (FRBR identification, the
lifecycle of the published drafts, references to the secretariat and to the delegations that
hold brackets), ``preface`` (the title), ``preamble`` (the unnumbered recitals before the first
heading or numbered paragraph, as ``recital``s) and ``mainBody`` (each heading a ``section``
holding what follows it down to the next heading of its level or above, each paragraph a
``paragraph`` with its printed label as ``num``, and a sub-item such as "(a)" a ``point`` of the
paragraph above it).

eIds. The naming convention of Akoma Ntoso derives an eId from the element's place
(``sec_2__para_4``), which changes whenever a paragraph is renumbered or moved. A negotiated
text is cited across drafts by the paragraph's identity, so here every eId is derived from the
paragraph's ``uid``, which the service keeps from one version to the next: ``para_<uid>`` for
every paragraph (recital, paragraph or point: it keeps its eId when it moves between the
preamble and the operative part, or becomes a sub-item) and ``sec_<uid>`` for a heading. The
same paragraph has the same eId in every draft, and the eIds of a version are unique because
its uids are.

URIs follow the naming convention's shape with the document's id as the work's number:
``/akn/<jurisdiction>/statement/declaration/<date of the document>/<document id>`` for the
work, ``…/eng@<version label>`` for the version, ``….akn`` for this file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from lxml import etree
from sqlalchemy import select

from drafting.auth.models import Delegation
from drafting.consultations.silence.queries import adoption_of_version
from drafting.documents.models import Version
from drafting.exports.akn_inline import AKN_NS, akn, fill_inline, holder_eid, inline_text
from drafting.extensions import db
from drafting.text.brackets import find_brackets
from drafting.text.draft_format import Block
from drafting.text.inline import xml_safe

__all__ = ["AKN_MIMETYPE", "AknDraft", "build_akn", "version_akn"]

AKN_MIMETYPE = "application/akn+xml"
# Akoma Ntoso URIs begin with a jurisdiction; an intergovernmental declaration has none of its
# own, so it is named as international ("int") unless the caller says otherwise.
JURISDICTION = "int"
_SECRETARIAT = ("secretariat", "Secretariat")


@dataclass(frozen=True)
class AknEvent:
    """A draft of the document's lifecycle: its label and the day it was published (or, for
    a working draft, created)."""

    label: str
    day: date
    version_id: int


@dataclass(frozen=True)
class AknDraft:
    """What the export reads of one version, so that it needs no database (`version_akn`
    fills it from one)."""

    document_id: int
    title: str
    version: AknEvent
    blocks: Sequence[tuple[str, Block]]  # (uid, block) in reading order
    created: date  # the document's: the work's date
    text_hash: str | None = None
    author: tuple[str, str] = _SECRETARIAT  # (code, name) of the delegation that publishes
    delegations: Mapping[str, str] = field(default_factory=dict)  # code -> name
    history: Sequence[AknEvent] = ()  # the drafts up to this one, oldest first
    language: str = "eng"
    jurisdiction: str = JURISDICTION
    adopted: date | None = None  # the day a silence procedure ended unbroken


def version_akn(version: Version) -> bytes:
    """The Akoma Ntoso XML of ``version``, read from the database."""
    document = version.document
    published = [v for v in document.published_versions if v.id <= version.id]
    drafts = published if version.is_published else [*published, version]
    author = version.published_by or version.created_by
    # Every delegation's name (a few hundred rows at most), for the brackets' holders: one
    # query, however many codes a text names.
    names = dict(db.session.execute(select(Delegation.code, Delegation.name)).all())
    adoption = adoption_of_version(version.id)
    return build_akn(
        AknDraft(
            document_id=document.id,
            title=document.title,
            version=_event(version),
            blocks=[(p.uid, p.block) for p in version.paragraphs],
            created=document.created_dt.date(),
            text_hash=version.text_hash,
            author=(author.delegation.code, author.delegation.name) if author else _SECRETARIAT,
            delegations=names,
            history=[_event(v) for v in drafts],
            adopted=adoption.adopted_dt.date() if adoption else None,
        )
    )


def _event(version: Version) -> AknEvent:
    when = version.published_dt if version.is_published else version.created_dt
    return AknEvent(version.label, when.date(), version.id)


def build_akn(draft: AknDraft) -> bytes:
    """The XML document (UTF-8, with its declaration) of one draft."""
    root = etree.Element(akn("akomaNtoso"), nsmap={None: AKN_NS})
    statement = etree.SubElement(root, akn("statement"), name="declaration")
    if len(draft.history) > 1:
        statement.set("contains", "singleVersion")
    blocks = list(draft.blocks)
    _meta(statement, draft, blocks)
    title = blocks.pop(0)[1].text if blocks and blocks[0][1].kind == "title" else draft.title
    preface = etree.SubElement(statement, akn("preface"))
    long_title = etree.SubElement(etree.SubElement(preface, akn("longTitle")), akn("p"))
    fill_inline(etree.SubElement(long_title, akn("docTitle")), title)
    recitals = _leading_recitals(blocks)
    if len(recitals) == len(blocks):  # a main body needs something: the text is all of it
        recitals = []
    if recitals:
        holder = etree.SubElement(etree.SubElement(statement, akn("preamble")), akn("recitals"))
        for uid, block in recitals:
            recital = etree.SubElement(holder, akn("recital"), eId=_eid("para", uid))
            fill_inline(etree.SubElement(recital, akn("p")), block.text)
    body = etree.SubElement(statement, akn("mainBody"))
    _main_body(body, blocks[len(recitals) :])
    if not len(body):
        etree.SubElement(body, akn("p"))
    _unique_eids(statement)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# Elements whose content is text: indenting inside them would add spaces to the words.
_TEXT_HOLDERS = frozenset(akn(tag) for tag in ("p", "heading", "num", "docTitle"))


def _indent(element: etree._Element, depth: int = 0) -> None:
    """Indent the structure for a human reader, never inside a text (lxml's pretty printing
    would put line breaks inside a ``p`` that starts with an element)."""
    if element.tag in _TEXT_HOLDERS or not len(element):
        return
    padding = "\n" + "  " * (depth + 1)
    element.text = padding
    for child in element:
        _indent(child, depth + 1)
        child.tail = padding
    element[-1].tail = "\n" + "  " * depth


def _leading_recitals(blocks: list[tuple[str, Block]]) -> list[tuple[str, Block]]:
    recitals = []
    for uid, block in blocks:
        if block.kind != "paragraph" or block.label is not None:
            break
        recitals.append((uid, block))
    return recitals


def _main_body(body: etree._Element, blocks: list[tuple[str, Block]]) -> None:
    """Sections for the headings, nested by level; paragraphs in the innermost open one."""
    open_sections: list[tuple[int, etree._Element]] = []
    last_paragraph: etree._Element | None = None
    for uid, block in blocks:
        container = open_sections[-1][1] if open_sections else body
        if block.kind != "paragraph":
            level = block.level if block.kind == "heading" else 1
            while open_sections and open_sections[-1][0] >= level:
                open_sections.pop()
            parent = open_sections[-1][1] if open_sections else body
            section = etree.SubElement(parent, akn("section"), eId=_eid("sec", uid))
            fill_inline(etree.SubElement(section, akn("heading")), block.text)
            open_sections.append((level, section))
            last_paragraph = None
        elif block.is_sub_item and last_paragraph is not None:
            _add_point(last_paragraph, uid, block)
        else:
            last_paragraph = _numbered(container, "paragraph", uid, block)


def _numbered(parent: etree._Element, tag: str, uid: str, block: Block) -> etree._Element:
    element = etree.SubElement(parent, akn(tag), eId=_eid("para", uid))
    if block.label is not None:
        etree.SubElement(element, akn("num")).text = xml_safe(block.label)
    fill_inline(etree.SubElement(etree.SubElement(element, akn("content")), akn("p")), block.text)
    return element


def _add_point(paragraph: etree._Element, uid: str, block: Block) -> None:
    """A sub-item under its paragraph: the paragraph's own words become its ``intro``."""
    content = paragraph.find(akn("content"))
    if content is not None:
        content.tag = akn("intro")
    _numbered(paragraph, "point", uid, block)


_EID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _eid(prefix: str, uid: str) -> str:
    return f"{prefix}_{_EID_UNSAFE.sub('_', uid) or 'x'}"


def _unique_eids(statement: etree._Element) -> None:
    """Every eId once in the statement (the schema requires it): a uid repeated after its
    unsafe characters were replaced gets a suffix. Never happens to the service's uids."""
    seen: set[str] = set()
    for element in statement.iter():
        eid = element.get("eId")
        if eid is None:
            continue
        unique, n = eid, 1
        while unique in seen:
            n += 1
            unique = f"{eid}-{n}"
        seen.add(unique)
        element.set("eId", unique)


def _slug(label: str) -> str:
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60]


def _uris(draft: AknDraft, event: AknEvent) -> tuple[str, str]:
    work = (
        f"/akn/{draft.jurisdiction}/statement/declaration/"
        f"{draft.created.isoformat()}/{draft.document_id}"
    )
    return work, f"{work}/{draft.language}@{_slug(event.label) or f'v{event.version_id}'}"


def _meta(statement: etree._Element, draft: AknDraft, blocks) -> None:
    meta = etree.SubElement(statement, akn("meta"))
    author_eid = holder_eid(draft.author[0])
    source = "#" + author_eid
    work, expression = _uris(draft, draft.version)
    identification = etree.SubElement(meta, akn("identification"), source=source)
    day = draft.version.day.isoformat()
    frbr = [
        ("FRBRWork", work, draft.created.isoformat(), "creation"),
        ("FRBRExpression", expression, day, "publication" if draft.text_hash else "creation"),
        ("FRBRManifestation", f"{expression}.akn", day, "generation"),
    ]
    for tag, uri, when, name in frbr:
        level = etree.SubElement(identification, akn(tag))
        this = f"{uri}/!main" if tag != "FRBRManifestation" else f"{expression}/!main.xml"
        etree.SubElement(level, akn("FRBRthis"), value=this)
        etree.SubElement(level, akn("FRBRuri"), value=uri)
        if tag == "FRBRExpression":
            version_label = xml_safe(draft.version.label) or "-"
            etree.SubElement(level, akn("FRBRalias"), name="versionLabel", value=version_label)
            if draft.text_hash:
                etree.SubElement(level, akn("FRBRalias"), name="sha256", value=draft.text_hash)
        etree.SubElement(level, akn("FRBRdate"), date=when, name=name)
        etree.SubElement(level, akn("FRBRauthor"), href=source)
        if tag == "FRBRWork":
            etree.SubElement(level, akn("FRBRcountry"), value=draft.jurisdiction)
            etree.SubElement(level, akn("FRBRname"), value=inline_text(draft.title) or "-")
        elif tag == "FRBRExpression":
            etree.SubElement(level, akn("FRBRlanguage"), language=draft.language)
        else:
            etree.SubElement(level, akn("FRBRformat"), value=AKN_MIMETYPE)
    _lifecycle(meta, draft, source)
    if draft.adopted:  # the adopted text says how and when it was adopted
        workflow = etree.SubElement(meta, akn("workflow"), source=source)
        etree.SubElement(
            workflow,
            akn("step"),
            date=draft.adopted.isoformat(),
            by=source,
            refersTo="#silenceProcedure",
            outcome="#adopted",
        )
    references = etree.SubElement(meta, akn("references"), source=source)
    for number, event in enumerate(draft.history or [draft.version]):
        tag, eid = ("original", "original") if number == 0 else ("passiveRef", _draft_eid(event))
        etree.SubElement(
            references,
            akn(tag),
            eId=eid,
            href=_uris(draft, event)[1],
            showAs=xml_safe(event.label) or "-",
        )
    if draft.adopted:
        for tag, eid, show_as in (
            ("TLCProcess", "silenceProcedure", "Silence procedure"),
            ("TLCConcept", "adopted", "Adopted"),
        ):
            kind = tag[3:].lower()
            etree.SubElement(
                references, akn(tag), eId=eid, href=f"/ontology/{kind}/{eid}", showAs=show_as
            )
    organisations = {draft.author[0]: draft.author[1]}
    for text in [draft.title, *(block.text for _, block in blocks)]:
        for bracket_set in find_brackets(text):
            for code in bracket_set.holders:
                organisations.setdefault(code, draft.delegations.get(code, code))
    for code, name in organisations.items():
        etree.SubElement(
            references,
            akn("TLCOrganization"),
            eId=holder_eid(code),
            href=f"/ontology/organization/{holder_eid(code)[4:]}",
            showAs=xml_safe(name) or code,
        )


def _draft_eid(event: AknEvent) -> str:
    return f"draft_{event.version_id}"


def _lifecycle(meta: etree._Element, draft: AknDraft, source: str) -> None:
    """One event per draft: the first generates the text, each later one amends it."""
    lifecycle = etree.SubElement(meta, akn("lifecycle"), source=source)
    for number, event in enumerate(draft.history or [draft.version]):
        etree.SubElement(
            lifecycle,
            akn("eventRef"),
            eId=f"event_{number + 1}",
            date=event.day.isoformat(),
            source="#original" if number == 0 else "#" + _draft_eid(event),
            type="generation" if number == 0 else "amendment",
        )

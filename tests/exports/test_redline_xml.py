"""The redline's paragraphs are written as XML text (redline_xml): what the XML says must be
what the texts, the author and the styles say, whatever characters they hold."""

from __future__ import annotations

from datetime import UTC, datetime

from drafting.compare import compare_texts
from drafting.exports.redline import build_redline_docx
from tests.exports.readers import W, document_xml

WHEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
AWKWARD = 'Bureau "A & B" <Chair>\tof the\nConference'


def _redline(old: str, new: str, author: str = "Bureau") -> bytes:
    return build_redline_docx(compare_texts(old, new), author=author, date=WHEN)


def test_markup_characters_in_text_and_author_read_back_as_written():
    root = document_xml(
        _redline("1. Fish & chips < 3 > 2.\n", '1. Fish & ships < 3 > 2 "q".\n', AWKWARD)
    )
    authors = {e.get(W + "author") for e in root.iter(W + "ins", W + "del")}
    assert authors == {AWKWARD}
    deleted = "".join("".join(e.itertext()) for e in root.iter(W + "delText"))
    kept_and_added = "".join("".join(e.itertext()) for e in root.iter(W + "t"))
    assert "chips" in deleted and "Fish & " in kept_and_added and "< 3 > 2" in kept_and_added
    assert '"q"' in kept_and_added


def test_revision_ids_are_unique_and_move_ranges_close():
    old = "# T\n\n1. Alpha text here.\n\n2. Beta text here.\n\n3. Gamma text here.\n"
    new = "# T\n\n1. Gamma text here.\n\n2. Alpha text here, amended.\n\n3. Beta text here.\n"
    root = document_xml(_redline(old, new))
    stamped = [e.get(W + "id") for e in root.iter() if e.get(W + "author") is not None]
    assert len(stamped) == len(set(stamped)) > 0
    for side in ("moveFrom", "moveTo"):
        starts = [e.get(W + "id") for e in root.iter(W + side + "RangeStart")]
        ends = [e.get(W + "id") for e in root.iter(W + side + "RangeEnd")]
        assert starts == ends


def test_a_restyled_heading_keeps_its_old_style_in_the_change():
    root = document_xml(_redline("# T\n\n## Scope\n", "# T\n\n### Scope\n"))
    [change] = root.iter(W + "pPrChange")
    [old_style] = change.iter(W + "pStyle")
    assert old_style.get(W + "val") == "Heading1"
    [paragraph] = [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}pPrChange") is not None]
    assert paragraph.find(f"{W}pPr/{W}pStyle").get(W + "val") == "Heading2"

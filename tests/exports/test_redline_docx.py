"""The Word redline: native tracked changes that delegations accept or reject one by one."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import docx

from drafting.compare.model import Comparison, Entry
from drafting.compare.words import diff_words
from drafting.exports.redline import build_redline_docx
from drafting.text.draft_format import Block, parse_draft
from tests.exports.readers import W, document_xml, expected_paragraphs, read_redline

AUTHOR = "Bureau of the Conference"
WHEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def create_comparison(old: str, new: str, *entries: Entry) -> Comparison:
    return Comparison(parse_draft(old), parse_draft(new), list(entries))


def changed(comparison_old: str, comparison_new: str) -> Comparison:
    """One paragraph changed, with the comparison's own word diff."""
    old, new = parse_draft(comparison_old), parse_draft(comparison_new)
    return Comparison(
        old, new, [Entry((0,), (0,), "changed", diff=diff_words(old[0].text, new[0].text))]
    )


def redline(comparison: Comparison, **options) -> bytes:
    return build_redline_docx(comparison, author=AUTHOR, date=WHEN, **options)


def texts(root, tag: str) -> list[str]:
    """The texts of the ``tag`` elements that hold text (a paragraph mark's revision holds none)."""
    return [text for text in ("".join(e.itertext()) for e in root.iter(W + tag)) if text]


def paragraph_mark(paragraph) -> str | None:
    mark = paragraph.find(f"{W}pPr/{W}rPr/*")
    return mark.tag.removeprefix(W) if mark is not None else None


def assert_reject_and_accept_exact(comparison: Comparison, data: bytes) -> None:
    rejected, accepted = read_redline(data)
    assert rejected == expected_paragraphs(comparison.old_blocks)
    assert accepted == expected_paragraphs(comparison.new_blocks)


def test_every_revision_carries_author_date_and_a_unique_id():
    comparison = create_comparison(
        "## Part I\n\n1. Old words here.\n\n2. Dropped.\n\n3. Moved.",
        "# Declaration\n\n## Part I\n\n1. New words here.\n\n3. Moved.",
        Entry((), (0,), "added"),
        Entry((0,), (1,), "unchanged"),
        Entry((1,), (2,), "changed", diff=diff_words("Old words here.", "New words here.")),
        Entry((2,), (), "deleted"),
        Entry((3,), (3,), "unchanged", moved=True),
    )
    root = document_xml(redline(comparison))
    revisions = [e for e in root.iter() if e.get(W + "id") and not e.tag.endswith("RangeEnd")]
    ids = [revision.get(W + "id") for revision in revisions]
    assert len(revisions) >= 6
    assert len(set(ids)) == len(ids)
    assert {revision.get(W + "author") for revision in revisions} == {AUTHOR}
    assert {revision.get(W + "date") for revision in revisions} == {"2026-11-23T10:00:00Z"}


def test_headings_keep_word_heading_styles():
    source = "# Declaration\n\n## Part I\n\n### Article 1\n\n1. The Parties agree."
    comparison = create_comparison(
        source, source, *(Entry((i,), (i,), "unchanged") for i in range(4))
    )
    paragraphs = docx.Document(io.BytesIO(redline(comparison))).paragraphs
    assert [p.style.name for p in paragraphs] == ["Title", "Heading 1", "Heading 2", "Normal"]
    assert paragraphs[3].text == "1. The Parties agree."


def test_renumbered_paragraph_tracks_its_label_change():
    comparison = create_comparison(
        "7. The States agree.", "8. The States agree.", Entry((0,), (0,), "unchanged")
    )
    data = redline(comparison)
    assert texts(document_xml(data), "del") == ["7."]
    assert texts(document_xml(data), "ins") == ["8."]
    assert read_redline(data) == (["7. The States agree."], ["8. The States agree."])


def test_added_paragraph_is_inserted_with_its_paragraph_mark():
    comparison = create_comparison(
        "1. First.\n\n2. Last.",
        "1. First.\n\n2. Inserted.\n\n3. Last.",
        Entry((0,), (0,), "unchanged"),
        Entry((), (1,), "added"),
        Entry((1,), (2,), "changed", diff=((0, "Last."),)),
    )
    data = redline(comparison)
    added = document_xml(data).findall(f"{W}body/{W}p")[1]
    assert paragraph_mark(added) == "ins"
    assert added.findall(f"{W}r") == [] and texts(added, "ins") == ["2. Inserted."]
    assert_reject_and_accept_exact(comparison, data)


def test_deleted_paragraph_is_deleted_with_its_paragraph_mark():
    comparison = create_comparison(
        "1. First.\n\n2. Removed.\n\n3. Last.",
        "1. First.\n\n3. Last.",
        Entry((0,), (0,), "unchanged"),
        Entry((1,), (), "deleted"),
        Entry((2,), (1,), "unchanged"),
    )
    data = redline(comparison)
    deleted = document_xml(data).findall(f"{W}body/{W}p")[1]
    assert paragraph_mark(deleted) == "del"
    assert texts(deleted, "delText") == ["2. Removed."] and texts(deleted, "t") == []
    assert_reject_and_accept_exact(comparison, data)


def test_changed_paragraph_shows_only_the_changed_words():
    comparison = changed(
        "1. The Parties shall endeavour to cooperate.", "1. The Parties shall cooperate closely."
    )
    data = redline(comparison)
    assert texts(document_xml(data), "del") == [" endeavour to"]
    assert texts(document_xml(data), "ins") == [" closely"]
    assert_reject_and_accept_exact(comparison, data)


def test_moved_paragraph_is_marked_moved_at_both_places():
    comparison = create_comparison(
        "1. Alpha.\n\n2. Bravo.\n\n3. Charlie.",
        "1. Bravo.\n\n2. Charlie.\n\n3. Alpha.",
        Entry((1,), (0,), "unchanged"),
        Entry((2,), (1,), "unchanged"),
        Entry((0,), (2,), "unchanged", moved=True),
    )
    data = redline(comparison)
    root = document_xml(data)
    assert [paragraph_mark(p) for p in root.iter(W + "p")] == [
        "moveFrom",
        None,
        None,
        "moveTo",
        None,
    ]
    assert texts(root, "moveFrom") == ["1. Alpha."] and texts(root, "moveTo") == ["3. Alpha."]
    starts = [
        e.get(W + "name") for e in root.iter(W + "moveFromRangeStart", W + "moveToRangeStart")
    ]
    assert starts == ["move3", "move3"]
    assert_reject_and_accept_exact(comparison, data)


def test_moved_and_reworded_paragraph_is_deleted_and_inserted():
    comparison = create_comparison(
        "Alpha one.\n\nBravo.",
        "Bravo.\n\nAlpha two.",
        Entry((1,), (0,), "unchanged"),
        Entry((0,), (1,), "changed", moved=True, diff=diff_words("Alpha one.", "Alpha two.")),
    )
    data = redline(comparison)
    marks = [paragraph_mark(p) for p in document_xml(data).iter(W + "p")]
    assert marks == ["del", None, "ins", None]
    assert_reject_and_accept_exact(comparison, data)


def test_split_paragraph_rejects_and_accepts_exactly():
    comparison = create_comparison(
        "1. The Parties agree. They shall report yearly.",
        "1. The Parties agree.\n\n2. They shall report every year.",
        Entry((0,), (0, 1), "split"),
    )
    assert_reject_and_accept_exact(comparison, redline(comparison))


def test_emphasis_is_bold_and_italic_runs_without_markers():
    comparison = changed("1. We *urge* all States.", "1. We **urge** all States.")
    root = document_xml(redline(comparison))
    assert "*" not in "".join(root.itertext())
    assert [
        run.find(f"{W}rPr/*").tag for run in root.iter(W + "r") if "urge" in "".join(run.itertext())
    ] == [
        W + "i",
        W + "b",
    ]
    assert_reject_and_accept_exact(comparison, redline(comparison))


def test_a_diff_that_does_not_spell_the_texts_is_recomputed():
    comparison = create_comparison(
        "1. Old text.", "1. New text.", Entry((0,), (0,), "changed", diff=((0, "Other"),))
    )
    assert_reject_and_accept_exact(comparison, redline(comparison))


def test_control_characters_are_dropped_and_the_file_opens():
    old = [Block("paragraph", "Bell\x07 and\x0b vertical\x1f tab\ufffe.", label="1.")]
    new = [Block("paragraph", "Bell\x07 and form\x0c feed.", label="1.")]
    comparison = Comparison(old, new, [Entry((0,), (0,), "changed")])
    data = redline(comparison, title="Nul\x00 title")
    assert docx.Document(io.BytesIO(data)).core_properties.title == "Nul title"
    assert read_redline(data) == (["1. Bell and vertical tab."], ["1. Bell and form feed."])


def test_a_megabyte_paragraph_is_written_whole():
    text = "The Parties reaffirm their commitment." * 27_000
    old, new = [Block("paragraph", text)], [Block("paragraph", text + "Adopted.")]
    comparison = Comparison(
        old, new, [Entry((0,), (0,), "changed", diff=diff_words(text, text + "Adopted."))]
    )
    root = document_xml(redline(comparison))
    assert len(text) > 1_000_000
    assert "".join(texts(root, "t")) == text + "Adopted."
    assert texts(root, "ins") == ["Adopted."]


def test_an_aware_date_is_written_in_utc():
    comparison = create_comparison("1. A.", "2. A.", Entry((0,), (0,), "unchanged"))
    geneva = timezone(timedelta(hours=1))
    data = build_redline_docx(
        comparison, author=AUTHOR, date=datetime(2026, 11, 23, 11, tzinfo=geneva)
    )
    assert {r.get(W + "date") for r in document_xml(data).iter(W + "ins")} == {
        "2026-11-23T10:00:00Z"
    }


def test_document_properties_name_the_title_and_the_author():
    comparison = create_comparison("# Declaration\n\n1. A.", "# Declaration\n\n1. B.")
    properties = docx.Document(io.BytesIO(redline(comparison))).core_properties
    assert (properties.title, properties.author) == ("Declaration", AUTHOR)


def test_further_edits_in_word_are_tracked_too():
    comparison = create_comparison("1. A.", "1. A.", Entry((0,), (0,), "unchanged"))
    with zipfile.ZipFile(io.BytesIO(redline(comparison))) as package:
        assert b"<w:trackRevisions/>" in package.read("word/settings.xml")


def test_a_paragraph_that_became_a_heading_tracks_its_style_change():
    comparison = create_comparison("Article 1", "## Article 1", Entry((0,), (0,), "changed"))
    data = redline(comparison)
    change = document_xml(data).find(f"{W}body/{W}p/{W}pPr/{W}pPrChange")
    assert change is not None and change.find(f"{W}pPr/{W}pStyle") is None
    assert docx.Document(io.BytesIO(data)).paragraphs[0].style.name == "Heading 1"
    assert_reject_and_accept_exact(comparison, data)

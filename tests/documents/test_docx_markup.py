"""A delegation marks up the service's own Word copy in Word: each tracked change, comment and
footnote comes back as an amendment on the right paragraph; formatting is counted and left out."""

import io
import zipfile

import pytest

from drafting.documents.docx_archive import DocxError
from drafting.documents.docx_markup import read_markup
from drafting.exports.word import build_version_docx
from drafting.text.draft_format import parse_draft
from drafting.text.inline import display_text
from tests.conftest import CORPUS, SAMPLE_DRAFT
from tests.documents.markup_files import Marked, accepted_blocks, rejected_blocks

BLOCKS = parse_draft(SAMPLE_DRAFT)
UIDS = [f"{n:032x}" for n in range(1, len(BLOCKS) + 1)]
ORIGINALS = list(zip(UIDS, BLOCKS, strict=True))
# The sample: title, recital, Part I, 1., 2., Part II, 3., 4.
P1, P2, P3, P4 = UIDS[3], UIDS[4], UIDS[6], UIDS[7]


def the_copy() -> Marked:
    tags = [None] * len(BLOCKS)
    tags[3] = "[agreed ad ref.]"
    return Marked(build_version_docx(BLOCKS, title="T", version_label="Zero", tags=tags, uids=UIDS))


def found(marked: Marked):
    return read_markup(marked.save(), ORIGINALS)


def test_the_copy_as_sent_proposes_nothing():
    reading = found(the_copy())
    assert reading.marked
    assert reading.to_json() == {"amendments": [], "unmatched": [], "ignored_formatting_changes": 0}


def test_tracked_insertion_becomes_a_replacement_with_the_accepted_text():
    marked = the_copy()
    marked.insert_text(marked.paragraph(P1), " We add this.")
    [change] = found(marked).amendments
    assert (change.kind, change.paragraph_uid, change.label) == ("replace", P1, "1.")
    assert change.proposed_text == "We affirm the principle of shared responsibility. We add this."


def test_tracked_deletion_becomes_a_replacement_keeping_the_bold():
    marked = the_copy()
    marked.delete_text(marked.paragraph(P2), " regular")
    [change] = found(marked).amendments
    assert change.kind == "replace" and change.paragraph_uid == P2
    assert change.proposed_text == "We will cooperate on **safe** and pathways."


def test_moved_paragraph_maps_by_its_bookmark():
    marked = the_copy()
    marked.move_after(marked.paragraph(P4), marked.paragraph(P1))
    changes = found(marked).amendments
    assert [(c.kind, c.paragraph_uid, c.after_paragraph_uid) for c in changes] == [
        ("insert", None, P1),
        ("delete", P4, None),
    ]
    assert changes[0].proposed_text == "We will meet again next year."


def test_split_paragraph_is_a_replacement_and_an_insertion_after_it():
    marked = the_copy()
    marked.split(marked.paragraph(P1), "shared")
    changes = found(marked).amendments
    assert [(c.kind, c.paragraph_uid, c.after_paragraph_uid) for c in changes] == [
        ("replace", P1, None),
        ("insert", None, P1),
    ]
    assert [c.proposed_text for c in changes] == [
        "We affirm the principle of",
        "shared responsibility.",
    ]


def test_new_paragraph_is_an_insertion_after_the_paragraph_before_it():
    marked = the_copy()
    marked.new_paragraph_after(marked.paragraph(P3), "We welcome the new observers.")
    [change] = found(marked).amendments
    assert (change.kind, change.after_paragraph_uid, change.label) == ("insert", P3, "3.")
    assert change.proposed_text == "We welcome the new observers."


def test_paragraph_deleted_whole_is_a_deletion():
    marked = the_copy()
    marked.delete_paragraph(marked.paragraph(P3))
    [change] = found(marked).amendments
    assert (change.kind, change.paragraph_uid, change.proposed_text) == ("delete", P3, "")


def test_word_comment_quotes_the_passage_it_is_anchored_to():
    marked = the_copy()
    marked.comment(marked.paragraph(P3), "platform", "Which platform? Name it.")
    [change] = found(marked).amendments
    assert (change.kind, change.paragraph_uid) == ("comment", P3)
    assert (change.quote, change.body) == ("platform", "Which platform? Name it.")


def test_footnote_change_is_kept_in_the_paragraph_and_named():
    marked = the_copy()
    marked.footnote(marked.paragraph(P3), "See the 2024 report", ", annex II")
    reading = found(marked)
    [change] = reading.amendments
    assert (change.kind, change.paragraph_uid) == ("replace", P3)
    assert change.proposed_text.endswith("[^1]\n[^1]: See the 2024 report, annex II")
    assert reading.notes and "footnote" in reading.notes[0]


def test_formatting_only_change_is_counted_and_left_out():
    marked = the_copy()
    marked.make_bold(marked.paragraph(P4))
    reading = found(marked)
    assert reading.amendments == [] and reading.ignored_formatting_changes == 1


def test_every_kind_of_markup_at_once_each_accounted_for():
    marked = the_copy()
    marked.insert_text(marked.paragraph(P1), " and solidarity")
    marked.delete_paragraph(marked.paragraph(P3))
    marked.comment(marked.paragraph(P2), "pathways", "Too vague.")
    marked.make_bold(marked.paragraph(P4))
    reading = found(marked)
    assert [c.kind for c in reading.amendments] == ["replace", "comment", "delete"]
    # The insertion, the deleted text and the deleted paragraph mark; comments and formatting
    # are no tracked insertions or deletions.
    assert reading.accounted == {"stored_or_named": 3, "without_effect": 0}


def test_text_pasted_into_another_template_is_matched_by_text():
    other = SAMPLE_DRAFT.replace("next year", "in Geneva next year") + "\nAn annex of our own.\n"
    data = build_version_docx(parse_draft(other), title="Our template", version_label="")
    reading = read_markup(data, ORIGINALS)
    assert not reading.marked
    [change] = reading.amendments
    assert (change.kind, change.paragraph_uid) == ("replace", P4)
    assert change.proposed_text == "We will meet again in Geneva next year."
    assert reading.unmatched == ["An annex of our own."]


def test_a_file_that_is_not_a_word_file_is_refused():
    with pytest.raises(DocxError, match="not a Word"):
        read_markup(b"%PDF-1.7 not a docx", ORIGINALS)


def test_a_huge_document_part_is_refused_before_it_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 20_000_000 + b"</a>")
    with pytest.raises(DocxError, match="MB"):
        read_markup(out.getvalue(), ORIGINALS, max_xml=1_000_000)


def test_control_characters_in_the_file_are_refused_as_damage_not_a_crash():
    marked = the_copy()
    marked.comment(marked.paragraph(P3), "platform", "BELL")
    parts = Marked(marked.save()).parts
    parts["word/comments.xml"] = parts["word/comments.xml"].replace(b"BELL", b"&#7;\x07")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    with pytest.raises(DocxError, match="damaged"):
        read_markup(out.getvalue(), ORIGINALS)


def test_paragraph_removed_without_tracking_is_a_deletion():
    marked = the_copy()
    gone = marked.paragraph(P3)
    gone.getparent().remove(gone)
    [change] = found(marked).amendments
    assert (change.kind, change.paragraph_uid) == ("delete", P3)


def test_paragraph_cut_and_pasted_without_tracking_keeps_its_identity():
    marked = the_copy()
    moved = marked.paragraph(P1)
    marked.paragraph(P3).addnext(moved)
    changes = found(marked).amendments
    assert [(c.kind, c.paragraph_uid, c.after_paragraph_uid) for c in changes] == [
        ("delete", P1, None),
        ("insert", None, P3),
    ]


def test_runs_of_markup_characters_typed_in_word_stay_text():
    marked = the_copy()
    marked.insert_text(marked.paragraph(P1), " " + "*_[`" * 2000)
    [change] = found(marked).amendments
    assert display_text(change.proposed_text).endswith("*_[`" * 2000)


CORPUS_FILES = sorted((CORPUS / "docx").glob("*.docx"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_against_its_own_text_accounts_for_every_change(path):
    data = path.read_bytes()
    originals = [(f"{n:032x}", b) for n, b in enumerate(rejected_blocks(data), start=1)]
    reading = read_markup(data, originals)
    assert sum(reading.accounted.values()) == reading.tracked_changes
    proposed = {" ".join(display_text(c.proposed_text).split()) for c in reading.amendments}
    before = {" ".join(display_text(b.text).split()) for _, b in originals}
    named = " ".join(c.body for c in reading.amendments)
    for block in accepted_blocks(data):
        text = " ".join(display_text(block.text).split())
        assert text in before | proposed or text in reading.unmatched or text in named, text


def test_paragraphs_with_footnotes_read_back_as_their_own_text():
    blocks = parse_draft(
        "# Declaration\n\n1. We meet in Prague.[^1]\n[^1]: Held on 3 May.\n\n"
        "2. We act together.[^2]\n[^2]: See annex."
    )
    uids = [f"{n:032x}" for n in range(1, len(blocks) + 1)]
    originals = list(zip(uids, blocks, strict=True))
    data = build_version_docx(blocks, title="T", version_label="Zero", uids=uids)
    reading = read_markup(data, originals)
    assert reading.amendments == [] and reading.unmatched == []

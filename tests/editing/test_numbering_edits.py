"""A new paragraph takes the next label of its own series, and publication shows and checks
the numbering, so that a published draft never gets an unnumbered or duplicated paragraph by
accident. Each published result is checked label by label."""

from __future__ import annotations

from drafting.documents import editing
from drafting.documents.comparison import compare_versions
from drafting.documents.operations import publish_version
from tests.editing.resolution import (
    LABELS,
    by_label,
    insertion_after_pp5,
    labels_of,
    next_draft,
    resolution,
)

__all__ = ["insertion_after_pp5", "next_draft", "resolution"]  # fixtures


def insert_after(people, draft, label: str, source: str):
    after = by_label(draft, label).uid
    return editing.insert_paragraph(people.secretariat, draft, after_uid=after, source=source)


def test_inserting_after_sub_item_d_gives_e_and_renumbers_nothing(people, next_draft):
    new = insert_after(people, next_draft, "(d)", "to protect children on the move.")
    assert new.label == "(e)"
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:14], "(e)", "3.", "4."]


def test_inserting_after_pp6_gives_pp7(people, next_draft):
    new = insert_after(people, next_draft, "PP6", "*Determined* to reduce the risks,")
    assert new.label == "PP7"
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:7], "PP7", *LABELS[7:]]


def test_inserting_after_3_gives_4_and_the_old_4_becomes_5(people, next_draft):
    new = insert_after(people, next_draft, "3.", "We will share data.")
    assert new.label == "4."
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:15], "4.", "5."]


def test_a_typed_1bis_is_kept_as_the_label_and_not_counted(people, next_draft):
    new = insert_after(people, next_draft, "1.", "1bis. We commit to act.")
    assert (new.label, new.text) == ("1bis.", "We commit to act.")
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:9], "1bis.", *LABELS[9:]]


def test_the_second_part_of_a_split_sub_item_takes_the_next_letter(people, next_draft):
    b = by_label(next_draft, "(b)")
    source = "(b) to share responsibility;\n\nfairly and predictably;"
    _first, second = editing.split_paragraph(
        people.secretariat, next_draft, b.uid, source=source, base_revision=b.revision
    )
    assert second.label == "(c)"
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:12], "(c)", "(d)", "(e)", "3.", "4."]


def test_an_applied_insertion_amendment_is_numbered_and_in_the_concordance(
    people, resolution, next_draft, insertion_after_pp5
):
    new = editing.apply_amendment(people.secretariat, next_draft, insertion_after_pp5)
    assert new.label == "PP6"
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:6], "PP6", "PP7", *LABELS[7:]]
    rows = compare_versions(resolution, next_draft).concordance
    assert (None, "PP6", "added") in [(r.old_label, r.new_label, r.kind) for r in rows]
    assert ("PP6", "PP7") in [(r.old_label, r.new_label) for r in rows]

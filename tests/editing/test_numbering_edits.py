"""A new paragraph takes the next label of its own series, and publication shows and checks
the numbering, so that a published draft never gets an unnumbered or duplicated paragraph by
accident. Each published result is checked label by label."""

from __future__ import annotations

import re

import pytest

from drafting.consultations import amending
from drafting.documents import editing
from drafting.documents.comparison import compare_versions
from drafting.documents.publishing import PublicationError, numbering_check, publish_version
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
    new = amending.apply_amendment(people.secretariat, next_draft, insertion_after_pp5)
    assert new.label == "PP6"
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == [*LABELS[:6], "PP6", "PP7", *LABELS[7:]]
    rows = compare_versions(resolution, next_draft).concordance
    assert (None, "PP6", "added") in [(r.old_label, r.new_label, r.kind) for r in rows]
    assert ("PP6", "PP7") in [(r.old_label, r.new_label) for r in rows]


def test_the_check_lists_each_label_that_publication_changes(people, next_draft):
    insert_after(people, next_draft, "PP5", "*Mindful* of children,")  # PP6, twice for now
    check = numbering_check(next_draft)
    assert [(old, new) for _p, old, new in check.changes] == [("PP6", "PP7")]
    assert check.problems == []


def test_publication_refuses_a_new_unnumbered_paragraph_among_numbered_ones(people, next_draft):
    three = by_label(next_draft, "3.")
    editing.edit_paragraph(
        people.secretariat, next_draft, three.uid, source="We will act.", base_revision=1
    )
    with pytest.raises(PublicationError, match=re.escape("between “(d)” and “3.”")) as refused:
        publish_version(people.secretariat, next_draft)
    assert refused.value.field == "accept_numbering" and not next_draft.is_published
    publish_version(people.secretariat, next_draft, accept_numbering=True)
    assert labels_of(next_draft) == [*LABELS[:14], None, "3."]


def test_publication_refuses_a_label_printed_twice(people, next_draft):
    # A "bis" label follows the paragraph before it ("1bis." after (d) is published "2bis."):
    # labels printed as they are, such as "(7)", can still be printed twice.
    insert_after(people, next_draft, "1.", "(7) We commit.")
    insert_after(people, next_draft, "(d)", "(7) We also commit.")
    with pytest.raises(PublicationError, match=re.escape("“(7)” twice in the same list")):
        publish_version(people.secretariat, next_draft)
    assert not next_draft.is_published


def test_an_applied_replacement_keeps_the_paragraphs_label_whatever_was_typed(
    people, resolution, next_draft, insertion_after_pp5
):
    from drafting.consultations.commenting import create_comment

    c = by_label(resolution, "(c)")
    comment, _ = create_comment(
        people.aut,
        insertion_after_pp5.consultation,
        kind="replace",
        paragraph_uid=c.uid,
        body="Clearer.",
        proposed_text="3. to inform migrants fully;",
        form_token="t" * 32,
        submit=True,
    )
    replaced = amending.apply_amendment(people.secretariat, next_draft, comment)
    assert (replaced.label, replaced.text) == ("(c)", "to inform migrants fully;")
    publish_version(people.secretariat, next_draft)
    assert labels_of(next_draft) == LABELS


@pytest.mark.parametrize("typed", ["PP3bis", "1 bis", "1ter.", "3.1.", "A.", "IV."])
def test_a_label_typed_in_the_editor_is_read_as_the_label(people, next_draft, typed):
    two = by_label(next_draft, "2.")
    saved = editing.edit_paragraph(
        people.secretariat, next_draft, two.uid, source=f"{typed} We undertake:", base_revision=1
    )
    assert (saved.label, saved.text) == (typed, "We undertake:")


def test_the_audit_trail_records_the_label_an_inserted_paragraph_took(people, next_draft):
    from drafting.audit.models import AuditEvent
    from drafting.extensions import db

    insert_after(people, next_draft, "(d)", "to protect children.")
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="paragraph.inserted")).one()
    assert event.details["label"] == "(e)"

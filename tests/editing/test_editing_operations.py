"""The working draft's operations: identity kept, two editors, amendments applied, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.auth.policy import NotAllowed
from drafting.consultations import amending
from drafting.consultations.presenting import reflected_text
from drafting.documents import editing, working_draft
from drafting.documents.models import Paragraph, Version
from drafting.extensions import db
from tests.editing.conftest import paragraph


def texts(version: Version) -> list[str]:
    db.session.expire(version, ["paragraphs"])
    return [p.block.to_markdown() for p in version.paragraphs]


def uids(version: Version) -> list[str]:
    db.session.expire(version, ["paragraphs"])
    return [p.uid for p in version.paragraphs]


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_working_draft_keeps_every_paragraph_and_its_identity(published, working):
    assert working.based_on is published and not working.is_published
    assert uids(working) == [p.uid for p in published.paragraphs]
    assert texts(working) == [p.block.to_markdown() for p in published.paragraphs]
    assert "version.draft_opened" in actions()


def test_only_one_working_draft_at_a_time_and_only_from_a_published_version(
    people, published, working
):
    with pytest.raises(editing.EditError, match="already being prepared"):
        editing.open_working_draft(people.secretariat, published, label="Draft 1b")
    with pytest.raises(editing.EditError, match="not published"):
        editing.open_working_draft(people.secretariat, working, label="Draft 1c")


def test_a_delegate_may_not_open_or_edit_a_working_draft(people, published, working):
    with pytest.raises(NotAllowed):
        editing.open_working_draft(people.aut, published, label="Draft X")
    first = paragraph(working, "1.")
    with pytest.raises(NotAllowed):
        editing.edit_paragraph(
            people.aut, working, first.uid, source="1. Changed.", base_revision=first.revision
        )


def test_an_edit_keeps_identity_bumps_the_revision_and_is_audited(people, working):
    first = paragraph(working, "1.")
    saved = editing.edit_paragraph(
        people.secretariat,
        working,
        first.uid,
        source="1. We affirm the principle of shared responsibility and solidarity.",
        base_revision=1,
    )
    assert saved.uid == first.uid and saved.revision == 2
    assert saved.text.endswith("and solidarity.") and saved.label == "1."
    assert saved.edited_by_id == people.secretariat.id
    assert actions()[-1] == "paragraph.edited"


def test_a_save_from_a_stale_revision_is_refused_and_shows_the_other_change(people, working):
    uid = paragraph(working, "2.").uid
    editing.edit_paragraph(
        people.secretariat, working, uid, source="2. First editor's words.", base_revision=1
    )
    db.session.commit()
    with pytest.raises(working_draft.StaleParagraph) as refused:
        editing.edit_paragraph(
            people.secretariat, working, uid, source="2. Second editor's words.", base_revision=1
        )
    assert refused.value.paragraph.text == "First editor's words."
    assert "revision 1" in str(refused.value) and "revision 2" in str(refused.value)
    db.session.rollback()
    assert paragraph(working, "2.").text == "First editor's words."


def test_insert_gives_a_new_identity_and_the_next_number_for_now(people, working):
    after = paragraph(working, "2.")
    new = editing.insert_paragraph(
        people.secretariat, working, after_uid=after.uid, source="We will share data."
    )
    order = uids(working)
    assert order.index(new.uid) == order.index(after.uid) + 1
    assert new.label == "3." and new.uid not in [p.uid for p in working.based_on.paragraphs]
    assert [p.position for p in working.paragraphs] == list(range(len(order)))


def test_move_keeps_identity(people, working):
    first, fourth = paragraph(working, "1."), paragraph(working, "4.")
    editing.move_paragraph(people.secretariat, working, first.uid, after_uid=fourth.uid)
    assert uids(working)[-1] == first.uid
    editing.move_by(people.secretariat, working, first.uid, step=-1)
    assert uids(working)[-2] == first.uid
    with pytest.raises(editing.EditError, match="already the first"):
        editing.move_by(people.secretariat, working, uids(working)[0], step=-1)


def test_split_records_the_origin_on_both_parts(people, working):
    second = paragraph(working, "2.")
    first_part, second_part = editing.split_paragraph(
        people.secretariat,
        working,
        second.uid,
        source="2. We will cooperate on **safe** pathways.\n\nAnd on regular ones.",
        base_revision=1,
    )
    assert first_part.uid == second.uid and second_part.uid != second.uid
    assert first_part.derived_from == [second.uid] and second_part.derived_from == [second.uid]
    assert second_part.label == "3." and second_part.text == "And on regular ones."
    assert uids(working).index(second_part.uid) == uids(working).index(second.uid) + 1


def test_split_needs_exactly_one_blank_line(people, working):
    second = paragraph(working, "2.")
    before = texts(working)
    with pytest.raises(editing.EditError, match="blank line"):
        editing.split_paragraph(
            people.secretariat, working, second.uid, source="2. No cut here.", base_revision=1
        )
    db.session.rollback()
    assert texts(working) == before


def test_merge_keeps_the_first_identity_and_records_both(people, working):
    first, second = paragraph(working, "1."), paragraph(working, "2.")
    merged = editing.merge_with_next(
        people.secretariat, working, first.uid, base_revision=1, next_revision=1
    )
    assert merged.uid == first.uid and merged.derived_from == [first.uid, second.uid]
    assert "shared responsibility. We will cooperate" in merged.text
    assert second.uid not in uids(working)


def test_merging_the_last_paragraph_with_nothing_is_refused(people, working):
    last = working.paragraphs[-1]
    before = texts(working)
    with pytest.raises(editing.EditError, match="no paragraph after it"):
        editing.merge_with_next(people.secretariat, working, last.uid, base_revision=1)
    db.session.rollback()
    assert texts(working) == before


def test_a_heading_cannot_be_merged_into_a_paragraph(people, working):
    heading = paragraph(working, "Part I: Principles")
    with pytest.raises(editing.EditError, match="heading"):
        editing.merge_with_next(people.secretariat, working, heading.uid, base_revision=1)


def test_editing_a_published_version_is_refused(people, published):
    first = paragraph(published, "1.")
    with pytest.raises(editing.EditError, match="has been published"):
        editing.edit_paragraph(
            people.secretariat, published, first.uid, source="1. Changed.", base_revision=1
        )
    with pytest.raises(editing.EditError, match="published"):
        editing.edit_paragraph(None, published, first.uid, source="1. Changed.", base_revision=1)
    db.session.rollback()
    assert paragraph(published, "1.").text.startswith("We affirm the principle of shared")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("1. One.\n\n2. Two.", "blank line"),
        ("1. <script>alert(1)</script>", "raw HTML"),
        ("1. [x](javascript:alert(1))", "links"),
        ("1. bad \x07 bell", "control character"),
        ("1. " + "x" * 20_001, "characters long"),
    ],
)
def test_bad_text_is_refused_and_changes_nothing(people, working, source, message):
    first = paragraph(working, "1.")
    with pytest.raises(editing.EditError, match=message):
        editing.edit_paragraph(
            people.secretariat, working, first.uid, source=source, base_revision=1
        )
    db.session.rollback()
    assert paragraph(working, "1.").revision == 1


def test_deleting_the_last_paragraph_is_refused(people, create_document):
    document = create_document(("Zero", "# T\n\n1. Only one.\n", True))
    draft = editing.open_working_draft(None, document.versions[0], label="Draft 1")
    only = paragraph(draft, "1.")
    with pytest.raises(editing.EditError, match="last paragraph"):
        editing.delete_paragraph(None, draft, only.uid, base_revision=1)


# ---------------------------------------------------------------------------------------------
# Amendments


def test_applying_a_replacement_records_the_decision_linked_both_ways(people, working, amendments):
    comment = amendments.replace
    reflected = amending.apply_amendment(people.secretariat, working, comment, base_revision=1)
    assert reflected.uid == comment.paragraph_uid
    assert reflected.text == "We affirm the principle of shared and fair responsibility."
    assert reflected.label == "1."
    decision = comment.decision
    assert decision.outcome.value == "accepted"
    assert decision.reflected_version_id == working.id
    assert decision.reflected_paragraph_uid == reflected.uid
    assert reflected_text(decision) == "Draft 1, paragraph 1."
    assert actions()[-2:] == ["decision.recorded", "amendment.applied"]
    with pytest.raises(editing.EditError, match="already been applied"):
        amending.apply_amendment(people.secretariat, working, comment)


def test_applying_an_insertion_adds_a_paragraph_after_the_one_named(people, working, amendments):
    comment = amendments.insert
    new = amending.apply_amendment(people.secretariat, working, comment)
    order = uids(working)
    assert order.index(new.uid) == order.index(comment.paragraph_uid) + 1
    assert new.text == "We will protect children on the move." and new.label == "3."
    assert comment.decision.reflected_paragraph_uid == new.uid


def test_applying_a_deletion_removes_the_paragraph(people, working, amendments):
    comment = amendments.delete
    assert amending.apply_amendment(people.secretariat, working, comment) is None
    assert comment.paragraph_uid not in uids(working)
    assert comment.decision.reflected_version_id == working.id
    assert "deleted" in comment.decision.reflected_in


def test_an_amendment_to_a_paragraph_deleted_meanwhile_is_refused(people, working, amendments):
    target = amendments.replace.paragraph_uid
    editing.delete_paragraph(people.secretariat, working, target, base_revision=1)
    db.session.commit()
    with pytest.raises(editing.EditError, match="no longer in Draft 1"):
        amending.apply_amendment(people.secretariat, working, amendments.replace)
    db.session.rollback()
    assert amendments.replace.decision is None


def test_a_general_comment_cannot_be_applied(people, working, amendments):
    with pytest.raises(editing.EditError, match="proposes no text"):
        amending.apply_amendment(people.secretariat, working, amendments.general)


def test_a_stale_apply_is_refused(people, working, amendments):
    uid = amendments.replace.paragraph_uid
    editing.edit_paragraph(people.secretariat, working, uid, source="1. Edited.", base_revision=1)
    db.session.commit()
    with pytest.raises(working_draft.StaleParagraph):
        amending.apply_amendment(people.secretariat, working, amendments.replace, base_revision=1)
    db.session.rollback()
    assert (
        db.session.scalar(
            select(Paragraph.text).where(Paragraph.uid == uid, Paragraph.version_id == working.id)
        )
        == "Edited."
    )


def test_changing_the_decision_later_keeps_the_link_until_it_points_elsewhere(
    people, working, amendments
):
    from drafting.consultations.decisions import record_decision

    comment = amendments.replace
    amending.apply_amendment(people.secretariat, working, comment)
    record_decision(
        people.secretariat,
        comment,
        outcome="accepted",
        justification="Now justified.",
        reflected_in="with a note",
    )
    assert comment.decision.reflected_version_id == working.id
    assert comment.decision.reflected_paragraph_uid == comment.paragraph_uid
    record_decision(
        people.secretariat,
        comment,
        outcome="partly_accepted",
        reflected_in="paragraph 12",
        reflected_paragraph_uid=None,
        reflected_version_id=None,
    )
    assert comment.decision.reflected_version_id is None
    assert comment.decision.reflected_paragraph_uid is None


def test_publication_names_the_reflecting_paragraph_by_its_final_number(
    people, working, amendments
):
    from drafting.documents.operations import verify_published_hashes
    from drafting.documents.publishing import publish_version

    amending.apply_amendment(people.secretariat, working, amendments.insert)  # new "3." after 2.
    first = paragraph(working, "1.")
    editing.delete_paragraph(people.secretariat, working, first.uid, base_revision=1)
    assert reflected_text(amendments.insert.decision) == "Draft 1, paragraph 3."
    publish_version(people.secretariat, working, label="Draft 1")
    db.session.flush()
    db.session.expire(amendments.insert.decision)
    # 1. was deleted, so the inserted paragraph is published as 2.
    assert reflected_text(amendments.insert.decision) == "Draft 1, paragraph 2."
    checked, mismatches = verify_published_hashes()
    assert checked == 2 and mismatches == []


def test_the_next_draft_starts_only_from_the_latest_published_version(people, create_document):
    document = create_document(
        ("Zero", "# T\n\n1. A.\n", True), ("Draft 1", "# T\n\n1. B.\n", True)
    )
    with pytest.raises(editing.EditError, match="not the latest published draft: Draft 1 is"):
        editing.open_working_draft(people.secretariat, document.versions[0], label="Draft 2")


def test_an_import_is_refused_while_a_working_draft_is_open(people, working):
    from drafting.documents.importing import import_version
    from drafting.documents.operations import DocumentError

    with pytest.raises(DocumentError, match="still a working draft"):
        import_version(people.secretariat, working.document, "# T\n\n1. X.\n", label="Draft 9")


def test_a_paragraph_inserted_before_the_first_number_is_counted_before_it(people, working):
    from drafting.documents.numbering import renumber

    heading = paragraph(working, "Part I: Principles")
    new = editing.insert_paragraph(
        people.secretariat, working, after_uid=heading.uid, source="We open the section."
    )
    assert new.label == "0."
    db.session.expire(working, ["paragraphs"])
    labels = [label for label in renumber(working.blocks) if label]
    assert labels == ["1.", "2.", "3.", "4.", "5."]


def test_splitting_a_merged_paragraph_keeps_both_origins(people, working):
    first, second = paragraph(working, "1."), paragraph(working, "2.")
    first_uid, second_uid = first.uid, second.uid
    merged = editing.merge_with_next(people.secretariat, working, first_uid, base_revision=1)
    one, two = editing.split_paragraph(
        people.secretariat,
        working,
        first_uid,
        source=f"1. {merged.text.split('. ', 1)[0]}.\n\n{merged.text.split('. ', 1)[1]}",
        base_revision=merged.revision,
    )
    assert one.derived_from == [first_uid, second_uid] == two.derived_from


def test_a_save_that_names_no_revision_says_the_form_was_incomplete(people, working):
    first = paragraph(working, "1.")
    with pytest.raises(editing.EditError, match="form was incomplete"):
        editing.edit_paragraph(
            people.secretariat, working, first.uid, source="1. X.", base_revision=None
        )


def test_an_applied_decision_stays_internal_until_the_draft_is_published(
    people, working, amendments
):
    from drafting.documents.publishing import publish_version

    amending.apply_amendment(people.secretariat, working, amendments.replace)
    amending.apply_amendment(people.secretariat, working, amendments.insert)
    assert amendments.replace.decision.is_shared is False
    # The inserted paragraph is merged into the one before it: its decision follows the merge.
    inserted = amendments.insert.decision.reflected_paragraph_uid
    before = paragraph(working, "2.")
    editing.merge_with_next(people.secretariat, working, before.uid, base_revision=1)
    publish_version(people.secretariat, working)
    db.session.flush()
    assert amendments.replace.decision.is_shared is True
    assert amendments.insert.decision.reflected_paragraph_uid == before.uid != inserted
    db.session.expire(amendments.insert.decision)
    assert reflected_text(amendments.insert.decision) == "Draft 1, paragraph 2."

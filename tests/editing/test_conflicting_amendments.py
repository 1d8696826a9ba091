"""Conflicting amendments: once one amendment is applied to the working draft, the others on the
same paragraph are carried onto its new text (rebased) or superseded by it."""

from __future__ import annotations

import uuid

import pytest

from drafting.compare.rebase import rebase
from drafting.consultations import amending
from drafting.consultations.conflicts import ConflictKind, find_conflicts
from drafting.documents.working_draft import EditError
from drafting.extensions import db
from tests.editing.conftest import paragraph

# Paragraph 1. of the sample: "We affirm the principle of shared responsibility."


@pytest.fixture
def propose(people, published, amendments):
    from drafting.consultations.commenting import create_comment

    def _send(user, kind, label, proposed=""):
        comment, _ = create_comment(
            user,
            amendments.round,
            kind=kind,
            paragraph_uid=paragraph(published, label).uid,
            body="Reason.",
            proposed_text=proposed,
            form_token=uuid.uuid4().hex,
            submit=True,
        )
        db.session.commit()
        return comment

    return _send


def conflict_of(comment):
    return find_conflicts([comment]).get(comment.id)


def test_a_change_to_other_words_is_rebased_word_by_word(people, working, amendments, propose):
    other = propose(
        people.pak, "replace", "1.", "We reaffirm the principle of shared responsibility."
    )
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    conflict = conflict_of(other)
    assert conflict.kind == ConflictKind.REBASED
    assert conflict.rebased == "We reaffirm the principle of shared and fair responsibility."
    applied = amendments.replace.id
    assert (
        conflict.summary
        == f"Rebased on the text after applying AUT’s amendment #{applied} to Draft 1."
    )
    assert str(conflict.redline_html()) == (
        'We<del class="redline-del"> affirm</del><ins class="redline-ins"> reaffirm</ins>'
        " the principle of shared and fair responsibility."
    )


def test_applying_a_rebased_replacement_keeps_the_first_one(people, working, amendments, propose):
    other = propose(
        people.pak, "replace", "1.", "We reaffirm the principle of shared responsibility."
    )
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    reflected = amending.apply_amendment(people.secretariat, working, other)
    assert reflected.text == "We reaffirm the principle of shared and fair responsibility."
    assert reflected.label == "1."


def test_a_change_to_the_same_words_is_superseded(people, working, amendments, propose):
    other = propose(people.pak, "replace", "1.", "We affirm the principle of common duties.")
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    conflict = conflict_of(other)
    assert conflict.is_superseded and conflict.cause.id == amendments.replace.id
    assert f"Superseded by AUT’s amendment #{amendments.replace.id}" in conflict.summary
    with pytest.raises(EditError, match="Superseded by AUT’s amendment"):
        amending.apply_amendment(people.secretariat, working, other)


def test_a_deletion_applied_supersedes_every_replacement(people, working, published, propose):
    replace = propose(people.aut, "replace", "4.", "We will meet again in two years.")
    deletion = propose(people.tur, "delete", "4.")
    amending.apply_amendment(people.secretariat, working, deletion)
    conflict = conflict_of(replace)
    assert conflict.is_superseded and conflict.cause.id == deletion.id
    assert conflict.summary.endswith("applied to Draft 1: it is deleted.")


def test_a_deletion_still_applies_after_a_replacement(people, working, amendments, propose):
    deletion = propose(people.tur, "delete", "1.")
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    conflict = conflict_of(deletion)
    assert conflict.kind == ConflictKind.REBASED
    assert "shared and fair" in str(conflict.redline_html())


def test_two_insertions_after_one_paragraph_both_stay_in_order(
    people, working, amendments, propose
):
    second = propose(people.tur, "insert", "2.", "We will protect older persons on the move.")
    first = amending.apply_amendment(people.secretariat, working, amendments.insert)
    conflict = conflict_of(second)
    assert conflict.kind == ConflictKind.FOLLOWS and conflict.order == 2
    assert "as the 2nd new paragraph" in conflict.summary
    new = amending.apply_amendment(people.secretariat, working, second)
    uids = [p.uid for p in working.paragraphs]
    assert uids.index(new.uid) == uids.index(first.uid) + 1


def test_amendments_on_other_paragraphs_are_in_no_conflict(people, working, amendments):
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    assert find_conflicts([amendments.insert, amendments.delete, amendments.general]) == {}


@pytest.mark.parametrize(
    "proposed",
    ["[" * 5000, "x " * 10000, "We affirm\x07 the principle", "**" * 3000 + " responsibility."],
)
def test_a_rebase_of_hostile_text_answers_without_error(proposed):
    base = "We affirm the principle of shared responsibility."
    result = rebase(base, "We affirm the principle of shared and fair responsibility.", proposed)
    assert result is None or isinstance(result, str)

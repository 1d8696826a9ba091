"""The sample of `make run` shows the newer capabilities without setting them up."""

from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.auth.models import User
from drafting.consultations.models import Comment
from drafting.demo import load_sample
from drafting.documents import statuses, translations
from drafting.documents.models import AgreementStatus
from drafting.extensions import db
from drafting.text.brackets import find_brackets
from drafting.text.footnotes import has_footnotes


def _version(sample, label):
    return next(v for v in sample.document.versions if v.label == label)


def test_the_sample_zero_draft_reads_in_russian_with_one_paragraph_left(app):
    zero = _version(load_sample(), "Zero draft")
    left = translations.remaining(zero, "ru")
    assert [p.text.split()[:2] for p in left.missing] == [["*Taking", "note*"]]
    russian = translations.paragraphs_in(zero, "ru")
    assert russian[0].is_translated and russian[0].text.startswith("Декларация министров")
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "translation.paragraph_updated")
    )


def test_the_sample_has_a_footnote_and_brackets_with_holders(app):
    sample = load_sample()
    for version in sample.document.versions:
        assert sum(has_footnotes(p.text) for p in version.paragraphs) == 1
    latest = _version(sample, "Draft 2")
    (found,) = [s for p in latest.paragraphs for s in find_brackets(p.text)]
    assert [(b.text, b.holders) for b in found.alternatives] == [
        ("is obliged", ("AUT", "DEU")),
        ("is expected", ("PAK", "BGD")),
    ]


def test_the_sample_has_a_comment_recorded_for_greece_and_a_paragraph_ad_ref(app):
    sample = load_sample()
    comment = db.session.scalar(select(Comment).where(Comment.recorded_by_id.is_not(None)))
    assert comment.delegation.code == "GRC" and comment.is_submitted
    assert comment.recorded_source == "Oral statement in the meeting"
    counts = statuses.status_counts(_version(sample, "Draft 2"))
    assert counts[AgreementStatus.AD_REFERENDUM] == 1


def test_loading_the_sample_twice_adds_nothing(app):
    load_sample()
    db.session.flush()
    events = db.session.scalar(select(db.func.count(AuditEvent.id)))
    again = load_sample()
    assert not again.created
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == events


def test_the_secretariat_sees_the_sample_paragraph_left_to_translate(app, client, auth):
    zero = _version(load_sample(), "Zero draft")
    db.session.commit()
    secretariat = db.session.scalar(select(User).where(User.email == "secretariat@example.org"))
    auth.login(secretariat, "secretariat-demo-2029")
    page = client.get(f"/versions/{zero.id}/translations/ru/remaining").get_data(as_text=True)
    assert "Taking note" in page and "Global Compact on Refugees" in page
    assert "We affirm that the governance" not in page  # translated: not listed

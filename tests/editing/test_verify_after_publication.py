"""Publishing a draft rewrites the decisions reflected in it (shared, numbered as published):
each rewrite is an audit event, so `drafting verify` finds the decisions as recorded."""

from __future__ import annotations

from drafting.audit.models import AuditEvent
from drafting.consultations import amending
from drafting.extensions import db


def test_decisions_settled_at_publication_still_verify(people, working, amendments, runner):
    from drafting.documents.publishing import publish_version

    amending.apply_amendment(people.secretariat, working, amendments.replace)
    publish_version(people.secretariat, working)
    db.session.commit()
    settled = db.session.scalars(db.select(AuditEvent).filter_by(action="decision.settled")).all()
    assert [e.object_id for e in settled] == [amendments.replace.id]
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output

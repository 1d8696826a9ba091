"""What the API answers: documents, versions, rounds and comments as plain JSON objects, in the
shapes that drafting/api/openapi.py describes. Times are ISO 8601 in UTC, ending in "Z"."""

from __future__ import annotations

from datetime import datetime

from drafting.auth.models import User
from drafting.auth.policy import can
from drafting.consultations.models import Comment, Consultation
from drafting.database import utcnow
from drafting.documents.comparison import VersionComparison
from drafting.documents.models import Document, Paragraph, Version
from drafting.times import iso_instant


def instant(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return iso_instant(dt)


def version_summary(version: Version) -> dict:
    return {
        "id": version.id,
        "document_id": version.document_id,
        "label": version.label,
        "status": version.status.value,
        "based_on_id": version.based_on_id,
        "created_dt": instant(version.created_dt),
        "published_dt": instant(version.published_dt),
        "text_hash": version.text_hash,
    }


def paragraph(p: Paragraph) -> dict:
    return {
        "uid": p.uid,
        "position": p.position,
        "kind": p.kind.value,
        "level": p.level,
        "label": p.label,
        "text": p.text,
    }


def version(v: Version) -> dict:
    return {
        **version_summary(v),
        "note": v.note or "",
        "paragraphs": [paragraph(p) for p in v.paragraphs],
    }


def document(user: User, d: Document) -> dict:
    """A document with the versions ``user`` may read (working drafts only for the
    secretariat) and the delegations taking part."""
    return {
        "id": d.id,
        "title": d.title,
        "created_dt": instant(d.created_dt),
        "participants": [p.code for p in d.participants],
        "versions": [version_summary(v) for v in d.versions if can(user, "version.view", v)],
    }


def comparison(result: VersionComparison) -> dict:
    """The comparison as `drafting compare --format json` gives it, with the versions named."""
    return {
        "document_id": result.new.document_id,
        "old_version_id": result.old.id,
        "new_version_id": result.new.id,
        **result.comparison.to_json(),
    }


def consultation(user: User, c: Consultation) -> dict:
    """A round as ``user``'s delegation lives it: its own deadline and state, without learning
    whether another delegation has an extension."""
    now = utcnow()
    return {
        "id": c.id,
        "document_id": c.version.document_id,
        "version_id": c.version_id,
        "title": c.title,
        "instructions": c.instructions or "",
        "opens_dt": instant(c.opens_dt),
        "closes_dt": instant(c.closes_dt),
        "deadline_dt": instant(c.deadline_for(user.delegation_id)),
        "closed_early_dt": instant(c.closed_early_dt),
        "timezone": c.timezone,
        "visibility": c.visibility.value,
        "late_rule": c.late_rule.value,
        "state": c.state_for(user.delegation_id, now),
        "invited": [d.code for d in c.invited],
    }


def comment(c: Comment) -> dict:
    return {
        "id": c.id,
        "consultation_id": c.consultation_id,
        "delegation": c.delegation.code,
        "kind": c.kind.value,
        "paragraph_uid": c.paragraph_uid,
        "quote": c.quote or "",
        "body": c.body or "",
        "proposed_text": c.proposed_text or "",
        "status": c.status.value,
        "is_late": bool(c.is_late),
        "revision": c.revision,
        "submitted_dt": instant(c.submitted_dt),
        "created_dt": instant(c.created_dt),
        "updated_dt": instant(c.updated_dt),
    }

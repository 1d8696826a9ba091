"""Open points: how many bracket sets each paragraph of a version still holds, for the pages
that show them beside each paragraph and in total (the draft, the document, the chair's
convergence view, the meeting screen)."""

from __future__ import annotations

from drafting.documents.models import Paragraph, Version
from drafting.extensions import db
from drafting.keeping import Kept
from drafting.text.brackets import count_open_points

# A published version never changes: its counts are made once per process.
_kept: Kept[dict[str, int]] = Kept(16)


def open_points(version: Version) -> dict[str, int]:
    """The open points of each paragraph uid of the version that holds any (a uid absent has
    none). Only the paragraphs with a ``[`` are read from the database."""
    if version.is_published:
        return _kept.get((version.id, version.text_hash), lambda: _counted(version))
    return _counted(version)


def _counted(version: Version) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Paragraph.uid, Paragraph.text)
        .where(Paragraph.version_id == version.id, Paragraph.text.contains("[", autoescape=True))
        .order_by(Paragraph.position)
    )
    counts = {uid: count_open_points(text) for uid, text in rows}
    return {uid: count for uid, count in counts.items() if count}


def open_points_total(version: Version) -> int:
    """How many open points the whole version holds."""
    return sum(open_points(version).values())

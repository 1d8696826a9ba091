"""Telling the participants that a draft is published: the mail of a publication."""

from __future__ import annotations

from drafting.auth.operations import people_of
from drafting.notifications.operations import absolute_url, notify


def announce_version(version) -> int:
    """Tell everyone who reads for a participating delegation that ``version`` is published,
    with the secretariat's note, a link to its clean text and, when another draft was published
    before it, links to the redline (page and Word) and the concordance of paragraph numbers.
    How many were queued."""
    document = version.document
    previous = previous_published(version)
    lines = [f"{version.label} of “{document.title}” has been published.", ""]
    if version.note:
        lines += ["A note from the secretariat:", "", version.note.strip(), ""]
    lines.append(f"Clean text: {absolute_url('documents.version', version_id=version.id)}")
    if previous is not None:
        pair = {"document_id": document.id, "old": previous.id, "new": version.id}
        compare = absolute_url("documents.compare", **pair)
        lines += [
            "",
            f"What changed since {previous.label}:",
            f"  Redline:          {compare}",
            f"  Redline in Word:  {absolute_url('documents.compare_docx', **pair)}",
            f"  Concordance of paragraph numbers: {compare}#concordance",
        ]
    lines += ["", f"Every draft: {absolute_url('documents.history', document_id=document.id)}"]
    return notify(
        people_of(d.id for d in document.participants),
        subject=f"{version.label} published: {document.title}",
        body="\n".join(lines) + "\n",
        kind="version.published",
    )


def previous_published(version):
    """The published draft that readers compare ``version`` with: the one published last
    before it (a working draft would be a 404 for them, so it is never chosen)."""
    others = [v for v in version.document.versions if v.is_published and v is not version]
    if version.published_dt is not None:
        others = [v for v in others if v.published_dt <= version.published_dt]
    return max(others, key=lambda v: (v.published_dt, v.id), default=None)

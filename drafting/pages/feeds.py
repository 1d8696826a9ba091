"""Feeds: an Atom feed per document announcing new drafts and rounds of comments.

Feed readers cannot log in, so each person's feed address carries a signed token naming them
and the document (`feed_url`). The token is dated and lasts FEED_TOKEN_MAX_AGE, and carries the
person's feed secret, which they renew under Settings (and a deactivation renews): every address
made before then stops working. The feed shows what that person may read, and nothing once they
are deactivated or no longer take part; a logged-in browser needs no token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.auth.models import User
from drafting.auth.policy import can
from drafting.consultations.models import Consultation
from drafting.consultations.silence.queries import silences_of_document
from drafting.documents.models import Document, Version
from drafting.extensions import db
from drafting.notifications.operations import absolute_url
from drafting.times import format_for
from drafting.web.loading import load

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml"
# Characters XML 1.0 cannot carry at all, even escaped: dropped from what a feed shows.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# How long a private feed address works after the page that gave it was shown.
FEED_TOKEN_MAX_AGE = timedelta(days=365)


def _serializer() -> URLSafeTimedSerializer:
    # Another salt than the untimed tokens of before: those are refused, not misread.
    return URLSafeTimedSerializer(current_app.secret_key, salt="feed-dated")


def feed_token(user: User, document: Document) -> str:
    """A token that lets a feed reader fetch ``document``'s feed as ``user`` for a year, until
    ``user`` renews their feed secret."""
    return _serializer().dumps([user.id, document.id, user.feed_secret or ""])


@bp.app_template_global()
def feed_url(user: User, document: Document) -> str:
    """``user``'s private address of ``document``'s feed, to paste into a feed reader."""
    return absolute_url(
        "feeds.document_feed", document_id=document.id, token=feed_token(user, document)
    )


def user_from_token(token: str, document_id: int) -> User | None:
    """The active user a feed token was made for, if it is genuine, less than a year old, for
    this document, and made with the user's current feed secret."""
    try:
        user_id, token_document_id, secret = _serializer().loads(
            token, max_age=FEED_TOKEN_MAX_AGE.total_seconds()
        )
    except (BadData, TypeError, ValueError):
        return None
    if token_document_id != document_id or not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or secret != (user.feed_secret or ""):
        return None
    return user


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime
    link: str
    summary: str
    category: str
    published: datetime | None = None
    related: list[tuple[str, str]] = field(default_factory=list)  # (title, href)


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def rfc3339(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _tag(document: Document, path: str) -> str:
    """A permanent id (RFC 4151 tag URI): it survives a change of the site's address."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"tag:{host},{document.created_dt:%Y-%m-%d}:document/{document.id}{path}"


def _version_entries(document: Document, reader: User) -> list[Entry]:
    entries, previous = [], None
    for version in document.versions:
        if not version.is_published or not can(reader, "version.view", version):
            continue
        related = []
        if previous is not None:
            compare = absolute_url(
                "documents.compare", document_id=document.id, old=previous.id, new=version.id
            )
            related = [
                (f"What changed since {previous.label}", compare),
                ("Concordance of paragraph numbers", compare + "#concordance"),
            ]
        since = f" It follows {previous.label}." if previous is not None else ""
        entries.append(
            Entry(
                id=_tag(document, f"/version/{version.id}"),
                title=f"{version.label} published",
                updated=version.published_dt,
                published=version.published_dt,
                link=absolute_url("documents.version", version_id=version.id),
                summary=(
                    f"{version.label} of “{document.title}” was published on "
                    f"{format_for(version.published_dt, None, reader)}.{since}"
                ),
                category="draft",
                related=related,
            )
        )
        previous = version
    return entries


def _round_entries(document: Document, reader: User) -> list[Entry]:
    consultations = db.session.scalars(
        select(Consultation)
        .join(Consultation.version)
        .where(Version.document_id == document.id)
        .options(selectinload(Consultation.extensions))
        .order_by(Consultation.id)
    ).all()
    entries = []
    for consultation in consultations:
        if not can(reader, "consultation.view", consultation):
            continue
        zone = consultation.timezone
        label = consultation.version.label
        summary = (
            f"Written comments on {label}: open from "
            f"{format_for(consultation.opens_dt, zone, reader)}, deadline "
            f"{format_for(consultation.closes_dt, zone, reader)}."
        )
        extension = consultation.extension_for(reader.delegation_id)
        if extension is not None:
            summary += (
                f" Your delegation's deadline is extended to "
                f"{format_for(extension.closes_dt, zone, reader)}."
            )
        updated = consultation.created_dt
        if consultation.closed_early_dt is not None:
            summary += (
                f" The secretariat closed it early, on "
                f"{format_for(consultation.closed_early_dt, zone, reader)}."
            )
            updated = max(updated, consultation.closed_early_dt)
        entries.append(
            Entry(
                id=_tag(document, f"/consultation/{consultation.id}"),
                title=f"Round of comments on {label}: {consultation.title}",
                updated=updated,
                published=consultation.created_dt,
                link=absolute_url("consultations.consultation", consultation_id=consultation.id),
                summary=summary,
                category="consultation",
            )
        )
    return entries


def _silence_entries(document: Document, reader: User) -> list[Entry]:
    """Each silence procedure: started, and then broken or ended in adoption."""
    entries = []
    for silence in silences_of_document(document.id):
        label, zone = silence.version.label, silence.timezone
        summary = (
            f"{label} is put under silence until {format_for(silence.deadline_dt, zone, reader)}."
        )
        if silence.state.value == "broken":
            codes = ", ".join(b.delegation.code for b in silence.breaks)
            summary += f" Silence was broken ({codes}): the text returns to negotiation."
        elif silence.state.value == "adopted":
            summary += f" No delegation broke silence: {label} is adopted."
        entries.append(
            Entry(
                id=_tag(document, f"/silence/{silence.id}"),
                title=f"Silence procedure on {label}: {silence.state.title}",
                updated=silence.ended_dt or silence.started_dt,
                published=silence.started_dt,
                link=absolute_url("silence.silence", silence_id=silence.id),
                summary=summary,
                category="silence",
            )
        )
    return entries


def _reader(document_id: int) -> User | None:
    """Who the feed is for: the person its token names, else the one logged in."""
    token = request.args.get("token")
    if token is not None:
        return user_from_token(token, document_id)
    return current_user if current_user.is_authenticated else None


def _entries(document: Document, reader: User) -> list[Entry]:
    """The drafts and rounds ``reader`` may see, newest first, with only text XML can carry."""
    entries = _version_entries(document, reader) + _round_entries(document, reader)
    entries += _silence_entries(document, reader)
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    for entry in entries:
        entry.title, entry.summary = _xml_text(entry.title), _xml_text(entry.summary)
        entry.related = [(_xml_text(title), href) for title, href in entry.related]
    return entries


@bp.route("/documents/<id:document_id>/feed.atom")
def document_feed(document_id: int):
    reader = _reader(document_id)
    if reader is None:
        abort(404)
    document = load(Document, document_id)
    if not can(reader, "document.view", document):
        abort(404)
    entries = _entries(document, reader)
    updated = entries[0].updated if entries else document.created_dt
    body = render_template(
        "feeds/document.xml",
        feed_id=_tag(document, ""),
        title=_xml_text(f"{document.title}: drafts and rounds of comments"),
        updated=updated,
        link=absolute_url("documents.document", document_id=document.id),
        self_link=absolute_url("feeds.document_feed", document_id=document.id),
        author=_xml_text(current_app.config["SITE_NAME"]),
        entries=entries,
        rfc3339=rfc3339,
    )
    return _atom(body, updated)


def _atom(body: str, updated: datetime):
    """The feed as a reader fetches it: private, revalidated, answered 304 when unchanged."""
    response = make_response(body)
    response.mimetype = ATOM
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"  # the address may carry a token
    response.last_modified = updated
    response.add_etag()
    return response.make_conditional(request)

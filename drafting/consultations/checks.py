"""What people write into a round (instructions, comments, amendments, justifications) is checked
here before any operation stores it: length, invisible characters, raw HTML, and for a comment,
whether its kind, paragraph, quoted passage and proposed text fit together.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from drafting.consultations.models import CommentKind, Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.documents.translations import languages_of, paragraphs_in
from drafting.extensions import N_, db
from drafting.text.draft_format import forbidden_markup
from drafting.text.inline import display_text


def _max_chars() -> int:
    return current_app.config["MAX_COMMENT_CHARS"]


# Control characters a person cannot type (NUL above all, which PostgreSQL refuses to store).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UID = re.compile(r"^[0-9a-f]{32}$")


def check_plain(what: str, text: str | None) -> None:
    """Plain text, shown escaped (a title, a reference): only invisible characters are refused."""
    if _CONTROL.search(text or ""):
        raise ConsultationError(
            _(
                "%(what)s contains an invisible control character, probably from a copy and "
                "paste. Remove it and send again.",
                what=_(what),
            )
        )


def check_text(what: str, text: str | None) -> None:
    """Markdown a person wrote: its length, invisible characters, raw HTML and script links."""
    text = text or ""
    check_plain(what, text)
    limit = _max_chars()
    if len(text) > limit:
        raise ConsultationError(
            _(
                "%(what)s is %(length)s characters long; at most %(limit)s are accepted. "
                "Shorten it, or send a long contribution to the secretariat as a document.",
                what=_(what),
                length=f"{len(text):,}",
                limit=f"{limit:,}",
            )
        )
    reason = forbidden_markup(text)
    if reason:
        raise ConsultationError(f"{what} {reason}.")


def comment_kind(kind: CommentKind | str) -> CommentKind:
    try:
        return CommentKind(kind)
    except ValueError:
        raise ConsultationError(_("Choose what kind of comment this is.")) from None


_KNOWN_PARAGRAPH = "_paragraph_known"


def note_paragraph(consultation: Consultation, uid: str, paragraph: Paragraph | None) -> None:
    """Note the paragraph ``uid`` of the round's version (None: not part of it), read along with
    the round, so that comment_paragraph does not ask again for as long as the round lives."""
    consultation.__dict__[_KNOWN_PARAGRAPH] = (uid, paragraph)


def comment_paragraph(
    consultation: Consultation, kind: CommentKind, paragraph_uid: str | None
) -> Paragraph | None:
    if not kind.needs_paragraph:
        return None
    if not paragraph_uid:
        raise ConsultationError(_("Choose the paragraph this comment is about."))
    if not _UID.match(paragraph_uid):
        raise ConsultationError(
            _("There is no such paragraph: go back to the draft and choose one.")
        )
    known = consultation.__dict__.get(_KNOWN_PARAGRAPH)
    if known is not None and known[0] == paragraph_uid:
        paragraph = known[1]
    else:
        paragraph = db.session.scalar(
            select(Paragraph).where(
                Paragraph.version_id == consultation.version_id, Paragraph.uid == paragraph_uid
            )
        )
    if paragraph is None:
        raise ConsultationError(
            _(
                "That paragraph is not part of %(version)s, the version this round is about.",
                version=consultation.version.label,
            )
        )
    if kind == CommentKind.SECTION and paragraph.kind != ParagraphKind.HEADING:
        raise ConsultationError(_("A comment on a section must be made on its heading."))
    if kind in (CommentKind.REPLACE, CommentKind.DELETE) and paragraph.kind == ParagraphKind.TITLE:
        raise ConsultationError(_("Propose a change to the title as a general comment."))
    return paragraph


def _normalise(text: str) -> str:
    return " ".join(display_text(text).split()).casefold()


def clean_comment_fields(
    kind: CommentKind,
    paragraph: Paragraph | None,
    *,
    quote: str,
    body: str,
    proposed_text: str,
    quote_language: str = "",
) -> dict[str, str]:
    """Check what a delegation wrote for this kind of comment; the fields to store. A quote
    may come from a language version of the paragraph (``quote_language``, "" the original)."""
    quote = (quote or "").strip()
    body = (body or "").strip()
    proposed_text = (proposed_text or "").strip()
    check_text(N_("The quoted passage"), quote)
    check_text(N_("The comment") if not kind.is_amendment else N_("The justification"), body)
    check_text(N_("The proposed text"), proposed_text)
    if kind in (CommentKind.GENERAL, CommentKind.SECTION, CommentKind.PARAGRAPH) and not body:
        raise ConsultationError(_("The comment is empty: write what your delegation wants to say."))
    if kind in (CommentKind.REPLACE, CommentKind.INSERT):
        if not proposed_text:
            raise ConsultationError(_("Write the text your delegation proposes."))
        if "\n\n" in proposed_text.replace("\r\n", "\n"):
            raise ConsultationError(
                _("Propose one paragraph at a time: the proposed text has a blank line in it.")
            )
    else:
        proposed_text = ""
    if (
        kind == CommentKind.REPLACE
        and paragraph is not None
        and " ".join(proposed_text.split()) == " ".join(paragraph.text.split())
    ):
        raise ConsultationError(_("The proposed text is the same as the current text."))
    quote_language, quoted = _quoted_version(paragraph, quote_language if quote else "")
    if quote and paragraph is not None and _normalise(quote) not in _normalise(quoted):
        if paragraph.label:
            said = _(
                "The quoted passage is not in paragraph %(label)s; copy it exactly.",
                label=paragraph.label,
            )
        else:
            said = _("The quoted passage is not in the paragraph; copy it exactly.")
        raise ConsultationError(said)
    if quote and paragraph is None:
        quote, quote_language = "", ""
    return {
        "quote": quote,
        "quote_language": quote_language,
        "body": body,
        "proposed_text": proposed_text,
    }


def _quoted_version(paragraph: Paragraph | None, language: str) -> tuple[str, str]:
    """The language quoted ("" the original) and the paragraph's text in it."""
    if paragraph is None:
        return "", ""
    if not language:  # the usual case: no query more
        return "", paragraph.text
    version = paragraph.version
    if language == version.document.language:
        return "", paragraph.text
    if language not in languages_of(version):
        raise ConsultationError(
            _(
                "%(version)s has no translation into “%(language)s”.",
                version=version.label,
                language=language[:8],
            )
        )
    return language, paragraphs_in(version, language, [paragraph])[0].text

"""How comments speak of the text: a paragraph named in a sentence, an amendment as a redline."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations.models import Comment, CommentKind
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.text.inline import display_text
from drafting.text.markup import render_markdown
from drafting.times import format_instant


def full_stop(text: str) -> str:
    """``text`` ending a sentence, with one stop: a label printed with its own ("PP6.",
    "7.") or a name ending in "…" gets no second one ("Saved paragraph PP6.", not "PP6..")."""
    text = str(text).rstrip()
    return text if text.endswith((".", "…", "!", "?")) else f"{text}."


def paragraph_name(paragraph: Paragraph | None, *, capital: bool = False) -> str:
    """How a paragraph is named in a sentence: "paragraph 3.", "the heading “Part II”"."""
    name = _paragraph_name(paragraph)
    return name[:1].upper() + name[1:] if capital else name


def said_paragraph_name(paragraph: Paragraph | None, *, capital: bool = False) -> str:
    """`paragraph_name` in the reader's language, for pages and messages (never for what is
    stored: a decision's place is written in English, as the records are)."""
    name = _said_paragraph_name(paragraph)
    return name[:1].upper() + name[1:] if capital else name


def _said_paragraph_name(paragraph: Paragraph | None) -> str:
    if paragraph is None:
        return _("the whole text")
    if paragraph.kind == ParagraphKind.TITLE:
        return _("the title")
    shown = " ".join(display_text(paragraph.text).split())
    if paragraph.kind == ParagraphKind.HEADING:
        return _("the heading “%(text)s”", text=shown[:80])
    if paragraph.label:
        return _("paragraph %(label)s", label=paragraph.label)
    cut = f"{shown[:60]}{'…' if len(shown) > 60 else ''}"
    return _("the unnumbered paragraph “%(text)s”", text=cut)


def _paragraph_name(paragraph: Paragraph | None) -> str:
    if paragraph is None:
        return "the whole text"
    if paragraph.kind == ParagraphKind.TITLE:
        return "the title"
    shown = " ".join(display_text(paragraph.text).split())
    if paragraph.kind == ParagraphKind.HEADING:
        return f"the heading “{shown[:80]}”"
    if paragraph.label:
        return f"paragraph {paragraph.label}"
    return f"the unnumbered paragraph “{shown[:60]}{'…' if len(shown) > 60 else ''}”"


def proposal_html(kind: CommentKind | None, paragraph: Paragraph | None, proposed: str) -> Markup:
    """What an amendment does to the text, as a redline: new wording as a word-level diff
    against the paragraph, a new paragraph inserted, a paragraph deleted."""
    if kind == CommentKind.REPLACE and paragraph is not None:
        return diff_to_html(diff_words(display_text(paragraph.text), display_text(proposed or "")))
    if kind == CommentKind.INSERT:
        return Markup('<ins class="redline-ins">{}</ins>').format(
            render_markdown(proposed or "", inline=True)
        )
    if kind == CommentKind.DELETE and paragraph is not None:
        return Markup('<del class="redline-del">{}</del>').format(
            render_markdown(paragraph.text, inline=True)
        )
    return Markup("")


def reflected_place(decision) -> str:
    """Where a decision is reflected, said today: the linked paragraph by its current number
    ("Draft 2, paragraph 6."), never by the number it had when the decision was taken."""
    if not decision.is_linked:
        return ""
    version = decision.reflected_version
    paragraph = decision.reflected_paragraph
    if paragraph is None:
        # Merged into another in a working draft (publication settles the link): that one.
        uid = decision.reflected_paragraph_uid
        paragraph = next((p for p in version.paragraphs if uid in (p.derived_from or [])), None)
    if paragraph is None:
        return f"{version.label} (the paragraph was later removed)"
    return f"{version.label}, {paragraph_name(paragraph)}"


def reflected_text(decision) -> str:
    """Where a decision is reflected, as plain text (Word, CSV): the place, then the note."""
    return " — ".join(part for part in (reflected_place(decision), decision.reflected_in) if part)


def recorded_line(comment: Comment) -> str:
    """What a file says of a comment the secretariat wrote down for its delegation (empty for
    one the delegation wrote): who recorded it, from what, received when. Read from the
    comment's columns alone, whichever tool set them."""
    if comment.recorded_by_id is None:
        return ""
    who = comment.recorded_by.name if comment.recorded_by else "the secretariat"
    line = f"Recorded by the secretariat ({who})"
    if comment.recorded_source:
        line += f" from: {comment.recorded_source}"
    if comment.received_dt is not None:
        line += f"; received {format_instant(comment.received_dt, comment.consultation.timezone)}"
    return line + "."

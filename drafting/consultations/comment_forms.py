"""Forms with which a delegation writes, edits, submits, withdraws and co-sponsors comments.

The texts are checked by the operations (length, Markdown, what each kind needs), which say why
they refuse; these forms carry the CSRF token and the hidden fields that keep one form one
comment: the form token, the revision an edit started from, the delegation it speaks for.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired


class CommentForm(FlaskForm):
    """A comment or an amendment, new or edited. The button pressed (``action``: preview, save,
    submit) is read from the request, so that Preview never stores anything."""

    kind = HiddenField()
    paragraph = HiddenField()
    form_token = HiddenField()
    delegation_id = HiddenField()
    base_revision = HiddenField()
    quote_language = HiddenField()  # the language version read when quoting ("" the original)
    quote = StringField(
        _l("Quoted passage (optional)"),
        description=_l(
            "Copy the words of the paragraph your comment is about, exactly as they are."
        ),
    )
    body = TextAreaField(_l("Comment"), render_kw={"rows": 6})
    proposed_text = TextAreaField(_l("Proposed text"), render_kw={"rows": 6})


class ActionForm(FlaskForm):
    """A one-button form (co-sponsor, submit all drafts): only the CSRF token."""


class SubmitForm(FlaskForm):
    """The Submit button beside a draft: with the revision the delegate was reading, so that a
    colleague's later change is not submitted unseen."""

    base_revision = HiddenField()


class WithdrawForm(FlaskForm):
    base_revision = HiddenField()
    confirm = BooleanField(
        _l("Withdraw it: it is no longer part of your delegation's comments; its history is kept"),
        validators=[DataRequired(message=_l("Tick the box to confirm the withdrawal."))],
    )


class StanceForm(FlaskForm):
    """Support for, or objection to, another delegation's amendment, with an optional reason
    (checked by the operation, which says why it refuses)."""

    kind = HiddenField()
    reason = TextAreaField(_l("Reason (optional)"), render_kw={"rows": 2, "maxlength": 1000})

"""The page where each person creates and revokes their own API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.api import operations
from drafting.api.forms import RevokeForm, TokenForm
from drafting.api.models import ApiToken
from drafting.database import utcnow
from drafting.extensions import db

bp = Blueprint("tokens", __name__)


def _page(form: TokenForm, *, secret: str | None = None, created=None, status: int = 200):
    response = render_template(
        "api/tokens.html",
        form=form,
        revoke_form=RevokeForm(),
        tokens=operations.active_tokens(current_user),
        now=utcnow(),
        secret=secret,
        created=created,
    )
    # A new token's secret is in this page and nowhere else: keep it out of every cache.
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    if not form.is_submitted():
        return _page(form)
    if form.validate():
        try:
            token, secret = operations.create_token(current_user, form.name.data, form.days.data)
        except operations.TokenError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            return _page(TokenForm(formdata=None), secret=secret, created=token)
    return _page(form, status=422)


@bp.route("/settings/tokens/<id:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)  # another person's token is not theirs to know about
    if not RevokeForm().validate_on_submit():
        abort(400, description="This form was not sent from the tokens page; nothing changed.")
    operations.revoke_token(current_user, token)
    said = _("The token “%(name)s” (%(prefix)s…) is revoked.", name=token.name, prefix=token.prefix)
    flash(said, "success")
    return redirect(url_for("tokens.tokens"), 303)

"""What every page and the API share: the logged-in user, one commit per request at the edge
(`edge`), one CSRF refusal (`csrf`), errors a person can read."""

from __future__ import annotations

import re

from flask import Flask, abort, redirect, request
from flask import Request as FlaskRequest
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from drafting.auth.operations import load_user_by_token
from drafting.auth.policy import NotAllowed, can, why_not
from drafting.documents.models import FROZEN_MESSAGE, FrozenVersionError
from drafting.extensions import db, login_manager
from drafting.text.brackets import count_open_points
from drafting.text.markup import render_markdown
from drafting.text.numbers import whole_number
from drafting.times import in_zones, iso_instant
from drafting.web.csrf import FORM_REFUSED, typed_texts
from drafting.web.edge import commit_at_the_edge, database_refusal, error_page
from drafting.web.locale import remember_chosen_language
from drafting.web.problems import is_api_request
from drafting.web.terms import term

# Ids are INTEGER columns: PostgreSQL refuses a larger number with an error, not "no row".
MAX_ID = 2**31 - 1


def numbers_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers from 1 to ``limit``, without leading zeros:
    the shorter numbers, then those of the same length digit by digit."""
    digits = str(limit)
    parts = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        rest = len(digits) - position - 1
        if int(digit) > lowest:
            tail = rf"\d{{{rest}}}" if rest else ""
            parts.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]{tail}")
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """A database id in a URL: a number the database can hold, or no such page (404).

    The bound is in the pattern, not only in the conversion: a rule whose conversion fails still
    counts as matched by its path when werkzeug looks for other methods, so that PATCH to an
    impossible id would be answered "405 method not allowed" by the GET rule beside it."""

    regex = numbers_up_to(MAX_ID)

    def __init__(self, url_map, **kwargs) -> None:
        super().__init__(url_map, min=1, max=MAX_ID, **kwargs)


def query_id(name: str) -> int | None:
    """An id from the query string; None when absent, a 400 when it is no usable id."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if (number := whole_number(raw, MAX_ID)) is None:
        abort(400, description=f"“{name}” must be the number of a version.")
    return number


# Characters no file name may hold on some system, and controls: each becomes a space.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(title: str, *details: str, suffix: str, limit: int = 60) -> str:
    """The one way a download is named: the title, cut at a word boundary to at most
    ``limit`` characters (with "…" when cut), then the details, joined by " - "; characters
    that file systems refuse become spaces. send_file gives it as RFC 6266's filename* with
    an ASCII fallback, so any script survives."""

    def clean(text: str) -> str:
        return " ".join(_NOT_IN_FILE_NAMES.sub(" ", text or "").split())

    title = clean(title)
    if len(title) > limit:
        cut = title[: limit + 1].rsplit(" ", 1)[0] if " " in title[: limit + 1] else ""
        title = (cut or title[:limit]).rstrip(" ,;:-–—") + "…"
    stem = " - ".join(part for part in [title, *map(clean, details)] if part) or "download"
    return f"{stem}.{suffix}"


def require(action: str, target=None, *, hide: bool = False) -> None:
    """Stop the request unless the current user may do ``action``.

    ``hide`` answers 404 rather than 403, for objects whose existence the user may not learn;
    a 403 says the policy's reason.
    """
    reason = why_not(current_user, action, target)
    if reason is None:
        return
    if hide:
        abort(404)
    raise NotAllowed(reason, action)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# The service uses none of these browser features; no page, nor anything framed, may ask.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
)


def _serve_securely(app: Flask) -> None:
    """Trust the proxies' forwarded headers only as configured, and with HTTPS_ONLY make
    cookies Secure, build https links and send plain-HTTP requests to https."""
    if proxies := app.config.get("TRUSTED_PROXIES", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if not app.config.get("HTTPS_ONLY"):
        return
    app.config.update(
        SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https"
    )

    @app.before_request
    def redirect_to_https():
        if request.is_secure or app.testing:
            return None
        # 308 keeps the method and body of a form sent to the plain-HTTP address.
        code = 301 if request.method in ("GET", "HEAD") else 308
        return redirect(request.url.replace("http://", "https://", 1), code)


class FormRequest(FlaskRequest):
    """A request whose form values have their line breaks as LF only.

    Browsers send a textarea's line breaks (and any other field's) as CRLF, whatever the page
    held: every text a person submits is normalised here, once, so that no draft, comment, seal
    or hash ever meets a CR that the page never showed, whichever form or view reads it."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__["form"]
        if any("\r" in value for _key, value in form.items(multi=True)):
            self.__dict__["form"] = self.parameter_storage_class(
                (key, value.replace("\r\n", "\n").replace("\r", "\n"))
                for key, value in form.items(multi=True)
            )


def init_app(app: Flask) -> None:
    app.request_class = FormRequest
    _serve_securely(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user_by_token)
    app.before_request(remember_chosen_language)

    @app.before_request
    def refuse_nul_characters():
        # No person types a NUL, and PostgreSQL refuses to store one: refuse it at the door,
        # in any query or form value, rather than fail deep inside a query.
        for values in (request.args, request.form):
            for key, value in values.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    abort(400, description="The request contains a NUL character; remove it.")

    @app.after_request
    def security_headers(response):
        # after_request runs for every response: pages, static files, errors, the API.
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # What a logged-in person or an API client is answered is theirs alone (drafts under
        # negotiation, comments, tokens): no browser or proxy cache may keep it. Static files,
        # the same for everyone, keep their caching.
        if request.endpoint != "static" and (is_api_request() or current_user.is_authenticated):
            headers["Cache-Control"] = "no-store"
        return response

    # Registered last, so it runs first: a refused commit's answer gets the headers too.
    app.after_request(commit_at_the_edge)

    @app.route("/favicon.ico")
    def favicon():
        # Browsers and tools ask for /favicon.ico whatever the page links: the same icon.
        return app.send_static_file("favicon.svg")

    # A global, not a context variable, so that macros imported without context can ask too.
    app.jinja_env.globals["can"] = lambda action, target=None: can(current_user, action, target)
    # The language of the page being answered: <html lang>, the language switch.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["term"] = term

    @app.template_filter("instant")
    def instant(dt, zone_name: str | None = None) -> Markup:
        """The one way a page shows a time (see `in_zones`): in the round's zone ``zone_name``
        and, when different, in the reader's own; without a round, in the reader's own zone.
        <time datetime="…Z">22 December 2029, 18:00 CET (Europe/Vienna)</time>
        <span class="your-time">· your time: <time …>…</time></span>."""
        if dt is None:
            return Markup("")
        shown, own = in_zones(dt, zone_name, current_user, get_locale())
        stamp = iso_instant(dt)
        html = Markup('<time datetime="{}">{}</time>').format(stamp, shown)
        if own:
            html += Markup(
                '<span class="your-time"> · {} <time datetime="{}">{}</time></span>'
            ).format(_("your time:"), stamp, own)
        return html

    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(lambda text: render_markdown(text, inline=True), "markdown_inline")
    app.add_template_filter(count_open_points, "open_points")

    @app.errorhandler(DBAPIError)
    def database_refused(exc: DBAPIError):
        db.session.rollback()
        refused = isinstance(exc, IntegrityError) or FROZEN_MESSAGE in str(exc.orig)
        if refused or (is_api_request() and isinstance(exc, OperationalError)):
            app.logger.warning("database refused: %s", exc.orig)
            return database_refusal(exc)
        raise exc

    @app.errorhandler(400)
    def bad_request(exc):
        return error_page(400, _("Request not understood"), exc.description)

    @app.errorhandler(501)
    def not_yet(_exc):
        return error_page(501, _("Not available yet"), _("This page is not available yet."))

    @app.errorhandler(403)
    def forbidden(_exc):
        return error_page(403, _("Not allowed"), _("Your role does not allow this action."))

    @app.errorhandler(NotAllowed)
    def not_allowed(exc: NotAllowed):
        return error_page(403, _("Not allowed"), exc.reason)

    @app.errorhandler(404)
    def not_found(_exc):
        return error_page(
            404, _("Not found"), _("There is no such page, or it is not shared with you.")
        )

    @app.errorhandler(413)
    def too_large(_exc):
        limit = app.config["MAX_CONTENT_LENGTH"] // 1_048_576
        return error_page(
            413,
            _("Too large to send"),
            _(
                "At most %(limit)s MB can be sent at once. Nothing was saved: go back, and "
                "shorten the text or choose a smaller file.",
                limit=limit,
            ),
        )

    @app.errorhandler(CSRFError)
    def csrf_failed(_exc):
        # Refused before any view: the texts typed come back on the page, to copy.
        return error_page(400, _("Form not accepted"), _(FORM_REFUSED), kept=typed_texts())

    @app.errorhandler(FrozenVersionError)
    def frozen(exc):
        return error_page(409, _("Published drafts cannot change"), str(exc))

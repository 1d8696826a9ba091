"""The language of the interface: the person's choice under Settings, else the language chosen
for this session (``?lang=ru`` on any page, offered to people not logged in), else the browser's
preference among the catalogues the service has (``LANGUAGES``), else English. The JSON API
answers in English whatever the caller prefers: its problem bodies are read by programs."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, Domain
from flask_login import current_user

from drafting.web.problems import is_api_request


def select_locale() -> str:
    """Flask-Babel's locale selector for the request being answered."""
    languages = current_app.config["LANGUAGES"]
    if request and is_api_request():
        return "en"
    chosen = getattr(current_user, "locale", "") if current_user else ""
    if chosen in languages:
        return chosen
    if request:
        if session.get("lang") in languages:
            return session["lang"]
        return request.accept_languages.best_match(languages) or languages[0]
    return languages[0]


def remember_chosen_language() -> None:
    """Keep ``?lang=`` in the session cookie, when it names a language the service has."""
    language = request.args.get("lang")
    if language and language in current_app.config["LANGUAGES"]:
        session["lang"] = language


class RequestCatalogue(Domain):
    """Flask-Babel's message domain, with the request's catalogue found once per request.

    Flask-Babel finds it again for every message: the context on ``g``, the locale, the locale's
    name, the cache (about 16 µs a message here); a comparison of 114 changed paragraphs with
    their comments shows some 4,000 messages, and spent a quarter of its time there. The
    catalogue is kept on ``g`` beside the domain and the locale it was found for, so a message
    costs about a microsecond, and a locale switched within the request (``force_locale``,
    ``refresh``) is a different locale object: its catalogue is found anew."""

    def get_translations(self):
        try:
            space = g._get_current_object()
        except RuntimeError:  # outside an app context: Flask-Babel's answer (no catalogue)
            return super().get_translations()
        kept = space.__dict__.get(_KEPT)
        if kept is not None and kept[0] is self:
            locale = getattr(space.__dict__.get("_flask_babel"), "babel_locale", None)
            if locale is kept[1] and locale is not None:
                return kept[2]
        translations = super().get_translations()
        locale = getattr(space.__dict__.get("_flask_babel"), "babel_locale", None)
        space.__dict__[_KEPT] = (self, locale, translations)
        return translations


_KEPT = "_drafting_catalogue"


def install_catalogue(app: Flask, babel: Babel) -> None:
    """Make ``RequestCatalogue`` the domain of views (``gettext``, lazy strings) and templates."""
    domain = RequestCatalogue(domain=app.config.get("BABEL_DOMAIN", "messages"))
    babel.domain_instance = domain  # a cached property of Flask-Babel's: set once, kept
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
    )

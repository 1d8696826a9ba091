"""The language of the interface: the person's choice under Settings, else the language chosen
for this session (``?lang=ru`` on any page, offered to people not logged in), else the browser's
preference among the catalogues the service has (``LANGUAGES``), else English. The JSON API
answers in English whatever the caller prefers: its problem bodies are read by programs."""

from __future__ import annotations

from flask import current_app, request, session
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

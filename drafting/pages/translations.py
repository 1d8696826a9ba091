"""Pages for the language versions of a version: import a translation (the alignment shown for
review, nothing stored until confirmed and nothing guessed), what remains to translate (with a
form for each paragraph), publishing a translation, and reading side by side."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from drafting.documents import translations
from drafting.documents.docx_import import is_word_file, read_docx
from drafting.documents.models import Version
from drafting.text.draft_format import DraftFormatError, decode_draft
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("translations", __name__)


@bp.app_template_global()
def language_label(code: str) -> str:
    """A language's name in the reader's interface language: "Russian", or "русский"."""
    return translations.language_name(code, str(get_locale() or "en"))


class TranslationUploadForm(FlaskForm):
    language = StringField(
        _l("Language (ISO 639-1 code)"),
        validators=[DataRequired(), Length(max=8)],
        description=_l("Two letters, e.g. ru for Russian."),
    )
    file = FileField(
        _l("Translation: Word (.docx) or Markdown (.md, UTF-8)"),
        validators=[FileRequired()],
        render_kw={"accept": ".docx,.md,.markdown,.txt"},
    )


class ConfirmTranslationForm(FlaskForm):
    language = HiddenField()
    draft = HiddenField(validators=[DataRequired()])


class TranslatedParagraphForm(FlaskForm):
    text = TextAreaField(
        _l("Translation"),
        validators=[DataRequired(), Length(max=translations.MAX_TRANSLATED_PARAGRAPH)],
    )


class PublishTranslationForm(FlaskForm):
    pass


def _uploaded_source(form: TranslationUploadForm) -> str:
    config = current_app.config
    data, name = form.file.data.read(), form.file.data.filename or ""
    limits = config["MAX_DRAFT_BYTES"], config["MAX_DRAFT_PARAGRAPHS"]
    if is_word_file(data, name):
        return read_docx(
            data, max_bytes=limits[0], max_xml=config["MAX_WORD_XML_BYTES"], max_blocks=limits[1]
        ).markdown
    return decode_draft(data, *limits).replace("\r\n", "\n").replace("\r", "\n")


def _review(version: Version, language: str, source: str, error: str | None = None):
    _blocks, alignment = translations.review_translation(version, source)
    confirm = ConfirmTranslationForm(formdata=None, language=language, draft=source)
    page = render_template(
        "translations/review.html",
        version=version,
        document=version.document,
        language=language,
        language_name=language_label(language),
        alignment=alignment,
        form=confirm,
        error=error,
    )
    return page, 422 if error or not alignment.is_complete else 200


@bp.route("/versions/<id:version_id>/translations/import", methods=["GET", "POST"])
@login_required
def upload(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)
    form = TranslationUploadForm()
    if form.validate_on_submit():
        try:
            language = translations.check_language(version, form.language.data)
            return _review(version, language, _uploaded_source(form))
        except translations.TranslationError as exc:
            form.language.errors = [str(exc)]
        except DraftFormatError as exc:
            form.file.errors = [str(exc)]
    page = render_template("translations/import.html", version=version, form=form)
    return page, 422 if form.errors else 200


@bp.route("/versions/<id:version_id>/translations/confirm", methods=["POST"])
@login_required
def confirm(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)
    form = ConfirmTranslationForm()
    if not form.validate_on_submit():
        return redirect(url_for("translations.upload", version_id=version.id))
    try:
        translation = translations.import_translation(
            current_user, version, form.draft.data, language=form.language.data
        )
    except translations.TranslationError as exc:
        try:
            return _review(version, form.language.data, form.draft.data, error=str(exc))
        except (translations.TranslationError, DraftFormatError):  # not even reviewable
            again = TranslationUploadForm(formdata=None, language=form.language.data)
            again.file.errors = [str(exc)]
            return render_template("translations/import.html", version=version, form=again), 422
    name = language_label(translation.language)
    flash(_("The %(language)s translation is stored.", language=name), "success")
    return redirect(
        url_for("documents.version", version_id=version.id, language=translation.language)
    )


def _remaining_page(version: Version, language: str, status: int = 200, forms=None):
    require("version.import", version.document)
    try:
        language = translations.check_language(version, language)
    except translations.TranslationError:
        abort(404)
    left = translations.remaining(version, language)
    forms = forms or {}
    for paragraph in (*left.missing, *left.out_of_date):
        forms.setdefault(paragraph.uid, TranslatedParagraphForm(formdata=None, text=paragraph.text))
    return render_template(
        "translations/remaining.html",
        version=version,
        document=version.document,
        language=language,
        language_name=language_label(language),
        left=left,
        forms=forms,
        own=translations.translation_of(version, language),
        publish_form=PublishTranslationForm(),
    ), status


@bp.route("/versions/<id:version_id>/translations/<language>/remaining")
@login_required
def remaining(version_id: int, language: str):
    return _remaining_page(load(Version, version_id, action="version.view"), language)


@bp.route("/versions/<id:version_id>/translations/<language>/paragraphs/<uid>", methods=["POST"])
@login_required
def update_paragraph(version_id: int, language: str, uid: str):
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)
    form = TranslatedParagraphForm()
    if form.validate_on_submit():
        try:
            translations.update_paragraph(current_user, version, language, uid, form.text.data)
        except translations.TranslationError as exc:
            form.text.errors = [str(exc)]
            flash(str(exc), "error")
        else:
            flash(_("The paragraph's translation is saved."), "success")
            return redirect(url_for(".remaining", version_id=version.id, language=language))
    return _remaining_page(version, language, 422, forms={uid: form})


@bp.route("/versions/<id:version_id>/translations/<language>/publish", methods=["POST"])
@login_required
def publish(version_id: int, language: str):
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)
    translation = translations.translation_of(version, language)
    try:
        if translation is None or not PublishTranslationForm().validate_on_submit():
            raise translations.TranslationError(_("There is no translation here to publish."))
        translations.publish_translation(current_user, translation)
    except translations.TranslationError as exc:
        flash(str(exc), "error")
        return _remaining_page(version, language, 422)
    flash(_("The translation is published: it can no longer change."), "success")
    return redirect(url_for("documents.version", version_id=version.id, language=language))


@bp.route("/versions/<id:version_id>/side-by-side")
@login_required
def side_by_side(version_id: int):
    version = load(Version, version_id, action="version.view")
    language = request.args.get("language", "")[:8]
    if language not in translations.languages_of(version):
        flash(
            _("%(version)s has no translation to show beside it.", version=version.label), "error"
        )
        return redirect(url_for("documents.version", version_id=version.id))
    shown = translations.paragraphs_in(version, language)
    return render_template(
        "translations/side_by_side.html",
        version=version,
        document=version.document,
        language=language,
        language_name=language_label(language),
        rows=list(zip(version.paragraphs, shown, strict=True)),
    )

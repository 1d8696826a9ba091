"""Every script in every export: a version written in fourteen languages comes out of the PDF and of
the Word copy (read back by pandoc) paragraph for paragraph as it went in, Word knows each
paragraph's language and direction, and a character no embedded font holds refuses the PDF."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pypandoc
import pytest
from pypdf import PdfReader

from drafting.compare import align_paragraphs
from drafting.documents.models import Version
from drafting.exports.pdf import UncoveredCharacter, build_version_pdf
from drafting.exports.redline import build_redline_docx
from drafting.exports.word import build_version_docx
from drafting.extensions import db
from drafting.text.draft_format import parse_draft

ARABIC = (
    "تتفق الوفود على أن تجتمع مرة أخرى في الربيع لمراجعة مشروع الإعلان معا، وأن تقدم كل "
    "حكومة ملاحظاتها كتابة قبل نهاية الشهر، حتى تتمكن الأمانة من إعداد نص موحد يعرض على "
    "الجميع."
)
PARAGRAPHS = {
    "en": "The delegations agree to meet again in the spring to review the draft together.",
    "fr": "Les délégations conviennent de se réunir à nouveau au printemps, « ensemble ».",
    "de": "Die Delegationen kommen überein, sich im Frühjahr erneut zu treffen; Grüße.",
    "hu": "A küldöttségek megállapodnak, hogy tavasszal újra találkoznak; ő és ű is jön.",
    "pl": "Delegacje uzgadniają, że spotkają się wiosną; źle zapisane zdania poprawią.",
    "el": "Οι αντιπροσωπείες συμφωνούν να συναντηθούν ξανά την άνοιξη για το σχέδιο.",
    "ru": "Делегации договорились вновь встретиться весной, чтобы обсудить проект.",
    "ar": ARABIC,
    "zh": "各代表团同意于春季再次举行会议，共同审议草案。",
    "ja": "各代表団は、春に再び会合し、草案を共に検討することに合意する。",
    "ko": "각 대표단은 봄에 다시 만나 초안을 함께 검토하기로 합의한다.",
    "he": "המשלחות מסכימות להיפגש שוב באביב כדי לדון בטיוטה.",
    "hy": "Պատվիրակությունները համաձայնում են գարնանը կրկին հանդիպել։",
    "ka": "დელეგაციები თანხმდებიან გაზაფხულზე კვლავ შეხვედრას.",
    "symbols": "Targets: ≤ 2 °C, ≥ 50 % → 2030 ✓ § 3 № 7 € ①.",
}
SOURCE = "# Declaration on Languages\n\n" + "\n\n".join(PARAGRAPHS.values())


def collapsed(text: str) -> str:
    return " ".join(text.split())


def pdf_lines(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def as_written(line: str) -> str:
    """A right-to-left line as pypdf extracts it, back in the form it was written in: pypdf gives
    the letters in reading order, but as the contextual forms printed (NFKC joins them back to
    letters), and lifts the full stop printed at the line's left end to the line's start."""
    if not re.search("[\u0590-\u06ff\ufb1d-\ufdff\ufe70-\ufeff]", line):
        return line
    line = unicodedata.normalize("NFKC", line).strip()
    return line[1:] + line[0] if line.startswith(".") else line


def test_pdf_text_equals_the_source_paragraph_by_paragraph_in_every_script():
    data = build_version_pdf(parse_draft(SOURCE), title="Declaration", version_label="Draft 1")
    text = collapsed(" ".join(as_written(line) for line in pdf_lines(data)))
    for language, paragraph in PARAGRAPHS.items():
        assert paragraph in text, language


def test_emoji_print_in_outline_rather_than_refuse_the_pdf():
    # ReportLab's ToUnicode map writes a character beyond U+FFFF as one odd-length hex code, which
    # pypdf cannot read: the emoji are printed, but only their font shows it here.
    block = parse_draft("Peace 🕊\ufe0f and joy 😀.")[0]
    data = build_version_pdf([block], title="T", version_label="1")
    assert "Symbola" in font_names(data)
    assert "Peace" in pdf_lines(data)[-1]


def test_a_long_arabic_paragraph_wraps_in_reading_order():
    data = build_version_pdf([parse_draft(ARABIC)[0]], title="T", version_label="1")
    arabic_lines = [as_written(line) for line in pdf_lines(data) if "ا" in as_written(line)]
    assert len(arabic_lines) >= 2
    assert collapsed(" ".join(arabic_lines)) == ARABIC


def test_word_copy_read_back_by_pandoc_equals_the_source_paragraph_by_paragraph(tmp_path):
    path = tmp_path / "declaration.docx"
    path.write_bytes(build_version_docx(parse_draft(SOURCE), title="D", version_label="1"))
    text = collapsed(pypandoc.convert_file(str(path), "plain", extra_args=["--wrap=none"]))
    for language, paragraph in PARAGRAPHS.items():
        assert paragraph in text, language


def word_paragraphs(data: bytes) -> dict[str, str]:
    """Each body paragraph's XML, by its first words."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml)
    return {re.sub(r"<[^>]+>", "", p)[:12]: p for p in paragraphs}


def test_word_marks_each_paragraph_language_and_the_arabic_one_right_to_left():
    data = build_version_docx(parse_draft(SOURCE), title="D", version_label="1", language="en")
    paragraphs = word_paragraphs(data)
    arabic = paragraphs[ARABIC[:12]]
    assert "<w:bidi/>" in arabic and "<w:rtl/>" in arabic
    assert 'w:val="en" w:bidi="ar"' in arabic
    assert "<w:lang" not in paragraphs[PARAGRAPHS["fr"][:12]]  # the default style's: English
    assert '<w:lang w:val="en"/>' in default_style(data)
    assert 'w:bidi="he"' in paragraphs[PARAGRAPHS["he"][:12]]
    assert 'w:val="ru"' in paragraphs[PARAGRAPHS["ru"][:12]]
    assert 'w:val="el"' in paragraphs[PARAGRAPHS["el"][:12]]
    for language in ("zh", "ja", "ko"):
        assert f'w:eastAsia="{language}"' in paragraphs[PARAGRAPHS[language][:12]]
        assert "<w:bidi/>" not in paragraphs[PARAGRAPHS[language][:12]]


def default_style(data: bytes) -> str:
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    return re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles).group(0)


def test_a_russian_document_is_russian_by_default_and_its_arabic_paragraph_arabic():
    data = build_version_docx(parse_draft(SOURCE), title="D", version_label="1", language="ru")
    assert '<w:lang w:val="ru"/>' in default_style(data)
    assert 'w:val="ru" w:bidi="ar"' in word_paragraphs(data)[ARABIC[:12]]


def test_the_redline_marks_a_changed_arabic_paragraph_right_to_left():
    old = parse_draft(f"# T\n\n{ARABIC}")
    new = parse_draft(f"# T\n\n{ARABIC.replace('الربيع', 'الصيف')}")
    data = build_redline_docx(align_paragraphs(old, new), author="Secretariat", date=_now())
    arabic = word_paragraphs(data)[ARABIC[:12]]
    assert "<w:bidi/>" in arabic and "<w:rtl/>" in arabic and 'w:bidi="ar"' in arabic


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\u0915", "U+0915 क (DEVANAGARI LETTER KA)"),
        ("\u0e01", "U+0E01 ก"),
        ("\ue000", "U+E000 in"),
    ],
)
def test_a_character_no_font_holds_refuses_the_pdf_naming_it(character, named):
    blocks = parse_draft(f"# T\n\nFirst.\n\nSecond {character} here.")
    with pytest.raises(UncoveredCharacter) as refusal:
        build_version_pdf(blocks, title="T", version_label="1")
    assert f"cannot print {named}" in str(refusal.value)
    assert "in paragraph 3" in str(refusal.value)


def test_adversarial_runs_of_scripts_and_markup_still_print():
    mixed = ("<b>&" + "ж" + "中" + "ع" + "*" * 3 + "\u200d🕊\ufe0f") * 2_000
    data = build_version_pdf([parse_draft(mixed)[0]], title="T", version_label="1")
    assert data.startswith(b"%PDF")


def test_the_pdf_page_refuses_an_uncovered_character_with_a_clear_message(
    client, auth, create_user, create_document
):
    auth.login(create_user("secretariat", "MDS"))
    document = create_document(("Zero draft", "# T\n\nWe welcome क progress.", True))
    answer = client.get(f"/versions/{document.versions[0].id}.pdf")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "The PDF cannot print U+0915 क (DEVANAGARI LETTER KA) in paragraph 2" in page


def test_the_pdf_page_prints_every_script(client, auth, create_user, create_document):
    auth.login(create_user("secretariat", "MDS"))
    document = create_document(("Zero draft", SOURCE, True))
    answer = client.get(f"/versions/{document.versions[0].id}.pdf")
    assert answer.status_code == 200
    assert PARAGRAPHS["ko"] in collapsed(" ".join(pdf_lines(answer.data)))


def test_cli_exports_pdf_and_docx_and_refuses_an_uncovered_character(
    runner, create_document, tmp_path
):
    create_document(("Zero draft", SOURCE, True))
    create_document(("Zero draft", "# T\n\nWe welcome क progress.", True), title="Emoji")
    good, bad = db.session.scalars(db.select(Version).order_by(Version.id)).all()
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["export", str(good.id), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert PARAGRAPHS["ru"] in collapsed(" ".join(pdf_lines((tmp_path / "out.pdf").read_bytes())))
    refused = runner.invoke(args=["export", str(bad.id), "--format", "pdf", "-o", str(out)])
    assert refused.exit_code == 1
    assert "The PDF cannot print U+0915 क (DEVANAGARI LETTER KA) in paragraph 2" in refused.output


def font_names(data: bytes) -> set[str]:
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}


def test_emphasis_in_an_arabic_paragraph_keeps_its_bold_face():
    block = parse_draft("تتفق الوفود على **مشروع الإعلان** معا.")[0]
    data = build_version_pdf([block], title="T", version_label="1")
    assert {"NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold"} <= font_names(data)
    # pypdf reads a right-to-left line printed in two faces face by face, so only the words
    # themselves can be compared here; the line's order is the one the test above checks.
    line = as_written(pdf_lines(data)[-1])
    assert all(word in line for word in ["تتفق", "الوفود", "على", "مشروع", "الإعلان", "معا"])


def test_the_pdf_names_the_document_language_for_screen_readers():
    data = build_version_pdf(parse_draft(SOURCE), title="D", version_label="1", language="ru")
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "ru"

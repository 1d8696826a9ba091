"""Which way a paragraph runs and which languages Word is told, read from its characters alone."""

from __future__ import annotations

from drafting.text.scripts import has_right_to_left, is_right_to_left, paragraph_languages


def test_an_arabic_paragraph_quoting_english_still_runs_right_to_left():
    assert is_right_to_left("«2030» تتفق الوفود على خطة Agenda 2030.")
    assert not is_right_to_left("The Agenda (خطة 2030) is adopted.")
    assert has_right_to_left("The Agenda (خطة 2030) is adopted.")


def test_digits_and_punctuation_alone_run_left_to_right():
    assert not is_right_to_left("1. — 2030 (…)")
    assert not has_right_to_left("1. — 2030 (…)")


def test_each_script_names_the_language_word_is_told():
    assert paragraph_languages("Делегации договорились.", "en").language == "ru"
    assert paragraph_languages("Делегациите се договориха.", "bg").language == "bg"
    assert paragraph_languages("各代表団は合意する。", "en").east_asian == "ja"
    assert paragraph_languages("대표단은 합의한다.", "en").east_asian == "ko"
    assert paragraph_languages("各代表团同意。", "en").east_asian == "zh"
    assert paragraph_languages("המשלחות מסכימות.", "en").complex_script == "he"
    assert paragraph_languages("The delegations agree.", "fr-CH").language == "fr-CH"


def test_a_long_paragraph_is_read_in_one_pass():
    text = "ж中ع. " * 200_000
    assert paragraph_languages(text, "en").right_to_left is False

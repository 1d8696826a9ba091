"""Reading a version in a language: the translation where there is one, the original marked
where there is none, side by side, and a comparison in Russian."""

from __future__ import annotations


def test_a_delegate_reads_the_zero_draft_in_russian(client, auth, people, translated, published):
    auth.login(people.aut)
    page = client.get(f"/versions/{published.id}?language=ru").get_data(as_text=True)
    assert "Мы подтверждаем принцип общей ответственности." in page
    assert "We affirm the principle" not in page
    assert "not yet translated" not in page
    assert f'href="/versions/{published.id}?language=ru"' not in page  # the current language
    assert "Русский" in page or "Russian" in page

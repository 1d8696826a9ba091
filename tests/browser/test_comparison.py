from docx import Document as WordDocument


def test_the_chair_steps_through_the_changes_and_downloads_the_word_redline(
    sample, page, log_in, create_user, tmp_path
):
    chair = create_user("chair", "GEO", email="chair.test@example.org")
    log_in(chair)
    page.get_by_role("link", name=sample.document.title).click()
    page.get_by_role("link", name="Compare versions").click()
    assert "Zero draft → Draft 1" in page.locator("h1").inner_text()
    # compare.js is deferred: the keys work once it has run, by DOMContentLoaded (on a loaded
    # machine, with the suite on every core, "n" came before it).
    page.wait_for_load_state("domcontentloaded")

    page.keyboard.press("n")
    page.wait_for_url("**#change-1")
    page.keyboard.press("n")
    page.wait_for_url("**#change-2")
    page.keyboard.press("p")
    page.wait_for_url("**#change-1")
    page.locator("#change-1").get_by_role("link", name="Next change").click()
    page.wait_for_url("**#change-2")
    assert page.locator(".redline ins.redline-ins").count() > 0
    assert page.locator(".redline del.redline-del").count() > 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word with tracked changes").click()
    path = tmp_path / "redline.docx"
    download_info.value.save_as(path)
    xml = WordDocument(str(path)).element.xml
    assert "<w:ins " in xml and "<w:del " in xml

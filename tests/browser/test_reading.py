def test_a_delegate_logs_in_and_reads_the_published_sample_draft(sample, page, log_in, create_user):
    delegate = create_user("delegate", "AUT", email="reader@example.org")
    log_in(delegate)
    page.get_by_role("link", name=sample.document.title).click()
    page.get_by_role("link", name="Draft 1", exact=True).click()
    declaration = page.locator("article.declaration")
    assert declaration.locator("h1").inner_text().startswith("Ministerial Declaration")
    assert declaration.locator(".para .num", has_text="1.").count() >= 1
    assert "Draft 2" not in page.content()  # a working draft stays with the secretariat
    page.locator(".para .permalink").first.click()
    assert "#p-" in page.url

from tests.exports.akn_schema import AKN, valid_akn


def test_a_delegate_downloads_a_published_draft_as_akoma_ntoso(
    sample, page, log_in, create_user, tmp_path
):
    delegate = create_user("delegate", "AUT", email="archivist@example.org")
    log_in(delegate)
    page.get_by_role("link", name=sample.document.title).click()
    page.get_by_role("link", name="Draft 1", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Akoma Ntoso (XML)").click()
    assert download_info.value.suggested_filename.endswith("Draft 1.akn.xml")
    path = tmp_path / "draft-1.xml"
    download_info.value.save_as(path)
    root = valid_akn(path.read_bytes())
    assert root.findtext(f".//{AKN}docTitle").startswith("Ministerial Declaration")
    assert root.find(f".//{AKN}preamble//{AKN}recital") is not None

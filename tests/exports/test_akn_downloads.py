"""The Akoma Ntoso XML of a version, downloaded from its page or written by `drafting export`."""

from __future__ import annotations

from tests.exports.akn_schema import AKN, valid_akn


def test_export_command_writes_the_akoma_ntoso_file(
    runner, create_document, sample_source, tmp_path
):
    version = create_document(("Zero draft", sample_source, True)).versions[0]
    out = tmp_path / "declaration.xml"
    result = runner.invoke(args=["export", str(version.id), "--format", "akn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = valid_akn(out.read_bytes())
    assert root.findtext(f".//{AKN}docTitle") == "Ministerial Declaration on Safe Routes"


def test_export_command_names_a_missing_version(runner, app):
    result = runner.invoke(args=["export", "999", "--format", "akn"])
    assert result.exit_code != 0 and "There is no version #999" in result.output


def test_a_delegate_downloads_the_xml_linked_from_the_version_page(
    client, auth, create_user, create_document, sample_source
):
    delegation = create_user("delegate", "AUT").delegation
    document = create_document(("Zero draft", sample_source, True), participants=[delegation])
    version = document.versions[0]
    auth.login(delegation.users[0])
    page = client.get(f"/versions/{version.id}").get_data(as_text=True)
    assert f'href="/versions/{version.id}.xml">Akoma Ntoso (XML)</a>' in page
    response = client.get(f"/versions/{version.id}.xml")
    assert response.status_code == 200 and response.mimetype == "application/akn+xml"
    assert "Zero draft.akn.xml" in response.headers["Content-Disposition"]
    valid_akn(response.data)


def test_a_working_draft_xml_is_hidden_from_delegates_but_not_from_the_secretariat(
    client, auth, create_user, create_document, sample_source
):
    delegate, secretariat = create_user("delegate", "AUT"), create_user("secretariat", "MDS")
    document = create_document(
        ("Zero draft", sample_source, True),
        ("Draft 1", sample_source, False),
        participants=[delegate.delegation],
    )
    working_id = document.versions[1].id
    auth.login(delegate)
    assert client.get(f"/versions/{working_id}.xml").status_code == 404
    auth.logout()
    auth.login(secretariat)
    root = valid_akn(client.get(f"/versions/{working_id}.xml").data)
    assert root.find(f".//{AKN}FRBRExpression/{AKN}FRBRdate").get("name") == "creation"

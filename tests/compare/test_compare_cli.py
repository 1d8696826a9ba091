"""``drafting compare OLD.md NEW.md``: a redline of two files, without the application."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from drafting.cli.compare import compare_command
from drafting.text.draft_format import split_raw_blocks

SERIES = "canada-official-languages-act/series"
KINDS = {"unchanged", "changed", "added", "deleted", "split", "merged"}
ADDED_IN_ISSUE_18 = {"renumbered", "old_label", "new_label", "similarity"}


def run(*arguments: str):
    return CliRunner().invoke(compare_command, [str(argument) for argument in arguments])


def test_json_lists_every_block_of_both_files_once(corpus):
    old, new = (
        corpus / SERIES / "2024-09-10_83e1b369.md",
        corpus / SERIES / "2025-07-08_d3636248.md",
    )
    result = run(old, new)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"old_blocks", "new_blocks", "blocks", "entries"}
    assert document["old_blocks"] == len(split_raw_blocks(old.read_text("utf-8")))
    assert document["new_blocks"] == len(split_raw_blocks(new.read_text("utf-8")))
    olds = sorted(i for entry in document["entries"] for i in entry["old"])
    news = sorted(j for entry in document["entries"] for j in entry["new"])
    assert olds == list(range(document["old_blocks"]))
    assert news == list(range(document["new_blocks"]))


def test_json_entries_follow_the_contract(corpus):
    result = run(corpus / "de-grundgesetz" / "v1.md", corpus / "de-grundgesetz" / "v2.md")
    for entry in json.loads(result.output)["entries"]:
        assert set(entry) == {"old", "new", "kind", "moved", "diff", *ADDED_IN_ISSUE_18}
        assert entry["kind"] in KINDS and isinstance(entry["moved"], bool)
        assert all(op in (-1, 0, 1) and isinstance(text, str) for op, text in entry["diff"])
        assert bool(entry["diff"]) == (entry["kind"] in ("changed", "split", "merged"))


def test_identical_files_give_only_unchanged_entries(corpus):
    draft = corpus / "de-grundgesetz" / "v1.md"
    entries = json.loads(run(draft, draft).output)["entries"]
    assert {entry["kind"] for entry in entries} == {"unchanged"}


def test_html_goes_to_the_file_given(corpus, tmp_path):
    old, new = (
        corpus / SERIES / "2024-02-05_ff626e98.md",
        corpus / SERIES / "2024-09-10_83e1b369.md",
    )
    result = run(old, new, "--format", "html", "-o", tmp_path / "redline.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "redline.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'class="redline-ins"' in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n \n", "empty"),
        (b"1. Text\x00\x01", "binary"),
        ("1. Caf\u00e9".encode("latin-1"), "UTF-8"),
    ],
)
def test_unreadable_draft_gets_a_clear_error(tmp_path, content, message):
    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_bytes(content)
    good.write_text("1. Text\n", "utf-8")
    result = run(bad, good)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_missing_file_is_a_usage_error(tmp_path):
    result = run(tmp_path / "absent.md", tmp_path / "absent.md")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_docx_is_a_word_file(corpus, tmp_path):
    pytest.importorskip("drafting.exports.redline")
    old, new = (
        corpus / SERIES / "2024-02-05_ff626e98.md",
        corpus / SERIES / "2024-09-10_83e1b369.md",
    )
    result = run(old, new, "--format", "docx", "-o", tmp_path / "redline.docx")
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "redline.docx").read_bytes()))
    assert "word/document.xml" in archive.namelist()

"""The comparison for scripts (issue 18): today's contract, plus each block's kind and label and
each entry's labels, renumbering and similarity, so that a paragraph only renumbered can be told
from one truly identical."""

from __future__ import annotations

import json

from click.testing import CliRunner

from drafting.cli.compare import compare_command

OLD = ["# Declaration", "## Commitments", "1. We will share data.", "2. We will meet yearly."]


def test_each_block_carries_its_kind_and_label(compare):
    document = compare(OLD, OLD).to_json()
    assert document["old_blocks"] == document["new_blocks"] == 4
    assert document["blocks"]["new"] == [
        {"kind": "title", "label": None},
        {"kind": "heading", "label": None},
        {"kind": "paragraph", "label": "1."},
        {"kind": "paragraph", "label": "2."},
    ]


def test_renumbered_paragraph_is_told_from_an_identical_one(compare):
    new = [
        *OLD[:2],
        "1. We will fund the secretariat.",
        "2. We will share data.",
        "3. We will meet yearly.",
    ]
    entries = compare(OLD, new).to_json()["entries"]
    shared = next(entry for entry in entries if entry["old"] == [2])
    assert shared["kind"] == "unchanged" and shared["renumbered"] is True
    assert (shared["old_label"], shared["new_label"], shared["similarity"]) == ("1.", "2.", 1.0)
    title = entries[0]
    assert title["kind"] == "unchanged" and title["renumbered"] is False
    added = next(entry for entry in entries if entry["kind"] == "added")
    assert (added["old_label"], added["new_label"], added["similarity"]) == (None, "1.", None)


def test_changed_entry_gives_its_word_overlap(compare):
    new = [*OLD[:3], "2. We will meet every two years."]
    changed = compare(OLD, new).to_json()["entries"][-1]
    assert changed["kind"] == "changed" and changed["renumbered"] is False
    assert 0.5 <= changed["similarity"] < 1.0


def test_command_line_json_carries_labels(corpus):
    folder = corpus / "eu-digital-markets-act"
    result = CliRunner().invoke(compare_command, [str(folder / "v1.md"), str(folder / "v2.md")])
    document = json.loads(result.output)
    labels = {block["label"] for block in document["blocks"]["old"]}
    assert {"Article 8", "(46)"} <= labels
    assert len(document["blocks"]["old"]) == document["old_blocks"]
    renumbered = [entry for entry in document["entries"] if entry["renumbered"]]
    assert any(entry["kind"] == "unchanged" for entry in renumbered)

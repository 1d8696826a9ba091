"""The Word redline keeps each paragraph's hard line breaks and list items, line by line, in
pandoc's reading with every change rejected and with every change accepted: in changed, added,
deleted and moved paragraphs, and where a change removes a line break."""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pypandoc

from drafting.compare.align import align_paragraphs
from drafting.exports.redline import build_redline_docx
from drafting.text.draft_format import Block, parse_draft
from drafting.text.inline import display_text

OLD = """# Declaration

1. First line\\
second line

2. A list:
* one
* two

3. Address:\\
Vienna International Centre

* * 1991

* 55 vom Hundert

4. Kept line\\
as it was

5. Gone line\\
here

6. The parties meet every year in Vienna and report on the data they shared.\\
An annex follows.
"""
NEW = """# Declaration

1. Primary line\\
second line

2. A list:
* one
* two
* three

3. Address: Vienna International Centre

* * 1991

* 60 vom Hundert

6. The parties meet every year in Geneva and report on the data they shared.\\
An annex follows.

4. Kept line\\
as it was

7. New line\\
added
"""


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _shown(blocks: list[Block]) -> list[str]:
    texts = (
        f"{b.label} {display_text(b.text)}" if b.label else display_text(b.text) for b in blocks
    )
    return [text for text in map(_lines, texts) if text]


def _read(data: bytes, mode: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "redline.docx"
        path.write_bytes(data)
        output = subprocess.run(
            [pypandoc.get_pandoc_path(), f"--track-changes={mode}", "-s", "-t", "plain"]
            + ["--wrap=none", str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    return [_lines(part) for part in re.split(r"\n\s*\n", output) if part.strip()]


def test_rejected_and_accepted_readings_keep_every_line_break_and_list_item():
    old, new = parse_draft(OLD), parse_draft(NEW)
    data = build_redline_docx(
        align_paragraphs(old, new), author="Secretariat", date=datetime(2026, 11, 23, tzinfo=UTC)
    )
    rejected, accepted = _read(data, "reject"), _read(data, "accept")
    assert rejected == _shown(old)
    assert accepted == _shown(new)
    assert "1. First line\nsecond line" in rejected and "\u2022 \u2022 1991" in accepted

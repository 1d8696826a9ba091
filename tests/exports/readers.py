"""How the file writers' tests read what they wrote: a .docx as pandoc reads it with every change
rejected or accepted, and its XML."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypandoc
from lxml import etree

from drafting.text.draft_format import Block
from drafting.text.inline import display_text

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def expected_paragraphs(blocks: list[Block]) -> list[str]:
    """What a reader sees of each block: label and text without Markdown markers, white space
    collapsed; blocks that show nothing are left out, as pandoc leaves out empty paragraphs."""
    texts = (
        f"{b.label} {display_text(b.text)}" if b.label else display_text(b.text) for b in blocks
    )
    return [text for text in (" ".join(t.split()) for t in texts) if text]


def _plain_paragraphs(output: str) -> list[str]:
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", output))
    return [paragraph for paragraph in paragraphs if paragraph]


def read_redline(data: bytes) -> tuple[list[str], list[str]]:
    """The paragraphs pandoc reads in a .docx with every change rejected and with every change
    accepted (two pandoc runs side by side).

    ``-s`` keeps the Title paragraph, which pandoc's docx reader turns into metadata.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "redline.docx"
        path.write_bytes(data)
        runs = [
            subprocess.Popen(
                [
                    pypandoc.get_pandoc_path(),
                    f"--track-changes={mode}",
                    "-s",
                    "-t",
                    "plain",
                    "--wrap=none",
                    str(path),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for mode in ("reject", "accept")
        ]
        outputs = []
        for run in runs:
            stdout, stderr = run.communicate(timeout=120)
            assert run.returncode == 0, stderr.decode()
            outputs.append(_plain_paragraphs(stdout.decode("utf-8")))
    return outputs[0], outputs[1]


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))

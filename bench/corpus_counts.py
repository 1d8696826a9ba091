"""What the comparison reports on the shared corpus: counts of entries by kind per version pair,
as ``drafting compare --format json`` gives them, with the moved entries and the moved headings,
and among those the spurious ones (a heading reported moved although the content it heads did
not move: most of that content's entries are in place).

Run before and after a change to the alignment to see what it did on texts nobody here wrote:

    .venv/bin/python bench/corpus_counts.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
DRAFTING = Path(sys.executable).parent / "drafting"
sys.path.insert(0, str(REPO))

from drafting.text.draft_format import Block, parse_draft  # noqa: E402

KINDS = ("unchanged", "changed", "added", "deleted", "split", "merged")


def corpus_pairs() -> list[tuple[str, Path, Path]]:
    """The Canadian Act's consecutive consolidations, the DMA and the Basic Law."""
    series = sorted((CORPUS / "canada-official-languages-act" / "series").glob("*.md"))
    pairs = [
        (f"canada {old.stem[:10]}", old, new) for old, new in zip(series, series[1:], strict=False)
    ]
    for name, folder in (("dma", "eu-digital-markets-act"), ("grundgesetz", "de-grundgesetz")):
        pairs.append((name, CORPUS / folder / "v1.md", CORPUS / folder / "v2.md"))
    return pairs


def compare_json(old: Path, new: Path) -> dict:
    output = subprocess.run(
        [str(DRAFTING), "compare", str(old), str(new), "--format", "json"],
        check=True,
        capture_output=True,
        cwd=REPO,
    ).stdout
    return json.loads(output)


def headed_span(blocks: list[Block], index: int) -> range:
    """The blocks a heading heads: those after it up to the next heading of its level or above."""
    level = blocks[index].level
    end = index + 1
    while end < len(blocks) and not (blocks[end].is_heading and blocks[end].level <= level):
        end += 1
    return range(index + 1, end)


def counts(old: Path, new: Path) -> dict[str, int]:
    result = compare_json(old, new)
    new_blocks = parse_draft(new.read_text("utf-8"))
    figures = dict.fromkeys(KINDS, 0)
    figures.update(moved=0, moved_headings=0, spurious=0)
    moved_at: dict[int, bool] = {}
    for entry in result["entries"]:
        figures[entry["kind"]] += 1
        figures["moved"] += entry["moved"]
        for index in entry["new"]:
            moved_at[index] = entry["moved"] and bool(entry["old"])
    for entry in result["entries"]:
        if not (entry["moved"] and len(entry["new"]) == 1):
            continue
        index = entry["new"][0]
        if not new_blocks[index].is_heading:
            continue
        figures["moved_headings"] += 1
        content = [i for i in headed_span(new_blocks, index) if not new_blocks[i].is_heading]
        in_place = sum(1 for i in content if not moved_at.get(i, False))
        if content and in_place * 2 > len(content):
            figures["spurious"] += 1
    return figures


def main() -> None:
    columns = (*KINDS, "moved", "moved_headings", "spurious")
    print(f"{'pair':<20}" + "".join(f"{name:>15}" for name in columns))
    for name, old, new in corpus_pairs():
        figures = counts(old, new)
        print(f"{name:<20}" + "".join(f"{figures[column]:>15}" for column in columns))


if __name__ == "__main__":
    main()

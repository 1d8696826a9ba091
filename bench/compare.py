"""How fast is a redline? Our comparison plus its HTML page against ``git diff --word-diff``.

Synthetic drafts of 100, 1,000 and 5,000 numbered paragraphs are edited the way negotiators edit
(a seeded mix of rewordings, deletions, insertions and moves, everything after renumbered), then
compared in-process and by git on the same files, best of several runs; the corpus pairs follow.
"ours" is alignment, word diffs and the HTML page from the versions' blocks, as the application
holds them; "+parse" also reads and parses both files, as the command line does. Peak memory of
the 5,000-paragraph comparison (from the files) is read from a fresh child process.

Then the goals of issue 14, each figure with its goal beside it (bench/compare_goals.py): the
`drafting compare` command as a whole process, our comparison against
``git diff --word-diff=porcelain`` with few edits and with every paragraph edited, its growth from
1,000 to 5,000 paragraphs, and the Word redline's time and peak memory at 5,000 changed
paragraphs. ``--goals`` prints only those.

    .venv/bin/python bench/compare.py [--goals]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from drafting.compare import align_paragraphs, compare_texts  # noqa: E402
from drafting.compare.html import render_comparison_page  # noqa: E402
from drafting.text.draft_format import Block, parse_draft  # noqa: E402

SIZES = (100, 1_000, 5_000)
REPEATS = {100: 20, 1_000: 15, 5_000: 7}
CORPUS_REPEATS = 5
EDITED, DELETED, INSERTED, MOVED = 0.12, 0.03, 0.03, 0.01
SECTION_EVERY = 25
SEED = 20_240_917


def synthetic_pair(paragraphs: int, seed: int = SEED, edited: float = EDITED) -> tuple[str, str]:
    """An old draft of ``paragraphs`` numbered paragraphs under section headings, and its edit;
    headings stay with their section, paragraphs are renumbered "1.", "2."... in each version.
    ``edited``: the share of paragraphs reworded (1.0: every one neither deleted nor moved)."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, 4_000)
    old: list[str] = []
    for number in range(paragraphs):
        if number % SECTION_EVERY == 0:
            old.append(
                f"## Section {number // SECTION_EVERY + 1}: {' '.join(rng.sample(vocabulary, 3))}"
            )
        old.append(_paragraph(rng, vocabulary))
    new: list[str] = []
    moving: list[str] = []
    for text in old:
        roll = rng.random()
        if text.startswith("#"):
            new.append(text)
        elif roll < DELETED:
            pass
        elif roll < DELETED + MOVED:
            moving.append(text)
        elif roll < DELETED + MOVED + edited:
            new.append(_edited(rng, text, vocabulary))
        else:
            new.append(text)
        if rng.random() < INSERTED:
            new.append(_paragraph(rng, vocabulary))
    for text in moving:
        new.insert(rng.randrange(len(new) + 1), text)
    return _draft("Old", old), _draft("New", new)


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(size)]


def _paragraph(rng: random.Random, vocabulary: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(1, 4)):
        # Zipf-like: a few words are everywhere, most are rare, as in real prose.
        words = [
            vocabulary[int(len(vocabulary) * rng.random() ** 3)] for _ in range(rng.randint(8, 28))
        ]
        sentences.append(" ".join(words).capitalize() + rng.choice([".", ";", ","]))
    return " ".join(sentences)


def _edited(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[at] = rng.choice(vocabulary)
        elif action < 0.7:
            words[at:at] = rng.choices(vocabulary, k=rng.randint(1, 4))
        elif len(words) > 4:
            del words[at : at + rng.randint(1, 3)]
    return " ".join(words)


def _draft(title: str, items: list[str]) -> str:
    blocks = [f"# {title} declaration"]
    number = 0
    for text in items:
        if text.startswith("#"):
            blocks.append(text)
        else:
            number += 1
            blocks.append(f"{number}. {text}")
    return "\n\n".join(blocks) + "\n"


def ours(old: list[Block], new: list[Block]) -> int:
    """What a comparison page costs once the versions' blocks are at hand (the application
    keeps them as paragraphs): alignment, word diffs and the HTML redline."""
    return len(render_comparison_page(align_paragraphs(old, new)))


def ours_from_files(old: Path, new: Path) -> int:
    """What ``drafting compare --format html`` does: read, parse, compare, render."""
    comparison = compare_texts(old.read_text("utf-8"), new.read_text("utf-8"))
    return len(render_comparison_page(comparison, title=f"{old.name} -> {new.name}"))


def git(old: Path, new: Path) -> int:
    done = subprocess.run(
        [
            "git",
            "diff",
            "--no-index",
            "--no-ext-diff",
            "--no-color",
            "--word-diff",
            str(old),
            str(new),
        ],
        stdout=subprocess.PIPE,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"git diff failed with status {done.returncode}")
    return len(done.stdout)


def best_of(repeats: int, runs: list[tuple[Callable[[Any, Any], int], Any, Any]]) -> list[float]:
    """Best time of each run, the runs taking turns so that a busy spell on the machine
    slows all of them rather than one."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for position, (run, old, new) in enumerate(runs):
            started = time.perf_counter()
            run(old, new)
            best[position] = min(best[position], time.perf_counter() - started)
    return best


def peak_memory_mb(old: Path, new: Path) -> float:
    """Peak resident memory of a fresh interpreter that imports the package and runs ``ours``."""
    subprocess.run([sys.executable, __file__, "--peak", str(old), str(new)], check=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def corpus_pairs() -> list[tuple[str, Path, Path]]:
    canada = CORPUS / "canada-official-languages-act"
    pairs = [
        ("canada v1->v2", canada / "v1.md", canada / "v2.md"),
        (
            "eu v1->v2",
            CORPUS / "eu-digital-markets-act" / "v1.md",
            CORPUS / "eu-digital-markets-act" / "v2.md",
        ),
        ("de v1->v2", CORPUS / "de-grundgesetz" / "v1.md", CORPUS / "de-grundgesetz" / "v2.md"),
    ]
    series = sorted((canada / "series").glob("*.md"))
    for old, new in zip(series, series[1:], strict=False):
        pairs.append((f"canada {old.name[:10]}->{new.name[:10]}", old, new))
    return pairs


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as folder:
        cases = []
        for size in SIZES:
            old_text, new_text = synthetic_pair(size)
            old, new = Path(folder, f"old-{size}.md"), Path(folder, f"new-{size}.md")
            old.write_text(old_text, "utf-8")
            new.write_text(new_text, "utf-8")
            cases.append((f"synthetic {size:,}", old, new, REPEATS[size]))
        peak = peak_memory_mb(cases[-1][1], cases[-1][2])
        if CORPUS.is_dir():
            cases += [(name, old, new, CORPUS_REPEATS) for name, old, new in corpus_pairs()]
        print(
            f"{'case':<32}{'blocks':>12}{'ours ms':>9}{'git ms':>8}{'ours/git':>9}"
            f"{'+parse ms':>11}{'ratio':>7}"
        )
        timings = {}
        for name, old, new, repeats in cases:
            old_blocks = parse_draft(old.read_text("utf-8"))
            new_blocks = parse_draft(new.read_text("utf-8"))
            ours_s, git_s, files_s = best_of(
                repeats,
                [(ours, old_blocks, new_blocks), (git, old, new), (ours_from_files, old, new)],
            )
            timings[name] = ours_s
            blocks = f"{len(old_blocks)}/{len(new_blocks)}"
            print(
                f"{name:<32}{blocks:>12}{ours_s * 1e3:>9.1f}{git_s * 1e3:>8.1f}"
                f"{ours_s / git_s:>9.2f}{files_s * 1e3:>11.1f}{files_s / git_s:>7.2f}"
            )
        growth = timings["synthetic 5,000"] / timings["synthetic 1,000"]
        print(f"\n5,000 / 1,000 paragraphs time: {growth:.2f}x (goal <= 6)")
        print(
            f"peak memory, 5,000-paragraph comparison in a fresh process: {peak:.1f} MB"
            " (goal < 150)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peak", nargs=2, type=Path, metavar=("OLD", "NEW"))
    parser.add_argument("--goals", action="store_true", help="Only the goals of issue 14.")
    arguments = parser.parse_args()
    if arguments.peak:
        ours_from_files(*arguments.peak)
    else:
        if not arguments.goals:
            main()
            print()
        from compare_goals import goals  # noqa: E402  (beside this file, on sys.path)

        goals()

"""The comparison's goals of issue 14, each figure with its goal beside it (run by
bench/compare.py, which documents the synthetic drafts).

- ``drafting compare`` as a whole process (the entry point pyproject.toml names, run in a fresh
  interpreter) on a 1,000-paragraph pair, JSON and HTML: at most 0.4 s.
- The comparison's work (alignment and word diffs, from the versions' blocks; "+html" adds the
  page) against ``git diff --no-index --word-diff=porcelain`` on the same files, at 1,000 and
  5,000 paragraphs, with a few paragraphs edited and with every one edited: at most 1.0x; and its
  growth from 1,000 to 5,000 paragraphs: at most 6x.
- Not a goal, what would change the answer: the floor, the least pure Python can do for every
  paragraph edited (each changed pair, found beforehand: both texts tokenised with the word
  diff's regex, the tokens coded, one C diff call; no alignment), against git in the same run,
  beside the tokenising alone and our word diffs (diff_words, common ends trimmed) of the same
  pairs.
- The Word redline of 5,000 changed paragraphs against the HTML comparison, both from the two
  texts: at most 3x the time; the peak memory of ``drafting compare --format docx`` on them, a
  fresh process reading its own high-water mark (Linux): under 200 MB.

Each figure is the best of several runs. In-process ratios are judged on processor time (this
process's and git's), which a machine shared with other work disturbs far less than wall time;
the wall-time ratio is printed beside. The command's goal is wall time, its processor time beside.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fast_diff_match_patch
from compare import REPO, synthetic_pair

from drafting.compare import align_paragraphs, compare_texts
from drafting.compare.html import render_comparison_page
from drafting.compare.words import _TOKEN, diff_words
from drafting.exports.redline import build_redline_docx
from drafting.text.draft_format import Block, parse_draft

COMMAND_REPEATS = 7
REPEATS = {(1_000, "few"): 15, (5_000, "few"): 5, (1_000, "all"): 7, (5_000, "all"): 3}
EDITS = {"few": None, "all": 1.0}
WORD_REPEATS = 3


def goals() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-compare-goals-") as folder:
        files = {}
        for size in (1_000, 5_000):
            for edits, share in EDITS.items():
                old_text, new_text = (
                    synthetic_pair(size) if share is None else synthetic_pair(size, edited=share)
                )
                old, new = (
                    Path(folder, f"old-{size}-{edits}.md"),
                    Path(folder, f"new-{size}-{edits}.md"),
                )
                old.write_text(old_text, "utf-8")
                new.write_text(new_text, "utf-8")
                files[size, edits] = (old, new)
        entry = _entry_point()
        print(f"issue 14: the compare command (entry point {entry}), best of several runs")
        _command(entry, *files[1_000, "few"], Path(folder))
        work = _against_git(files)
        _floor(files)
        for edits in EDITS:
            growth = work[5_000, edits] / work[1_000, edits]
            _line(f"growth 1,000 -> 5,000 paragraphs, {edits} edited", f"{growth:.2f}x", "<= 6x")
        _word_redline(entry, *files[5_000, "all"], Path(folder))


def _entry_point() -> str:
    """The `drafting` script's "module:function", as pyproject.toml declares it."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return project["project"]["scripts"]["drafting"]


def _run_command(entry: str, arguments: list[str], folder: Path) -> float:
    """Run the `drafting` script in a fresh interpreter; its peak resident memory in MB.

    The child reads its own high-water mark (VmHWM) at exit: the rusage of a forked child
    would count the parent's memory that it shared before exec."""
    module, function = entry.split(":")
    peak_file = folder / "peak"
    code = (
        f"import sys\nfrom {module} import {function} as entry\n"
        "try:\n    entry()\nfinally:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        f"    open({str(peak_file)!r}, 'w').write(hwm[0].split()[1])\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        env=environment,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"drafting {' '.join(arguments)} failed: {done.returncode}")
    return int(peak_file.read_text()) / 1024


def _command(entry: str, old: Path, new: Path, folder: Path) -> None:
    """Best wall time of several runs, and the processor time (user and system) of that run:
    on a machine shared with other work, the second says what the first would be alone."""
    for output_format in ("json", "html"):
        best = (float("inf"), 0.0)
        for _ in range(COMMAND_REPEATS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            _run_command(
                entry,
                [
                    "compare",
                    str(old),
                    str(new),
                    "--format",
                    output_format,
                    "-o",
                    str(folder / "out"),
                ],
                folder,
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best = min(best, (wall, cpu))
        _line(
            f"drafting compare --format {output_format}, 1,000 paragraphs",
            f"{best[0]:.2f} s",
            "<= 0.4 s",
            f"processor time {best[1]:.2f} s",
        )


def _best_of(repeats: int, runs: list[tuple[Callable, Any, Any]]) -> list[tuple[float, float]]:
    """Best wall time and best processor time (this process's and its children's, user and
    system) of each run, the runs taking turns. On a machine shared with other work the
    processor time is the steadier figure: the goals are judged on it, wall time beside."""
    best = [(float("inf"), float("inf"))] * len(runs)
    for _ in range(repeats):
        for position, (run, old, new) in enumerate(runs):
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu, wall = time.process_time(), time.perf_counter()
            run(old, new)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += after.ru_utime - children.ru_utime + after.ru_stime - children.ru_stime
            best[position] = (min(best[position][0], wall), min(best[position][1], cpu))
    return best


def _comparison(old: list[Block], new: list[Block]) -> int:
    """The comparison's work: alignment and word diffs."""
    return len(align_paragraphs(old, new).entries)


def _with_page(old: list[Block], new: list[Block]) -> int:
    return len(render_comparison_page(align_paragraphs(old, new)))


def _git(old: Path, new: Path) -> int:
    done = subprocess.run(
        [
            "git",
            "diff",
            "--no-index",
            "--no-ext-diff",
            "--no-color",
            "--word-diff=porcelain",
            str(old),
            str(new),
        ],
        stdout=subprocess.PIPE,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"git diff failed with status {done.returncode}")
    return len(done.stdout)


def _against_git(files: dict) -> dict:
    work = {}
    for (size, edits), (old, new) in files.items():
        old_blocks = parse_draft(old.read_text("utf-8"))
        new_blocks = parse_draft(new.read_text("utf-8"))
        ours, page, git = _best_of(
            REPEATS[size, edits],
            [
                (_comparison, old_blocks, new_blocks),
                (_with_page, old_blocks, new_blocks),
                (_git, old, new),
            ],
        )
        work[size, edits] = ours[1]
        _line(
            f"ours/git, {size:,} paragraphs, {edits} edited",
            f"{ours[1] / git[1]:.2f}x",
            "<= 1.0x",
            f"ours {ours[1] * 1e3:.0f} ms, git {git[1] * 1e3:.0f} ms;"
            f" +html {page[1] / git[1]:.2f}x;"
            f" wall {ours[0] / git[0]:.2f}x",
        )
    return work


# Token codes for the floor's pairs (a synthetic paragraph has a few hundred tokens at most).
_FLOOR_CODES = tuple(map(chr, range(0x100, 0x100 + 4096)))


def _floor(files: dict) -> None:
    """The floor with every paragraph edited, as a ratio to git (see the module's docstring)."""
    for size in (1_000, 5_000):
        old, new = files[size, "all"]
        old_blocks = parse_draft(old.read_text("utf-8"))
        new_blocks = parse_draft(new.read_text("utf-8"))
        pairs = [
            (old_blocks[entry.old[0]].text, new_blocks[entry.new[0]].text)
            for entry in align_paragraphs(old_blocks, new_blocks).entries
            if entry.kind == "changed" and len(entry.old) == len(entry.new) == 1
        ]
        floor, tokens, words, git = _best_of(
            REPEATS[size, "all"],
            [
                (_tokenise_and_diff, pairs, None),
                (_tokenise, pairs, None),
                (_word_diffs, pairs, None),
                (_git, old, new),
            ],
        )
        _line(
            f"floor: tokenise + C diff per paragraph, {size:,}",
            f"{floor[1] / git[1]:.2f}x",
            "none",
            f"{len(pairs):,} pairs; tokenising alone {tokens[1] / git[1]:.2f}x;"
            f" diff_words {words[1] / git[1]:.2f}x git",
        )


def _tokenise_and_diff(pairs: list[tuple[str, str]], _: None) -> int:
    findall, diff, codes = _TOKEN.findall, fast_diff_match_patch.diff, _FLOOR_CODES
    operations = 0
    for old, new in pairs:
        old_tokens, new_tokens = findall(old), findall(new)
        encode = dict(zip(old_tokens + new_tokens, codes, strict=False)).__getitem__
        old_codes, new_codes = "".join(map(encode, old_tokens)), "".join(map(encode, new_tokens))
        operations += len(diff(old_codes, new_codes, 0, False, "No", False))
    return operations


def _tokenise(pairs: list[tuple[str, str]], _: None) -> int:
    findall = _TOKEN.findall
    return sum(len(findall(old)) + len(findall(new)) for old, new in pairs)


def _word_diffs(pairs: list[tuple[str, str]], _: None) -> int:
    return sum(len(diff_words(old, new)) for old, new in pairs)


def _word_redline(entry: str, old: Path, new: Path, folder: Path) -> None:
    old_text, new_text = old.read_text("utf-8"), new.read_text("utf-8")
    when = datetime(2026, 1, 1, tzinfo=UTC)

    def html(old: str, new: str) -> int:
        return len(render_comparison_page(compare_texts(old, new)))

    def word(old: str, new: str) -> int:
        return len(build_redline_docx(compare_texts(old, new), author="Bench", date=when))

    (html_wall, html_s), (word_wall, word_s) = _best_of(
        WORD_REPEATS, [(html, old_text, new_text), (word, old_text, new_text)]
    )
    _line(
        "Word redline / HTML comparison, 5,000 changed",
        f"{word_s / html_s:.2f}x",
        "<= 3x",
        f"Word {word_s:.2f} s, HTML {html_s:.2f} s; wall {word_wall / html_wall:.2f}x",
    )
    peaks = {}
    for output_format in ("docx", "html"):
        peaks[output_format] = _run_command(
            entry,
            ["compare", str(old), str(new), "--format", output_format, "-o", str(folder / "out")],
            folder,
        )
    _line(
        "peak memory, drafting compare --format docx, 5,000",
        f"{peaks['docx']:.0f} MB",
        "< 200 MB",
        f"html: {peaks['html']:.0f} MB",
    )


def _line(what: str, figure: str, goal: str, note: str = "") -> None:
    print(f"  {what:<52}{figure:>9}  goal {goal:<9}{note}")

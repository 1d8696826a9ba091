"""Redline HTML: a diff as inline ``<ins>``/``<del>`` for page templates, and a standalone page
for the ``compare`` command. Draft text is escaped everywhere; none of it reaches the output as
markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from markupsafe import Markup

from drafting.compare.collector import pause_cyclic_gc, resume_cyclic_gc
from drafting.compare.headings import heading_parts
from drafting.compare.model import Comparison, DiffOp, Entry
from drafting.compare.words import join_texts
from drafting.text.draft_format import Block

_OPEN = {-1: '<del class="redline-del">', 0: "", 1: '<ins class="redline-ins">'}
_CLOSE = {-1: "</del>", 0: "", 1: "</ins>"}

_PAGE_STYLE = """
body { font: 16px/1.5 Georgia, "Times New Roman", serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; }
header p { font-family: system-ui, sans-serif; font-size: .875rem; color: #444; }
.entry { margin: .75rem 0; padding: .25rem .5rem; border-left: 4px solid transparent; }
.entry p { margin: 0; }
.entry-changed, .entry-split, .entry-merged { border-left-color: #b58900; }
.entry-added { border-left-color: #2e7d32; }
.entry-deleted { border-left-color: #c62828; }
.entry-moved { border-left-style: double; border-left-color: #1565c0; }
.label { font-weight: bold; margin-right: .4em; }
.was { font-family: system-ui, sans-serif; font-size: .75rem; color: #666; margin-right: .4em; }
.badge { font-family: system-ui, sans-serif; font-size: .7rem; text-transform: uppercase;
         letter-spacing: .04em; padding: 0 .4em; border-radius: 3px; margin-right: .3em;
         color: #fff; vertical-align: middle; }
.badge-changed, .badge-split, .badge-merged { background: #8a6d00; }
.badge-added { background: #2e7d32; }
.badge-deleted { background: #c62828; }
.badge-moved { background: #1565c0; }
ins.redline-ins { color: #1b5e20; background: #e8f5e9; text-decoration: underline; }
del.redline-del { color: #b71c1c; background: #ffebee; text-decoration: line-through; }
table { border-collapse: collapse; font-family: system-ui, sans-serif; font-size: .875rem; }
th, td { border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; }
"""


def label_range(labels: Iterable[str | None]) -> str:
    """The numbers of the paragraphs of one side of an entry, shown once: "PP2." for one,
    "PP2.–PP3." for a merged or split run (the first and the last), "" when none is numbered."""
    numbered = [label for label in labels if label]
    if len(numbered) > 1:
        return f"{numbered[0]}\u2013{numbered[-1]}"
    return numbered[0] if numbered else ""


def diff_to_html(diff: Iterable[DiffOp]) -> Markup:
    """Inline redline of word operations: kept text as is, deletions and insertions marked."""
    # Every piece of draft text is escaped by _redline before it is joined with our own tags.
    return Markup(_redline(diff))  # noqa: S704


def render_comparison_page(comparison: Comparison, title: str = "Comparison") -> str:
    """A self-contained HTML document (inline style, no scripts) showing the whole redline in
    reading order of the new version, followed by the table of old to new paragraph numbers."""
    was_enabled = pause_cyclic_gc()
    try:
        figures = comparison.summary()
        summary = ", ".join(f"{count} {kind}" for kind, count in figures.items() if count)
        head = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{escape(title)}</h1>\n<p>{len(comparison.old_blocks)} blocks before, "
            f"{len(comparison.new_blocks)} after: {summary or 'no blocks'}.</p></header>\n"
            "<main>\n"
        )
        # One join of the whole page: each text is copied once, straight into the page.
        return "".join(_Page(comparison).parts(head))
    finally:
        resume_cyclic_gc(was_enabled)


def _redline(diff: Iterable[DiffOp]) -> str:
    diff = list(diff)
    texts = "".join([text for _, text in diff])
    if "&" in texts or "<" in texts or ">" in texts:
        return "".join(f"{_OPEN[op]}{escape(text, quote=False)}{_CLOSE[op]}" for op, text in diff)
    # Nothing to escape (as in most paragraphs): the texts as they are.
    return "".join([f"{_OPEN[op]}{text}{_CLOSE[op]}" for op, text in diff])


# What html.escape replaces, in its order ("&" first, so that no entity is escaped twice).
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


# Texts escaped together: some hundred kilobytes, so that the joined stretch is still in the
# processor's cache when it is searched five times (a long draft's texts are megabytes).
_ESCAPE_STRETCH = 256


def _escape_all(texts: list[str]) -> list[str]:
    """``escape`` of each text, for many texts at once, which on a long draft costs far less
    than a call per text. The texts are joined by NUL (refused in drafts) a stretch at a time;
    a character found nowhere in a stretch is not replaced there, and a stretch without any of
    them is used as it is (looking for a character is a fast scan, replacing it a slow one).
    If a text held a NUL, the pieces would not match the texts: each is escaped on its own.

    Returns ``texts`` itself when there is nothing to escape."""
    escaped: list[str] | None = None
    for start in range(0, len(texts), _ESCAPE_STRETCH):
        stretch = texts[start : start + _ESCAPE_STRETCH]
        joined = "\x00".join(stretch)
        present = [(mark, entity) for mark, entity in _ESCAPES if mark in joined]
        if not present:
            if escaped is not None:
                escaped += stretch
            continue
        if escaped is None:
            escaped = texts[:start]
        for mark, entity in present:
            joined = joined.replace(mark, entity)
        pieces = joined.split("\x00")
        if len(pieces) != len(stretch):
            pieces = [escape(text) for text in stretch]
        escaped += pieces
    return texts if escaped is None else escaped


# Pieces of the page's most frequent elements: an unchanged paragraph, a table row.
_UNCHANGED = '<div class="entry entry-unchanged"><p>'
_UNCHANGED_LABEL = '<div class="entry entry-unchanged"><p><span class="label">'
_LABEL_END = "</span>"
_WAS = '</span><span class="was">(was '
_WAS_END = ")</span>"
_UNCHANGED_END = "</p></div>\n"
_CHANGED = '<div class="entry entry-changed"><p><span class="badge badge-changed">changed</span>'
_LABEL = '<span class="label">'
_WAS_ALONE = '<span class="was">(was '
_ENTRY_END = "</p></div>\n"
_ADDED = '<div class="entry entry-added"><p><span class="badge badge-added">added</span>'
_DELETED = '<div class="entry entry-deleted"><p><span class="badge badge-deleted">deleted</span>'
_DELETED_LABEL = '<del class="redline-del label">'
_ROW_END = "</td></tr>\n"
_ROW_END_MOVED = ", moved</td></tr>\n"
_TABLE = (
    '<section class="concordance"><h2>Old and new paragraph numbers</h2>\n'
    "<table><thead><tr><th>Old</th><th>New</th><th>What happened</th></tr></thead>\n"
    "<tbody>\n"
)


class _Page:
    """The blocks of both versions with their texts and labels escaped once for the page."""

    def __init__(self, comparison: Comparison) -> None:
        self.old = comparison.old_blocks
        self.new = comparison.new_blocks
        self.entries = comparison.entries
        # The blocks' fields, read in a few quick passes: a long draft's blocks do not stay in
        # the processor's caches, so the page does not go back to them entry by entry.
        self.old_numbers = [block.label for block in self.old]
        self.new_numbers = [block.label for block in self.new]
        self.new_kinds = [block.kind for block in self.new]
        self.new_raw_texts = [block.text for block in self.new]
        self.new_texts = _escape_all(self.new_raw_texts)
        self.old_labels = _escape_all([label or "" for label in self.old_numbers])
        self.new_labels = _escape_all([label or "" for label in self.new_numbers])

    def parts(self, head: str) -> list[str]:
        """The page from ``head`` on, in pieces: an element per entry, then the concordance
        table. One pass over the entries gives both; the table has a row per old/new block
        pair of each entry, leaving out pairs where neither block is numbered, as
        ``concordance`` lists them."""
        old_numbers, new_numbers, new_kinds = self.old_numbers, self.new_numbers, self.new_kinds
        new_texts, old_labels, new_labels = self.new_texts, self.old_labels, self.new_labels
        parts = [head]
        rows: list[str] = []
        add, add_row = parts.extend, rows.extend
        for entry in self.entries:
            olds, news, kind, moved, diff, _ = entry
            if len(olds) == 1 and len(news) == 1:
                old_index, new_index = olds[0], news[0]
                new_label = new_numbers[new_index]
                old_label = old_numbers[old_index]
                if kind == "changed" and not moved and diff and new_kinds[new_index] == "paragraph":
                    # An edited paragraph, the next most frequent element.
                    add((_CHANGED,))
                    if new_label:
                        shown = new_labels[new_index]
                        if not old_label:
                            add((_LABEL, shown, _WAS, "unnumbered", _WAS_END))
                        elif old_labels[old_index] != shown:
                            add((_LABEL, shown, _WAS, old_labels[old_index], _WAS_END))
                        else:
                            add((_LABEL, shown, _LABEL_END))
                    elif old_label:
                        add((_WAS_ALONE, old_labels[old_index], _WAS_END))
                    add((_redline(diff), _ENTRY_END))
                elif kind != "unchanged" or moved:
                    add((self.entry_html(entry), "\n"))
                elif new_kinds[new_index] != "paragraph":
                    add((self._unchanged_html(old_index, new_index), "\n"))
                elif not new_label:
                    add((_UNCHANGED, new_texts[new_index], _UNCHANGED_END))
                elif old_labels[old_index] != new_labels[new_index]:
                    # Most of a redline is text that stayed where it was, renumbered or not.
                    add(
                        (
                            _UNCHANGED_LABEL,
                            new_labels[new_index],
                            _WAS,
                            old_labels[old_index] or "unnumbered",
                            _WAS_END,
                            new_texts[new_index],
                            _UNCHANGED_END,
                        )
                    )
                else:
                    add(
                        (
                            _UNCHANGED_LABEL,
                            new_labels[new_index],
                            _LABEL_END,
                            new_texts[new_index],
                            _UNCHANGED_END,
                        )
                    )
                if old_label is not None or new_label is not None:
                    add_row(
                        (
                            "<tr><td>",
                            old_labels[old_index] or "—",
                            "</td><td>",
                            new_labels[new_index] or "—",
                            "</td><td>",
                            kind,
                            _ROW_END_MOVED if moved else _ROW_END,
                        )
                    )
                continue
            if not olds and len(news) == 1 and not moved and new_kinds[news[0]] == "paragraph":
                # An added paragraph, and its row.
                new_index = news[0]
                if new_numbers[new_index]:
                    add((_ADDED, _LABEL, new_labels[new_index], _LABEL_END))
                else:
                    add((_ADDED,))
                add((_redline(((1, self.new_raw_texts[new_index]),)), _ENTRY_END))
                if new_numbers[new_index] is not None:
                    shown = new_labels[new_index] or "—"
                    add_row(("<tr><td>—</td><td>", shown, "</td><td>added", _ROW_END))
                continue
            if not news and len(olds) == 1 and not moved and self.old[olds[0]].kind == "paragraph":
                # A deleted paragraph, and its row.
                old_index = olds[0]
                if old_numbers[old_index]:
                    add((_DELETED, _DELETED_LABEL, old_labels[old_index], "</del>"))
                else:
                    add((_DELETED,))
                add((_redline(((-1, self.old[old_index].text),)), _ENTRY_END))
                if old_numbers[old_index] is not None:
                    shown = old_labels[old_index] or "—"
                    add_row(("<tr><td>", shown, "</td><td>—</td><td>deleted", _ROW_END))
                continue
            add((self.entry_html(entry), "\n"))
            olds_shown = [(old_numbers[index], old_labels[index]) for index in olds] or [(None, "")]
            news_shown = [(new_numbers[index], new_labels[index]) for index in news] or [(None, "")]
            for old_label, old_shown in olds_shown:
                for new_label, new_shown in news_shown:
                    if old_label is not None or new_label is not None:
                        add_row(
                            (
                                "<tr><td>",
                                old_shown or "—",
                                "</td><td>",
                                new_shown or "—",
                                "</td><td>",
                                kind,
                                _ROW_END_MOVED if moved else _ROW_END,
                            )
                        )
        if not self.entries:
            parts.append("\n")
        parts.append("</main>\n")
        if rows:
            parts.append(_TABLE)
            parts += rows
            parts.append("</tbody></table></section>")
        parts.append("\n</body>\n</html>\n")
        return parts

    def entry_html(self, entry: Entry) -> str:
        if entry.kind == "unchanged" and not entry.moved:
            return self._unchanged_html(entry.old[0], entry.new[0])
        classes = f"entry entry-{entry.kind}" + (" entry-moved" if entry.moved else "")
        content = f"{_badges(entry)}{self._labels(entry)}{self._text_html(entry)}"
        first = self.new[entry.new[0]] if entry.new else self.old[entry.old[0]]
        return _wrap(first, classes, content)

    def _unchanged_html(self, old: int, new: int) -> str:
        block, content = self.new[new], self.new_texts[new]
        if block.kind == "heading" and self.old[old].text != block.text:
            # Only its number changed ("Article 9", was "Article 8"): said, not marked.
            was = heading_parts(self.old[old].text)[0]
            if was is not None:
                content = f'{content}<span class="was">(was {escape(was)})</span>'
        elif block.label:
            was = ""
            if self.old[old].label != block.label:
                was = f'<span class="was">(was {self.old_labels[old] or "unnumbered"})</span>'
            content = f'<span class="label">{self.new_labels[new]}</span>{was}{content}'
        return _wrap(block, "entry entry-unchanged", content)

    def _labels(self, entry: Entry) -> str:
        new_labels = [self.new_labels[index] for index in entry.new if self.new[index].label]
        old_labels = [self.old_labels[index] for index in entry.old if self.old[index].label]
        if not entry.new:
            if not old_labels:
                return ""
            return f'<del class="redline-del label">{label_range(old_labels)}</del>'
        shown = f'<span class="label">{label_range(new_labels)}</span>' if new_labels else ""
        if entry.old and old_labels != new_labels:
            was = ", ".join(old_labels) or "unnumbered"
            shown += f'<span class="was">(was {was})</span>'
        return shown

    def _text_html(self, entry: Entry) -> str:
        if entry.kind == "added":
            return _redline([(1, join_texts([self.new[index].text for index in entry.new]))])
        if entry.kind == "deleted":
            return _redline([(-1, join_texts([self.old[index].text for index in entry.old]))])
        if entry.diff:
            return _redline(entry.diff)
        return " ".join(self.new_texts[index] for index in entry.new)


def _wrap(block: Block, classes: str, content: str) -> str:
    if block.kind == "paragraph":
        return f'<div class="{classes}"><p>{content}</p></div>'
    level = min(block.level + 1, 6)
    return f'<div class="{classes}"><h{level}>{content}</h{level}></div>'


def _badges(entry: Entry) -> str:
    if entry.kind == "unchanged":
        badges = ""
    elif entry.kind == "split":
        badges = f'<span class="badge badge-split">split into {len(entry.new)}</span>'
    elif entry.kind == "merged":
        badges = f'<span class="badge badge-merged">merged from {len(entry.old)}</span>'
    else:
        badges = f'<span class="badge badge-{entry.kind}">{entry.kind}</span>'
    if entry.moved:
        badges += '<span class="badge badge-moved">moved</span>'
    return badges

"""What the redline says, before any XML: the comparison read as Word paragraphs of kept, inserted,
deleted and moved runs, each with the emphasis of its source. A changed paragraph's word diff
is mapped back onto its labelled Markdown source (SourceMap), so that bold and italic survive
the tracked changes; a split or merge is regrouped paragraph by paragraph."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from drafting.compare.model import Comparison, DiffOp, Entry
from drafting.compare.words import diff_words, tokenize
from drafting.exports.word import heading_style
from drafting.text.draft_format import Block
from drafting.text.inline import Piece, join_pieces, read_inline

# What happens to a run or a paragraph mark: the revision it is written as.
KEPT, INSERTED, DELETED = 0, 1, -1
MOVED_TO, MOVED_FROM = 2, -2


@dataclass(slots=True)
class RedlineParagraph:
    """One Word paragraph of the redline: styled runs, each kept, inserted or deleted.

    ``mark`` is the fate of the paragraph mark: an inserted mark disappears on reject (the
    paragraph joins the next one), a deleted one on accept. A moved group of paragraphs is one
    named range at its old place and one at its new place; ``move`` names it, and the range opens
    in the group's first paragraph and closes in its last.
    """

    style: str | None
    runs: list[tuple[int, Piece]] = field(default_factory=list)
    mark: int = KEPT
    restyled: bool = False
    old_style: str | None = None
    move: str | None = None
    opens_move: bool = False
    closes_move: bool = False

    def add(self, op: int, pieces: Sequence[Piece]) -> None:
        for piece in pieces:
            if not piece.text:
                continue
            if self.runs and self.runs[-1][0] == op and _same_emphasis(self.runs[-1][1], piece):
                self.runs[-1] = (op, Piece(self.runs[-1][1].text + piece.text, *piece.style))
            else:
                self.runs.append((op, piece))


def _same_emphasis(first: Piece, second: Piece) -> bool:
    return first.style == second.style


def redline_paragraphs(comparison: Comparison) -> Iterator[RedlineParagraph]:
    """The paragraphs in reading order; a moved group stands at its old place as moved (or
    deleted) text and at its new place as moved (or inserted) text."""
    old_blocks, new_blocks = comparison.old_blocks, comparison.new_blocks
    moved_after: dict[int, list[tuple[int, Entry]]] = defaultdict(list)
    for number, entry in enumerate(comparison.entries):
        if entry.moved and entry.old and entry.new:
            moved_after[min(entry.old) - 1].append((number, entry))

    def moved_away(after: int) -> Iterator[RedlineParagraph]:
        pending = [after]
        while pending:
            for number, entry in moved_after.pop(pending.pop(), []):
                yield from _moved(number, entry, [old_blocks[i] for i in entry.old], MOVED_FROM)
                pending.append(max(entry.old))

    yield from moved_away(-1)
    for number, entry in enumerate(comparison.entries):
        news = [new_blocks[index] for index in entry.new]
        if entry.moved and entry.old and entry.new:
            yield from _moved(number, entry, news, MOVED_TO)
            continue
        olds = [old_blocks[index] for index in entry.old]
        if len(olds) == 1 and len(news) == 1:
            yield _changed(olds[0], news[0], entry.diff)
        else:
            yield from _regrouped(olds, news)
        for index in sorted(entry.old):
            yield from moved_away(index)
    for entries in list(moved_after.values()):
        for number, entry in entries:
            yield from _moved(number, entry, [old_blocks[i] for i in entry.old], MOVED_FROM)


def _moved(number: int, entry: Entry, blocks: list[Block], op: int) -> list[RedlineParagraph]:
    """One side of a moved entry. Word's move marks are used when the text travelled unchanged
    (a new number label is fine: both places show their own); a moved and reworded text is
    deleted and inserted instead, so that its word changes are not hidden inside a move."""
    if entry.kind != "unchanged":
        return [_whole(block, DELETED if op == MOVED_FROM else INSERTED) for block in blocks]
    paragraphs = [_whole(block, op) for block in blocks]
    for paragraph in paragraphs:
        paragraph.move = f"move{number + 1}"
    paragraphs[0].opens_move = paragraphs[-1].closes_move = True
    return paragraphs


def _regrouped(olds: Sequence[Block], news: Sequence[Block]) -> Iterator[RedlineParagraph]:
    """A split or merge, or a run of added or deleted blocks: each old block is paired with the
    new block that shares most of its words and shown as changed; the rest are deleted or
    inserted whole.

    Only whole paragraphs have their paragraph mark tracked, so rejecting or accepting never
    joins two paragraphs that both keep text, which Word and other readers would join
    differently.
    """
    pairs = _pair_blocks(olds, news)
    old_at = new_at = 0
    for old_index, new_index in [*pairs, (len(olds), len(news))]:
        for block in olds[old_at:old_index]:
            yield _whole(block, DELETED)
        for block in news[new_at:new_index]:
            yield _whole(block, INSERTED)
        if old_index < len(olds):
            yield _changed(olds[old_index], news[new_index], ())
        old_at, new_at = old_index + 1, new_index + 1


def _pair_blocks(olds: Sequence[Block], news: Sequence[Block]) -> list[tuple[int, int]]:
    """The order-keeping pairing of old and new blocks that shares the most words."""
    if not olds or not news:
        return []
    old_words = [Counter(tokenize(block.text)) for block in olds]
    new_words = [Counter(tokenize(block.text)) for block in news]
    best = [[0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for i in range(len(olds) - 1, -1, -1):
        for j in range(len(news) - 1, -1, -1):
            shared = sum((old_words[i] & new_words[j]).values())
            paired = best[i + 1][j + 1] + shared if shared else -1
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs = []
    i = j = 0
    while i < len(olds) and j < len(news):
        shared = sum((old_words[i] & new_words[j]).values())
        if shared and best[i][j] == best[i + 1][j + 1] + shared:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _whole(block: Block, op: int) -> RedlineParagraph:
    paragraph = RedlineParagraph(style=heading_style(block), mark=op)
    source = SourceMap(block)
    paragraph.add(op, source.pieces(0, source.size))
    return paragraph


def _changed(old: Block, new: Block, diff: Sequence[DiffOp]) -> RedlineParagraph:
    """One paragraph in both versions: a changed label is replaced whole, the text follows the
    comparison's word diff (recomputed when it does not spell the two texts).

    A kept stretch that reads differently in the two versions (emphasis changed around it) is
    shown deleted and inserted, so that rejecting and accepting both stay exact.
    """
    if old.text == new.text:
        diff = ((KEPT, old.text),) if old.text else ()
    elif not _diff_fits(diff, old.text, new.text):
        diff = diff_words(old.text, new.text)
    old_map, new_map = SourceMap(old), SourceMap(new)
    old_style, new_style = heading_style(old), heading_style(new)
    paragraph = RedlineParagraph(
        style=new_style, restyled=old_style != new_style, old_style=old_style
    )
    old_label, new_label = old_map.label_pieces(), new_map.label_pieces()
    if old_label == new_label:
        paragraph.add(KEPT, new_label)
    elif old.label is not None and new.label is not None:
        paragraph.add(DELETED, old_label[:-1])
        paragraph.add(INSERTED, new_label[:-1])
        paragraph.add(KEPT, new_label[-1:])
    else:
        paragraph.add(DELETED, old_label)
        paragraph.add(INSERTED, new_label)

    if old_map.plain and new_map.plain:
        # Neither text has markup: each operation shows its own text, which is what the walk
        # below would slice from the two maps, only without the slicing.
        for op, text in diff:
            paragraph.add(op, (Piece(text),))
        return paragraph
    old_at, new_at = old_map.text_start, new_map.text_start
    for op, text in diff:
        size = len(text)
        if op == DELETED:
            paragraph.add(DELETED, old_map.pieces(old_at, old_at + size))
        elif op == INSERTED:
            paragraph.add(INSERTED, new_map.pieces(new_at, new_at + size))
        else:
            before = old_map.pieces(old_at, old_at + size)
            after = new_map.pieces(new_at, new_at + size)
            if join_pieces(before) == join_pieces(after):
                paragraph.add(KEPT, after)
            else:
                paragraph.add(DELETED, before)
                paragraph.add(INSERTED, after)
        if op != INSERTED:
            old_at += size
        if op != DELETED:
            new_at += size
    return paragraph


def _diff_fits(diff: Sequence[DiffOp], old: str, new: str) -> bool:
    old_side = "".join(text for op, text in diff if op != INSERTED)
    new_side = "".join(text for op, text in diff if op != DELETED)
    return old_side == old and new_side == new


class SourceMap:
    """Maps a range of a block's labelled Markdown source (``"7. "`` and the text) to the
    styled text it shows."""

    def __init__(self, block: Block) -> None:
        self._spans: list[tuple[int, int, str, bool, bool, bool, bool]] = []
        self.text_start = 0
        if block.label is not None:
            self.text_start = len(block.label) + 1
            label = (0, len(block.label), block.label, block.label_bold, False, False, True)
            self._spans.append(label)
            self._spans.append((len(block.label), self.text_start, " ", False, False, False, True))
        offset = self.text_start
        spans = read_inline(block.text)
        # Plain text: the text shows as written, unstyled (a changed paragraph's fast path).
        self.plain = not spans or (
            len(spans) == 1
            and spans[0].text == block.text
            and not spans[0].bold
            and not spans[0].italic
        )
        for span in spans:
            self._spans.append(
                (
                    offset + span.start,
                    offset + span.end,
                    span.text,
                    span.bold,
                    span.italic,
                    span.superscript,
                    span.is_verbatim,
                )
            )
        self._starts = [span[0] for span in self._spans]
        self.size = offset + len(block.text)

    def label_pieces(self) -> list[Piece]:
        """The label and the space after it, as two pieces; none for an unnumbered block."""
        return self.pieces(0, self.text_start)

    def pieces(self, start: int, end: int) -> list[Piece]:
        found: list[Piece] = []
        index = max(bisect_right(self._starts, start) - 1, 0)
        for span_start, span_end, text, bold, italic, superscript, verbatim in itertools.islice(
            self._spans, index, None
        ):
            if span_start >= end:
                break
            if verbatim:
                text = text[max(start, span_start) - span_start : min(end, span_end) - span_start]
            elif span_start < start:
                # Markup belongs to the segment where it starts, so no character shows twice.
                text = ""
            if text:
                found.append(Piece(text, bold, italic, superscript))
        return found

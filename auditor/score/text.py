"""One tokenisation pass over a document's prose, shared by every rule.

Words, sentences, and which of them are the author's own voice (not in a block quote and not
inside quotation marks) are computed once here; rules only read this context.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add, and_, itemgetter, le
from typing import TYPE_CHECKING

from auditor.model import Block, Document, Readability, Span

if TYPE_CHECKING:
    from auditor.score.lexicon import Match

WORD = re.compile(r"[#\w]++(?:['’]\w++)*+")  # possessive: no backtracking state per word
_KEPT = frozenset(f"{string.ascii_letters}{string.digits}_#'?".encode())
_WORDS = bytes(byte if byte in _KEPT else ord(" ") for byte in range(256))
_GAPS = bytes(ord(" ") if byte in _KEPT else ord("x") for byte in range(256))
"""``bytes.translate`` tables: one blanks every ASCII character no word holds, the other every
character a word may hold. ``'`` and the ``?`` standing for a non-ASCII character count as word
characters, so the few pieces holding one can be re-split by the regex."""
_END_RUN = r"\.++[\"'”’)\]]*+"  # end punctuation, then closing quotes and brackets
_AFTER_END = r"\s+[^a-z\s]|\s*$"  # what follows it: a space and no lower-case letter
_SENTENCE = re.compile(rf"\S[^.]*+(?:{_END_RUN}(?!{_AFTER_END})[^.]*+)*+(?:{_END_RUN})?")
"""Sentences of a text whose end marks are folded to ``.`` (``fold_end_marks``): the regex
treats ``.``, ``!`` and ``?`` alike, and a run of anything but one character is a tight loop in
the regex engine, while a run outside a set of three tests the set at every character."""
_CURLY_QUOTATION = re.compile(r"“[^”\n]{1,600}”")
_STRAIGHT_QUOTATION = re.compile(r"\"[^\"\n]{1,600}\"")
_QUOTATION = re.compile(f"{_CURLY_QUOTATION.pattern}|{_STRAIGHT_QUOTATION.pattern}")
_CLOSERS = "\"'”’)] "
_SPAN = re.Match.span

Hit = tuple[int, int]


def normalise(word: str) -> str:
    """Lower-case a word and fold typographic apostrophes, so word lists match either form."""
    return word.lower().replace("’", "'")


Sentence = tuple[int, int, int, bool, int, int]
"""A sentence's ``(start, end, block, own, first, stop)``: its characters ``[start, end)``, its
block's index, whether it is own voice and its token range ``[first, stop)``. Readers unpack it
or index it by the constants below.

A plain tuple, not a named one or a dataclass: a piece has about a hundred sentences, a tuple
subclass built by ``tuple.__new__`` costs about 1,550 instructions against about 210 for a
plain tuple, and reading a named field costs several times an index.
"""

START, END, BLOCK, OWN, FIRST, STOP = range(6)
"""Indices of a ``Sentence``'s fields."""


def sentence_words(s: Sentence) -> int:
    """How many word tokens the sentence holds."""
    return s[STOP] - s[FIRST]


def ends_with(text: str, s: Sentence, mark: str) -> bool:
    """Whether the sentence's last punctuation (before closing quotes) is ``mark``."""
    at = text.rfind(mark, s[START], s[END])  # a C search; no copy of the sentence
    return at >= 0 and not text[at + len(mark) : s[END]].rstrip(_CLOSERS)


Graded = tuple[int, int, float, int]
"""One sentence's ``(start, end, raw, words)``: its characters ``[start, end)``, unrounded
Flesch-Kincaid grade and words; indexed by ``START``, ``END``, ``RAW`` and ``WORDS``.

Every sentence of 8+ words is graded; only the hardest few become ``SentenceDifficulty``.
A plain tuple, like ``Sentence`` (a named one costs seven times as much to build). The grade
is rounded to a tenth (as reported and compared) only on demand: ``round(x, 1)`` is a decimal
conversion costing about ten times the grade's arithmetic, and only the few sentences shown or
near the very-hard threshold need it.
"""

RAW, WORDS = 2, 3
"""Indices of a ``Graded``'s grade and words (its start and end share ``Sentence``'s)."""


@dataclass(slots=True)
class Context:
    """Tokens, sentences, word-list matches and readability of one document, computed once.

    The scorer fills ``facts`` (each token's packed facts, auditor.score.words), ``rare`` (the
    few tokens with a rare mark), the facts' running sums, ``matches`` and ``readability``
    before any rule runs; rules only read, except that helpers may keep figures derived from
    the context in ``memo`` (e.g. running totals that several rules share), so each is
    computed once per piece.
    """

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    own: list[bool]
    sentences: list[Sentence]
    quotations: list[Span]
    quoted: tuple[list[int], list[int]]
    sentence_starts: frozenset[int]
    own_words: int
    facts: list[int] = field(default_factory=list)
    rare: list[int] = field(default_factory=list)
    fact_sums: list[int] = field(default_factory=list)
    matches: dict[str, list[Match]] = field(default_factory=dict)
    vocab: Mapping[str, frozenset[str]] = field(default_factory=dict)
    readability: Readability | None = None
    graded: tuple[Graded, ...] = ()
    memo: dict[str, object] = field(default_factory=dict)

    def is_own(self, offset: int) -> bool:
        """Whether the character at ``offset`` is the author's own words (not quoted)."""
        return not _inside(offset, self.quoted)

    def token_span(self, first: int, last: int) -> Span:
        """The span from token ``first`` to token ``last`` inclusive."""
        return Span(self.starts[first], self.ends[last])

    def token_hit(self, first: int, last: int) -> Hit:
        """The character range from token ``first`` to token ``last`` inclusive."""
        return (self.starts[first], self.ends[last])

    def own_sentences(self, min_words: int = 1) -> list[Sentence]:
        """The author's own sentences with at least ``min_words`` words."""
        return [s for s in self.sentences if s[OWN] and s[STOP] - s[FIRST] >= min_words]


def build_context(doc: Document) -> Context:
    """Tokenise and sentence-split a document once, marking what is quoted."""
    text = doc.text
    blocks = doc.blocks or (Block(0, len(text), "paragraph"),)
    quotations = list(Span.many(map(_SPAN, _quotation_pattern(text).finditer(text))))
    quoted = _quoted_ranges(blocks, quotations)
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text):  # same tokens at the same offsets (tests/score/test_equivalence)
        words, starts, ends = _tokens(lowered)
    else:  # a rare character whose lower case is longer: fold word by word
        words, starts, ends = _tokens(text)
        words = list(map(normalise, words))
    own = _own_tokens(starts, quoted)
    sentences = _sentences(text, blocks, quoted, starts)
    return Context(
        text=text,
        starts=starts,
        ends=ends,
        words=words,
        own=own,
        sentences=sentences,
        quotations=quotations,
        quoted=quoted,
        sentence_starts=frozenset(map(itemgetter(START), sentences)),
        own_words=own.count(True),
    )


def _quotation_pattern(text: str) -> re.Pattern[str]:
    """The quotation pattern for this text: without one kind of opening mark, only the other
    kind's branch can match.

    The regex engine skips ahead to one literal character several times faster than to either
    of two, and most texts hold one kind of quotation mark or none (two C-level ``in`` tests).
    """
    if "“" not in text:
        return _STRAIGHT_QUOTATION
    return _CURLY_QUOTATION if '"' not in text else _QUOTATION


def _tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Words and their start and end offsets, as ``WORD.finditer`` finds them, split in C.

    The word regex tests a Unicode category per character (a quarter of a piece's scoring
    once). Instead the text is made ASCII of the same length (``?`` for each non-ASCII
    character, real ones blanked first), and two ``translate`` tables blank the characters
    outside words and those inside them: ``split`` of the first gives the words, of the second
    the gaps between them. The running sum of the gaps' and words' lengths, alternating, holds
    every word's start and end. A word of word characters and ``#`` is one token; the few
    holding an apostrophe or a non-ASCII character are re-split by the regex
    (tests/score/test_equivalence.py checks the tokens against ``WORD.finditer``).
    """
    ascii_text = text.replace("?", " ").encode("ascii", "replace")
    words = ascii_text.translate(_WORDS).decode("ascii").split()
    gaps = b"x".join((b"", ascii_text.translate(_GAPS), b"")).split()  # none empty
    lengths = [0] * (2 * len(words) + 1)
    lengths[0::2] = map(len, gaps)
    lengths[1::2] = map(len, words)
    offsets = list(accumulate(lengths, initial=-1))  # -1: the first gap's added "x"
    starts, ends = offsets[1:-1:2], offsets[2::2]
    if b"'" in ascii_text or b"?" in ascii_text:
        _resplit(text, ascii_text, words, starts, ends)
    return words, starts, ends


def _resplit(text: str, ascii_text: bytes, words: list[str], starts: list[int], ends: list[int]):
    """Replace each word holding ``'`` or ``?`` by the regex's tokens of that stretch of text.

    Such a word lies between characters no token holds, so the regex finds the same tokens in
    it as in the whole text. Words are replaced last first, so earlier indices stay valid.
    Nearly all are one token already (a contraction such as "don't", or a word with a
    non-ASCII letter): one ``fullmatch`` confirms it and the word only takes the text's
    characters, with no tokens to locate and splice in (a generated post holds about 23).
    """
    found = {bisect_right(starts, at) - 1 for at in _places(ascii_text, b"'")}
    found.update(bisect_right(starts, at) - 1 for at in _places(ascii_text, b"?"))
    for i in sorted(found, reverse=True):
        whole = WORD.fullmatch(text, starts[i], ends[i])
        if whole:  # the possessive regex has one match here, so findall would give just it
            words[i] = whole[0]
            continue
        tokens = WORD.findall(text, starts[i], ends[i])  # no match objects: ten times faster
        at, located = starts[i], []
        for token in tokens:  # no token starts in a gap, so each is its first place after at
            at = text.find(token, at)
            located.append(at)
            at += len(token)
        words[i : i + 1] = tokens
        starts[i : i + 1] = located
        ends[i : i + 1] = map(add, located, map(len, tokens))


def _places(data: bytes, char: bytes) -> Iterator[int]:
    """Every offset of ``char`` in ``data``, by C-level searches (it is rare)."""
    at = data.find(char)
    while at >= 0:
        yield at
        at = data.find(char, at + 1)


def _quoted_ranges(
    blocks: tuple[Block, ...], quotations: list[Span]
) -> tuple[list[int], list[int]]:
    """Sorted, merged (starts, ends) of text that is someone else's words."""
    ranges = sorted(
        [(b.start, b.end) for b in blocks if b.quoted] + [(q.start, q.end) for q in quotations]
    )
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [m[0] for m in merged], [m[1] for m in merged]


def _own_tokens(starts: list[int], quoted: tuple[list[int], list[int]]) -> list[bool]:
    """Whether each token starts outside every quoted range: one bisect per range, not per token."""
    own = [True] * len(starts)
    for i, j in quoted_tokens(starts, quoted):
        own[i:j] = [False] * (j - i)
    return own


def quoted_tokens(
    starts: list[int], quoted: tuple[list[int], list[int]]
) -> Iterator[tuple[int, int]]:
    """The token ranges ``[first, stop)`` that start inside each quoted range."""
    for first, last in zip(*quoted, strict=True):
        yield bisect_left(starts, first), bisect_left(starts, last)


def _inside(offset: int, ranges: tuple[list[int], list[int]]) -> bool:
    """Whether ``offset`` falls in one of the merged ranges."""
    i = bisect_right(ranges[0], offset) - 1
    return i >= 0 and offset < ranges[1][i]


def _sentences(
    text: str, blocks: tuple[Block, ...], quoted: tuple[list[int], list[int]], starts: list[int]
) -> list[Sentence]:
    """Split each block into sentences (never across blocks), with their token ranges.

    Only the regex walk is per block; token ranges, voices and the records come from C-level
    maps over all the sentences at once (sentences are in text order, so an unbounded bisect
    finds the same tokens as one started at the previous sentence's end). Within a block a
    sentence stops where the next one's tokens begin: only white space lies between them (the
    next starts at the first character that is not), and no token starts in white space. So
    only each block's last sentence bisects for its stop.
    """
    bounds: list[tuple[int, int]] = []
    block_of: list[int] = []
    lasts: list[int] = []  # each block's last sentence
    folded = fold_end_marks(text)
    for index, block in enumerate(blocks):
        found = _sentence_ranges(folded, block.start, block.end)
        bounds += found
        block_of += [index] * len(found)
        if found:
            lasts.append(len(bounds) - 1)
    if not bounds:
        return []
    begins, ends = zip(*bounds, strict=True)
    firsts = list(map(bisect_left, repeat(starts), begins))
    stops = firsts[1:] + firsts[:1]  # the next sentence's first token, in the same block
    for i in lasts:
        stops[i] = bisect_left(starts, ends[i])
    own_block = [not b.quoted for b in blocks]
    own = map(and_, map(own_block.__getitem__, block_of), _outside(begins, quoted))
    return list(zip(begins, ends, block_of, own, firsts, stops, strict=True))


def _outside(offsets: tuple[int, ...], ranges: tuple[list[int], list[int]]) -> Iterator[bool]:
    """Whether each offset lies outside every merged range (``not _inside``), by C-level maps.

    ``bisect_right`` counts the ranges starting at or before the offset; the offset is outside
    when the last of them has ended by then (a -1 end stands in for "no range yet").
    """
    firsts, lasts = ranges
    ends = [-1, *lasts]
    return map(le, map(ends.__getitem__, map(bisect_right, repeat(firsts), offsets)), offsets)


def fold_end_marks(text: str) -> str:
    """The text with ``!`` and ``?`` made ``.``, as ``_sentence_ranges`` reads it."""
    return text.replace("!", ".").replace("?", ".")


def _sentence_ranges(folded: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``folded[begin:stop]``, trailing white space left out.

    ``folded`` is the text as ``fold_end_marks`` gives it (the same length, so offsets hold).

    A sentence runs from a non-space character to the nearest end punctuation (and closing
    quotes or brackets) that is followed by a space and anything but a lower-case letter, or
    to the end of the block. One ``finditer`` walks the block: possessive runs skip the text
    between punctuation marks and never give back an end mark that failed the test.
    """
    found = list(map(_SPAN, _SENTENCE.finditer(folded, begin, stop)))
    if found:  # only the last can end in white space: the others end at end punctuation
        start, end = found[-1]
        found[-1] = (start, start + len(folded[start:end].rstrip()))
    return found

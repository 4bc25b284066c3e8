"""One tokenisation pass over a document's prose, shared by every rule.

Words, sentences, and which of them are the author's own voice (not in a block quote and not
inside quotation marks) are computed once here; rules only read this context.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.model import Block, Document, Readability, SentenceDifficulty, Span

if TYPE_CHECKING:
    from auditor.score.lexicon import Match

WORD = re.compile(r"[#\w]+(?:['’]\w+)*")
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?]+[\"'”’)\]]*(?=\s+[^a-z\s]|\s*$)|$)", re.DOTALL)
_QUOTATION = re.compile(r"“[^”\n]{1,600}”|\"[^\"\n]{1,600}\"")


def normalise(word: str) -> str:
    """Lower-case a word and fold typographic apostrophes, so word lists match either form."""
    return word.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's span, the index of its block, and whether it is the author's own voice."""

    span: Span
    block: int
    own: bool

    def ends_with(self, text: str, mark: str) -> bool:
        """Whether the sentence's last punctuation (before closing quotes) is ``mark``."""
        return text[self.span.start : self.span.end].rstrip("\"'”’)] ").endswith(mark)


@dataclass(slots=True)
class Context:
    """Tokens, sentences, word-list matches and readability of one document, computed once.

    The scorer fills ``matches`` and ``readability`` before any rule runs; rules only read.
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
    matches: dict[str, list[Match]] = field(default_factory=dict)
    vocab: Mapping[str, frozenset[str]] = field(default_factory=dict)
    readability: Readability | None = None
    graded: tuple[SentenceDifficulty, ...] = ()

    def is_own(self, offset: int) -> bool:
        """Whether the character at ``offset`` is the author's own words (not quoted)."""
        return not _inside(offset, self.quoted)

    def token_span(self, first: int, last: int) -> Span:
        """The span from token ``first`` to token ``last`` inclusive."""
        return Span(self.starts[first], self.ends[last])


def build_context(doc: Document) -> Context:
    """Tokenise and sentence-split a document once, marking what is quoted."""
    text = doc.text
    blocks = doc.blocks or (Block(0, len(text), "paragraph"),)
    quotations = [Span(m.start(), m.end()) for m in _QUOTATION.finditer(text)]
    quoted = _quoted_ranges(blocks, quotations)
    spans = [m.span() for m in WORD.finditer(text)]
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text):
        words = [lowered[a:b] for a, b in spans]
    else:  # a rare character whose lower case is longer: fold word by word
        words = [normalise(text[a:b]) for a, b in spans]
    starts = [a for a, _ in spans]
    own = [not _inside(a, quoted) for a in starts] if quoted[0] else [True] * len(spans)
    sentences = _sentences(text, blocks, quoted)
    return Context(
        text=text,
        starts=starts,
        ends=[b for _, b in spans],
        words=words,
        own=own,
        sentences=sentences,
        quotations=quotations,
        quoted=quoted,
        sentence_starts=frozenset(s.span.start for s in sentences),
        own_words=sum(own),
    )


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


def _inside(offset: int, ranges: tuple[list[int], list[int]]) -> bool:
    """Whether ``offset`` falls in one of the merged ranges."""
    i = bisect_right(ranges[0], offset) - 1
    return i >= 0 and offset < ranges[1][i]


def _sentences(
    text: str, blocks: tuple[Block, ...], quoted: tuple[list[int], list[int]]
) -> list[Sentence]:
    """Split each block into sentences (never across blocks); headings are one sentence."""
    found: list[Sentence] = []
    for index, block in enumerate(blocks):
        chunk = text[block.start : block.end]
        for m in _SENTENCE.finditer(chunk):
            if not m.group().strip():
                continue
            start, end = block.start + m.start(), block.start + len(m.group().rstrip()) + m.start()
            own = not block.quoted and not _inside(start, quoted)
            found.append(Sentence(Span(start, end), index, own))
    return found

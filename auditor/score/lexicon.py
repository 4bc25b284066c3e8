"""Word lists as data, and one pass that finds every list's words and phrases in a document.

Lists live in ``auditor/score/data/*.toml`` (each file names its sources and licences); a user's
extra words are added per list name. Matching walks the tokens once, looking each token up in an
index of phrases by first word, so adding lists does not add passes over the text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Container, Iterable, Mapping
from importlib import resources
from itertools import compress
from typing import NamedTuple

from auditor.errors import ConfigError
from auditor.score.text import WORD, Context, normalise

Phrase = tuple[str, ...]


Match = tuple[int, int, bool]
"""One occurrence of a list entry: ``(first, last, own)``, its first and last token index and
whether it is own voice; readers unpack it or index it by ``MATCH_FIRST``, ``MATCH_LAST`` and
``MATCH_OWN`` (named apart from ``text``'s ``Sentence`` indices, which differ).

A plain tuple, not a named one: a piece has about 240 matches, and a tuple subclass built by
``tuple.__new__`` costs about 1,550 instructions against about 210 for a plain tuple.
"""

MATCH_FIRST, MATCH_LAST, MATCH_OWN = range(3)
"""Indices of a ``Match``'s fields."""


class _Lists(tuple[str, ...]):
    """The names of the lists holding a word as a one-word entry: its own type, so the matcher
    tells it from a pair's phrases, which the same lookup may give."""


class _Flagged:
    """What a flagged word in no list starts: nothing, but its position is looked at."""


_FLAGGED = _Flagged()


class _Starts(dict[str, tuple[tuple[Phrase, str, int], ...]]):
    """What a word some phrase starts with starts, by the next word: that pair's phrases, then
    the word's one-word options; ``fallback`` (the word's lists, its flag or None) when the next
    word starts no phrase with it."""

    __slots__ = ("fallback",)

    def __init__(self, fallback: _Lists | _Flagged | None) -> None:
        super().__init__()
        self.fallback = fallback


class Found(NamedTuple):
    """What ``Lexicon.find`` found: each list's matches, and the flagged tokens' indices."""

    matches: dict[str, list[Match]]
    flagged: list[int]


def read_data(name: str) -> dict:
    """Parse one TOML file shipped in ``auditor/score/data``."""
    return tomllib.loads(resources.files("auditor.score.data").joinpath(name).read_text("utf-8"))


def phrase(entry: str) -> Phrase:
    """Tokenise a word-list entry the same way the prose is tokenised."""
    return tuple(normalise(w) for w in WORD.findall(entry))


VOCABULARY_LISTS = frozenset(
    {"formal_closed", "involved_closed", "nominal_plain", "nominal_suffixes", "attribution_verbs"}
)
"""Lists rules read as word sets (``Context.vocab``), never as matches, so ``find`` skips them."""


class Lexicon:
    """Named word lists and the first-word index that matches them all in one pass."""

    def __init__(self, lists: Mapping[str, Iterable[str]]) -> None:
        self.lists: dict[str, tuple[Phrase, ...]] = {
            name: tuple(sorted({p for p in map(phrase, entries) if p}))
            for name, entries in lists.items()
        }
        index: dict[tuple[str, ...], list[tuple[Phrase, str]]] = {}
        for name, phrases in sorted(self.lists.items()):
            if name in VOCABULARY_LISTS:
                continue
            for p in phrases:
                index.setdefault(p[:2], []).append((p, name))
        ordered = {
            k: tuple(sorted(c, key=lambda pc: (-len(pc[0]), pc[1]))) for k, c in index.items()
        }
        sized = {k: tuple((p, name, len(p)) for p, name in c) for k, c in ordered.items()}
        singles = {k[0]: c for k, c in sized.items() if len(k) == 1}
        # where no pair starts, only the names of the lists holding the word matter
        self._heads: dict[str, _Lists | _Starts | _Flagged] = {
            w: _Lists(name for _, name, _ in c) for w, c in singles.items()
        }
        for (first, *second), c in sized.items():
            if second:  # a pair's options, then its first word's one-word options
                starts = self._heads.get(first)
                if type(starts) is not _Starts:
                    starts = self._heads[first] = _Starts(starts)
                starts[second[0]] = c + singles.get(first, ())

    def with_extra(self, extra: Mapping[str, Iterable[str]]) -> Lexicon:
        """A new lexicon with user words added; unknown list names are a configuration error."""
        unknown = sorted(set(extra) - set(self.lists))
        if unknown:
            known = ", ".join(sorted(self.lists))
            raise ConfigError(
                f"scoring.words: unknown word list(s) {', '.join(unknown)}; known: {known}"
            )
        merged = {
            n: [" ".join(p) for p in ps] + list(extra.get(n, ())) for n, ps in self.lists.items()
        }
        return Lexicon(merged)

    def flag(self, word: str) -> None:
        """Make the word's positions ones ``find`` looks at, so it reports them if flagged.

        WordFacts flags each word with a rare mark when it first sees it: the matcher's one
        lookup per token then finds those few tokens too, instead of a second pass testing
        every token against the set of marked words.
        """
        starts = self._heads.setdefault(word, _FLAGGED)
        if type(starts) is _Starts and starts.fallback is None:
            starts.fallback = _FLAGGED

    def unflag(self, words: Iterable[str]) -> None:
        """Undo ``flag`` for words WordFacts forgets when it clears its memo, so the head index
        stays as bounded as the memo over a long ``auditor serve`` session."""
        heads = self._heads
        for word in words:
            starts = heads.get(word)
            if starts is _FLAGGED:
                del heads[word]
            elif type(starts) is _Starts and starts.fallback is _FLAGGED:
                starts.fallback = None

    def find(self, ctx: Context, flagged: Container[str] = frozenset()) -> Found:
        """Every matched list's non-overlapping matches, longest phrase first at each position,
        and the indices of the tokens whose word is in ``flagged`` (each must have been passed
        to ``flag``).

        Phrases are indexed by their first two words (one-word entries by their word). One
        C-level lookup per token gives what can start there: the lists holding it as a one-word
        entry (or a flagged word's mark), or, for a word some phrase starts with, the phrases
        by their second word, else nothing. Only the few positions with something are looked at
        one by one. One-word entries share one match and are skipped only inside an earlier
        longer phrase of the same list (``busy``).
        """
        words, own, starts, sentence_starts = ctx.words, ctx.own, ctx.starts, ctx.sentence_starts
        found: dict[str, list[Match]] = {name: [] for name in self.lists}
        marked: list[int] = []
        busy = dict.fromkeys(self.lists, 0)  # per list: the end of its last longer phrase
        busy_until = 0  # the furthest of them: before it, a one-word entry may be covered
        following = words[1:]
        following.append("")  # "" after the last word starts no pair
        heads = list(map(self._heads.get, words))
        for i, options in compress(enumerate(heads), heads):  # no heads[i] per position
            if words[i] in flagged:
                marked.append(i)
            if type(options) is _Starts:
                options = options.get(following[i], options.fallback)
                if options is None:
                    continue
            if options is _FLAGGED:
                continue
            if type(options) is _Lists:
                match = (i, i, own[i])
                for name in options:
                    if i >= busy_until or busy[name] <= i:
                        found[name].append(match)
                continue
            for p, name, size in options:
                if busy[name] > i or (size > 2 and tuple(words[i : i + size]) != p):
                    continue
                if size > 1 and not sentence_starts.isdisjoint(starts[i + 1 : i + size]):
                    continue  # a sentence starts inside: "Thanks. To begin" is no "thanks to"
                found[name].append((i, i + size - 1, own[i]))
                if size > 1:
                    busy[name] = i + size
                    if i + size > busy_until:  # a comparison, not a call of max
                        busy_until = i + size
        return Found(found, marked)

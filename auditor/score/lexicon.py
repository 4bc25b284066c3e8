"""Word lists as data, and one pass that finds every list's words and phrases in a document.

Lists live in ``auditor/score/data/*.toml`` (each file names its sources and licences); a user's
extra words are added per list name. Matching walks the tokens once, looking each token up in an
index of phrases by first word, so adding lists does not add passes over the text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from itertools import compress, count

from auditor.errors import ConfigError
from auditor.score.text import WORD, Context, normalise

Phrase = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a list entry: first and last token index, and whether it is own voice."""

    first: int
    last: int
    own: bool


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

Candidates = tuple[tuple[Phrase, str], ...]


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
        self._by_first = _by_first_word(ordered)

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

    def find(self, ctx: Context) -> dict[str, list[Match]]:
        """Every matched list's non-overlapping matches, longest phrase first at each position.

        Phrases are indexed by their first word and then their second, so each token costs one
        C-level set test and a token that starts no phrase costs nothing more.
        """
        words, own, by_first = ctx.words, ctx.own, self._by_first
        found: dict[str, list[Match]] = {name: [] for name in self.lists}
        next_free: dict[str, int] = {}
        last = len(words) - 1
        for i in compress(count(), map(by_first.__contains__, words)):
            longer, singles = by_first[words[i]]
            pair = longer.get(words[i + 1], ()) if i < last else ()
            for p, name in (*pair, *singles):
                size = len(p)
                if next_free.get(name, 0) > i or (size > 2 and tuple(words[i : i + size]) != p):
                    continue
                found[name].append(Match(i, i + size - 1, own[i]))
                next_free[name] = i + size
        return found


def _by_first_word(
    index: Mapping[tuple[str, ...], Candidates],
) -> dict[str, tuple[dict[str, Candidates], Candidates]]:
    """first word -> ({second word: phrases of 2+ words}, one-word phrases), order kept."""
    by_first: dict[str, tuple[dict[str, Candidates], Candidates]] = {}
    for key in sorted(index):
        longer = by_first.setdefault(key[0], ({}, ()))[0]
        if len(key) == 2:
            longer[key[1]] = index[key]
        else:
            by_first[key[0]] = (longer, index[key])
    return by_first

"""Our one-pass counts give exactly textstat's figures, and the hardest sentences are found."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat

from auditor.score import readability as rd
from auditor.score import score

from .conftest import make_doc

TEXTS = [
    "The quick brown fox jumps over the lazy dog. It wasn't the dog's fault, was it? No!",
    "We rebuilt the permit form with residents. It's shorter now: ten questions, not forty.\n\n"
    "Implementation of the interoperability framework necessitated considerable coordination "
    "among administrative jurisdictions, which was, frankly, exhausting for everyone involved.",
    "Hi. OK. 'Quoted' words, hyphen-ated words and numbers like 3.5 or 1,200 all count "
    "differently... Don't they? Yes — they do; e.g. U.S. agencies' sites.",
    Path(__file__).read_text(encoding="utf-8")[:3000],
]
PAIRS = [
    (rd.flesch_reading_ease, textstat.flesch_reading_ease),
    (rd.flesch_kincaid_grade, textstat.flesch_kincaid_grade),
    (rd.gunning_fog, textstat.gunning_fog),
    (rd.smog_index, textstat.smog_index),
    (rd.coleman_liau_index, textstat.coleman_liau_index),
    (rd.automated_readability_index, textstat.automated_readability_index),
    (rd.dale_chall, textstat.dale_chall_readability_score),
    (rd.reading_time, textstat.reading_time),
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda f: getattr(f, "__name__", ""))
def test_formulas_equal_textstat(text: str, ours, theirs) -> None:
    assert ours(rd.count(text, rd.Syllables())) == theirs(text)


@pytest.mark.parametrize("text", TEXTS)
def test_counts_equal_textstat(text: str) -> None:
    c = rd.count(text, rd.Syllables())
    assert (c.words, c.sentences, c.syllables) == (
        textstat.lexicon_count(text),
        textstat.sentence_count(text),
        textstat.syllable_count(text),
    )
    assert c.polysyllables == textstat.polysyllabcount(text)


def test_hardest_sentences(model) -> None:
    easy = "We made it short and you can finish it fast. " * 12
    hard = (
        "The organizational implementation of comprehensive interoperability frameworks "
        "necessitates considerable institutional coordination across administrative jurisdictions."
    )
    result = score(make_doc(easy, hard), model)
    assert result.readability.hardest[0].span.text(result.doc.text) == hard
    assert result.readability.hardest[0].grade >= 12
    assert all(h.words >= 8 for h in result.readability.hardest)
    assert len(result.readability.hardest) <= 5
    assert result.readability.flesch_reading_ease == textstat.flesch_reading_ease(result.doc.text)

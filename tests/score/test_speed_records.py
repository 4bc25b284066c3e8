"""Records and figures built the fast way equal the ones the plain constructions give."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace
from itertools import accumulate
from operator import mul

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model import Document, Span
from auditor.score import density, load_model, score, words
from auditor.score.lexicon import Lexicon
from auditor.score.rules import conversational, dialogue
from auditor.score.scoring import ScoringModel, _context
from auditor.score.text import (
    BLOCK,
    END,
    FIRST,
    OWN,
    START,
    STOP,
    ends_with,
    sentence_words,
)

from .conftest import make_doc

PARAGRAPHS = (
    "We told the committee, “the implementation of the framework is in progress,” and you "
    "laughed. Over the course of the year, the agency completed the consolidation of systems.",
    "Quoted words from someone else: the department of the interior of the state.",
    "Short. NASA, the GSA and THE WHOLE TEAM shipped it. Do you want to help us?",
)


def test_many_spans_equal_spans_built_one_by_one() -> None:
    pairs = [(0, 0), (3, 9), (9, 9), (12, 40)]
    spans = Span.many(pairs)
    assert spans == tuple(Span(a, b) for a, b in pairs)
    assert [hash(s) for s in spans] == [hash(Span(a, b)) for a, b in pairs]
    assert repr(spans[1]) == "Span(start=3, end=9)"


@pytest.mark.parametrize("pair", [(-1, 2), (5, 4)])
def test_many_spans_refuse_a_bad_range_as_span_does(pair: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="bad span"):
        Span(*pair)
    with pytest.raises(ValueError, match="bad span"):
        Span.many([(0, 1), pair])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 40), st.integers(-3, 40)), max_size=12))
def test_many_spans_check_every_range_as_span_does(pairs: list[tuple[int, int]]) -> None:
    """The bulk check refuses exactly what building the spans one by one refuses, naming the
    same first bad range."""
    try:
        expected: tuple[Span, ...] | str = tuple(Span(a, b) for a, b in pairs)
    except ValueError as error:
        expected = str(error)
    try:
        actual: tuple[Span, ...] | str = Span.many(pairs)
    except ValueError as error:
        actual = str(error)
    assert actual == expected
    if isinstance(actual, tuple):
        assert all(type(s) is Span for s in actual)
        assert [(s.start, s.end) for s in actual] == pairs


def test_span_pickles_copies_and_compares_as_the_record_it_replaced() -> None:
    span = Span(3, 9)
    assert pickle.loads(pickle.dumps(span)) == span and copy.deepcopy(span) == span
    assert type(pickle.loads(pickle.dumps(span))) is Span
    assert (span == (3, 9), span != (3, 9)) == (False, True)  # a record, not a bare pair
    assert (span == Span(3, 9), span != Span(3, 9), span != Span(3, 10)) == (True, False, True)
    assert hash(span) == hash((3, 9)) and span.text("0123456789ab") == "345678"
    with pytest.raises(AttributeError):
        span.start = 4  # type: ignore[misc]


def test_own_voice_sums_equal_the_products_with_own(model: ScoringModel) -> None:
    ctx = _context(make_doc(*PARAGRAPHS, quoted=(1,)), model)
    assert not all(ctx.own)
    t = density.totals(ctx)
    own_facts = list(accumulate(map(mul, ctx.facts, ctx.own), initial=0))
    own = list(accumulate(ctx.own, initial=0))
    assert t.own_total == own_facts[-1]
    n = len(ctx.words)
    for first in range(n + 1):
        for stop in range(first, n + 1):
            expected = (own_facts[stop] - own_facts[first], own[stop] - own[first])
            assert t.own_stretch(first, stop) == expected


def test_sentence_values_equal_each_sentence_alone(model: ScoringModel) -> None:
    ctx = _context(make_doc(*PARAGRAPHS, quoted=(1,)), model)
    t, sentences = density.totals(ctx), ctx.sentences
    judged = density.judged_figures(ctx.fact_sums, sentences)
    proxies = []
    for s in sentences:
        net, n = density.closed_class_balance(ctx, s[FIRST], s[STOP])
        proxies.append(net / n if n else 0.0)
    assert density.sentence_proxies(t, judged) == proxies
    lengths = []
    for s in sentences:
        letters = sum(len(w) for w in ctx.words[s[FIRST] : s[STOP]] if w.isalpha())
        alpha = sum(1 for w in ctx.words[s[FIRST] : s[STOP]] if w.isalpha())
        lengths.append(letters / alpha if alpha else 0.0)
    assert density.sentence_word_lengths(t, judged) == lengths
    assert density.sentence_lengths(t, judged) == [float(sentence_words(s)) for s in sentences]
    assert judged.stretches == [ctx.fact_sums[s[STOP]] - ctx.fact_sums[s[FIRST]] for s in sentences]
    assert density.judged_figures(ctx.fact_sums, sentences).stretches is not judged.stretches


def test_mean_sentence_length_leaves_out_fragments(model: ScoringModel) -> None:
    ctx = _context(make_doc(*PARAGRAPHS, quoted=(1,)), model)
    sizes = [sentence_words(s) for s in ctx.sentences if s[OWN]]
    own = [n for n in sizes if n >= 2]
    assert density.mean_sentence_length(ctx) == sum(own) / len(own)
    only_fragments = _context(make_doc("Wow. Thanks!"), model)
    assert density.mean_sentence_length(only_fragments) == 1.0


def test_records_are_plain_tuples_of_their_fields(model: ScoringModel) -> None:
    """Sentences and matches are plain tuples (cheap to build): each field has its type."""
    ctx = _context(make_doc(*PARAGRAPHS), model)
    kinds = (int, int, int, bool, int, int)
    assert all(type(s) is tuple and tuple(map(type, s)) == kinds for s in ctx.sentences)
    matches = [m for found in ctx.matches.values() for m in found]
    assert matches and all(type(m) is tuple and len(m) == 3 for m in matches)
    assert all(type(f) is int and type(la) is int and type(o) is bool for f, la, o in matches)
    kinds = (int, int, float, int)
    assert ctx.graded and all(tuple(map(type, g)) == kinds for g in ctx.graded)


def test_pieces_without_hits_share_the_kept_finding(model: ScoringModel) -> None:
    shouting, calm = make_doc("This is HUGE news for EVERYONE."), make_doc(*PARAGRAPHS)
    fresh = load_model()
    first = [f for f in score(shouting, fresh).findings if f.rule == "restraint.hype"]
    assert first and not first[0].spans
    assert "restraint.all_caps" not in fresh.quiet  # it has hits in the first piece
    again = score(make_doc("Another calm note about the permit form."), fresh)
    kept = [f for f in again.findings if f.rule == "restraint.hype"]
    assert kept[0] is first[0]
    for doc in (shouting, calm):
        assert score(doc, fresh) == score(doc, load_model())


def test_length_scaled_and_measured_rules_are_never_kept(model: ScoringModel) -> None:
    fresh = load_model()
    score(make_doc("Plain words, no reader address at all in this sentence."), fresh)
    by_length = {a.rule.id for a in fresh.active if a.by_length or a.rule.measure is not None}
    assert by_length and not by_length & set(fresh.quiet)


QUESTIONS = (
    "Is it done? Yes. She asked “why?” and left. What? Really?! Fine (is it?)",
    "Quoted: do you agree? We do.",
    "Why not? Ask us. Thanks. Any more?",
)


def test_questions_from_marks_equal_testing_every_sentence(model: ScoringModel) -> None:
    doc = make_doc(*QUESTIONS, quoted=(1,))
    ctx = _context(doc, model)
    every = [(s[START], s[END]) for s in ctx.sentences if s[OWN] and ends_with(ctx.text, s, "?")]
    assert len(every) >= 4
    assert conversational.questions(doc, ctx) == every


@pytest.mark.parametrize(
    "doc",
    [
        make_doc(*QUESTIONS, quoted=(2,)),
        make_doc(*QUESTIONS),
        replace(make_doc("What now?", "Done."), blocks=()),
    ],
)
def test_closing_question_reads_the_last_body_sentences(model: ScoringModel, doc: Document) -> None:
    if doc.blocks:  # the last paragraph as a heading: skipped as the original skipped it
        last = doc.blocks[-1]
        doc = replace(doc, blocks=(*doc.blocks[:-1], replace(last, kind="heading")))
    ctx = _context(doc, model)
    headings = {i for i, b in enumerate(doc.blocks) if b.kind == "heading"}
    body = [s for s in ctx.sentences if s[OWN] and s[BLOCK] not in headings]
    expected = [(s[START], s[END]) for s in body[-3:] if ends_with(ctx.text, s, "?")]
    assert dialogue.closing_question(doc, ctx) == expected


def test_rare_tokens_are_those_with_a_mark(
    model: ScoringModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    any_mark = words.NOMINAL | words.APOSTROPHE | words.ATTRIBUTION
    ctx = _context(make_doc(*PARAGRAPHS, "It's as Ana Ruiz wrote: don't."), model)
    expected = [i for i, packed in enumerate(ctx.facts) if packed & any_mark]
    assert len(expected) >= 4 and ctx.rare == expected
    monkeypatch.setattr(words, "MEMO_LIMIT", 0)  # the memo is cleared before every fill
    lexicon = Lexicon({"hype": ["ready"]})
    facts = words.WordFacts(model.vocab, model.syllables, lexicon.flag, lexicon.unflag)
    for text in ("The implementation wasn't ready.", "Nothing here.", "It's done, it's ready."):
        ctx = _context(make_doc(text), model)
        packed = facts.of(ctx.words)
        flagged = lexicon.find(ctx, facts.rare).flagged
        assert flagged == [i for i, f in enumerate(packed) if f & any_mark]


def test_clearing_the_memo_unflags_its_rare_words(
    model: ScoringModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lexicon's head index grows no further than the memo (a long ``auditor serve``)."""
    monkeypatch.setattr(words, "MEMO_LIMIT", 3)
    lexicon = Lexicon({"hype": ["ready"], "credit": ["thanks to"]})
    bare = dict(lexicon._heads)
    facts = words.WordFacts(model.vocab, model.syllables, lexicon.flag, lexicon.unflag)
    facts.of(["thanks", "isn't", "implementation", "ready"])
    assert {"isn't", "implementation"} <= lexicon._heads.keys()
    facts.of(["can't"])  # over the limit: the memo, its rare words and their flags go
    assert facts.rare == {"can't"}
    assert lexicon._heads.keys() == bare.keys() | {"can't"}
    assert lexicon._heads["thanks"].fallback is None
    ctx = _context(make_doc("Thanks to Ana, it's ready."), model)
    expected = Lexicon({"hype": ["ready"], "credit": ["thanks to"]}).find(ctx)
    assert lexicon.find(ctx) == expected


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 7.5, -1.0]), max_size=30),
    st.sampled_from([0.0, 0.25, 1.0, -5.0]),
)
def test_highest_equals_ranking_every_sentence(values: list[float], above: float) -> None:
    """Ranking only the values from the third-highest up shows the sentences ranking all does."""
    sentences = [(10 * i, 10 * i + 5, 0, True, i, i + 6) for i in range(len(values))]
    ranked = sorted(
        [(-v, s[START], s[END]) for v, s in zip(values, sentences, strict=True) if v > above]
    )
    expected = sorted((start, end) for _, start, end in ranked[: density.SHOWN])
    assert density.highest(values, sentences, above) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=6))
def test_looked_up_equals_indexing_key_by_key(keys: list[str]) -> None:
    """One key, none or many: the values in order, or the KeyError indexing raises."""
    table = {"a": 1, "b": 2, "c": 3}
    if "d" in keys:
        with pytest.raises(KeyError):
            words.looked_up(table, keys)
    else:
        assert list(words.looked_up(table, keys)) == [table[k] for k in keys]

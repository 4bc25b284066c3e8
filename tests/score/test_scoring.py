"""Behaviour of the whole scorer: normalisation, quoting, 'we', settings, suppression, purity."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from auditor.config import ScoringSettings
from auditor.errors import ConfigError
from auditor.score import ScoringModel, load_model, score
from auditor.score.scoring import _context, _run

from .conftest import make_doc

POST = (
    "Have you ever tried to renew a permit online? We did, and it took us an hour. "
    "I think the form asks for too much, so we rebuilt it with the people who use it. "
    "Thanks to Ana Ruiz and the volunteers at the library for testing every page with us.",
    "Here's what we learned. Most of you told us the address step was the hardest part, "
    "so we cut it to one field. You can try the new form today and it should take you "
    "five minutes. We'd love to hear how it goes for you.",
    "Next week, in part 2, we'll share the research notes. What would you change?",
)


def _finding(result, rule_id):
    return next(f for f in result.findings if f.rule == rule_id)


def test_scores_are_ints_in_range_and_spans_inside_text(model: ScoringModel) -> None:
    result = score(make_doc(*POST), model)
    assert 0 <= result.overall <= 100
    for dim in result.dimensions:
        assert dim.score is None or (isinstance(dim.score, int) and 0 <= dim.score <= 100)
    for f in result.findings:
        assert f.why and f.suggestion and f.message and f.rule.startswith(f.dimension + ".")
        assert all(0 <= s.start <= s.end <= len(result.doc.text) for s in f.spans)


def test_doubling_a_post_does_not_raise_its_scores(model: ScoringModel) -> None:
    once, twice = score(make_doc(*POST), model), score(make_doc(*POST, *POST), model)
    for a, b in zip(once.dimensions, twice.dimensions, strict=True):
        if a.name != "readability":
            assert b.score <= a.score + 1, a.name


def test_one_exclamation_in_a_short_post_costs_little(model: ScoringModel) -> None:
    calm = " ".join(["We met the neighbours and planted trees along the street."] * 30)
    assert score(make_doc(calm + " It was great!"), model).score("restraint") >= 95


def test_quoted_words_are_not_the_authors_voice(model: ScoringModel) -> None:
    quoted = make_doc("The report was published.", "You will love it! Buy now!", quoted=(1,))
    result = score(quoted, model)
    assert _finding(result, "conversational.you").status == "improve"
    assert result.score("restraint") == 100
    assert _finding(result, "community.quotations").status == "works"


def test_inline_quotation_marks_are_not_own_voice(model: ScoringModel) -> None:
    result = score(make_doc('The sign said "buy now, act now, you deserve it" in red.'), model)
    assert _finding(result, "restraint.hard_sell").status == "works"
    assert not _finding(result, "conversational.you").spans


def test_reader_inclusive_we_is_told_from_organisation_we(model: ScoringModel) -> None:
    inclusive = score(make_doc("Let's work on this together; we'd love to hear from you."), model)
    org = score(make_doc("We are proud to announce our award-winning platform."), model)
    assert _finding(inclusive, "community.inclusive_we").status == "works"
    assert _finding(org, "community.inclusive_we").status == "improve"
    assert _finding(org, "restraint.self_promotion").status == "improve"
    assert _finding(inclusive, "restraint.self_promotion").status == "works"
    assert inclusive.score("community") > org.score("community")


def test_disabling_by_prefix_removes_rules() -> None:
    model = load_model(ScoringSettings(rules=(("dialogue", False), ("dialogue.return", True))))
    ids = [r.id for r in model.rules_info]
    assert "dialogue.invitations" not in ids and "dialogue.return" in ids


def test_weight_change_changes_score(model: ScoringModel) -> None:
    heavy = load_model(ScoringSettings(weights=(("conversational.you", 20.0),)))
    doc = make_doc("You can do it. The form was changed by the department in March.")
    assert score(doc, heavy).score("conversational") > score(doc, model).score("conversational")


def test_dimension_weight_changes_overall() -> None:
    doc = make_doc(*POST)
    low = load_model(ScoringSettings(weights=(("restraint", 0.0),)))
    assert score(doc, low).overall != score(doc, load_model()).overall


def test_extra_words_take_effect(model: ScoringModel) -> None:
    doc = make_doc("Try AcmeCloud today, it helps.")
    custom = load_model(ScoringSettings(words=(("self_promotion", ("AcmeCloud",)),)))
    assert _finding(score(doc, model), "restraint.self_promotion").status == "works"
    assert _finding(score(doc, custom), "restraint.self_promotion").status == "improve"


def test_unknown_word_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown word list"):
        load_model(ScoringSettings(words=(("nope", ("x",)),)))


def test_suppress_silences_rules_by_id_and_prefix(model: ScoringModel) -> None:
    doc = make_doc(*POST, suppress=("restraint", "dialogue.return"))
    rules = {f.rule for f in score(doc, model).findings}
    assert not any(r.startswith("restraint.") for r in rules) and "dialogue.return" not in rules
    assert "dialogue.invitations" in rules


def test_too_short_readability_is_na(model: ScoringModel) -> None:
    result = score(make_doc("Short and sweet. Thanks for reading."), model)
    assert result.readability.too_short and result.score("readability") is None
    for f in result.findings:
        if f.dimension == "readability":
            assert f.status == "na" and f.message.startswith(
                "Too short to judge (6 words; needs 100)"
            )


def test_findings_go_both_ways(model: ScoringModel) -> None:
    result = score(make_doc(*POST), model)
    statuses = {f.status for f in result.findings}
    assert {"works", "improve"} <= statuses
    questions = _finding(result, "conversational.questions")
    assert questions.status == "works"
    assert questions.message.startswith("2 questions to readers")


def test_function_label(model: ScoringModel) -> None:
    assert score(make_doc("The office opened in 2014."), model).label.name == "information"
    action = score(make_doc("Donate today and volunteer at the fair. Register now."), model)
    assert action.label.name == "action" and action.label.spans
    community = score(make_doc("Thank you, volunteers! Many of you asked; let us know."), model)
    assert community.label.name == "community"


def test_describing_procurement_is_not_a_call_to_action(model: ScoringModel) -> None:
    """'How agencies buy' and 'a volunteer reviewed it' describe; they ask the reader nothing."""
    doc = make_doc("We help agencies buy software through a blanket purchase agreement.")
    assert score(doc, model).label.name == "information"
    doc = make_doc("A volunteer reviewed the code. Users subscribe to queries.")
    assert score(doc, model).label.name == "information"


def test_scoring_is_deterministic(model: ScoringModel) -> None:
    doc = make_doc(*POST)
    assert score(doc, model) == score(doc, model)


def test_works_with_the_network_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = score(make_doc(*POST * 3), load_model())
    assert result.readability.flesch_reading_ease is not None


def _with_block_suppress(doc, index: int, ids: tuple[str, ...]):
    """The same document with one block silencing ``ids`` (as an auditor-ignore comment would)."""
    blocks = list(doc.blocks)
    blocks[index] = dataclasses.replace(blocks[index], suppress=ids)
    return dataclasses.replace(doc, blocks=tuple(blocks))


def test_inline_ignore_silences_a_rule_in_one_block_only(model: ScoringModel) -> None:
    doc = make_doc("Our amazing, revolutionary tool.", "An incredible, stunning result.")
    silenced = _with_block_suppress(doc, 0, ("restraint.hype",))
    before = _finding(score(doc, model), "restraint.hype")
    after = _finding(score(silenced, model), "restraint.hype")
    assert before.message.startswith("4 hype words") and after.message.startswith("2 hype words")
    assert all(s.start >= doc.blocks[1].start for s in after.spans)


def test_inline_ignore_takes_dimension_prefixes(model: ScoringModel) -> None:
    doc = _with_block_suppress(make_doc("Buy now! Amazing! Act now!"), 0, ("restraint",))
    assert score(doc, model).score("restraint") == 100
    assert _finding(score(doc, model), "community.thanks").status == "improve"


def test_density_evidence_is_a_few_sentences_not_every_word(model: ScoringModel) -> None:
    dense = "The review of the status of the plan for the office of the board of the city."
    doc = make_doc(*([dense] * 6), "You'll like it, I think.")
    found = _finding(score(doc, model), "conversational.formal_density")
    assert found.status == "improve" and 1 <= len(found.spans) <= 3
    assert all(found.spans[0].text(doc.text) == dense for _ in found.spans)


def test_positive_rule_below_target_marks_nothing_as_a_problem(model: ScoringModel) -> None:
    long = " ".join(["The garden opened in spring and the beds were planted in rows."] * 40)
    found = _finding(score(make_doc("Yes, " + long), model), "conversational.discourse")
    assert found.status == "improve" and not found.spans and "“Yes”" in found.message


def test_a_short_note_is_not_flagged_for_articles(model: ScoringModel) -> None:
    result = score(make_doc("The gate code changes on Monday; ask us at the shed."), model)
    assert _finding(result, "conversational.formal_density").status == "works"


def test_sentence_length_is_judged_on_a_log_scale(model: ScoringModel) -> None:
    """Doubling sentence length costs as much from the floor as it does up to the target."""
    active = next(a for a in model.active if a.rule.id == "conversational.long_sentences")
    assert active.rule.log_scale

    def mark(words: int) -> float:
        doc = make_doc(" ".join(["word"] * (words - 1)) + " end.")
        found = _run(active, doc, _context(doc, model)).mark
        assert found is not None
        return found

    floor, target = int(active.params.floor), int(active.params.target)
    assert mark(floor) - mark(2 * floor) == pytest.approx(mark(target // 2) - mark(target))


def test_one_word_sentences_still_have_a_length(model: ScoringModel) -> None:
    result = score(make_doc("Thanks! Really."), model)
    assert _finding(result, "conversational.long_sentences").status == "works"


def test_one_nominalisation_in_a_sentence_counts(model: ScoringModel) -> None:
    """A share of words, not a rate with a floor: a single-sentence piece shows its density."""
    plain = score(make_doc("We decided to build it with the people who use it."), model)
    dense = score(make_doc("The implementation decision rests with the administration."), model)
    assert _finding(plain, "conversational.nominalisation").status == "works"
    assert _finding(dense, "conversational.nominalisation").status == "improve"


def _outcome(model: ScoringModel, rule_id: str, *paragraphs: str):
    active = next(a for a in model.active if a.rule.id == rule_id)
    doc = make_doc(*paragraphs)
    return _run(active, doc, _context(doc, model))


def test_only_the_reader_address_rules_grow_with_length(model: ScoringModel) -> None:
    grown = {a.rule.id.split(".")[1] for a in model.active if a.by_length}
    assert grown == {"you", "questions", "first_person", "discourse"}


def test_one_sentence_gives_reader_address_little_say(model: ScoringModel) -> None:
    """Whether one sentence happens to hold a 'you' says little about a piece's voice."""
    sentence = "The form is shorter now and takes about five minutes."
    short = _outcome(model, "conversational.you", sentence)
    long = _outcome(model, "conversational.you", *[sentence] * 40)
    assert short.evidence < 0.2
    assert long.evidence > 0.99
    assert _outcome(model, "conversational.contractions", sentence).evidence == 1.0


def test_a_you_moves_a_sentence_less_than_a_post(model: ScoringModel) -> None:
    plain = "The form is shorter now and takes about five minutes."
    addressed = "The form is shorter now and takes you about five minutes."

    def gain(n: int) -> int:
        with_you = score(make_doc(*[addressed] * n), model).score("conversational")
        without = score(make_doc(*[plain] * n), model).score("conversational")
        assert with_you is not None and without is not None
        return with_you - without

    assert 0 < gain(1) < gain(30)


def test_a_few_short_words_are_weak_evidence_of_plain_talk(model: ScoringModel) -> None:
    """'Who is at risk?' is not informal because its words are short: shrunk toward half marks."""
    short = _outcome(model, "conversational.long_words", "Who is at risk?")
    plain = _outcome(model, "conversational.long_words", *["Who is at risk? We are."] * 30)
    assert short.mark is not None and plain.mark is not None
    assert 0.5 < short.mark < plain.mark


def test_a_short_piece_says_why_reader_address_counts_little(model: ScoringModel) -> None:
    short = score(make_doc("The shed is open on Sunday. Bring gloves."), model)
    assert "counts for 11% of the rule's weight" in _finding(short, "conversational.you").message
    assert "short piece" not in _finding(short, "conversational.contractions").message
    long = score(make_doc(*POST), model)
    assert "short piece" not in _finding(long, "conversational.you").message


def test_a_quote_too_long_to_cite_leaves_no_empty_brackets(model: ScoringModel) -> None:
    """A long block quote is highlighted, not quoted in the message: no '()' is left behind."""
    filler = "We planned the work with the team and wrote down what we found each week. " * 150
    quote = " ".join(["The service was slow and the forms asked for far too much."] * 4)
    result = score(make_doc(filler, quote, quoted=(1,)), model)
    message = _finding(result, "community.quotations").message
    assert message.startswith("Only 1 quotation;"), message
    assert "()" not in message


@pytest.mark.parametrize(
    ("rule", "loud", "calm"),
    [
        (
            "restraint.all_caps",
            "It was a GOOD DAY FOR ALL OF US.",
            "It was a good day for all of us.",
        ),
        (
            "restraint.vanity_metrics",
            "Our 5,000 followers loved it.",
            "Our 5,000 neighbours loved it.",
        ),
    ],
)
def test_a_findings_gain_is_what_fixing_it_adds_to_the_overall_score(
    model: ScoringModel, rule: str, loud: str, calm: str
) -> None:
    """Fixing the text a finding quotes raises the overall score by its gain (to rounding).

    The fixes change nothing else a rule reads (replacing "!" would: exclamations are also an
    informal touch that the conversational voice counts)."""
    base = "We met the neighbours and planted trees along the street with them."
    before = score(make_doc(" ".join([base, loud] * 12)), model)
    after = score(make_doc(" ".join([base, calm] * 12)), model)
    pairs = zip(before.findings, before.gains, strict=True)
    [(found, gain)] = [(f, g) for f, g in pairs if f.rule == rule]
    assert found.status == "improve" and gain >= 1.5
    assert abs((after.overall - before.overall) - gain) <= 1
    pairs = zip(after.findings, after.gains, strict=True)
    assert [g for f, g in pairs if f.rule == rule] == [0.0]


def test_gains_are_zero_where_a_rule_cannot_judge(model: ScoringModel) -> None:
    result = score(make_doc("Too short to judge, by design."), model)
    assert len(result.gains) == len(result.findings)
    for finding, gain in zip(result.findings, result.gains, strict=True):
        assert gain >= 0
        if finding.status == "na":
            assert gain == 0.0

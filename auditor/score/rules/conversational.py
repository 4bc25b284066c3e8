"""Conversational voice: talking with the reader in the first and second person, not at them."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from operator import itemgetter

from auditor.model import Document
from auditor.score import density
from auditor.score.rule import Rule, from_lists, worst_sentences
from auditor.score.text import END, OWN, START, Context, Hit, ends_with
from auditor.score.words import APOSTROPHE, NOMINAL, marked

KELLEHER = "Kelleher & Miller 2006, JCMC 11(2): conversational human voice"
BIBER = "Biber 1988, Variation across Speech and Writing, dimension 1 (involved production)"
HEYLIGHEN = "Heylighen & Dewaele 2002, Foundations of Science 7: the formality F-score"
_INFORMAL_MARKS = (  # (what a text must hold for the pattern to match, the pattern)
    ("!", re.compile(r"!!*")),  # a literal first: "!+" would be tried at every character
    ("...", re.compile(r"\.\.\.+")),
    (":", re.compile(r":(?<!\w:)-?[)(DPp](?!\w)")),
    (";", re.compile(r";(?<!\w;)-?[)(DPp](?!\w)")),
)
_NON_ASCII_MARKS = re.compile(r"[…\U0001F300-\U0001FAFF\u2600-\u27BF]")
_CONTRACTION_ENDS = ("n't", "'re", "'ve", "'ll", "'d", "'m")
_QUESTION_MARK = re.compile(r"\?")
_START = itemgetter(START)


def questions(doc: Document, ctx: Context) -> list[Hit]:
    """Sentences in the author's own voice that end with a question mark.

    Only the sentences holding a question mark can end with one: found from the few marks
    (one C search), not by testing every sentence.
    """
    text, sentences = ctx.text, ctx.sentences
    holding: dict[int, None] = {}  # sentence indices, in text order, each once
    for mark in _QUESTION_MARK.finditer(text):
        i = bisect_right(sentences, mark.start(), key=_START) - 1
        if i >= 0 and mark.start() < sentences[i][END]:
            holding[i] = None
    found = [sentences[i] for i in holding]
    return [(s[START], s[END]) for s in found if s[OWN] and ends_with(text, s, "?")]


def contractions(doc: Document, ctx: Context) -> list[Hit]:
    """Own-voice contractions: n't, 're, 've, 'll, 'd, 'm, and listed 's forms (not possessives)."""
    s_forms = {first for first, _, _ in ctx.matches.get("contractions_s", ())}
    own, starts, ends, words = ctx.own, ctx.starts, ctx.ends, ctx.words
    return [
        (starts[i], ends[i])
        for i in marked(ctx, APOSTROPHE)
        if own[i] and (words[i].endswith(_CONTRACTION_ENDS) or i in s_forms)
    ]


def discourse(doc: Document, ctx: Context) -> list[Hit]:
    """Hedges and discourse markers anywhere, plus 'Well,' / 'So' style openers of sentences."""
    spans = from_lists("discourse")(doc, ctx) or []
    for first, last, own in ctx.matches.get("discourse_initial", ()):
        if own and ctx.starts[first] in ctx.sentence_starts and _comma_after(ctx, last):
            spans.append(ctx.token_hit(first, last))
    return sorted(spans)


def _comma_after(ctx: Context, token: int) -> bool:
    """'Well, ...' is a marker; 'Well-run teams ...' and 'So many ...' are not."""
    return ctx.text[ctx.ends[token] : ctx.ends[token] + 1] == ","


def first_person(doc: Document, ctx: Context) -> list[Hit]:
    """'I', 'we', 'us', ...; but 'US' in capitals is the country ("the US Department of ...")."""
    hits = from_lists("first_person")(doc, ctx) or []
    return [(a, b) for a, b in hits if ctx.text[a:b] != "US"]


def informal(doc: Document, ctx: Context) -> list[Hit]:
    """Interjections and spoken forms, plus emoji, emoticons, exclamations and trailing dots."""
    hits = from_lists("informal")(doc, ctx) or []
    hits += [m.span() for m in informal_marks(ctx.text) if ctx.is_own(m.start())]
    return sorted(hits)


def informal_marks(text: str) -> Iterator[re.Match[str]]:
    """Exclamation runs, trailing dots, emoticons, ellipses and emoji, kind by kind.

    The kinds start with different characters and never overlap, so their matches are those
    of one pattern with a branch per kind. But the regex engine skips ahead to one literal
    character several times faster than to any of a class, and a C-level ``in`` test skips
    a kind the text cannot hold (the non-ASCII marks in an all-ASCII text: an O(1) test).
    """
    for holds, pattern in _INFORMAL_MARKS:
        if holds in text:
            yield from pattern.finditer(text)
    if not text.isascii():
        yield from _NON_ASCII_MARKS.finditer(text)


def nominalisations(doc: Document, ctx: Context) -> list[Hit]:
    """Own-voice nouns made from verbs and adjectives (-tion, -ment, -ness, -ity, ...)."""
    starts, ends = ctx.starts, ctx.ends
    return [(starts[i], ends[i]) for i in _nominal_tokens(ctx)]


def _nominal_tokens(ctx: Context) -> list[int]:
    """Indices of own-voice nominalisations, found once per piece (rule and measure share them).

    A capitalised word that does not start a sentence is part of a name ("Federal Citizen
    Information Center", "Small Business Administration"): nobody can turn it into a verb.
    """
    found = ctx.memo.get("nominal")
    if found is None:
        own, text, starts, firsts = ctx.own, ctx.text, ctx.starts, ctx.sentence_starts
        found = ctx.memo["nominal"] = [
            i
            for i in marked(ctx, NOMINAL)
            if own[i] and (starts[i] in firsts or not text[starts[i]].isupper())
        ]
    assert isinstance(found, list)
    return found


def nominal_share(ctx: Context) -> float | None:
    """Nominalisations as a share of own words, shrunk like the density proxy (+20 words).

    A share, not a rate with a floor: one nominalisation in a ten-word sentence is evidence,
    and a sentence with three is denser than one with one.
    """
    n = ctx.own_words
    return len(_nominal_tokens(ctx)) / (n + density.PRIOR_WORDS) if n else None


def describe_nominal(ctx: Context) -> str:
    """'Nominalisations are 3% of words'."""
    return f"Nominalisations are {100 * (nominal_share(ctx) or 0.0):.1f}% of words"


def dense_sentences(doc: Document, ctx: Context) -> list[Hit] | None:
    """The sentences where articles and prepositions most outweigh pronouns."""
    value = density.formality_proxy(ctx)
    if value is None:
        return None
    return density.top_sentences(ctx, density.sentence_proxies, value)


def describe_density(ctx: Context) -> str:
    """'Articles and prepositions minus pronouns: 21% of words'."""
    value = density.formality_proxy(ctx) or 0.0
    return f"Articles and prepositions outnumber pronouns by {100 * value:.0f}% of words"


def long_word_sentences(doc: Document, ctx: Context) -> list[Hit] | None:
    """The sentences with the longest words on average."""
    value = density.mean_word_length(ctx)
    if value is None:
        return None
    return density.top_sentences(ctx, density.sentence_word_lengths, value)


NEUTRAL_WORD_LENGTH = 4.8
"""Half marks of long_words (the middle of its floor 4.3 and target 5.3 in weights.toml)."""


def word_length(ctx: Context) -> float | None:
    """Mean letters per own word, shrunk toward half marks by 20 words (as the density proxy).

    A three-word sentence's average says little: "Who is at risk?" is not plain talk because
    its words are short. Shrinking by the density proxy's 20 words keeps a post's average as
    it is (960 words move it by about 0.01 letters).
    """
    t = density.totals(ctx)
    if not t.own_alpha:
        return None
    prior = density.PRIOR_WORDS
    return (t.own_letters + NEUTRAL_WORD_LENGTH * prior) / (t.own_alpha + prior)


def describe_word_length(ctx: Context) -> str:
    """'Words average 5.1 letters'."""
    return f"Words average {density.mean_word_length(ctx) or 0.0:.1f} letters"


def longest_sentences(doc: Document, ctx: Context) -> list[Hit] | None:
    """The longest sentences."""
    value = density.mean_sentence_length(ctx)
    if value is None:
        return None
    return density.top_sentences(ctx, density.sentence_lengths, value)


def describe_sentence_length(ctx: Context) -> str:
    """'Sentences average 24 words'."""
    return f"Sentences average {density.mean_sentence_length(ctx) or 0.0:.0f} words"


RULES = (
    Rule(
        id="conversational.you",
        title="Addresses the reader",
        polarity="positive",
        noun=("word addressing the reader", "words addressing the reader"),
        why="Talking to the reader as 'you' is the clearest mark of a conversational human voice.",
        suggestion=(
            "Rewrite a sentence or two to speak to the reader directly: 'you can', 'if you've "
            "ever...'."
        ),
        research=f"{KELLEHER}; {BIBER}",
        detect=from_lists("second_person"),
        flags=("If you have ten minutes, you can try it yourself.",),
        passes=("The agency released the report on Tuesday.", 'She wrote: "you should try it".'),
    ),
    Rule(
        id="conversational.questions",
        title="Asks the reader questions",
        polarity="positive",
        noun=("question to readers", "questions to readers"),
        why="Questions turn a statement into a conversation and make readers think along.",
        suggestion=(
            "Ask the reader something they can answer from their own experience, e.g. 'Have you "
            "run into this?'"
        ),
        research=f"{BIBER}; Kent & Taylor 1998, Public Relations Review 24(3)",
        detect=questions,
        flags=("Have you ever tried to fill in this form?",),
        passes=("We filled in the form.",),
    ),
    Rule(
        id="conversational.first_person",
        title="Speaks as people (I, we)",
        polarity="positive",
        noun=("first-person word", "first-person words"),
        why=(
            "Posts written as 'I' and 'we' sound like people talking, not an institution issuing "
            "notices."
        ),
        suggestion="Say who did the work and what you noticed: 'We tried...', 'I learned...'.",
        research=f"{KELLEHER}; {BIBER}",
        detect=first_person,
        flags=("I learned a lot when we tested it.", "Let us know, and join us."),
        passes=(
            "The system was tested by the team.",
            "The US Department of Veterans Affairs runs the site.",
        ),
    ),
    Rule(
        id="conversational.contractions",
        title="Uses contractions",
        polarity="positive",
        noun=("contraction", "contractions"),
        why=(
            "Contractions ('it's', 'we're', 'don't') are how people talk; their absence reads as "
            "formal."
        ),
        suggestion=(
            "Where it reads naturally, contract: 'it is' to 'it's', 'we are' to 'we're', 'do not'"
            " to 'don't'."
        ),
        research=BIBER,
        detect=contractions,
        flags=("It's simpler than we'd feared, and we're glad.",),
        passes=("It is simpler than the team had feared.", "The team's new site is live."),
    ),
    Rule(
        id="conversational.discourse",
        title="Uses discourse markers and hedges",
        polarity="positive",
        noun=("discourse marker", "discourse markers"),
        why=(
            "Markers like 'I think', 'of course' and 'Well,' signal a person thinking aloud with "
            "the reader."
        ),
        suggestion="Let your own view show: 'I think...', 'To be honest, ...', 'Of course, ...'.",
        research=BIBER,
        detect=discourse,
        flags=("Well, I think it turns out we were lucky.",),
        passes=("Well-run teams ship often.", "The results were positive."),
    ),
    Rule(
        id="conversational.informal",
        title="Informal speech",
        polarity="positive",
        noun=("informal touch", "informal touches"),
        why=(
            "Interjections, spoken words and the odd exclamation or emoji are how people talk; "
            "readers hear a person, not an institution."
        ),
        suggestion=(
            "Let a little everyday speech in where it fits: 'Oh, and...', 'a bunch of', "
            "'pretty much', or one well-placed exclamation."
        ),
        research=f"{KELLEHER} (informal speech); {BIBER}",
        detect=informal,
        flags=(
            "Oh, we got a bunch of replies :)",
            "Yeah, it worked!",
            "Hey, we figured out a weird little fix.",
        ),
        passes=("The responses were numerous.", "The fix was unusual but effective."),
    ),
    Rule(
        id="conversational.corporate",
        title="Corporate speak and officialese",
        polarity="negative",
        noun=("corporate phrase", "corporate phrases"),
        why=(
            "Jargon like 'leverage synergies' and officialese like 'in order to' or 'therefore' "
            "put distance between writer and reader."
        ),
        suggestion=(
            "Swap each phrase for the plain word: 'use' for 'utilize', 'to' for 'in order to', "
            "'before' for 'prior to', 'so' for 'therefore', 'help' for 'assistance'."
        ),
        research=(
            f"{KELLEHER}; proselint corporate-speak checks (BSD-3-Clause); plainlanguage.gov, "
            "'Use simple words and phrases' (public domain)"
        ),
        detect=from_lists("corporate"),
        rank=worst_sentences,
        flags=(
            "We will leverage synergies in order to streamline deliverables.",
            "We shall endeavor to ensure sufficient assistance is furnished.",
            "However, the remainder will be transmitted subsequently.",
        ),
        passes=(
            "We will use what each team does well to ship sooner.",
            "We'll make sure you get enough help, but the rest comes later.",
        ),
    ),
    Rule(
        id="conversational.nominalisation",
        title="Nominalisations",
        polarity="negative",
        noun=("nominalisation", "nominalisations"),
        why=(
            "Nouns made from verbs ('implementation', 'utilization') hide who does what and make "
            "prose dense."
        ),
        suggestion=(
            "Turn the noun back into a verb with a person doing it: 'the implementation of' "
            "becomes 'we implemented'."
        ),
        research=f"{BIBER}; {HEYLIGHEN}",
        detect=nominalisations,
        rank=worst_sentences,
        flags=(
            "The implementation of the modernization requires coordination.",
            "Our modernization roadmap needs more thought.",
        ),
        passes=(
            "We built it together and it works.",
            "Our community asked a question.",
            "We decided to build the new form together with the people who use it every week.",
            "We called the Federal Citizen Information Center and the Small Business "
            "Administration to ask them.",
        ),
        measure=nominal_share,
        describe=describe_nominal,
    ),
    Rule(
        id="conversational.formal_density",
        title="Dense, noun-heavy phrasing",
        polarity="negative",
        noun=("dense sentence", "dense sentences"),
        why=(
            "Chains of 'the ... of the ... for the ...' with few pronouns mark formal, "
            "informational prose rather than talk."
        ),
        suggestion=(
            "In the marked sentences, break up 'the X of the Y for the Z' chains: name who acts "
            "('we', 'you') and use a verb."
        ),
        research=HEYLIGHEN,
        detect=dense_sentences,
        flags=(
            "The review of the status of the implementation of the plan for the office of the "
            "director of the department of the city, with the approval of the board.",
        ),
        passes=(
            "You'll like it, I think.",
            "We think you should try it with us.",
            "The gate code changes on Monday; ask us at the shed.",
        ),
        measure=density.formality_proxy,
        describe=describe_density,
    ),
    Rule(
        id="conversational.long_words",
        title="Long words",
        polarity="negative",
        noun=("sentence of long words", "sentences of long words"),
        why=(
            "Long, Latinate words ('functionality', 'subsequently') are the mark of written, "
            "informational prose; talk uses short ones."
        ),
        suggestion=(
            "In the marked sentences, swap long words for the short ones you would say aloud: "
            "'use' for 'utilise', 'help' for 'assistance'."
        ),
        research=f"{BIBER}; Pavlick & Tetreault 2016, TACL 4 (word length and formality)",
        detect=long_word_sentences,
        flags=("Organizational interoperability necessitates comprehensive documentation.",),
        passes=("We got the form down to ten short questions.",),
        measure=word_length,
        describe=describe_word_length,
    ),
    Rule(
        id="conversational.long_sentences",
        title="Long sentences",
        polarity="negative",
        noun=("long sentence", "long sentences"),
        why=(
            "People talk in short sentences; long ones read as written reports and are rated "
            "more formal."
        ),
        suggestion="Split the marked sentences where the idea turns: one point per sentence.",
        research="Pavlick & Tetreault 2016, TACL 4 (sentence length and formality); Flesch 1948",
        detect=longest_sentences,
        flags=(
            "When we started the project in the spring of last year we did not yet know how "
            "many of the residents in the northern part of the city would use the new form.",
        ),
        passes=(
            "We started last spring. We didn't know who would use it.",
            "Thanks! Really.",
        ),
        measure=density.mean_sentence_length,
        describe=describe_sentence_length,
        log_scale=True,
    ),
)

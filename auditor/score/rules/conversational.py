"""Conversational voice: talking with the reader in the first and second person, not at them."""

from __future__ import annotations

from auditor.model import Document, Span
from auditor.score.rule import Rule, from_lists
from auditor.score.text import Context

KELLEHER = "Kelleher & Miller 2006, JCMC 11(2): conversational human voice"
BIBER = "Biber 1988, Variation across Speech and Writing, dimension 1 (involved production)"
HEYLIGHEN = "Heylighen & Dewaele 2002, Foundations of Science 7: the formality F-score"
_CONTRACTION_ENDS = ("n't", "'re", "'ve", "'ll", "'d", "'m")


def questions(doc: Document, ctx: Context) -> list[Span]:
    """Sentences in the author's own voice that end with a question mark."""
    return [s.span for s in ctx.sentences if s.own and s.ends_with(ctx.text, "?")]


def contractions(doc: Document, ctx: Context) -> list[Span]:
    """Own-voice contractions: n't, 're, 've, 'll, 'd, 'm, and listed 's forms (not possessives)."""
    s_forms = {m.first for m in ctx.matches.get("contractions_s", ())}
    return [
        ctx.token_span(i, i)
        for i, w in enumerate(ctx.words)
        if "'" in w and ctx.own[i] and (w.endswith(_CONTRACTION_ENDS) or i in s_forms)
    ]


def discourse(doc: Document, ctx: Context) -> list[Span]:
    """Hedges and discourse markers anywhere, plus 'Well,' / 'So' style openers of sentences."""
    spans = from_lists("discourse")(doc, ctx) or []
    for m in ctx.matches.get("discourse_initial", ()):
        if m.own and ctx.starts[m.first] in ctx.sentence_starts and _comma_after(ctx, m.last):
            spans.append(ctx.token_span(m.first, m.last))
    return sorted(spans, key=lambda s: s.start)


def _comma_after(ctx: Context, token: int) -> bool:
    """'Well, ...' is a marker; 'Well-run teams ...' and 'So many ...' are not."""
    return ctx.text[ctx.ends[token] : ctx.ends[token] + 1] == ","


def nominalisations(doc: Document, ctx: Context) -> list[Span]:
    """Own-voice nouns made from verbs and adjectives (-tion, -ment, -ness, -ity, ...)."""
    suffixes = tuple(sorted(ctx.vocab["nominal_suffixes"]))
    plain = ctx.vocab["nominal_plain"]
    return [
        ctx.token_span(i, i)
        for i, w in enumerate(ctx.words)
        if ctx.own[i] and len(w) >= 8 and w.endswith(suffixes) and w not in plain
    ]


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
        detect=from_lists("first_person"),
        flags=("I learned a lot when we tested it.",),
        passes=("The system was tested by the team.",),
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
        id="conversational.corporate",
        title="Corporate speak and officialese",
        polarity="negative",
        noun=("corporate phrase", "corporate phrases"),
        why=(
            "Jargon like 'leverage synergies' and 'in order to' puts distance between writer and "
            "reader."
        ),
        suggestion=(
            "Swap each phrase for the plain word: 'use' for 'utilize', 'to' for 'in order to', "
            "'before' for 'prior to'."
        ),
        research=f"{KELLEHER}; proselint corporate-speak checks (BSD-3-Clause)",
        detect=from_lists("corporate"),
        flags=("We will leverage synergies in order to streamline deliverables.",),
        passes=("We will use what each team does well to ship sooner.",),
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
        flags=("The implementation of the modernization requires coordination.",),
        passes=("We built it together and it works.", "Our community asked a question."),
    ),
    Rule(
        id="conversational.formal_density",
        title="Dense, noun-heavy phrasing",
        polarity="negative",
        noun=("article or preposition", "articles and prepositions"),
        why=(
            "Chains of 'the ... of the ... for the ...' mark formal, informational prose rather "
            "than talk."
        ),
        suggestion="Break up 'the X of the Y for the Z' chains: name who acts and use a verb.",
        research=HEYLIGHEN,
        detect=from_lists("formal_closed"),
        flags=("The review of the status of the implementation of the plan for the office.",),
        passes=("You'll like it, I think.",),
    ),
)

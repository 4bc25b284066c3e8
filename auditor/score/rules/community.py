"""Community & credit: crediting, quoting and linking others, courtesy to readers, inclusive 'we'.

Courtesy follows the politeness strategies of Danescu-Niculescu-Mizil et al. (2013): gratitude,
deference, greetings, please, apology, indirect and hedged requests count for a piece; blunt,
blaming and scornful words count against it.
"""

from __future__ import annotations

from bisect import bisect_right

from auditor.model import Document
from auditor.score.lexicon import MATCH_OWN, Match
from auditor.score.rule import Rule, from_lists
from auditor.score.text import FIRST, STOP, Context, Hit
from auditor.score.words import ATTRIBUTION, marked

KELLEHER = "Kelleher & Miller 2006, JCMC 11(2): conversational human voice"
LOVEJOY = "Lovejoy & Saxton 2012, JCMC 17(3): community function (recognition, thanks)"
DANESCU = "Danescu-Niculescu-Mizil et al. 2013, ACL: politeness strategies"
AS_WINDOW = 4
NOT_AT_START = frozenset({"please"})
ONLY_AT_START = frozenset({"dear"})
WH_WORDS = frozenset({"how", "what", "where", "when", "why", "which", "who"})
MODALS = frozenset({"could", "would", "do", "may", "might"})
WH_REACH = 4


def attribution(doc: Document, ctx: Context) -> list[Hit]:
    """Credit phrases ('thanks to', 'via', 'photo by') and 'as NAME says/writes' constructions."""
    spans = from_lists("attribution", own_only=False)(doc, ctx) or []
    for i in marked(ctx, ATTRIBUTION):
        first = _as_name_before(ctx, i)
        if first is not None:
            spans.append(ctx.token_hit(first, i))
    return sorted(spans)


def _as_name_before(ctx: Context, verb: int) -> int | None:
    """Index of 'as' in 'As Jane Jacobs wrote', when a capitalised name follows it."""
    for j in range(max(0, verb - AS_WINDOW), verb - 1):
        if ctx.words[j] == "as" and ctx.text[ctx.starts[j + 1]].isupper():
            return j
    return None


def quotations(doc: Document, ctx: Context) -> list[Hit]:
    """Block quotes and passages in quotation marks: other people's words, given room."""
    blocks = [(b.start, b.end) for b in doc.blocks if b.quoted]
    inline = [
        (q.start, q.end) for q in ctx.quotations if len(ctx.text[q.start : q.end].split()) >= 3
    ]
    return sorted(blocks + inline)


def courtesy(doc: Document, ctx: Context) -> list[Hit]:
    """Greetings, please, apologies; 'please' counts inside a sentence, 'dear' only opening one.

    In the study a sentence-initial 'Please do not...' was rated less polite than average, while
    'Could you please...' was among the most polite forms; 'Dear 18F:' greets, 'the values we
    hold dear' does not.
    """
    return [
        ctx.token_hit(first, last)
        for first, last, _ in _own(ctx, "courtesy")
        if _placed(ctx, first)
    ]


def _placed(ctx: Context, first: int) -> bool:
    """Whether a courtesy word at token ``first`` stands where it is courteous (``courtesy``)."""
    word, opens = ctx.words[first], _opens_sentence(ctx, first)
    return not (word in NOT_AT_START and opens) and (word not in ONLY_AT_START or opens)


def softeners(doc: Document, ctx: Context) -> list[Hit]:
    """Counterfactual modals and hedges, except in wh-questions and clauses.

    'Could you send...' softens a request; 'How much would you save?' and 'What could we do?'
    ask about a hypothetical, and 'how we think about deliverables' is no hedge.
    """
    return [
        ctx.token_hit(first, last)
        for first, last, _ in _own(ctx, "softeners")
        if not _wh_led(ctx, first)
    ]


def _wh_led(ctx: Context, first: int) -> bool:
    """Whether a wh-word leads the phrase starting at token ``first``: 'how much money would
    you', 'how we think'.

    A modal may follow the wh-word by a few words, a hedge only directly, in the same sentence.
    """
    reach = WH_REACH if ctx.words[first] in MODALS else 1
    start = max(_sentence_first(ctx, first), first - reach)
    return any(w in WH_WORDS for w in ctx.words[start:first])


def blunt(doc: Document, ctx: Context) -> list[Hit]:
    """Scorn and blame anywhere, and blame that opens a sentence with 'you' ('You didn't...')."""
    spans = [ctx.token_hit(first, last) for first, last, _ in _own(ctx, "blunt")]
    spans += [
        ctx.token_hit(first, last)
        for first, last, _ in _own(ctx, "blunt_start")
        if _opens_sentence(ctx, first)
    ]
    return sorted(spans)


def inclusive_we(doc: Document, ctx: Context) -> list[Hit]:
    """'Let's', 'we all', 'join us': phrases that put the reader inside 'we', within a sentence."""
    return [ctx.token_hit(first, last) for first, last, _ in _own(ctx, "inclusive_we")]


def _own(ctx: Context, name: str) -> list[Match]:
    """Own-voice matches of a list that stay inside one sentence ('as we could. We had...')."""
    return [m for m in ctx.matches.get(name, ()) if m[MATCH_OWN] and _one_sentence(ctx, m)]


def _one_sentence(ctx: Context, m: Match) -> bool:
    """Whether no sentence starts after the match's first word (a one-word match: at once)."""
    first, last, _ = m
    if first == last:
        return True
    starts = ctx.sentence_starts
    return not any(ctx.starts[k] in starts for k in range(first + 1, last + 1))


def _opens_sentence(ctx: Context, token: int) -> bool:
    """Whether the token is a sentence's first word."""
    return ctx.starts[token] in ctx.sentence_starts


def _sentence_first(ctx: Context, token: int) -> int:
    """Index of the first token of the sentence holding ``token``."""
    firsts = ctx.memo.get("sentence_firsts")
    if firsts is None:  # kept: softeners ask once per match
        firsts = ctx.memo["sentence_firsts"] = [
            s[FIRST] for s in ctx.sentences if s[STOP] > s[FIRST]
        ]
    assert isinstance(firsts, list)
    i = bisect_right(firsts, token) - 1
    return firsts[i] if i >= 0 else 0


def external_links(doc: Document, ctx: Context) -> list[Hit]:
    """Anchors of links to other people's sites."""
    return [(link.start, link.end) for link in doc.links if link.external]


RULES = (
    Rule(
        id="community.attribution",
        title="Credits others",
        polarity="positive",
        noun=("credit to others", "credits to others"),
        why=(
            "Naming where ideas, photos and help came from treats other people's work as part of "
            "the story."
        ),
        suggestion=(
            "Credit who helped or inspired the post: 'Thanks to Ana Ruiz for the data', 'Photo by"
            " ...', 'As Jane Jacobs wrote, ...'."
        ),
        research=f"{KELLEHER}; {LOVEJOY}",
        detect=attribution,
        flags=("As Jane Jacobs wrote, cities are for people. Photo by Sam Lee.",),
        passes=("Cities are for people.", "We did as we said.", "We share our work via email."),
    ),
    Rule(
        id="community.quotations",
        title="Quotes other people",
        polarity="positive",
        noun=("quotation", "quotations"),
        why="Quoting people lets their voices into the post and shows the author is listening.",
        suggestion="Quote someone affected by the work, in their own words, and name them.",
        research=KELLEHER,
        detect=quotations,
        flags=('Maria told us, "the new form took me five minutes."',),
        passes=("Maria said the form was quick.", 'We call it "done".'),
    ),
    Rule(
        id="community.external_links",
        title="Links to others' work",
        polarity="positive",
        noun=("link to another site", "links to other sites"),
        why=(
            "Linking to others (even competitors) is one of the marks readers use to judge an "
            "open, conversational voice."
        ),
        suggestion=(
            "Link to the people, projects and sources you mention, not only to your own pages."
        ),
        research=KELLEHER,
        detect=external_links,
        flags=("Ana's [guide to forms](https://example.org/forms) is the best we know.",),
        passes=("We wrote about this on our own site.",),
    ),
    Rule(
        id="community.thanks",
        title="Thanks and recognises people",
        polarity="positive",
        noun=("thanks or recognition", "thanks and recognitions"),
        why=(
            "Thanking and recognising people is the heart of the community function of "
            "organisational posts."
        ),
        suggestion=(
            "Thank the people who made this happen by name: volunteers, partners, readers who "
            "wrote in."
        ),
        research=f"{LOVEJOY}; {DANESCU}",
        detect=from_lists("thanks", own_only=False),
        flags=(
            "Thank you to our volunteers, and congratulations to the winners.",
            "Our product owner has done a great job prioritizing the backlog.",
        ),
        passes=(
            "The volunteers finished the work.",
            "Our API standards recognize this. It is always a good idea to label issues.",
            "The cohort grew an appreciation for product management.",
        ),
    ),
    Rule(
        id="community.courtesy",
        title="Courtesy and openness",
        polarity="positive",
        noun=("courtesy", "courtesies"),
        why=(
            "Greetings, 'please' inside a request, apologies and 'you're right' treat readers as "
            "people and admit the author can be wrong."
        ),
        suggestion=(
            "Greet readers, say please inside a request ('Could you please...'), and own mistakes "
            "plainly: 'We got this wrong, and we're sorry.'"
        ),
        research=f"{DANESCU}; {KELLEHER}",
        detect=courtesy,
        flags=(
            "Hi everyone! Could you please check the form? Sorry for the delay.",
            "By the way, you're right about the dates.",
        ),
        passes=(
            "Check the form.",
            "Please do not edit this page.",
            "It is exciting to see the values we hold dear spread.",
        ),
    ),
    Rule(
        id="community.softeners",
        title="Softens requests",
        polarity="positive",
        noun=("softened request", "softened requests"),
        why=(
            "'Could you...', 'would you mind...' and 'I think' leave the reader room to say no or "
            "disagree; in rated requests they are among the most polite forms."
        ),
        suggestion=(
            "Ask instead of telling where a reader has a choice: 'Could you send us...' rather "
            "than 'Send us...'; mark opinions as yours ('I think...')."
        ),
        research=DANESCU,
        detect=softeners,
        flags=("Would you mind checking the dates? I think one is wrong.",),
        passes=(
            "Check the dates. One is wrong.",
            "Can you see the difference?",
            "How much money would you have to save? What could we do?",
            "(At a discount rate of 3%), how much money would you have to save?",
            "We changed how we think about deliverables.",
            "We had prepared as well as we could. We had tried everything.",
        ),
    ),
    Rule(
        id="community.blunt",
        title="Blunt or blaming words",
        polarity="negative",
        noun=("blunt or blaming phrase", "blunt or blaming phrases"),
        why=(
            "Insults and blame aimed at the reader ('You didn't...', 'Why didn't you...') were "
            "rated least polite in the study; 'obviously' tells readers who missed it that they "
            "should not have."
        ),
        suggestion=(
            "Drop the judgement and say what happened and what helps: 'The form lost your data; "
            "here is how to recover it' rather than 'You didn't save the form'; cut 'obviously'."
        ),
        research=DANESCU,
        detect=blunt,
        flags=(
            "Why didn't you read the guide? This is ridiculous.",
            "You forgot to save the form.",
        ),
        passes=(
            "Why did you join 18F?",
            "If you forgot your password, we can reset it.",
            "The form was slow, so we rebuilt it.",
            "Security through obscurity is a terrible idea. Write some crappy code first.",
            "Objects are garbage collected. The team is ignorant of best practices.",
            "You need to install Docker first. You must make sure each part is patched.",
            "What were you thinking when you saw your first bug?",
        ),
    ),
    Rule(
        id="community.inclusive_we",
        title="Includes the reader in 'we'",
        polarity="positive",
        noun=("reader-inclusive 'we'", "reader-inclusive 'we's"),
        why=(
            "'Let's' and 'together we' put the reader inside the group; 'we are proud to "
            "announce' leaves them outside."
        ),
        suggestion=(
            "Bring readers in: 'Let's look at...', 'We'd love to hear how you...', 'Join us...'."
        ),
        research=f"{KELLEHER}; {DANESCU}",
        detect=inclusive_we,
        flags=("Let's work on this together; we'd love to hear from all of us.",),
        passes=(
            "We are proud to announce our award-winning platform.",
            "The summit brought together industry leaders.",
            "A few of us here took time to draft it, and this will help us ensure it works.",
            "Let us know how it goes. We thank our partners.",
            "We work well together. We are proud of it.",
        ),
    ),
    Rule(
        id="community.social_words",
        title="Speaks of community",
        polarity="positive",
        noun=("community word", "community words"),
        why=(
            "Words about people, neighbours, volunteers and sharing show what the post is for "
            "beyond the organisation."
        ),
        suggestion=(
            "Say who the work is for and who took part: neighbours, volunteers, partners, the "
            "people who use it."
        ),
        research=f"{LOVEJOY}; Empath social categories (Fast et al. 2016)",
        detect=from_lists("community"),
        flags=("Volunteers and neighbors helped each other.",),
        passes=("The server was upgraded.",),
    ),
)

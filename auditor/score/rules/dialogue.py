"""Dialogue: invitations to reply, a closing question, answering readers, reasons to return."""

from __future__ import annotations

from auditor.model import Document
from auditor.score.rule import Rule, from_lists
from auditor.score.text import BLOCK, END, OWN, START, Context, Hit, Sentence, ends_with

KENT = "Kent & Taylor 1998, Public Relations Review 24(3): dialogic principles"
LOVEJOY = "Lovejoy & Saxton 2012, JCMC 17(3): information, community, action"
CLOSING_SENTENCES = 3


def closing_question(doc: Document, ctx: Context) -> list[Hit] | None:
    """An own-voice question among the last three body sentences; None for a piece with no prose."""
    last = _last_body_sentences(doc, ctx)
    if not last:
        return None
    return [(s[START], s[END]) for s in last if ends_with(ctx.text, s, "?")]


def _last_body_sentences(doc: Document, ctx: Context) -> list[Sentence]:
    """The last three own-voice sentences outside headings, in text order, read from the end
    (a post's hundred sentences need not all be looked at)."""
    blocks, last = doc.blocks, []  # no blocks: the scorer's one paragraph, no heading
    for s in reversed(ctx.sentences):
        if s[OWN] and not (blocks and blocks[s[BLOCK]].kind == "heading"):
            last.append(s)
            if len(last) == CLOSING_SENTENCES:
                break
    return last[::-1]


RULES = (
    Rule(
        id="dialogue.invitations",
        title="Invites replies",
        polarity="positive",
        noun=("invitation to reply", "invitations to reply"),
        why=(
            "Asking readers to reply, comment or share opens the dialogic loop that builds a "
            "community."
        ),
        suggestion=(
            "Ask readers to take part: 'Let us know in the comments how you handle this' or 'Tell"
            " us what we missed'."
        ),
        research=f"{KENT}; {LOVEJOY}",
        detect=from_lists("invitation"),
        flags=(
            "Let us know what you think, or share your stories with us.",
            "For more on our tools, just ask us at 18f@gsa.gov. Anyone can contribute.",
        ),
        passes=(
            "The report is available on our website.",
            "Tell me more about the platform concept",
            "People with diverse talents contribute. They wouldn't ask me technical questions.",
            "We invited Abdul to tell us more. When you make a pull request, GitHub checks it.",
        ),
    ),
    Rule(
        id="dialogue.closing_question",
        title="Ends with a question",
        polarity="positive",
        noun=("closing question", "closing questions"),
        why=(
            "A question at the end gives readers an obvious way to answer and keeps the "
            "conversation going."
        ),
        suggestion=(
            "End with a question that invites readers to share their experience, e.g. 'How does "
            "your team handle this?'"
        ),
        research=KENT,
        detect=closing_question,
        flags=("That is how we did it. How does your team handle this?",),
        passes=("How do teams cope? Here is what we learned. First we asked. Then we built it.",),
        presence=True,
    ),
    Rule(
        id="dialogue.responsive",
        title="Answers readers",
        polarity="positive",
        noun=("reply to readers", "replies to readers"),
        why=(
            "Showing that you read and answer readers ('you asked', 'in the comments') proves the"
            " dialogue is real."
        ),
        suggestion=(
            "Credit a reader's question or comment that prompted the post: 'Many of you asked "
            "how...'."
        ),
        research=f"{KENT}; {LOVEJOY}",
        detect=from_lists("responsive"),
        flags=("Many of you asked how we picked the tools.",),
        passes=(
            "We picked the tools carefully.",
            "In response to a crisis, policy changes fast.",
        ),
    ),
    Rule(
        id="dialogue.return",
        title="Gives reasons to return",
        polarity="positive",
        noun=("reason to return", "reasons to return"),
        why=(
            "Series and promised follow-ups give readers a reason to come back and keep the "
            "relationship going."
        ),
        suggestion="Tell readers what comes next: 'In part 2 next week we'll look at...'.",
        research=KENT,
        detect=from_lists("series_return"),
        flags=("Next week, in part 2 of this series, we'll cover the data.",),
        passes=(
            "That is all there is to say about the data.",
            "Last week, GSA launched a new site. Plan the upcoming week.",
        ),
    ),
)

"""Restraint: little broadcasting, hype, vanity metrics, hard selling, shouting."""

from __future__ import annotations

import re

from auditor.model import Document
from auditor.score.rule import Rule, from_lists
from auditor.score.text import Context, Hit

KENT = "Kent & Taylor 1998, Public Relations Review 24(3): dialogue over one-way broadcast"
LOVEJOY = "Lovejoy & Saxton 2012, JCMC 17(3): one-way information vs community"
KELLEHER = "Kelleher & Miller 2006, JCMC 11(2): conversational human voice"
MAX_ACRONYM = 5
SHOUT_RUN = 3


def exclamations(doc: Document, ctx: Context) -> list[Hit]:
    """Exclamation marks in the author's own words."""
    return [m.span() for m in _BANG.finditer(ctx.text) if ctx.is_own(m.start())]


def all_caps(doc: Document, ctx: Context) -> list[Hit]:
    """Shouted words: all-caps words longer than an acronym, or runs of three or more."""
    spans: list[Hit] = []
    first = _TWO_CAPITALS.search(ctx.text) if may_shout(ctx.text) else None
    if first is None:  # a shouted word holds two capitals with at most apostrophes between
        return spans
    for m in _CAPS_RUN.finditer(ctx.text, first.start()):
        if m.end() - m.start() <= MAX_ACRONYM or not ctx.is_own(m.start()):
            continue  # one acronym: neither a long word nor a run of three
        words = _CAPS_WORD.findall(m.group())
        if len(words) >= SHOUT_RUN:
            spans.append(m.span())
        else:
            spans += [
                (w.start() + m.start(), w.end() + m.start())
                for w in _CAPS_WORD.finditer(m.group())
                if len(w.group()) > MAX_ACRONYM
            ]
    return spans


def may_shout(text: str) -> bool:
    """False only when ``_TWO_CAPITALS`` finds nothing: a byte test instead of a regex scan.

    The regex engine tests a class at each of a post's 7,000 characters; encoding, mapping
    every capital to ``A``, deleting the bytes of ``'`` and ``’`` and one C-level ``in`` test
    cost a fifth of that. Two capitals with only apostrophes between become ``AA``; deleting
    those bytes from other characters (``\u2000`` is E2 80 80) can only make a false ``AA``,
    which sends the text on to the exact search.
    """
    return b"AA" in text.encode("utf-8", "surrogatepass").translate(_CAPITALS_FOLD, _APOSTROPHES)


_CAPITALS_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"A" * 26)
_APOSTROPHES = "'’".encode()
_BANG = re.compile(r"!")
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z'’]*[A-Z]\b")
# A run is joined by spaces only: "DO NOT MISS THIS" shouts, "DOD, DOE, NIH" lists acronyms.
# '\b[A-Z]' is written '[A-Z]' then a look back, so the search skips ahead fast.
_CAPS_RUN = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z'’]*[A-Z]\b(?: +[A-Z][A-Z'’]*[A-Z]\b)*")
# Where the first run can start at the earliest: a test each capital passes or fails at once,
# where a run's attempt costs far more (most texts hold capitals, few hold two in a row).
_TWO_CAPITALS = re.compile(r"[A-Z]['’]*[A-Z]")


RULES = (
    Rule(
        id="restraint.self_promotion",
        title="Self-promotion",
        polarity="negative",
        noun=("self-promoting phrase", "self-promoting phrases"),
        why=(
            "'We are proud to announce our award-winning platform' talks at readers about the "
            "organisation."
        ),
        suggestion=(
            "Lead with what changes for the reader: 'You can now...' instead of 'We are proud to "
            "announce...'."
        ),
        research=f"{KENT}; {LOVEJOY}",
        detect=from_lists("org_we", "self_promotion"),
        flags=("We are proud to announce our award-winning platform.",),
        passes=("We'd love to hear how you use it.",),
    ),
    Rule(
        id="restraint.hype",
        title="Hype and superlatives",
        polarity="negative",
        noun=("hype word", "hype words"),
        why=(
            "Superlatives like 'revolutionary' and 'world-class' read as advertising and cost "
            "trust."
        ),
        suggestion=(
            "Replace the superlative with the fact behind it: 'cuts the form from 40 to 12 "
            "questions' instead of 'revolutionary'."
        ),
        research=f"{KELLEHER}; proselint hyperbole checks (BSD-3-Clause)",
        detect=from_lists("hype"),
        flags=("Our revolutionary, world-class tool is simply amazing.",),
        passes=("The new tool cuts the form from 40 questions to 12.",),
    ),
    Rule(
        id="restraint.vanity_metrics",
        title="Vanity metrics",
        polarity="negative",
        noun=("vanity metric", "vanity metrics"),
        why=(
            "Follower counts and 'went viral' measure the organisation's reach, not what readers "
            "gained."
        ),
        suggestion=(
            "Report what changed for people (questions answered, hours saved) rather than likes "
            "and views."
        ),
        research=KENT,
        detect=from_lists("vanity"),
        flags=("Our post went viral with 10,000 likes and 2 million views.",),
        passes=("The post helped 300 families find the form.",),
    ),
    Rule(
        id="restraint.hard_sell",
        title="Hard-sell calls to action",
        polarity="negative",
        noun=("hard-sell phrase", "hard-sell phrases"),
        why="False urgency ('act now', 'limited time') pressures readers instead of inviting them.",
        suggestion=(
            "Invite instead of pushing: say what the reader gets and by when, without 'act now' "
            "or 'don't miss out'."
        ),
        research=f"{KENT}; {LOVEJOY}",
        detect=from_lists("hard_sell"),
        flags=("Buy now! This limited time offer ends soon, don't miss out.",),
        passes=(
            "Registration is open until 3 May if you'd like to come.",
            "There is no common way to tie money back to programs.",
        ),
    ),
    Rule(
        id="restraint.exclamations",
        title="Exclamation marks",
        polarity="negative",
        noun=("exclamation mark", "exclamation marks"),
        why="One exclamation can be warm; many read as shouting or as hype.",
        suggestion="Keep at most one exclamation mark and let the words carry the excitement.",
        research=KELLEHER,
        detect=exclamations,
        flags=("We did it! Come celebrate!",),
        passes=("We did it, and we'd like you to come and celebrate.",),
    ),
    Rule(
        id="restraint.all_caps",
        title="Shouting in capitals",
        polarity="negative",
        noun=("all-caps run", "all-caps runs"),
        why="Words in capitals read as shouting; acronyms like NASA or HTML are fine.",
        suggestion="Write the words in normal case and use emphasis sparingly.",
        research=KELLEHER,
        detect=all_caps,
        flags=("This is HUGE news for EVERYONE.", "DO NOT MISS THIS."),
        passes=(
            "NASA and the GSA publish HTML and CSV files.",
            "DOD, DOE, NIH, NASA and USDA took part.",
        ),
    ),
)

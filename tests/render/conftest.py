"""Hand-built Audit objects for the render tests, including hostile content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.model import (
    Audit,
    Block,
    DimensionInfo,
    DimensionScore,
    Document,
    Finding,
    Label,
    PieceResult,
    Readability,
    RuleInfo,
    SentenceDifficulty,
    Skipped,
    Span,
)

DIMENSIONS = (
    DimensionInfo("conversational", "Conversational", "Talks with the reader.", 0.3),
    DimensionInfo("dialogue", "Dialogue", "Invites replies.", 0.2),
    DimensionInfo("community", "Community", "Credits others.", 0.2),
    DimensionInfo("restraint", "Restraint", "Little hype.", 0.15),
    DimensionInfo("readability", "Readability", "Easy to read.", 0.15),
)
RULES = (
    RuleInfo(
        "dialogue.question",
        "dialogue",
        "Asks readers a question",
        "positive",
        1.0,
        "Questions invite replies.",
        "Ask readers something.",
        "Study 2020.",
        flags=("What do you think?",),
        passes=("We shipped it.",),
    ),
    RuleInfo(
        "restraint.hype",
        "restraint",
        "Hype words",
        "negative",
        1.0,
        "Hype pushes readers away.",
        "Say what it does.",
        "Study 2019.",
        flags=("The best ever!",),
    ),
)
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def make_text(*blocks: tuple[str, str]) -> tuple[str, tuple[Block, ...]]:
    """Join (kind, text) blocks with blank lines and compute their offsets."""
    parts, made, pos = [], [], 0
    for line, (kind, text) in enumerate(blocks, 1):
        made.append(Block(pos, pos + len(text), kind, kind == "quote", line * 2))  # type: ignore[arg-type]
        parts.append(text)
        pos += len(text) + 2
    return "\n\n".join(parts), tuple(made)


def readability(words: int, *, too_short: bool = False, hardest=()) -> Readability:
    """Readability figures; None formulas when too short."""
    value = None if too_short else 60.5
    return Readability(
        words,
        5,
        words * 2,
        too_short,
        value,
        value and 8.2,
        value and 10.1,
        value and 9.0,
        value and 9.5,
        value and 8.8,
        value and 7.1,
        round(words / 238, 2),
        tuple(hardest),
    )


def find(text: str, needle: str) -> Span:
    """The span of the first occurrence of needle."""
    start = text.index(needle)
    return Span(start, start + len(needle))


def make_piece(
    slug: str,
    title: str,
    *,
    blocks: tuple[tuple[str, str], ...],
    overall: int = 70,
    scores: dict[str, int | None] | None = None,
    findings: Callable[[str], tuple[Finding, ...]] | None = None,
    authors: tuple[str, ...] = ("Ann",),
    tags: tuple[str, ...] = ("news",),
    date: str | None = "2024-03-05",
    url: str | None = None,
    source: str = "content",
    too_short: bool = False,
    label: str = "community",
) -> PieceResult:
    """A PieceResult with sensible defaults."""
    text, made = make_text(*blocks)
    scores = scores or {d.name: overall for d in DIMENSIONS}
    doc = Document(
        id=f"posts/{slug}.md",
        slug=slug,
        source=source,
        source_kind="markdown",
        path=f"posts/{slug}.md",
        title=title,
        url=url,
        date=date,
        authors=authors,
        tags=tags,
        summary="",
        text=text,
        blocks=made,
        links=(),
    )
    first_sentence = made[0]
    hardest = (
        ()
        if too_short
        else (SentenceDifficulty(Span(first_sentence.start, first_sentence.end), 12.5, 9),)
    )
    return PieceResult(
        doc=doc,
        dimensions=tuple(
            DimensionScore(d.name, d.title, scores[d.name], d.weight) for d in DIMENSIONS
        ),
        overall=overall,
        label=Label(label),  # type: ignore[arg-type]
        readability=readability(len(text.split()), too_short=too_short, hardest=hardest),
        findings=findings(text) if findings else (),
    )


def _findings_main(text: str) -> tuple[Finding, ...]:
    return (
        Finding(
            "dialogue.question",
            "dialogue",
            "works",
            "You ask readers a question.",
            "Questions invite replies.",
            "",
            (find(text, "What do you think?"),),
        ),
        Finding(
            "restraint.hype",
            "restraint",
            "improve",
            "Hype: “best ever”.",
            "Hype pushes readers away.",
            "Say what it does.",
            (find(text, "the best ever"), find(text, "amazing")),
        ),
        # overlaps the hype span: "best ever launch"
        Finding(
            "community.credit",
            "community",
            "improve",
            "No credit given.",
            "Credit builds community.",
            "Name who helped.",
            (find(text, "best ever launch"),),
        ),
        Finding(
            "dialogue.reply",
            "dialogue",
            "improve",
            "No invitation to reply.",
            "Replies matter.",
            "Invite comments.",
        ),
        Finding("readability.length", "readability", "na", "Cannot judge.", "Too short.", ""),
    )


def _findings_hostile(text: str) -> tuple[Finding, ...]:
    return (
        Finding(
            "restraint.hype",
            "restraint",
            "improve",
            HOSTILE,
            HOSTILE,
            HOSTILE,
            (find(text, "<script>alert(1)</script>"),),
        ),
    )


@pytest.fixture
def audit() -> Audit:
    """Four pieces (one too short, one hostile) and one skipped input."""
    main = make_piece(
        "launch",
        "Our launch",
        blocks=(
            ("heading", "The launch"),
            ("paragraph", "This is the best ever launch, and amazing too. What do you think?"),
            ("item", "First point"),
            ("item", "Second point"),
            ("quote", "Someone else said this."),
        ),
        overall=64,
        scores={
            "conversational": 80,
            "dialogue": 90,
            "community": 40,
            "restraint": 30,
            "readability": None,
        },
        findings=_findings_main,
        url="https://example.org/launch",
    )
    short = make_piece(
        "short",
        "Short note",
        blocks=(("paragraph", "Hi all."),),
        overall=95,
        too_short=True,
        authors=("Bob",),
        tags=(),
        date="2024-04-01",
        label="information",
    )
    hostile = make_piece(
        "hostile",
        HOSTILE,
        blocks=(("paragraph", "Look: <script>alert(1)</script> & more = fun"),),
        overall=12,
        authors=(HOSTILE, "=cmd|' /C calc'!A0"),
        tags=(HOSTILE, "+tag"),
        url="  JaVaScRiPt:alert(1)",
        source="-source",
        findings=_findings_hostile,
        date="../../etc",
        label="action",
    )
    plain = make_piece(
        "plain",
        "Plain post",
        blocks=(("paragraph", "Nothing much here at all."),),
        overall=50,
        authors=("Ann", "Bob"),
        date=None,
        url="/relative/page",
    )
    return Audit(
        title="Test audit",
        base_url="https://example.org/",
        results=(main, short, hostile, plain),
        skipped=(Skipped("bad.md", "not UTF-8", 3), Skipped("odd.md", "no title", None, True)),
        dimensions=DIMENSIONS,
        rules=RULES,
    )


@pytest.fixture
def many(audit: Audit) -> Audit:
    """An audit of 12 plain pieces, for pagination."""
    pieces = tuple(
        make_piece(f"p{i:02d}", f"Piece {i}", blocks=(("paragraph", f"Text {i}."),), overall=i * 8)
        for i in range(12)
    )
    return Audit("Many", None, pieces, dimensions=DIMENSIONS, rules=RULES)


@pytest.fixture
def site(audit: Audit, tmp_path: Path) -> tuple[Path, list[str]]:
    """The rendered site of the main audit fixture."""
    from auditor.render import render_site

    out = tmp_path / "site"
    out.mkdir()
    return out, render_site(audit, out)

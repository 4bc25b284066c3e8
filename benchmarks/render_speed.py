"""Time the render stage alone on synthetic audits; prints seconds per size (not a unit test).

The pieces are built directly as PieceResults (no ingest or scoring), with realistic overlap:
each piece has 1-2 of 60 authors, 3 of 120 tags, one of 3 sources and one of 72 months, about
300 words and a dozen findings with spans, so group pages and piece pages both cost what they
cost on a real blog.

Run: python benchmarks/render_speed.py [--sizes 1000 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

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
    SentenceDifficulty,
    Span,
)
from auditor.render import render_site

DIMENSIONS = (
    DimensionInfo("conversational", "Conversational voice", "Talks with the reader.", 0.3),
    DimensionInfo("dialogue", "Dialogue", "Invites replies.", 0.2),
    DimensionInfo("community", "Community & credit", "Credits others.", 0.2),
    DimensionInfo("restraint", "Restraint", "Little hype.", 0.15),
    DimensionInfo("readability", "Readability", "Easy to read.", 0.15),
)
WORDS = (
    "you",
    "we",
    "our",
    "garden",
    "team",
    "thanks",
    "question",
    "community",
    "plot",
    "soil",
    "compost",
    "seeds",
    "share",
    "help",
    "amazing",
    "best",
    "volunteers",
    "neighbours",
    "join",
    "reply",
    "tell",
    "us",
    "what",
    "think",
    "plan",
    "harvest",
    "day",
)


def _text(rng: random.Random) -> tuple[str, tuple[Block, ...]]:
    """About 300 words in 8 paragraphs, with their blocks."""
    parts, blocks, pos = [], [], 0
    for line in range(8):
        para = " ".join(rng.choice(WORDS) for _ in range(38)).capitalize() + "?"
        blocks.append(Block(pos, pos + len(para), "paragraph", False, line * 2 + 1))
        parts.append(para)
        pos += len(para) + 2
    return "\n\n".join(parts), tuple(blocks)


def _findings(rng: random.Random, text: str) -> tuple[Finding, ...]:
    """A dozen findings, each with up to four word spans."""
    out = []
    for n in range(12):
        spans = []
        for _ in range(rng.randint(0, 4)):
            start = rng.randrange(0, len(text) - 12)
            spans.append(Span(start, start + rng.randint(3, 12)))
        status = ("works", "improve", "na")[n % 3]
        dim = DIMENSIONS[n % len(DIMENSIONS)].name
        out.append(
            Finding(f"{dim}.r{n}", dim, status, f"Finding {n}.", "Why.", "Do.", tuple(spans))
        )
    return tuple(out)


def piece(i: int, rng: random.Random) -> PieceResult:
    """One synthetic piece with deterministic pseudo-random content."""
    text, blocks = _text(rng)
    month = f"{2019 + i % 6}-{1 + i % 12:02d}"
    doc = Document(
        id=f"posts/p{i}.md",
        slug=f"p{i}",
        source=f"source-{i % 3}",
        source_kind="markdown",
        path=f"posts/p{i}.md",
        title=f"Piece number {i}",
        url=f"https://example.org/p{i}",
        date=f"{month}-{1 + i % 28:02d}",
        authors=tuple(sorted({f"Author {rng.randrange(60)}" for _ in range(rng.randint(1, 2))})),
        tags=tuple(sorted({f"tag-{rng.randrange(120)}" for _ in range(3)})),
        summary="",
        text=text,
        blocks=blocks,
        links=(),
    )
    scores = {d.name: rng.randrange(101) for d in DIMENSIONS}
    hard = (SentenceDifficulty(Span(blocks[0].start, blocks[0].end), 14.2, 38),)
    return PieceResult(
        doc=doc,
        dimensions=tuple(
            DimensionScore(d.name, d.title, scores[d.name], d.weight) for d in DIMENSIONS
        ),
        overall=rng.randrange(101),
        label=Label("community", (Span(0, 5),)),
        readability=Readability(300, 8, 420, False, 60.1, 8.0, 10.0, 9.0, 9.5, 8.7, 7.0, 1.3, hard),
        findings=_findings(rng, text),
        previous_overall=None if i % 10 == 0 else rng.randrange(101),
    )


def synthetic_audit(count: int, seed: int = 1) -> Audit:
    """An audit of ``count`` synthetic pieces."""
    rng = random.Random(seed)
    results = tuple(piece(i, rng) for i in range(count))
    return Audit("Synthetic audit", "https://example.org/", results, dimensions=DIMENSIONS)


def time_render(count: int, keep: Path | None = None) -> tuple[float, int, int]:
    """Seconds to render ``count`` pieces, the number of files and the largest HTML page."""
    audit = synthetic_audit(count)
    out = Path(tempfile.mkdtemp(prefix="render-speed-"))
    try:
        started = time.perf_counter()
        written = render_site(audit, out)
        seconds = time.perf_counter() - started
        largest = max((out / p).stat().st_size for p in written if p.suffix == ".html")
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(out, keep)
        return seconds, len(written), largest
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    """Print one line per size: pieces, seconds, files written, largest page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="copy the last rendered site here")
    args = parser.parse_args()
    for count in args.sizes:
        seconds, files, largest = time_render(count, args.keep)
        print(
            f"{count:>6} pieces: {seconds:6.2f} s render, {files} files, "
            f"largest page {largest / 1e6:.2f} MB"
        )


if __name__ == "__main__":
    main()

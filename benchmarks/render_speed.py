"""Time the render stage alone on synthetic audits; prints seconds per size (not a unit test).

The pieces are built directly as PieceResults (no ingest or scoring), with realistic overlap:
each piece has 1-2 of 60 authors, 3 of 120 tags, one of 3 sources and one of 72 months, about
1,200 words in 30 blocks, 27 findings with about 180 overlapping spans and 5 hard sentences (as
heavy as a real post), so group pages and piece pages both cost what they cost on a real blog.

Times each stage of the render (setup, index, piece pages, group pages, other pages,
exports) through the renderer's own site object, so a regression shows where it is.

Run: python benchmarks/render_speed.py [--sizes 1000 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
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
from auditor.render.env import make_environment
from auditor.render.site import PAGE_SIZE, _Site
from auditor.render.writer import Writer

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


HEADINGS = ("Why we dug in", "What we learned", "What comes next")


def _sentence(rng: random.Random) -> str:
    """A sentence of 8-30 words, sometimes a question."""
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return words.capitalize() + rng.choice(".....?!")


def _text(rng: random.Random) -> tuple[str, tuple[Block, ...]]:
    """About 1,200 words in 30 blocks (headings, paragraphs, list items, a quote)."""
    kinds = ["heading"] + ["paragraph"] * 7 + ["heading"] + ["paragraph"] * 5 + ["item"] * 6
    kinds += ["quote", "heading"] + ["paragraph"] * 8
    parts: list[str] = []
    blocks: list[Block] = []
    pos, line = 0, 1
    for n, kind in enumerate(kinds):
        if kind == "heading":
            para = HEADINGS[n % len(HEADINGS)]
        else:
            para = " ".join(_sentence(rng) for _ in range(3 if kind == "paragraph" else 1))
        blocks.append(Block(pos, pos + len(para), kind, kind == "quote", line))  # type: ignore[arg-type]
        parts.append(para)
        pos += len(para) + 2
        line += 2
    return "\n\n".join(parts), tuple(blocks)


def _span(rng: random.Random, blocks: tuple[Block, ...]) -> Span:
    """A word or phrase (mostly) or a whole-sentence stretch inside one block."""
    block = rng.choice(blocks)
    start = rng.randrange(block.start, max(block.start + 1, block.end - 3))
    length = rng.randint(3, 14) if rng.random() < 0.7 else rng.randint(40, 220)
    return Span(start, min(start + length, block.end))


def _findings(rng: random.Random, blocks: tuple[Block, ...]) -> tuple[Finding, ...]:
    """27 findings with about 180 spans in all, overlapping as real evidence does."""
    out = []
    for n in range(27):
        status = "na" if n == 26 else ("works", "improve")[n % 2]
        count = 0 if status == "na" else rng.randint(0, 14)
        spans = tuple(sorted({_span(rng, blocks) for _ in range(count)}, key=lambda s: s.start))
        dim = DIMENSIONS[n % len(DIMENSIONS)].name
        message = f"Finding {n}: {len(spans)} places where the piece does this."
        why = "Readers answer posts that talk with them, " * 3
        out.append(Finding(f"{dim}.r{n}", dim, status, message, why, "Try this instead.", spans))
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
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    hard = tuple(
        SentenceDifficulty(Span(b.start, b.start + 120), 14.2 + k, 38)
        for k, b in enumerate(rng.sample(paragraphs, 5))
    )
    words = len(text.split())
    return PieceResult(
        doc=doc,
        dimensions=tuple(
            DimensionScore(d.name, d.title, scores[d.name], d.weight) for d in DIMENSIONS
        ),
        overall=rng.randrange(101),
        label=Label("community", (Span(0, 5), _span(rng, blocks))),
        readability=Readability(
            words, 60, words * 7 // 5, False, 60.1, 8.0, 10.0, 9.0, 9.5, 8.7, 7.0, 4.8, hard
        ),
        findings=_findings(rng, blocks),
        previous_overall=None if i % 10 == 0 else rng.randrange(101),
    )


def synthetic_audit(count: int, seed: int = 1) -> Audit:
    """An audit of ``count`` synthetic pieces."""
    rng = random.Random(seed)
    results = tuple(piece(i, rng) for i in range(count))
    return Audit("Synthetic audit", "https://example.org/", results, dimensions=DIMENSIONS)


def piece_pages(site: _Site) -> None:
    """Every piece page, here (a build renders them in worker processes when it has cores)."""
    for i in site.fresh(None):
        site.piece_page(i)


STAGES: dict[str, Callable[[_Site], None]] = {
    "index": _Site.index,
    "piece_pages": piece_pages,
    "group_pages": _Site.group_pages,
    "other_pages": _Site.other_pages,
    "exports": _Site.exports,
}


def time_render(count: int, keep: Path | None = None) -> tuple[dict[str, float], int, int]:
    """CPU seconds per render stage for ``count`` pieces (CPU, not wall: the build machine is
    shared), files written and the largest HTML page."""
    audit = synthetic_audit(count)
    out = Path(tempfile.mkdtemp(prefix="render-speed-"))
    try:
        writer = Writer(out)
        seconds: dict[str, float] = {}
        started = time.process_time()
        site = _Site(audit, writer, make_environment(), PAGE_SIZE)
        seconds["setup"] = time.process_time() - started
        for name, stage in STAGES.items():
            started = time.process_time()
            stage(site)
            seconds[name] = time.process_time() - started
        written = [Path(p) for p in [*writer.written, *site.pages.written]]
        largest = max((out / p).stat().st_size for p in written if p.suffix == ".html")
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(out, keep)
        return seconds, len(written), largest
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    """Print one line per size: pieces, seconds (total and per stage), files, largest page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="copy the last rendered site here")
    args = parser.parse_args()
    for count in args.sizes:
        seconds, files, largest = time_render(count, args.keep)
        total = sum(seconds.values())
        stages = ", ".join(f"{name} {value:.2f}" for name, value in seconds.items())
        print(
            f"{count:>6} pieces: {total:6.2f} s render CPU ({total / count * 1000:.2f} ms/piece; "
            f"{stages}), {files} files, largest page {largest / 1e6:.2f} MB, "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()

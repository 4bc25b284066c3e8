"""Validate the scores against human ratings and real posts; prints a table (not a unit test).

- Formality (Pavlick & Tetreault 2016, CC BY 3.0): Spearman's rho between each sentence's
  conversational score and its mean formality rating (should be negative), against sentence
  length alone, and the partial rho controlling for length.
- Politeness (Danescu-Niculescu-Mizil et al. 2013, CC BY-SA): AUC of the community score for the
  most- vs least-polite quartile of Wikipedia requests.
- The distribution of every dimension over the 18F blog posts, and scoring speed.

Run: python benchmarks/validate.py [--data DIR] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from auditor.model import Block, Document, Link
from auditor.score import ScoringModel, load_model, score

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_CODE = re.compile(r"```.*?```|`[^`]*`|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", re.DOTALL)


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (ties share the mean rank), 1-based."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's r."""
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else 0.0


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: Pearson's r of the ranks."""
    return pearson(ranks(x), ranks(y))


def partial(rxy: float, rxz: float, ryz: float) -> float:
    """Correlation of x and y with z held constant."""
    return (rxy - rxz * ryz) / ((1 - rxz**2) * (1 - ryz**2)) ** 0.5


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a positive outscores a negative (ties count half): Mann-Whitney U / n1n2."""
    r = ranks(list(positives) + list(negatives))
    n1, n2 = len(positives), len(negatives)
    return (sum(r[:n1]) - n1 * (n1 + 1) / 2) / (n1 * n2)


def doc_from_paragraphs(
    paragraphs: Sequence[str], links: Sequence[tuple[str, int, int]] = ()
) -> Document:
    """A Document of plain paragraphs joined by a blank line."""
    text, blocks = "", []
    for para in paragraphs:
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{para}" if text else para
        quoted = para.startswith(">")
        blocks.append(Block(start, len(text), "quote" if quoted else "paragraph", quoted=quoted))
    return Document(
        id="x",
        slug="x",
        source="bench",
        source_kind="markdown",
        path=None,
        title="",
        url=None,
        date=None,
        authors=(),
        tags=(),
        summary="",
        text=text,
        blocks=tuple(blocks),
        links=tuple(Link(h, s, e, True) for h, s, e in links),
    )


def markdown_doc(path: Path) -> Document:
    """A rough Markdown reader for the benchmark only (the real one lives in auditor.ingest)."""
    body = path.read_text(encoding="utf-8").split("---", 2)[-1]
    body = _CODE.sub(" ", body)
    paragraphs, links = [], []
    offset = 0
    for raw in re.split(r"\n\s*\n", body):
        raw = " ".join(raw.split())
        if not raw:
            continue
        para = ""
        last = 0
        for m in _LINK.finditer(raw):
            para += raw[last : m.start()]
            if m.group(2).startswith("http") and not m.group(0).startswith("!"):
                links.append((m.group(2), offset + len(para), offset + len(para) + len(m.group(1))))
            para += m.group(1)
            last = m.end()
        para = (para + raw[last:]).lstrip("#* ").strip()
        if para:
            paragraphs.append(para)
            offset += len(para) + 2
    return doc_from_paragraphs(paragraphs, links)


def formality(model: ScoringModel, path: Path) -> None:
    """Conversational score vs mean formality rating, against sentence length."""
    rating, conv, length = [], [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            rating.append(float(parts[0]))
            conv.append(score(doc_from_paragraphs([parts[3]]), model).score("conversational") or 0)
            length.append(len(parts[3].split()))
    r_cf, r_lf, r_cl = spearman(conv, rating), spearman(length, rating), spearman(conv, length)
    print(
        f"{path.name:<14} n={len(rating):>5}  rho(conv, formality)={r_cf:+.3f}  "
        f"rho(length, formality)={r_lf:+.3f}  partial rho | length={partial(r_cf, r_cl, r_lf):+.3f}"
    )


def politeness(model: ScoringModel, path: Path) -> None:
    """AUC of the community score for the top vs bottom politeness quartile."""
    with path.open(encoding="utf-8") as f:
        rows = [(float(r["normalized_score"]), r["request"]) for r in csv.DictReader(f)]
    rows.sort()
    q = len(rows) // 4

    def community(text: str) -> float:
        return score(doc_from_paragraphs([text]), model).score("community") or 0

    low = [community(t) for _, t in rows[:q]]
    high = [community(t) for _, t in rows[-q:]]
    all_scores = [community(t) for _, t in rows]
    rho = spearman(all_scores, [s for s, _ in rows])
    print(
        f"{path.name:<14} n={len(rows):>5}  "
        f"AUC(community, top vs bottom quartile)={auc(high, low):.3f}  "
        f"rho={rho:+.3f}"
    )


def corpus(model: ScoringModel, folder: Path) -> None:
    """Distribution of each dimension over a folder of Markdown posts, and the scoring speed."""
    docs = [markdown_doc(p) for p in sorted(folder.glob("*.md"))]
    start = time.perf_counter()
    results = [score(d, model) for d in docs]
    elapsed = time.perf_counter() - start
    words = sum(r.word_count for r in results)
    print(
        f"\n{folder.name}: {len(docs)} posts, {words} words, {len(docs) / elapsed:.0f} posts/s "
        f"({words / elapsed / 1000:.0f}k words/s)"
    )
    print(
        f"{'dimension':<15}{'n':>5}{'min':>6}{'p10':>6}{'p25':>6}{'med':>6}{'p75':>6}{'p90':>6}{'max':>6}"
    )
    for name in [d.name for d in model.dimensions] + ["overall"]:
        vals = sorted(s for r in results if (s := r.score(name)) is not None)
        cut = statistics.quantiles(vals, n=20, method="inclusive")
        print(
            f"{name:<15}{len(vals):>5}{vals[0]:>6}{cut[1]:>6.0f}{cut[4]:>6.0f}{cut[9]:>6.0f}"
            f"{cut[14]:>6.0f}{cut[17]:>6.0f}{vals[-1]:>6}"
        )
    labels = [r.label.name for r in results]
    print("labels:", {k: labels.count(k) for k in ("information", "community", "action")})


def main() -> None:
    """Print every validation figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/18f-blog"))
    args = parser.parse_args()
    model = load_model()
    for name in ("answers.tsv", "email.tsv"):
        formality(model, args.data / "formality" / name)
    politeness(model, args.data / "politeness" / "wikipedia.csv")
    corpus(model, args.corpus)


if __name__ == "__main__":
    main()

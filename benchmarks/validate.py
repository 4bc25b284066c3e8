"""Validate the scores against human ratings and real posts; prints a table (not a unit test).

- Formality (Pavlick & Tetreault 2016, CC BY 3.0): Spearman's rho between each sentence's
  conversational score and its mean formality rating (should be negative), against sentence
  length alone, and the partial rho controlling for length.
- Politeness (Danescu-Niculescu-Mizil et al. 2013, CC BY-SA): AUC of the community score for the
  most- vs least-polite quartile of Wikipedia requests.
- The distribution of every dimension over the 18F blog posts (read with auditor.ingest).

The formality sentences are Penn-Treebank tokenised; they are detokenised first so the rules
see ordinary text (no rule is written for "did n't").

Run: python benchmarks/validate.py [--data DIR] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
from collections.abc import Sequence
from pathlib import Path

from auditor.ingest import read_file
from auditor.ingest.text import remove_urls
from auditor.model import Block, Document, Link
from auditor.score import ScoringModel, load_model, score
from auditor.score.scoring import _context, _run


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


_PTB_CLITIC = re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE)
_SPACED_CLITIC = re.compile(r"(?<=\w) ' (s|re|ve|ll|d|m|t)\b", re.IGNORECASE)
_PTB_BEFORE = re.compile(r" ([.,!?;:%)\]])")
_PTB_AFTER = re.compile(r"([(\[$]) ")


def detokenise(sentence: str) -> str:
    """Undo Penn-Treebank tokenisation ("did n't ." -> "didn't."), so rules see normal text.

    Also as the product would see it: bare URLs removed (ingest drops them), "I ' m" joined,
    and quotation marks around the whole sentence dropped (the raters judged its words; the
    scorer would otherwise set them aside as someone else's).
    """
    sentence = remove_urls(sentence.replace("`` ", '"').replace(" ''", '"'))
    sentence = _SPACED_CLITIC.sub(r"'\1", _PTB_CLITIC.sub(r"\1", sentence))
    sentence = _PTB_AFTER.sub(r"\1", _PTB_BEFORE.sub(r"\1", sentence)).strip()
    if sentence.count('"') == 2 and sentence[0] == sentence[-1] == '"':
        sentence = sentence[1:-1]  # rated as a line of text: not someone else's words here
    return sentence


def read_formality(path: Path) -> list[tuple[float, str]]:
    """(mean rating, detokenised sentence) pairs of one formality genre."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            text = detokenise(parts[3]) if len(parts) >= 4 else ""
            if re.search(r"\w", text):  # a bare URL leaves nothing to judge
                rows.append((float(parts[0]), text))
    return rows


def formality(model: ScoringModel, path: Path) -> None:
    """Conversational score vs mean formality rating, against sentence length."""
    rows = read_formality(path)
    rating = [r for r, _ in rows]
    conv = [score(doc_from_paragraphs([t]), model).score("conversational") or 0 for _, t in rows]
    length = [len(t.split()) for _, t in rows]
    r_cf, r_lf, r_cl = spearman(conv, rating), spearman(length, rating), spearman(conv, length)
    print(
        f"{path.name:<14} n={len(rating):>5}  rho(conv, formality)={r_cf:+.3f}  "
        f"rho(length, formality)={r_lf:+.3f}  partial rho | length={partial(r_cf, r_cl, r_lf):+.3f}"
    )


STYLE_RULES = (
    "conversational.contractions",
    "conversational.informal",
    "conversational.corporate",
    "conversational.nominalisation",
    "conversational.formal_density",
    "conversational.long_words",
    "conversational.long_sentences",
)
FOLDS = 5


Marks = dict[str, tuple[float | None, float]]


def rule_marks(model: ScoringModel, text: str) -> Marks:
    """Each conversational rule's 0-1 mark on one sentence (None: the rule cannot judge it).

    With the share of its weight the sentence's length gives it (1 unless ``by_length``).
    """
    doc = doc_from_paragraphs([text])
    ctx = _context(doc, model)
    active = [a for a in model.active if a.rule.dimension == "conversational"]
    return {a.rule.id: ((o := _run(a, doc, ctx)).mark, o.evidence) for a in active}


def dimension_value(weights: dict[str, float], marks: Marks) -> float:
    """The scorer's formula, unrounded: weighted mean of the marks of the rules that can judge."""
    judged = [(weights[r] * e, m) for r, (m, e) in marks.items() if m is not None]
    total = sum(w for w, _ in judged)
    return sum(w * m for w, m in judged) / total if total else 0.0


def fit_style(rows: list[Marks], ratings: list[float], style_total: float) -> dict[str, float]:
    """NNLS weights of the style rules on these rows, scaled to ``style_total``.

    A rule that cannot judge a row (a one-word sentence has no sentence length) is given the
    mean of its marks there, so it neither helps nor hurts the fit.
    """
    means = {}
    for r in STYLE_RULES:
        known = [mark for m in rows if (mark := m[r][0]) is not None]
        means[r] = sum(known) / len(known) if known else 0.0
    matrix = [[m[r][0] if m[r][0] is not None else means[r] for r in STYLE_RULES] for m in rows]
    fit = nnls(matrix, [-y for y in ratings])
    scale = style_total / (sum(fit) or 1.0)
    return {r: v * scale for r, v in zip(STYLE_RULES, fit, strict=True)}


def nnls(rows: list[list[float]], target: list[float], rounds: int = 150) -> list[float]:
    """Non-negative least squares (with intercept) by coordinate descent: signs stay as fixed."""
    n, k = len(rows), len(rows[0])
    means = [sum(r[j] for r in rows) / n for j in range(k)]
    cols = [[r[j] - means[j] for r in rows] for j in range(k)]
    mean_y = sum(target) / n
    res = [y - mean_y for y in target]
    sizes = [sum(c * c for c in col) or 1e-9 for col in cols]
    w = [0.0] * k
    for _ in range(rounds):
        for j, col in enumerate(cols):
            new = max(0.0, w[j] + sum(a * b for a, b in zip(col, res, strict=True)) / sizes[j])
            if new != w[j]:
                res = [r - (new - w[j]) * c for r, c in zip(res, col, strict=True)]
                w[j] = new
    return w


def cross_validated(model: ScoringModel, data: Path) -> None:
    """5-fold CV of the fitted style weights, reader-address weights held at the model's values.

    Each fold fits the style rules' weights on the other four fifths of both genres (scaled to
    the shipped style total) and scores the held-out fifth with the scorer's formula; rho is
    over the held-out scores. The held-out fold never reaches the fit. Also prints the weights
    fitted on all sentences (what weights.toml ships) and the CV figure without the fixed
    reader-address rules, to show what they cost on these data.
    """
    weights = {a.rule.id: a.params.weight for a in model.active}
    fixed = {r: w for r, w in weights.items() if r.startswith("conversational.")}
    style_total = sum(weights[r] for r in STYLE_RULES)
    for r in STYLE_RULES:
        fixed.pop(r)
    items = []
    for name in ("answers.tsv", "email.tsv"):
        for rating, text in read_formality(data / "formality" / name):
            items.append((name, rating, rule_marks(model, text)))
    order = list(range(len(items)))
    random.Random(FOLDS).shuffle(order)
    held: dict[int, float] = {}
    style_only: dict[int, float] = {}
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        train = [items[i] for i in order if i not in test]
        fitted = fit_style([m for _, _, m in train], [y for _, y, _ in train], style_total)
        for i in test:
            held[i] = dimension_value(fixed | fitted, items[i][2])
            style = {r: items[i][2][r] for r in STYLE_RULES}
            style_only[i] = dimension_value(fitted, style)
    for name in ("answers.tsv", "email.tsv"):
        idx = [i for i, it in enumerate(items) if it[0] == name]
        rating = [items[i][1] for i in idx]
        rho = spearman([held[i] for i in idx], rating)
        bare = spearman([style_only[i] for i in idx], rating)
        print(
            f"{name:<14} cross-validated rho(conv, formality)={rho:+.3f}  ({FOLDS}-fold; "
            f"style rules alone {bare:+.3f})"
        )
    full = fit_style([m for _, _, m in items], [y for _, y, _ in items], style_total)
    shown = ", ".join(f"{r.split('.')[1]} {w:.2f}" for r, w in full.items())
    print(f"style weights fitted on all sentences (weights.toml ships them): {shown}")


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
    words = [len(t.split()) for _, t in rows]
    print(
        f"{path.name:<14} n={len(rows):>5}  "
        f"AUC(community, top vs bottom quartile)={auc(high, low):.3f}  "
        f"rho={rho:+.3f}  (length alone: AUC {auc(words[-q:], words[:q]):.3f})"
    )


def corpus(model: ScoringModel, folder: Path) -> None:
    """Distribution of each dimension over a folder of Markdown posts."""
    docs = [read_file(p) for p in sorted(folder.glob("*.md"))]
    results = [score(d, model) for d in docs]
    words = sum(r.word_count for r in results)
    print(f"\n{folder.name}: {len(docs)} posts, {words} words (read with auditor.ingest)")
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
    conv = [(r.score("conversational") or 0, r.word_count) for r in results]
    rho = spearman([c for c, _ in conv], [n for _, n in conv])
    print(f"rho(conversational, words in the post) = {rho:+.2f} (not a length detector if small)")
    labels = [r.label.name for r in results]
    print("labels:", {k: labels.count(k) for k in ("information", "community", "action")})


def main() -> None:
    """Print every validation figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/18f-blog"))
    args = parser.parse_args()
    model = load_model()
    print("Formality: the shipped model (style weights fitted on these data: not out-of-sample)")
    for name in ("answers.tsv", "email.tsv"):
        formality(model, args.data / "formality" / name)
    print("Formality: cross-validated (the figures to quote)")
    cross_validated(model, args.data)
    print("Politeness")
    politeness(model, args.data / "politeness" / "wikipedia.csv")
    corpus(model, args.corpus)


if __name__ == "__main__":
    main()

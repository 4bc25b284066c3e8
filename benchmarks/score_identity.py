"""Snapshot every scoring result, or check that scoring still gives exactly the snapshot.

A speed change must not change a single finding, span, float or message: this scores the 18F
blog corpus, the bundled sample content, generated posts and every rule's example sentences,
then either writes the results (``--save``) or compares them with the saved ones, printing the
first few documents that differ. Run before a change with ``--save`` and after it without.

    python benchmarks/score_identity.py [--save] [--snapshot /tmp/speed-baseline.pickle]
"""

from __future__ import annotations

import sys
from pathlib import Path

import snapshot  # benchmarks/ is on sys.path when run as a script
from generate import generate

from auditor.ingest import document_from_text, read_file, read_path
from auditor.model import Document, PieceResult
from auditor.score import load_model, score

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/18f-blog")
GENERATED = Path("/tmp/score-identity-posts")  # a fixed folder: paths are in the results


def documents() -> list[Document]:
    """Every document the snapshot covers, in a fixed order."""
    docs = [read_file(p) for p in sorted(CORPUS.glob("*.md"))]
    content = ROOT / "content"
    for path in sorted(content.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".html", ".xml"}:
            docs.extend(read_path(path, content, "https://example.org")[0])
    docs += [read_file(p) for p in generate(GENERATED, posts=40, words=1200, seed=7)]
    model = load_model()
    for info in model.rules_info:
        for n, text in enumerate((*info.flags, *info.passes)):
            docs.append(document_from_text(text, f"{info.id}-{n}"))
    return docs


def results() -> list[tuple[str, PieceResult]]:
    """(document id, result) for every document, scored with the default model."""
    model = load_model()
    return [(doc.id, score(doc, model)) for doc in documents()]


if __name__ == "__main__":
    sys.exit(snapshot.main(__doc__.splitlines()[0], Path("/tmp/speed-baseline.pickle"), results))

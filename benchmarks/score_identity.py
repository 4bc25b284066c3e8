"""Snapshot every scoring result, or check that scoring still gives exactly the snapshot.

A speed change must not change a single finding, span, float or message: this scores the 18F
blog corpus, the bundled sample content, generated posts and every rule's example sentences,
then either writes the results (``--save``) or compares them with the saved ones, printing the
first few documents that differ. Run before a change with ``--save`` and after it without.

    python benchmarks/score_identity.py [--save] [--snapshot /tmp/speed-baseline.pickle]
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when run as a script

from auditor.ingest import document_from_text, read_file, read_path
from auditor.model import Document, PieceResult
from auditor.score import load_model, score

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/18f-blog")
SHOWN = 5
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


def main() -> int:
    """Save the snapshot, or compare with it and exit 1 on any difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--snapshot", type=Path, default=Path("/tmp/speed-baseline.pickle"))
    args = parser.parse_args()
    found = results()
    if args.save:
        args.snapshot.write_bytes(pickle.dumps(found))
        print(f"saved {len(found)} results to {args.snapshot}")
        return 0
    expected = pickle.loads(args.snapshot.read_bytes())
    differ = [a[0] for a, b in zip(found, expected, strict=True) if repr(a) != repr(b)]
    for doc_id in differ[:SHOWN]:
        print(f"differs: {doc_id}")
    print(f"{len(found) - len(differ)} of {len(found)} results identical")
    return 1 if differ or len(found) != len(expected) else 0


if __name__ == "__main__":
    sys.exit(main())

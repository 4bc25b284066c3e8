"""Slugs: file names for each piece's page, safe, unique and the same from build to build."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from auditor.model import Document

MAX_SLUG = 80
FALLBACK = "piece"
RESERVED = frozenset(
    {"index", "rules", "skipped", "authors", "tags", "sources", "months", "static"}
)
NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single dashes, at most 80 characters, never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or FALLBACK


def assign_slugs(docs: Sequence[Document]) -> list[Document]:
    """Sort by id and give each document a unique slug; later duplicates get -2, -3, ..."""
    taken: set[str] = set(RESERVED)
    last_number: dict[str, int] = {}
    result: list[Document] = []
    for doc in sorted(docs, key=lambda d: d.id):
        base = slugify(doc.slug)
        slug, number = base, last_number.get(base, 1)
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        last_number[base] = number
        taken.add(slug)
        result.append(doc if slug == doc.slug else replace(doc, slug=slug))
    return result

"""Helpers that build Documents from plain paragraphs for the scoring tests."""

from __future__ import annotations

import re

import pytest

from auditor.model import Block, Document, Link
from auditor.score import ScoringModel, load_model

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")


def make_doc(
    *paragraphs: str, quoted: tuple[int, ...] = (), suppress: tuple[str, ...] = ()
) -> Document:
    """A Document whose blocks are the paragraphs joined by a blank line.

    ``[anchor](https://...)`` becomes the anchor text plus an external Link; paragraphs whose
    index is in ``quoted`` are block quotes.
    """
    text, blocks, links = "", [], []
    for i, para in enumerate(paragraphs):
        if text:
            text += "\n\n"
        start = len(text)
        for m in _LINK.finditer(para):
            before = _LINK.sub(r"\1", para[: m.start()])
            links.append(
                Link(m.group(2), start + len(before), start + len(before) + len(m.group(1)), True)
            )
        text += _LINK.sub(r"\1", para)
        blocks.append(
            Block(start, len(text), "quote" if i in quoted else "paragraph", quoted=i in quoted)
        )
    return Document(
        id="t",
        slug="t",
        source="test",
        source_kind="markdown",
        path=None,
        title="Test",
        url=None,
        date=None,
        authors=(),
        tags=(),
        summary="",
        text=text,
        blocks=tuple(blocks),
        links=tuple(links),
        suppress=suppress,
    )


@pytest.fixture(scope="session")
def model() -> ScoringModel:
    """The default model, built once for the whole session (it is immutable)."""
    return load_model()

"""HTML pages: metadata from ``<title>`` and ``<meta>`` tags, prose from the shared extractor.

A Jekyll-style front matter block at the top of an ``.html`` file is honoured too, and wins
over the ``<meta>`` tags, since it is what the author wrote.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

from auditor.errors import InputError
from auditor.ingest.files import Warn, ignore_warning, read_text
from auditor.ingest.frontmatter import split_front_matter
from auditor.ingest.markdown import provisional_slug
from auditor.ingest.meta import normalise_meta
from auditor.ingest.text import extract
from auditor.model import Document
from auditor.timings import TEXT_STAGE, Timings, stage

META_NAMES = {
    "author": "author",
    "description": "description",
    "keywords": "keywords",
    "article:published_time": "date",
    "article:tag": "tags",
}
MAX_TITLE_CHARS = 1000


class _HeadParser(HTMLParser):
    """Collects ``<title>``, the first ``<h1>`` and the ``<meta>`` tags the audit uses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, Any] = {}
        self.title: list[str] = []
        self.h1: list[str] = []
        self.capture: list[str] | None = None
        self.captured = 0
        self.h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "title" and not self.title:
            self.capture, self.captured = self.title, 0
        elif tag == "h1" and not self.h1_done:
            self.capture, self.captured = self.h1, 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "h1"):
            self.h1_done = self.h1_done or (tag == "h1" and bool(self.h1))
            self.capture = None

    def handle_data(self, data: str) -> None:
        if self.capture is not None and self.captured < MAX_TITLE_CHARS:
            self.capture.append(data)
            self.captured += len(data)

    def _meta(self, attrs: dict[str, str | None]) -> None:
        name = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        key = META_NAMES.get(name)
        content = attrs.get("content")
        if key is None or not content:
            return
        if key == "tags":
            self.meta.setdefault("tags", []).append(content)
        else:
            self.meta.setdefault(key, content)


def read_html(
    path: Path,
    root: Path,
    source: str,
    site_url: str | None,
    warn: Warn = ignore_warning,
    data: bytes | None = None,
    timings: Timings | None = None,
) -> Document:
    """Read one HTML page under ``root`` (or its ``data``, already read) into a Document, or
    raise InputError saying why."""
    label = str(path.relative_to(root.parent))
    doc_id = path.relative_to(root).as_posix()
    raw, digest = read_text(path, label, warn, data)
    return html_document(
        raw,
        doc_id=doc_id,
        label=label,
        source=source,
        site_url=site_url,
        warn=warn,
        digest=digest,
        timings=timings,
    )


def html_document(
    raw: str,
    *,
    doc_id: str,
    label: str,
    source: str,
    site_url: str | None,
    warn: Warn = ignore_warning,
    digest: str = "",
    timings: Timings | None = None,
) -> Document:
    """Build a Document from an HTML page's text (optionally with front matter)."""
    front, page, body_line = split_front_matter(raw, label)
    head = _HeadParser()
    head.feed(page)
    head.close()
    title = " ".join("".join(head.title).split()) or " ".join("".join(head.h1).split())
    found = {**head.meta, "title": title or None, **front}
    meta = normalise_meta(found, PurePosixPath(doc_id).name)
    for problem in meta.problems:
        warn(problem, None)
    with stage(timings, TEXT_STAGE):
        extracted = extract(page, site_url=site_url)
    if not extracted.text:
        raise InputError(label, "no prose to audit once code, markup and template tags are removed")
    return Document(
        id=doc_id,
        slug=meta.slug or provisional_slug(doc_id),
        source=source,
        source_kind="html",
        path=label,
        title=meta.title or PurePosixPath(doc_id).stem,
        url=meta.url,
        date=meta.date,
        authors=meta.authors,
        tags=meta.tags,
        summary=meta.summary,
        text=extracted.text,
        blocks=extracted.blocks,
        links=extracted.links,
        suppress=meta.suppress,
        draft=meta.draft,
        meta_lines=body_line - 1,
        digest=digest,
    )

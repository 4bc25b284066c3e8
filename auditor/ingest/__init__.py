"""The ingest stage: every content folder and feed in the configuration, read into Documents.

One bad input never stops a build: it becomes a ``Skipped`` note naming the file and why.
The readers (Python-Markdown, feedparser, the fetcher) are imported when first used, so a
rebuild that finds every file cached, and only needs ``files``, does not pay for them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.config import Config
from auditor.errors import ConfigError, InputError
from auditor.ingest.slugs import assign_slugs
from auditor.model import Document, Skipped
from auditor.timings import Timings

if TYPE_CHECKING:
    from auditor.fetch import FetchSettings

__all__ = [
    "content_files",
    "document_from_text",
    "ingest",
    "read_feed",
    "read_feeds",
    "read_file",
    "read_html",
    "read_markdown",
    "read_path",
]

_LAZY = {
    "read_feed": "auditor.ingest.feeds",
    "read_html": "auditor.ingest.html",
    "read_markdown": "auditor.ingest.markdown",
}


def __getattr__(name: str) -> Any:
    """The re-exported readers, imported on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MARKDOWN = frozenset({".md", ".markdown"})
HTML = frozenset({".html", ".htm"})
FEEDS = frozenset({".xml", ".rss", ".atom"})


def ingest(config: Config, *, drafts: bool | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read all content folders, then all feeds; return documents by id, skipped by path."""
    keep_drafts = config.drafts if drafts is None else drafts
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for root in config.content:
        found, problems = read_folder(root, config)
        docs.extend(found)
        skipped.extend(problems)
    found, problems = read_feeds(config)
    docs.extend(found)
    skipped.extend(problems)
    kept = [doc for doc in docs if keep_drafts or not doc.draft]
    return assign_slugs(kept), sorted(skipped, key=lambda s: (s.path, s.line or 0, s.reason))


def read_feeds(
    config: Config, settings: FetchSettings | None = None
) -> tuple[list[Document], list[Skipped]]:
    """Every configured feed in order; remote ones are fetched first, a few at a time."""
    from auditor.fetch import Fetched, fetch_all
    from auditor.ingest.feeds import URL, read_feed

    settings = settings or fetch_settings(config)
    fetched = fetch_all((f for f in config.feeds if URL.match(f)), settings)
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for location in config.feeds:
        label = _site_relative(location, config.site_dir)
        got = fetched.get(location)
        if isinstance(got, InputError):
            skipped.append(Skipped(label, got.reason))
            continue
        if isinstance(got, Fetched) and got.warning:
            skipped.append(Skipped(label, got.warning, warning=True))
        fetch = (lambda _, data=got.data: data) if isinstance(got, Fetched) else None
        found, problems = read_feed(location, site_url=config.base_url, label=label, fetch=fetch)
        docs.extend(found)
        skipped.extend(problems)
    return docs, skipped


def fetch_settings(config: Config) -> FetchSettings:
    """The feed cache in the site folder (never inside the output folder) and offline mode."""
    from auditor.fetch import CACHE_DIR, FetchSettings

    cache = config.site_dir / CACHE_DIR
    output = config.output.resolve()
    if output == cache.resolve() or output in cache.resolve().parents:
        raise ConfigError(f"the feed cache {cache} would be inside the output folder {output}")
    return FetchSettings(cache_dir=cache, offline=getattr(config, "offline", False))


def _site_relative(location: str, site_dir: Path) -> str:
    """A local feed path relative to the site folder when it is inside it; URLs unchanged."""
    path = Path(location)
    if path.is_absolute() and path.is_relative_to(site_dir):
        return path.relative_to(site_dir).as_posix()
    return location


def read_folder(root: Path, config: Config) -> tuple[list[Document], list[Skipped]]:
    """Read every content file under one folder, in sorted order."""
    if not root.is_dir():
        return [], [Skipped(str(root), "content folder not found")]
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for path in content_files(root, config.exclude):
        found, problems = read_path(Path(path), root, config.base_url)
        docs.extend(found)
        skipped.extend(problems)
    return docs, skipped


def read_path(
    path: Path,
    root: Path,
    site_url: str | None,
    data: bytes | None = None,
    timings: Timings | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """One content file's documents and its notes (why it was skipped, or warnings).

    ``data``: the bytes of a Markdown or HTML file, when the caller has read them already to
    hash them, so the file is read once. Feeds are always read here: their size limit differs.
    ``timings`` receives the Markdown and text-extraction stages of a page (benchmarks).
    """
    label = str(path.relative_to(root.parent))
    notes: list[Skipped] = []

    def warn(reason: str, line: int | None = None) -> None:
        notes.append(Skipped(label, reason, line, warning=True))

    suffix = path.suffix.lower()
    try:
        if suffix in FEEDS:
            from auditor.ingest.feeds import read_feed

            found, problems = read_feed(str(path), site_url=site_url, label=label)
            return found, problems
        reader = _readers(suffix)[0]
        return [reader(path, root, root.name, site_url, warn, data, timings)], notes
    except InputError as exc:
        return [], [*notes, Skipped(label, exc.reason, exc.line)]


KNOWN_SUFFIXES = MARKDOWN | HTML | FEEDS


def content_files(root: Path, exclude: tuple[str, ...] = ()) -> Iterator[str]:
    """Content files under ``root``, sorted; hidden, excluded and escaping symlinks left out.

    Paths are strings: a build scans every file each time, and a ``Path`` per file cost
    ~0.2 s of a 10,000-post rebuild.
    """
    real_root = root.resolve()
    top = str(root)
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if name.startswith(".") or suffix not in KNOWN_SUFFIXES:
                continue
            if exclude and _excluded(prefix + name, exclude):
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path) and not Path(path).resolve().is_relative_to(real_root):
                continue
            yield path


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    """Glob match on the path relative to the folder; a leading ``**/`` also matches the top."""
    for pattern in patterns:
        candidates = {pattern, pattern.removeprefix("**/")}
        if any(fnmatch.fnmatchcase(relative, p) for p in candidates):
            return True
    return False


def document_from_text(text: str, name: str = "<stdin>") -> Document:
    """A Document from Markdown text (optional front matter), e.g. a single draft on stdin."""
    from auditor.ingest.markdown import markdown_document

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return markdown_document(
        text, doc_id=name, label=name, source=name, site_url=None, digest=digest
    )


def read_file(path: Path, *, site_url: str | None = None, roots: Sequence[Path] = ()) -> Document:
    """One Markdown or HTML file named on the command line.

    Inside one of the content folders ``roots`` it gets the same id, path and source as in a
    build (so ``check --baseline`` and reviews recognise it); elsewhere its file name is its id.
    """
    from auditor.ingest.files import read_text

    suffix = path.suffix.lower()
    if suffix not in MARKDOWN | HTML:
        raise InputError(str(path), "not a Markdown (.md) or HTML (.html) file")
    resolved = path.resolve()
    root = next((r.resolve() for r in roots if resolved.is_relative_to(r.resolve())), None)
    reader, build = _readers(suffix)
    if root is not None:
        return reader(resolved, root, root.name, site_url)
    raw, digest = read_text(path, str(path))
    return build(
        raw,
        doc_id=path.name,
        label=str(path),
        source=str(path.parent),
        site_url=site_url,
        digest=digest,
    )


def _readers(suffix: str) -> tuple[Callable[..., Document], Callable[..., Document]]:
    """The file reader and text reader for HTML or else Markdown, imported on first use."""
    if suffix in HTML:
        from auditor.ingest.html import html_document, read_html

        return read_html, html_document
    from auditor.ingest.markdown import markdown_document, read_markdown

    return read_markdown, markdown_document

"""RSS and Atom feeds: each entry becomes a Document; a broken feed keeps what parsed.

The bytes are fetched here (``_fetch``, replaceable in tests) and handed to feedparser as a
stream, so feedparser never opens a URL or a file by itself.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser

from auditor import __version__
from auditor.errors import InputError
from auditor.ingest.files import read_bytes
from auditor.ingest.meta import format_date, normalise_meta
from auditor.ingest.text import extract
from auditor.model import Document, Skipped

MAX_FEED_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT = 10
USER_AGENT = f"auditor/{__version__} (+https://github.com/)"
URL = re.compile(r"^https?://", re.IGNORECASE)

Fetch = Callable[[str], bytes]


def _fetch(url: str) -> bytes:
    """GET a feed URL with a timeout and a size cap; raises OSError (or InputError) on failure."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
        data: bytes = response.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise InputError(url, f"feed is over the {MAX_FEED_BYTES // (1024 * 1024)} MB limit")
    return data


def read_feed(
    location: str,
    *,
    site_url: str | None = None,
    fetch: Fetch | None = None,
    label: str | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Read a feed file or http(s) URL into Documents, and Skipped notes for what was left out.

    ``label`` (default: ``location``) names the feed in ids and reports, so that a local file
    can be named relative to the site and ids stay stable from machine to machine.
    """
    try:
        data = _load(location, fetch or _fetch)
    except InputError as exc:
        return [], [Skipped(label or location, exc.reason, exc.line)]
    location = label or location
    parsed = feedparser.parse(io.BytesIO(data))
    source = _clean(parsed.feed.get("title")) or location
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for index, entry in enumerate(parsed.entries):
        doc = _entry_document(entry, index, location, source, site_url)
        if doc is None:
            entry_name = _clean(entry.get("title")) or _entry_key(entry, index)
            reason = f"entry '{entry_name}' of feed '{source}' has no text to audit"
            skipped.append(Skipped(location, reason))
        else:
            docs.append(doc)
    skipped.extend(_feed_problems(parsed, location, len(parsed.entries)))
    return docs, skipped


def _load(location: str, fetch: Fetch) -> bytes:
    if URL.match(location):
        try:
            return fetch(location)
        except OSError as exc:
            raise InputError(location, f"feed could not be fetched ({exc})") from None
    return read_bytes(Path(location), location, MAX_FEED_BYTES)


def _feed_problems(parsed: Any, location: str, count: int) -> list[Skipped]:
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        if count == 0:
            return [Skipped(location, f"feed is not well-formed ({problem}); no entries parsed")]
        reason = f"feed is not well-formed ({problem}); kept the {count} entries that parsed"
        return [Skipped(location, reason, warning=True)]
    if count == 0:
        return [Skipped(location, "no entries found: is this an RSS or Atom feed?", warning=True)]
    return []


def _entry_key(entry: Any, index: int) -> str:
    return _clean(entry.get("id")) or _clean(entry.get("link")) or str(index)


def _clean(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _entry_body(entry: Any) -> str:
    """The full content when the feed has it, else the summary; plain text is escaped first."""
    content = entry.get("content") or []
    detail = content[0] if content else entry.get("summary_detail") or {}
    value = detail.get("value") or entry.get("summary") or ""
    if detail.get("type") == "text/plain":
        return html.escape(value)
    return str(value)


def _entry_document(
    entry: Any, index: int, location: str, source: str, site_url: str | None
) -> Document | None:
    extracted = extract(_entry_body(entry), site_url=site_url)
    if not extracted.text:
        return None
    meta = normalise_meta(_entry_meta(entry))
    summary = extract(entry.get("summary", "")).text if entry.get("content") else ""
    title = meta.title or "(untitled)"
    return Document(
        id=f"{location}#{_entry_key(entry, index)}",
        slug=meta.title or f"entry-{index + 1}",
        source=source,
        source_kind="feed",
        path=location,
        title=title,
        url=meta.url,
        date=meta.date or _parsed_date(entry),
        authors=meta.authors,
        tags=meta.tags,
        summary=" ".join(summary.split()),
        text=extracted.text,
        blocks=extracted.blocks,
        links=extracted.links,
    )


def _entry_meta(entry: Any) -> dict[str, Any]:
    """Entry fields under the front-matter key names, so one normaliser reads both."""
    authors = [a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict)]
    return {
        "title": entry.get("title"),
        "date": entry.get("published") or entry.get("updated"),
        "authors": [a for a in authors if a] or None,
        "author": entry.get("author"),
        "tags": [t.get("term") for t in entry.get("tags") or [] if isinstance(t, dict)],
        "link": entry.get("link"),
    }


def _parsed_date(entry: Any) -> str | None:
    """feedparser's UTC struct_time, for dates it understood but the normaliser did not."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return format_date(dt.datetime(*parsed[:6])) if parsed else None

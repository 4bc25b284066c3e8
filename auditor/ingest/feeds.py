"""RSS and Atom feeds: each entry becomes a Document; a broken feed keeps what parsed.

The bytes are fetched by ``auditor.fetch`` (or a replaceable ``fetch``) and handed to
feedparser as a stream, so feedparser never opens a URL or a file by itself. A feed declaring
XML entities is refused before parsing: feedparser's fallback parser expands "safe" ones with
no limit, so 80 KB of entity references can become gigabytes (and external ones leak files).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser

from auditor.errors import InputError
from auditor.fetch import MAX_FEED_BYTES, fetch_feed
from auditor.ingest.files import MAX_FILE_BYTES, read_bytes
from auditor.ingest.meta import format_date, normalise_meta, parse_date
from auditor.ingest.text import extract
from auditor.model import Document, Skipped

URL = re.compile(r"^https?://", re.IGNORECASE)
FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
MAX_ENTRY_CHARS = MAX_FILE_BYTES
"""An entry's HTML is held to the same bound as a content file."""

Fetch = Callable[[str], bytes]


def _fetch(url: str) -> bytes:
    """GET a feed URL with the default limits and no cache (``ingest`` passes its own)."""
    return fetch_feed(url).data


def check_entities(data: bytes, label: str) -> None:
    """Refuse a feed whose prolog declares entities (billion laughs, XXE) before any parsing."""
    narrow = data.replace(b"\x00", b"")  # UTF-16/32 prologs read as ASCII once NULs are gone
    first = FIRST_ELEMENT.search(narrow)
    prolog = narrow[: first.start() if first else len(narrow)]
    if ENTITY_DECLARATION.search(prolog):
        reason = "feed declares XML entities (<!ENTITY>), which are refused for safety"
        raise InputError(label, reason)


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
        if not data.strip():
            raise InputError(location, "empty file")
        check_entities(data, label or location)
        parsed = _parse(data, label or location)
    except InputError as exc:
        return [], [Skipped(label or location, exc.reason, exc.line)]
    location = label or location
    source = _title(parsed.feed) or location
    docs: list[Document] = []
    skipped: list[Skipped] = []
    gaps: dict[str, list[str]] = {}
    for index, entry in enumerate(parsed.entries):
        try:
            docs.append(_entry_document(entry, index, location, source, site_url))
        except InputError as exc:
            skipped.append(Skipped(location, exc.reason))
            continue
        for gap in _gaps(entry):
            gaps.setdefault(gap, []).append(_entry_name(entry, index))
    skipped.extend(_gap_warnings(gaps, location, source))
    skipped.extend(_feed_problems(parsed, location, len(parsed.entries)))
    return docs, skipped


def _parse(data: bytes, label: str) -> Any:
    """feedparser's result; it raises on some malformed bytes, which then skip the feed."""
    try:
        return feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser bugs, e.g. UnicodeDecodeError on a stray 0xFE
        raise InputError(label, f"feed could not be parsed ({type(exc).__name__})") from None


def _entry_name(entry: Any, index: int) -> str:
    """How reports name an entry: its title, else its id or link, else its position."""
    name = _title(entry) or _clean(entry.get("id")) or _clean(entry.get("link"))
    name = name or f"#{index + 1}"
    return name if len(name) <= 80 else name[:77] + "..."


def _gaps(entry: Any) -> list[str]:
    """What an entry lacks that a post should have: title, link, a (readable) date."""
    written = _written(entry)
    gaps = ["title"] if not _title(entry) else []
    gaps += ["link"] if not _clean(entry.get("link")) else []
    if not written:
        gaps.append("date")
    elif not _parsed_date(entry) and not parse_date(written):
        gaps.append("readable date")
    return gaps


def _gap_warnings(gaps: dict[str, list[str]], location: str, source: str) -> list[Skipped]:
    """One warning per missing field per feed, naming a few of the entries, not one per entry."""
    warnings = []
    for gap, names in gaps.items():
        shown = ", ".join(f"'{n}'" for n in names[:3]) + (", ..." if len(names) > 3 else "")
        count = "1 entry" if len(names) == 1 else f"{len(names)} entries"
        verb = "has" if len(names) == 1 else "have"
        reason = f"{count} of feed '{source}' {verb} no {gap} ({shown}); kept without"
        warnings.append(Skipped(location, reason, warning=True))
    return warnings


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
) -> Document:
    """One entry as a Document, or an InputError naming the entry and why it was left out."""
    body = _entry_body(entry)
    name = f"entry '{_entry_name(entry, index)}' of feed '{source}'"
    if len(body) > MAX_ENTRY_CHARS:
        raise InputError(location, f"{name} is over the {MAX_ENTRY_CHARS // 1024 // 1024} MB limit")
    extracted = extract(body, site_url=site_url)
    if not extracted.text:
        raise InputError(location, f"{name} has no text to audit")
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
        "title": _title(entry),
        "date": _written(entry),
        "authors": [a for a in authors if a] or None,
        "author": entry.get("author"),
        "tags": [t.get("term") for t in entry.get("tags") or [] if isinstance(t, dict)],
        "link": entry.get("link"),
    }


def _title(entry: Any) -> str:
    """The entry's title as text: an HTML title (Atom ``type="html"``) loses its markup."""
    detail = entry.get("title_detail") or {}
    title = entry.get("title")
    if isinstance(title, str) and "html" in str(detail.get("type", "")):
        title = extract(f"<p>{title}</p>").text
    return _clean(title)


def _written(entry: Any) -> Any:
    """The date as the feed wrote it: published, else updated."""
    return dict.get(entry, "published") or dict.get(entry, "updated")


def _parsed_date(entry: Any) -> str | None:
    """feedparser's UTC struct_time, for dates it understood but the normaliser did not."""
    # dict.get: feedparser's own get() maps updated to published with a DeprecationWarning
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return format_date(dt.datetime(*parsed[:6])) if parsed else None

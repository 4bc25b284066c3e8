"""Normalised metadata: the keys Jekyll, Hugo, Pelican and Eleventy use, read one way.

Front matter is untrusted: a value of the wrong type is turned into a string when it is a
scalar and ignored otherwise (never ``str()`` of a container, which a YAML alias bomb can make
enormous), so a strange post never crashes a build.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})-")
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
SCALARS = (str, int, float, dt.date)
DATE_KEYS = ("date", "pubdate", "published", "created")
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Meta:
    """What the pipeline needs from a piece's metadata, whatever generator wrote it."""

    title: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    slug: str | None = None
    draft: bool = False
    summary: str = ""
    url: str | None = None
    suppress: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """Values that were present but unusable (e.g. a date no parser reads): warnings."""


def normalise_meta(meta: Mapping[Any, Any], file_name: str | None = None) -> Meta:
    """Read the usual keys across generators; ``file_name`` supplies a Jekyll date fallback."""
    data = {str(key).lower(): value for key, value in meta.items()}
    return Meta(
        title=_text(data.get("title")),
        date=_date(data, file_name),
        authors=_authors(data),
        tags=_unique(_tags(data)),
        slug=_text(data.get("slug")),
        draft=_draft(data),
        summary=_first_text(data, ("description", "summary", "excerpt")) or "",
        url=_first_text(data, ("url", "permalink", "link")),
        suppress=_unique(_suppress(data)),
        problems=_problems(data),
    )


def _problems(data: Mapping[str, Any]) -> tuple[str, ...]:
    """A date that is given but unreadable is reported, and the piece is kept without one."""
    problems = []
    for key in DATE_KEYS:
        value = data.get(key)
        if not isinstance(value, str) or value.strip().lower() in {"", *TRUE_WORDS, *FALSE_WORDS}:
            continue
        if parse_date(value) is None:
            shown = " ".join(str(value).split())[:60]
            problems.append(f"{key} {shown!r} is not a date (use YYYY-MM-DD); kept without a date")
    return tuple(problems)


def _text(value: Any) -> str | None:
    """A scalar as stripped text (whitespace collapsed); containers and blanks give None."""
    if isinstance(value, bool) or not isinstance(value, SCALARS):
        return None
    text = " ".join(CONTROLS.sub("", str(value)).split())
    return text or None


def _first_text(data: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        text = _text(data.get(key))
        if text:
            return text
    return None


def _list(value: Any, split: bool = True) -> list[str]:
    """A list of strings from a list of scalars or (when ``split``) a comma-separated string."""
    if isinstance(value, str):
        parts = value.split(",") if split else [value]
    elif isinstance(value, list | tuple):
        parts = [_text(item) or "" for item in value]
    else:
        parts = [_text(value) or ""]
    return [" ".join(part.split()) for part in parts if part and part.strip()]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """De-duplicate ignoring case, keeping the first spelling and the order."""
    seen: set[str] = set()
    kept: list[str] = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return tuple(kept)


def format_date(value: dt.date | dt.datetime) -> str:
    """``YYYY-MM-DD`` for dates, ``YYYY-MM-DDTHH:MM:SS`` (local time as written) for datetimes."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.strftime("%Y-%m-%d")


def parse_date(value: Any) -> str | None:
    """Normalise a date, datetime, ISO-like or RFC 2822 string; anything else gives None."""
    if isinstance(value, dt.date):
        return format_date(value)
    if not isinstance(value, str):
        return None
    match = ISO_DATE.match(value.strip())
    if match:
        return _from_parts(match.groups())
    try:
        return format_date(email.utils.parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None


def _from_parts(parts: tuple[str | None, ...]) -> str | None:
    year, month, day, hour, minute, second = parts
    try:
        day_value = dt.date(int(year or 0), int(month or 0), int(day or 0))
        if hour is None:
            return format_date(day_value)
        time = dt.time(int(hour), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return format_date(dt.datetime.combine(day_value, time))


def _date(data: Mapping[str, Any], file_name: str | None) -> str | None:
    for key in DATE_KEYS:
        value = data.get(key)
        if isinstance(value, bool):
            continue
        found = parse_date(value)
        if found:
            return found
    match = FILE_DATE.match(file_name or "")
    return parse_date(match.group(1)) if match else None


def _authors(data: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for key, split in (("authors", True), ("author", False)):
        value = data.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Mapping):
                item = item.get("name")
            if isinstance(item, str) and split:
                names.extend(_list(item))
            elif _text(item):
                names.append(_text(item) or "")
    return _unique(names)


def _tags(data: Mapping[str, Any]) -> list[str]:
    tags: list[str] = []
    for key in ("tags", "categories", "category", "keywords"):
        value = data.get(key)
        if value is not None:
            tags.extend(_list(value))
    return tags


def _draft(data: Mapping[str, Any]) -> bool:
    draft = data.get("draft")
    if isinstance(draft, bool):
        return draft
    if isinstance(draft, str) and draft.strip().lower() in TRUE_WORDS:
        return True
    published = data.get("published")
    if published is False or (isinstance(published, str) and published.lower() in FALSE_WORDS):
        return True
    return (_text(data.get("status")) or "").lower() == "draft"


def _suppress(data: Mapping[str, Any]) -> list[str]:
    """Rule ids the author asked to silence: ``auditor_ignore`` or ``auditor: {ignore: ...}``."""
    values: list[Any] = [data.get("auditor_ignore")]
    nested = data.get("auditor")
    if isinstance(nested, Mapping):
        values.append(nested.get("ignore"))
    ids: list[str] = []
    for value in values:
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if value is not None:
            ids.extend(part for part in _list(value, split=False) if " " not in part)
    return ids

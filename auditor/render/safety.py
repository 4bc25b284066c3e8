"""Guards for untrusted content: link schemes, group slugs, CSV cells and output paths."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin

from auditor.errors import BuildError

_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RESERVED_SLUGS = frozenset({"index"})


def safe_url(url: str | None) -> str | None:
    """``url`` if it may become a link (http(s), protocol-relative or relative), else None."""
    if not url:
        return None
    cleaned = _CONTROL.sub("", url)
    if not cleaned:
        return None
    match = _SCHEME.match(cleaned.lower())
    if match and match.group(1) not in ("http", "https"):
        return None
    return url.strip()


def is_external(url: str) -> bool:
    """Whether a (safe) URL leaves the audit site."""
    lowered = _CONTROL.sub("", url).lower()
    return lowered.startswith(("http:", "https:", "//"))


def slugify(name: str) -> str:
    """A lowercase ASCII ``[a-z0-9-]`` file-name slug of ``name``, never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")
    return slug or "item"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Map each distinct name to a unique slug, in sorted order, adding -2, -3 on clashes."""
    taken: set[str] = set(RESERVED_SLUGS)
    result: dict[str, str] = {}
    for name in sorted(set(names), key=lambda n: (n.casefold(), n)):
        base = slugify(name)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[name] = slug
    return result


def csv_cell(value: object) -> object:
    """Neutralise spreadsheet formulas: prefix text cells starting with = + - @ with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def target_in(out_dir: Path, rel: str) -> Path:
    """The absolute path of ``rel`` inside ``out_dir``; raise BuildError if it would escape."""
    root = out_dir.resolve()
    target = (root / rel).resolve()
    if target == root or not target.is_relative_to(root):
        raise BuildError(f"refusing to write {rel!r} outside the output folder {root}")
    return target


def original_link(url: str | None, base_url: str | None = None) -> str | None:
    """An absolute http(s) link to a piece's original, resolving relative URLs on base_url."""
    safe = safe_url(url)
    if safe and not is_external(safe) and base_url:
        safe = urljoin(base_url, safe)
    if safe and _CONTROL.sub("", safe).lower().startswith(("http://", "https://", "//")):
        return safe
    return None

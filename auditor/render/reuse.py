"""Table pages kept from the previous site: each is keyed by everything it shows.

A piece's row key (its page key plus whether deltas show) covers everything its table row
shows; a table page's key hashes the row keys of the pieces it depends on with the rest of its
context. A page whose key is the one it was last written under is hard-linked from the previous
site instead of rendered, as unchanged piece pages are.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field

from auditor.model import PieceResult


@dataclass
class Fragments:
    """Each piece's table row HTML, audit.csv line and pieces.json row known to be current
    (from the build cache), by slug; the ones made during a build are added, for the next."""

    html: dict[str, str] = field(default_factory=dict)
    csv: dict[str, str] = field(default_factory=dict)
    json: dict[str, str] = field(default_factory=dict)

    def only(self, slugs: Container[str]) -> Fragments:
        """The fragments of the pieces in ``slugs``."""
        parts = (self.html, self.csv, self.json)
        return Fragments(*({s: v for s, v in part.items() if s in slugs} for part in parts))


@dataclass
class PageReuse:
    """Which table pages (index and group pages) the previous site holds, and under what key.

    ``salt`` covers what every page shares (templates, site title, stamp, output folder);
    ``rows`` maps slug -> row key; ``old`` maps each page of the previous site in ``source``
    to its key; ``keys`` receives the key of every keyed page of this build, for the next one.
    """

    source: str | None = None
    salt: str = ""
    rows: Mapping[str, str] = field(default_factory=dict)
    old: Mapping[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def digest(self, results: Sequence[PieceResult]) -> str | None:
        """A hash of ``results``' row keys; None when a piece has none (feed entries: pages
        showing them are always rendered)."""
        rows = self.rows
        try:
            members = "\0".join([rows[r.doc.slug] for r in results])
        except KeyError:
            return None
        return hashlib.sha256(members.encode()).hexdigest()[:24]

    def key(self, rel: str, rows: str | None, context: object) -> str | None:
        """The key of page ``rel``, which shows ``context`` and the rows hashed in ``rows``
        (a ``digest``); None when those are unknown."""
        if rows is None:
            return None
        key = hashlib.sha256(repr((self.salt, rel, rows, context)).encode()).hexdigest()[:24]
        self.keys[rel] = key
        return key

    def remember(self, name: str, digest: str | None, make: Callable[[], str]) -> str:
        """``make()`` (the text of something computed from the rows hashed in ``digest``),
        hashed; taken from the last build when ``digest`` is the same, without calling it."""
        return self.recall(name, digest, lambda: hashlib.sha256(make().encode()).hexdigest()[:24])

    def recall(
        self,
        name: str,
        digest: str | None,
        make: Callable[[], str],
        valid: Callable[[str], bool] = lambda _: True,
    ) -> str:
        """``make()`` (a short text computed from the rows hashed in ``digest``), taken from
        the last build when ``digest`` is the same and the text kept is ``valid``, without
        calling it; kept for the next build."""
        old = self.old.get(name, "")
        found = old.partition(":")[2] if digest is not None and old.startswith(digest + ":") else ""
        if not found or not valid(found):
            found = make()
        if digest is not None:
            self.keys[name] = f"{digest}:{found}"
        return found

    def kept(self, rel: str, key: str | None) -> str | None:
        """The previous site's ``rel`` when it was written under ``key`` and is a plain file."""
        if key is None or self.source is None or self.old.get(rel) != key:
            return None
        path = os.path.join(self.source, rel)
        try:
            return path if stat.S_ISREG(os.lstat(path).st_mode) else None
        except OSError:
            return None

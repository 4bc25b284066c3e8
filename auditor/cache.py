"""The build cache in ``<site>/.auditor-cache/``: each file's results and each page's inputs.

Like coverage.py's ``status.json``: a rebuild re-reads only files whose size or mtime moved
(and whose sha256 then differs too), and re-renders only pages whose inputs changed. Every entry
is valid only under the key it was saved with (format, tool code and data files, the user's
scoring settings, base URL, drafts); anything unreadable or saved under another key is discarded
with a warning, never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import auditor
from auditor.errors import InputError
from auditor.ingest.files import read_bytes
from auditor.model import Audit, PieceResult
from auditor.parallel import PARTS_SUFFIX, file_digest
from auditor.render.export import JsonReuse
from auditor.render.groups import GROUP_KINDS, Group, group_hrefs
from auditor.render.reuse import Fragments, PageReuse

FORMAT = 8
DIR_NAME = ".auditor-cache"
STATUS = "status.json"
RESULTS = "results.pickle"
ROWS = "rows.pickle"
PARTS = "parts"
AUDIT_JSON = "audit.json"
RACY_NS = 2_000_000_000
"""Files modified this close to the last save may have changed within one mtime tick: hash."""

log = logging.getLogger("auditor")


@dataclass(frozen=True, slots=True)
class Entry:
    """One content file as last seen: size, mtime, content hash and its pickled results.

    ``full_hash`` hashes everything the scorer produced for the file (page keys use it);
    with a ``parts_size``, ``blob`` holds lightened results and the parts file named by
    ``full_hash`` (of that size) holds the full ones with each piece's page body and JSON.
    """

    size: int
    mtime_ns: int
    digest: str
    blob: bytes
    full_hash: str
    parts_size: int = 0

    @property
    def prepared(self) -> bool:
        """Whether the results are lightened, with their parts in a parts file."""
        return self.parts_size > 0

    def restat(self, stat: os.stat_result) -> Entry:
        """The same entry under the file's current size and mtime."""
        return Entry(
            stat.st_size, stat.st_mtime_ns, self.digest, self.blob, self.full_hash, self.parts_size
        )


def tool_version() -> str:
    """The version plus a hash of the package's code and data files (scoring weights, word
    lists), so any change to either invalidates; with the user's scoring settings this is
    everything the scoring model is built from."""
    digest = hashlib.sha256(auditor.__version__.encode())
    package = Path(auditor.__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def folder_hash(folders: Iterable[Path | None]) -> str:
    """A hash of every file under the template folders in use (user folder, theme)."""
    digest = hashlib.sha256()
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


class Cache:
    """The entries and page keys of the last build, valid under ``key``."""

    def __init__(
        self,
        folder: Path | None,
        key: Mapping[str, object],
        entries: dict[str, Entry] | None = None,
        pages: dict[str, str] | None = None,
        saved_ns: int = 0,
        site: Mapping[str, Any] | None = None,
    ) -> None:
        self.folder, self.key = folder, dict(key)
        self.parts = folder / PARTS if folder is not None else None
        self._parts_prefix = os.path.join(self.parts, "") if self.parts is not None else ""
        self.entries = entries or {}
        self.pages = pages or {}
        self.saved_ns = saved_ns
        self.site = dict(site or {})
        self.rows: dict[str, str] = {}
        """Slug -> the row key its saved ``fragments`` were made under."""
        self.fragments = Fragments()
        self.info: tuple[Any, Any] | None = None
        """The model's dimensions and rules as last saved (valid under ``key``), or None."""

    @classmethod
    def load(cls, folder: Path, key: Mapping[str, object]) -> Cache:
        """The saved cache when it matches ``key``; otherwise an empty one (with a warning)."""
        status_path = folder / STATUS
        if not status_path.is_file():
            return cls(folder, key)
        try:
            status = json.loads(status_path.read_text(encoding="utf-8"))
            if type(status.get("format")) is int and status["format"] != FORMAT:
                log.info("auditor: cache made by another auditor version; rebuilding everything")
                return cls(folder, key)
            if status.get("format") != FORMAT:
                raise ValueError(f"cache format {status.get('format')!r}, expected {FORMAT}")
            if status.get("key") != json.loads(json.dumps(dict(key))):
                log.info("auditor: cache made under other settings; rebuilding everything")
                return cls(folder, key)
            entries, info = _read_entries(folder / RESULTS, status["files"])
            pages = {str(k): str(v) for k, v in status["pages"].items()}
            site = status.get("site") or {}
            if site and not (isinstance(site["digest"], str) and isinstance(site["files"], list)):
                raise ValueError("site record is not a digest and a list of files")
            _check_json_record(site.get("json"))
            _check_tables_record(site.get("tables"))
            cache = cls(folder, key, entries, pages, int(status["saved_ns"]), site)
            cache.rows, cache.fragments = _read_rows(folder / ROWS)
            cache.info = info
            return cache
        except Exception as exc:  # any damage means: do not trust it
            log.warning("auditor: warning: ignoring a damaged build cache in %s (%s)", folder, exc)
            return cls(folder, key)

    def lookup(self, path: str, stat: os.stat_result, label: str) -> Entry | None:
        """The cached entry for ``path`` if its content is unchanged: stat first, then hash."""
        entry = self.entries.get(path)
        if entry is None or (entry.prepared and not self.has_parts(entry)):
            return None
        same_stat = entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns
        if same_stat and stat.st_mtime_ns < self.saved_ns - RACY_NS:
            return entry
        try:
            digest = file_digest(read_bytes(Path(path), label))
        except InputError:  # unreadable now: the worker reads it again and reports it
            return None
        if digest != entry.digest:
            return None
        return entry.restat(stat)

    def parts_file(self, full_hash: str) -> str:
        """Where the parts of the file whose full results hash to ``full_hash`` are kept."""
        assert self.parts is not None, "a cache without a folder keeps no parts"
        return self._parts_prefix + full_hash + PARTS_SUFFIX  # no join: ~20,000 a rebuild

    def has_parts(self, entry: Entry) -> bool:
        """Whether the entry's parts file is there, whole (if not: read the file again)."""
        if self.parts is None:
            return False
        try:
            return os.stat(self.parts_file(entry.full_hash)).st_size == entry.parts_size
        except OSError:
            return False

    def prepare_parts(self) -> str | None:
        """The folder workers write parts files into (created), or None without a cache folder."""
        if self.parts is None:
            return None
        self.parts.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(self.parts.parent)
        return str(self.parts)

    def site_is_current(self, digest: str, output: Path) -> bool:
        """Whether the last build wrote the same site (``digest``) and all its files are there.

        Then nothing needs writing: the site in ``output`` is what this build would write.
        """
        if self.site.get("digest") != digest or not output.is_dir():
            return False
        files = self.site.get("files") or []
        folder = str(output)
        return bool(files) and all(os.path.isfile(os.path.join(folder, n)) for n in files)

    def json_reuse(self, pages: Mapping[str, str], output: Path) -> JsonReuse:
        """audit.json pieces to copy from the last build's file: those whose page key (which
        covers everything a piece's JSON shows) is unchanged, if the file is as it was written.
        """
        record = self.site.get("json")
        source = output / AUDIT_JSON
        try:
            stat = os.stat(source)
        except OSError:
            return JsonReuse()
        if not record or [stat.st_size, stat.st_mtime_ns] != [record["size"], record["mtime_ns"]]:
            return JsonReuse()
        pieces = record["pieces"]
        ranges = {s: (a, b) for s, (a, b, key) in pieces.items() if pages.get(s) == key}
        return JsonReuse(source, ranges)

    def table_reuse(self, output: Path, salt: str, rows: Mapping[str, str]) -> PageReuse:
        """The table pages of the last build in ``output``, with the keys they were written
        under; ``salt`` is what every page shares, ``rows`` each piece's row key."""
        return PageReuse(str(output.resolve()), salt, rows, self.site.get("tables") or {})

    def current_rows(self, keys: Mapping[str, str]) -> Fragments:
        """The saved rows, CSV lines and pieces.json rows of pieces whose row key (``keys``)
        is the one they were saved under."""
        return self.fragments.only({s for s, k in self.rows.items() if keys.get(s) == k})

    def save(
        self,
        entries: Mapping[str, Entry],
        pages: Mapping[str, str],
        site: Mapping[str, Any] | None = None,
        rows: tuple[Mapping[str, str], Fragments] | None = None,
        info: tuple[Any, Any] | None = None,
    ) -> None:
        """Write the cache atomically (temp file + rename), status last; drop unused parts.

        ``site`` records the whole site: its digest (``site_digest``) and the files written;
        ``rows`` maps slug -> row key, with the fragments made under those keys; ``info`` is
        the model's dimensions and rules, so a rebuild with nothing to score needs no model.
        """
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(self.folder)
        paths = sorted(entries)
        blobs = [entries[p].blob for p in paths]
        files = {
            p: [e.size, e.mtime_ns, e.digest, e.full_hash, e.parts_size]
            for p, e in ((p, entries[p]) for p in paths)
        }
        _atomic_write(self.folder / RESULTS, pickle.dumps((FORMAT, paths, blobs, info), protocol=5))
        if rows is not None:
            keys, f = rows
            saved = (FORMAT, dict(keys), f.html, f.csv, f.json)
            _atomic_write(self.folder / ROWS, pickle.dumps(saved, protocol=5))
        status = {
            "format": FORMAT,
            "key": self.key,
            "saved_ns": time.time_ns(),
            "files": files,
            "pages": dict(sorted(pages.items())),
            "site": dict(site or {}),
        }
        compact = json.dumps(status, separators=(",", ":"))  # the C encoder: no indent
        _atomic_write(self.folder / STATUS, compact.encode())
        self._drop_unused_parts({e.full_hash for e in entries.values() if e.prepared})

    def _drop_unused_parts(self, used: set[str]) -> None:
        """Remove parts files no entry refers to (older versions of changed or removed files)."""
        if self.parts is None or not self.parts.is_dir():
            return
        for name in os.listdir(self.parts):
            if name.removesuffix(PARTS_SUFFIX) not in used:
                with contextlib.suppress(OSError):
                    os.unlink(self.parts / name)


def _read_entries(
    path: Path, files: Mapping[str, list]
) -> tuple[dict[str, Entry], tuple[Any, Any] | None]:
    """The pickled blobs, checked against the status file's list of files, and the model info."""
    with path.open("rb") as handle:
        fmt, paths, blobs, info = pickle.load(handle)
    if fmt != FORMAT or len(paths) != len(blobs) or sorted(files) != list(paths):
        raise ValueError("results do not match status.json")
    entries = {}
    for name, blob in zip(paths, blobs, strict=True):
        size, mtime_ns, digest, full_hash, parts_size = files[name]
        entries[name] = Entry(
            int(size), int(mtime_ns), str(digest), blob, str(full_hash), int(parts_size)
        )
    if info is not None and not (isinstance(info, tuple) and len(info) == 2):
        raise ValueError("results.pickle holds no dimensions and rules")
    return entries, info


def _check_json_record(record: Any) -> None:
    """Raise unless ``record`` is None or audit.json's size, mtime and piece ranges."""
    if record is None:
        return
    ok = isinstance(record["size"], int) and isinstance(record["mtime_ns"], int)
    pieces = record["pieces"]
    ok = ok and isinstance(pieces, dict)
    ok = ok and all(
        isinstance(v, list)
        and len(v) == 3
        and isinstance(v[0], int)
        and isinstance(v[1], int)
        and 0 <= v[0] <= v[1] <= record["size"]
        and isinstance(v[2], str)
        for v in pieces.values()
    )
    if not ok:
        raise ValueError("audit.json record is not a size, an mtime and byte ranges")


def _check_tables_record(record: Any) -> None:
    """Raise unless ``record`` is None or maps table pages to their keys."""
    if record is None:
        return
    ok = isinstance(record, dict)
    ok = ok and all(isinstance(k, str) and isinstance(v, str) for k, v in record.items())
    if not ok:
        raise ValueError("table pages record is not a map of pages to keys")


def json_record(
    output: Path, placed: Mapping[str, tuple[int, int]], pages: Mapping[str, str]
) -> dict[str, Any]:
    """What the next build needs to copy pieces of the audit.json just written."""
    stat = os.stat(output / AUDIT_JSON)
    pieces = {s: [a, b, pages[s]] for s, (a, b) in placed.items() if s in pages}
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "pieces": pieces}


def _read_rows(path: Path) -> tuple[dict[str, str], Fragments]:
    """Saved rows: slug -> row key, and the fragments made under them; none saved: empty."""
    if not path.is_file():
        return {}, Fragments()
    with path.open("rb") as handle:
        fmt, keys, *parts = pickle.load(handle)
    if fmt != FORMAT or len(parts) != 3:
        raise ValueError("rows.pickle is not this cache format")
    for part in (keys, *parts):
        if not (isinstance(part, dict) and all(isinstance(v, str) for v in part.values())):
            raise ValueError("rows.pickle does not map slugs to text")
    return keys, Fragments(*parts)


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def _ignore_in_git(folder: Path) -> None:
    """A ``.gitignore`` inside the cache folder keeps it out of commits with no setup."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def page_keys(
    results: Sequence[PieceResult],
    hashes: Mapping[tuple[str, str | None], str],
    site_key: str,
    groups: Mapping[str, Sequence[Group]],
) -> dict[str, str]:
    """Slug -> a hash of everything its page shows: result, neighbours, group links, site.

    ``hashes`` maps a piece's (id, path) to the hash of its scored results; pieces without one
    (feed entries) get no key, so their pages are always rendered; ``groups`` are the
    results' groups (``render.groups.build_groups``). The result hash covers the piece's
    author, tag, source and month names; the key adds the page each name links to.
    """
    hrefs = group_hrefs(groups)
    authors, tags, sources, months = (hrefs[kind.folder] for kind in GROUP_KINDS)
    shown: list[tuple[str, str] | None] = [(r.doc.slug, r.doc.title or r.doc.id) for r in results]
    shown.append(None)  # the neighbour before the first piece and after the last one
    keys: dict[str, str] = {}
    for i, result in enumerate(results):
        doc = result.doc
        result_hash = hashes.get((doc.id, doc.path))
        if result_hash is None:
            continue
        parts = (
            site_key,
            result_hash,
            doc.id,
            doc.slug,
            shown[i - 1],
            shown[i + 1],
            tuple(map(authors.get, doc.authors)),
            tuple(map(tags.get, doc.tags)),
            sources.get(doc.source),
            months.get(doc.month),
            repr(result.reviewed) if result.reviewed else "",
            result.previous_overall,
        )
        keys[doc.slug] = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return keys


def site_digest(audit: Audit, pages: Mapping[str, str], site_key: str) -> str:
    """A hash of everything the whole site shows: when it matches the last build's, no page,
    table or export can differ, so nothing is rendered or written.

    Page keys cover each piece with its neighbours, group links, reviews and previous score;
    pieces without one (feed entries, scored every build) count by their whole result.
    """
    digest = hashlib.sha256(repr((site_key, audit.title, audit.base_url, audit.generated)).encode())
    for result in audit.results:
        slug = result.doc.slug
        digest.update(f"{slug}\0{pages.get(slug) or repr(result)}\0".encode())
    extra = (audit.skipped, audit.history, audit.removed, audit.has_previous)
    digest.update(repr(extra).encode())
    digest.update(repr((audit.dimensions, audit.rules)).encode())
    return digest.hexdigest()[:24]

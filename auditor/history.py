"""History across builds, with no server: the previous build's ``history.json``.

Each build can compare itself with the previous one (read from the output folder, a file, or the
published site's URL): per-piece score changes, new and removed pieces. ``history.json`` keeps
one compact point of site-level figures per build that changed them, so the index can chart
the trend and a rebuild of unchanged content adds nothing (output stays byte-identical).

Since schema 2 it also lists each piece's id, title and overall score, which is all a delta
needs, so the next build reads ~1 MB instead of the ~115 MB ``audit.json`` of 10,000 pieces.
A build by an older auditor (no piece list, or no ``history.json``) is read from its
``audit.json``.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.model import Audit, HistoryPoint
from auditor.schema import checked, pieces_cut_to

HISTORY_NAME = "history.json"
HISTORY_VERSION = 2
"""1: site-level points only; 2: also ``pieces`` (id, title, overall)."""
MAX_BYTES = 256 * 1024 * 1024  # audit.json of 10,000 pieces: ~115 MB (schema 2), ~250 MB (1)
TIMEOUT = 20


@dataclass(frozen=True)
class Previous:
    """What an earlier build published: overall score by piece id, titles, and its history."""

    overall: tuple[tuple[str, int], ...]
    titles: tuple[tuple[str, str], ...]
    history: tuple[HistoryPoint, ...]


def load_previous(source: str) -> Previous | None:
    """Read an earlier build from a folder, an ``audit.json`` path or an http(s) URL.

    Its audit.json may be any schema this version reads (``auditor.schema``): an older
    published site is schema 1.

    Returns None when there is nothing there yet (a first build); raises OSError or ValueError
    with a readable message when something is there but cannot be read.
    """
    audit_src, history_src = _locations(source)
    kept = _read_json(history_src) or {}
    version = kept.get("schema_version", 1)
    if type(version) is not int or version > HISTORY_VERSION:
        raise ValueError(
            f"{history_src}: schema_version {version!r} is not one this auditor reads "
            f"(1, {HISTORY_VERSION}): upgrade auditor"
        )
    history = _points(kept)
    if "pieces" in kept:
        return _previous(kept["pieces"], history)
    audit = _read_json(audit_src, _SLIM)
    if audit is None:
        return None
    pieces = checked(audit).get("pieces", [])  # the build's warning names the source
    slim = [
        {"id": p["id"], "title": p.get("title", p["id"]), "overall": p["scores"]["overall"]}
        for p in pieces
        if p.get("scores")
    ]
    return _previous(slim, history)


def _previous(pieces: list[dict[str, Any]], history: tuple[HistoryPoint, ...]) -> Previous:
    overall = tuple((str(p["id"]), int(p["overall"])) for p in pieces)
    titles = tuple((str(p["id"]), str(p["title"])) for p in pieces)
    return Previous(tuple(sorted(overall)), tuple(sorted(titles)), history)


def _locations(source: str) -> tuple[str, str]:
    """Where the audit and history files of an earlier build are, for each kind of source."""
    if source.startswith(("http://", "https://")):
        base = source if source.endswith("/") or source.endswith(".json") else source + "/"
        base = base.rsplit("/", 1)[0] + "/"
        return base + "audit.json", base + HISTORY_NAME
    path = Path(source)
    folder = path if path.is_dir() or not path.suffix else path.parent
    audit = path if path.suffix == ".json" else folder / "audit.json"
    return str(audit), str(folder / HISTORY_NAME)


def _read_json(
    location: str, hook: Callable[[list[tuple[str, Any]]], Any] | None = None
) -> dict | None:
    """A JSON object from a path or URL; None when it does not exist (404 / no such file).

    ``hook`` gets each object as it is decoded (``json.loads``' ``object_pairs_hook``).
    """
    try:
        raw = _fetch(location) if location.startswith(("http://", "https://")) else _read(location)
    except FileNotFoundError:
        return None
    if raw is None:
        return None
    data = json.loads(raw, object_pairs_hook=hook)
    if not isinstance(data, dict):
        raise ValueError(f"{location}: expected a JSON object")
    return data


_SLIM = pieces_cut_to(("id", "title", "scores"), "scores")
"""What history reads of each piece."""


def _read(path: str) -> bytes:
    """The file's bytes, refused over ``MAX_BYTES`` (its size first: ``read(n)`` would set
    aside ``n`` bytes before reading any)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_BYTES:
            raise ValueError(f"{path}: over the {MAX_BYTES >> 20} MB limit")
        return handle.read()


def _fetch(url: str) -> bytes | None:
    """The body at ``url`` with the feed fetcher's limits; None on 404 (no earlier build)."""
    from auditor.fetch import FetchSettings, get  # HTTP: only for an earlier build's URL

    try:
        response = get(url, FetchSettings(read_timeout=TIMEOUT, max_bytes=MAX_BYTES))
    except InputError as exc:
        raise OSError(str(exc)) from None
    if response.status == 404:
        return None
    if response.status != 200:
        raise OSError(f"{url}: HTTP {response.status} {response.reason}".rstrip())
    return response.body


def _points(data: dict) -> tuple[HistoryPoint, ...]:
    points = []
    for item in data.get("builds", []):
        medians = tuple((str(k), v if v is None else int(v)) for k, v in item["medians"].items())
        points.append(
            HistoryPoint(int(item["build"]), str(item["label"]), int(item["pieces"]), medians)
        )
    return tuple(points)


def attach_history(audit: Audit, previous: Previous | None) -> Audit:
    """Mark each piece's previous score, the pieces removed, and extend the build history."""
    point = current_point(audit, previous.history if previous else ())
    if previous is None:
        return replace(audit, history=(point,))
    before = dict(previous.overall)
    results = tuple(replace(r, previous_overall=before.get(r.doc.id)) for r in audit.results)
    current = {r.doc.id for r in audit.results}
    removed = tuple(title for pid, title in previous.titles if pid not in current)
    history = previous.history
    if not history or _figures(history[-1]) != _figures(point):
        history = (*history, point)
    return replace(audit, results=results, removed=removed, history=history, has_previous=True)


def current_point(audit: Audit, history: tuple[HistoryPoint, ...]) -> HistoryPoint:
    """This build's site-level figures: piece count and the median of each dimension."""
    number = history[-1].build + 1 if history else 1
    medians: list[tuple[str, int | None]] = [
        ("overall", _median([r.overall for r in audit.results]))
    ]
    for dim in audit.dimensions:
        values = [r.score(dim.name) for r in audit.results]
        medians.append((dim.name, _median([v for v in values if v is not None])))
    label = audit.generated[:10] if audit.generated else f"build {number}"
    return HistoryPoint(number, label, len(audit.results), tuple(medians))


def _median(values: list[int]) -> int | None:
    return round(statistics.median(values)) if values else None


def _figures(point: HistoryPoint) -> tuple[int, tuple[tuple[str, int | None], ...]]:
    return point.pieces, point.medians


def history_json(audit: Audit) -> str:
    """The ``history.json`` this build publishes: its points, then one line per piece (a piece
    indented over five lines would double the file, ~0.8 MB at 10,000 pieces)."""
    builds = [
        {"build": p.build, "label": p.label, "pieces": p.pieces, "medians": dict(p.medians)}
        for p in audit.history
    ]
    head = json.dumps({"schema_version": HISTORY_VERSION, "builds": builds}, indent=2)
    rows = sorted(
        (r.doc.id, json.dumps({"id": r.doc.id, "title": r.doc.title, "overall": r.overall}))
        for r in audit.results
    )
    pieces = "".join(f"\n    {row}," for _, row in rows).rstrip(",")
    return f'{head.removesuffix("}").rstrip()},\n  "pieces": [{pieces}\n  ]\n}}\n'

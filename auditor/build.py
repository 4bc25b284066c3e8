"""The build, one named stage a line: gather (ingest + score) -> reviews -> history -> publish.

Content files are ingested and scored across processes (``jobs``); with the cache, a rebuild
re-reads only changed files and re-renders only pages whose inputs changed (``auditor.gather``,
``auditor.cache``); the site is written aside and swapped in atomically (``auditor.publish``).
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.bundled import theme_dir
from auditor.cache import (
    DIR_NAME,
    Cache,
    folder_hash,
    json_record,
    page_keys,
    site_digest,
    tool_version,
)
from auditor.config import Config, ScoringSettings
from auditor.gather import Collected, Progress, gather
from auditor.history import attach_history, load_previous
from auditor.model import Audit, DimensionInfo, PieceResult, RuleInfo, Skipped
from auditor.parallel import default_jobs
from auditor.publish import Removals, check_output_folder, write_site
from auditor.render.groups import Group, build_groups
from auditor.render.reuse import Fragments
from auditor.reviews import REVIEWS_NAME, load_reviews
from auditor.timings import Timings
from auditor.timings import stage as _stage

if TYPE_CHECKING:
    from auditor.score import ScoringModel

__all__ = ["BuildReport", "Timings", "build", "collect"]

ModelInfo = tuple[tuple[DimensionInfo, ...], tuple[RuleInfo, ...]]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI's summary line and exit code."""

    audit: Audit
    output: Path
    seconds: float
    files_read: int = 0
    pages_rendered: int = 0
    pages_linked: int = 0

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.audit.skipped if not s.warning)

    @property
    def warnings(self) -> tuple[Skipped, ...]:
        return tuple(s for s in self.audit.skipped if s.warning)


class LazyModel:
    """The scoring model, built on first call: building it (word lists, syllable dictionaries,
    ~1.5 s) and importing the scorer are wasted on a rebuild with nothing to score."""

    def __init__(self, settings: ScoringSettings) -> None:
        self.settings = settings
        self._model: ScoringModel | None = None

    def __call__(self) -> ScoringModel:
        if self._model is None:
            from auditor.score import load_model

            self._model = load_model(self.settings)
        return self._model


def build(
    config: Config,
    *,
    drafts: bool | None = None,
    stamp: bool = False,
    progress: Progress | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    timings: Timings | None = None,
) -> BuildReport:
    """Audit every configured input and write the site to ``config.output``."""
    with _rare_collections():
        return _build(config, drafts, stamp, progress, on_skip, jobs, use_cache, timings)


GC_FIRST_THRESHOLD = 100_000


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely while a build runs, as mypy does.

    A build holds every piece's results for its whole length, and CPython's default first
    threshold (700 allocations) makes the collector walk them hundreds of times: 0.66 s of a
    4.3 s rebuild of 10,000 posts with one changed, 0.15 s with this threshold
    (``benchmarks/gc_cost.py``); a cold build's rendering of 10,000 pages went from 31.5 to
    19.6 s. The price is memory: cyclic garbage waits longer, and a cold 10,000-post build
    peaked at 330 MB instead of 190 MB (docs/performance.md). Collection still happens;
    forked workers inherit the setting.
    """
    before = gc.get_threshold()
    gc.set_threshold(GC_FIRST_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    config: Config,
    drafts: bool | None,
    stamp: bool,
    progress: Progress | None,
    on_skip: Callable[[Skipped], None] | None,
    jobs: int | None,
    use_cache: bool,
    timings: Timings | None,
) -> BuildReport:
    """The build itself (see ``build``)."""
    started = time.perf_counter()
    check_output_folder(config)
    model = LazyModel(config.scoring)  # built only when something must be scored
    keep = config.drafts if drafts is None else drafts
    cache = open_cache(config, keep, use_cache)
    got = gather(config, model, keep, cache, jobs=jobs, progress=progress, timings=timings)
    _report_skipped(got.skipped, on_skip)
    with _stage(timings, "reviews+assemble"):
        results = with_reviews(config, model, got.results, got.skipped, on_skip, got.parts.full)
        info = cache.info or model_info(model())
        audit = assemble(config, info, results, got.skipped, stamp=_stamp() if stamp else None)
    if config.history:
        with _stage(timings, "history"):
            audit = with_history(audit, config, on_skip)
    with _stage(timings, "page keys"):
        site_key = _site_key(config, audit)
        groups = build_groups(audit.results)  # once: for page keys and the pages themselves
        pages = page_keys(audit.results, got.hashes, site_key, groups)
        digest = site_digest(audit, pages, site_key)
    with Removals() as removals:  # an old site swapped out goes while the cache is saved
        if cache.site_is_current(digest, config.output):  # the same site is already there
            rendered = 0
            if got.files_read == 0 and got.entries == cache.entries:
                return _report(audit, config, started, got.files_read, rendered)  # no saving
            kept = {s: k for s, k in cache.rows.items() if s in pages}
            rows = (kept, cache.fragments.only(kept))
            site = {**cache.site, "digest": digest}
        else:
            keyed = Keys(site_key, pages, groups)
            written = _write(config, audit, cache, got, keyed, timings, jobs, removals)
            rendered, site, rows = written
            site["digest"] = digest
        with _stage(timings, "cache save"):
            cache.save(got.entries, pages, site, rows, info)
        with _stage(timings, "old site removed (wait)"):
            removals.wait()
    return _report(audit, config, started, got.files_read, rendered)


@dataclass(frozen=True)
class Keys:
    """What the pages are keyed by: the site key, each piece's page key, the groups."""

    site: str
    pages: dict[str, str]
    groups: dict[str, tuple[Group, ...]]


def _write(
    config: Config,
    audit: Audit,
    cache: Cache,
    got: Collected,
    keys: Keys,
    timings: Timings | None,
    jobs: int | None,
    removals: Removals,
) -> tuple[int, dict[str, object], tuple[dict[str, str], Fragments]]:
    """Write the site, reusing unchanged pages, table rows and audit.json pieces.

    Returns the pages rendered, the site record (files written, where each piece's JSON is,
    each table page's key) and the rows to keep: slug -> row key, with their fragments.
    """
    pages = keys.pages
    row_keys = {slug: f"{key}:{audit.has_previous}" for slug, key in pages.items()}
    rows = cache.current_rows(row_keys)
    reuse = [slug for slug, key in pages.items() if cache.pages.get(slug) == key]
    json = cache.json_reuse(pages, config.output)
    tables = cache.table_reuse(config.output, keys.site, row_keys)
    rendered, files = write_site(
        audit,
        config.output,
        config.templates,
        reuse=reuse,
        timings=timings,
        prepared=got.parts,
        rows=rows,
        json=json,
        groups=keys.groups,
        tables=tables,
        compiled=cache.folder / "templates" if cache.folder is not None else None,
        evidence_listed=config.evidence_listed,
        jobs=jobs or default_jobs(),
        removals=removals,
    )
    json_placed = json_record(config.output, json.placed, pages)
    site = {"files": files, "json": json_placed, "tables": tables.keys}
    return rendered, site, (row_keys, rows.only(row_keys))


def _report(
    audit: Audit, config: Config, started: float, files_read: int, rendered: int
) -> BuildReport:
    seconds = time.perf_counter() - started
    linked = len(audit.results) - rendered
    return BuildReport(audit, config.output, seconds, files_read, rendered, linked)


def collect(
    config: Config,
    *,
    drafts: bool | None = None,
    stamp: bool = False,
    progress: Progress | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    jobs: int | None = None,
) -> Audit:
    """Ingest and score every configured input: the audit, before anything is written."""
    model = LazyModel(config.scoring)
    keep = config.drafts if drafts is None else drafts
    got = gather(config, model, keep, Cache(None, {}), jobs=jobs, progress=progress)
    _report_skipped(got.skipped, on_skip)
    results = with_reviews(config, model, got.results, got.skipped, on_skip)
    info = model_info(model())
    return assemble(config, info, results, got.skipped, stamp=_stamp() if stamp else None)


def with_reviews(
    config: Config,
    model: Callable[[], ScoringModel],
    results: list[PieceResult],
    skipped: list[Skipped],
    on_skip: Callable[[Skipped], None] | None,
    full: Callable[[PieceResult], PieceResult] | None = None,
) -> list[PieceResult]:
    """Apply editors' decisions; a lapsed decision becomes a warning in ``skipped``.

    ``full`` gives the full form of a lightened result: decisions match findings and text,
    so pieces with decisions are reviewed (and rendered) from their full results.
    """
    decisions = load_reviews(config.site_dir / REVIEWS_NAME)
    if not decisions:  # nothing to apply, so no model to build
        return results
    from auditor.reviews import apply_reviews  # scores: imported only when there are decisions

    if full is not None:
        pieces = {d.piece for d in decisions}
        results = [full(r) if r.doc.id in pieces else r for r in results]
    reviewed = apply_reviews(results, decisions, model())
    for decision in reviewed.lapsed:
        lapsed = Skipped(
            REVIEWS_NAME,
            f"the {decision.action} decision on {decision.rule} for {decision.piece} no longer "
            "matches its text (it changed or is gone), so the finding counts again",
            warning=True,
        )
        skipped.append(lapsed)
        if on_skip:
            on_skip(lapsed)
    return list(reviewed.results)


def with_history(audit: Audit, config: Config, on_skip: Callable[[Skipped], None] | None) -> Audit:
    """Compare with the earlier build; one that cannot be read is a warning, not a failure."""
    source = config.previous or str(config.output)
    try:
        return attach_history(audit, load_previous(source))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warning = Skipped(
            source, f"previous build not read, so no history this time: {exc}", warning=True
        )
        if on_skip:
            on_skip(warning)
        audit = replace(audit, skipped=(*audit.skipped, warning))
        return attach_history(audit, None)


def _report_skipped(skipped: list[Skipped], on_skip: Callable[[Skipped], None] | None) -> None:
    if on_skip:
        for item in sorted(skipped, key=lambda s: (s.path, s.line or 0, s.reason)):
            on_skip(item)


def open_cache(config: Config, keep_drafts: bool, use: bool) -> Cache:
    """The site's cache under the key of everything results depend on (``use=False``: empty).

    The tool version hashes the package's code and data files (weights, word lists); with the
    user's scoring settings that is everything the model is built from, so the key needs no
    model (building one takes ~1.5 s that a rebuild with nothing to score would waste).
    """
    key = {
        "tool": tool_version(),
        "scoring": hashlib.sha256(repr(config.scoring).encode()).hexdigest()[:16],
        "base_url": config.base_url,
        "drafts": keep_drafts,
        "evidence_listed": config.evidence_listed,  # page bodies in the parts files list this many
    }
    folder = config.site_dir / DIR_NAME
    return Cache.load(folder, key) if use else Cache(folder, key)


def _site_key(config: Config, audit: Audit) -> str:
    """What every piece page shares: templates, site title, stamp, output folder."""
    templates = folder_hash([config.templates, theme_dir()])
    parts = (templates, audit.title, audit.base_url, audit.generated, str(config.output.resolve()))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def model_info(model: ScoringModel) -> ModelInfo:
    """The dimensions and rules the site documents; cached so rebuilds need no model."""
    return model.dimensions, model.rules_info


def assemble(
    config: Config,
    info: ModelInfo,
    results: list[PieceResult],
    skipped: list[Skipped],
    stamp: str | None = None,
) -> Audit:
    """Put the results in site order (newest first, then id) and attach the model's docs."""
    ordered = sorted(results, key=lambda r: r.doc.id)
    ordered.sort(key=lambda r: r.doc.date or "", reverse=True)
    return Audit(
        title=config.title,
        base_url=config.base_url,
        results=tuple(ordered),
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.line or 0, s.reason))),
        dimensions=info[0],
        rules=info[1],
        generated=stamp,
    )


def _stamp() -> str:
    """The build time, taken from SOURCE_DATE_EPOCH when set so stamped builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))

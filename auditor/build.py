"""The build, one named stage a line: gather (ingest + score) -> reviews -> history -> publish.

Content files are ingested and scored across processes (``jobs``); with the cache, a rebuild
re-reads only changed files and re-renders only pages whose inputs changed (``auditor.gather``,
``auditor.cache``); the site is written aside and swapped in atomically (``auditor.publish``).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.bundled import theme_dir
from auditor.cache import DIR_NAME, Cache, folder_hash, page_keys, site_digest, tool_version
from auditor.config import Config
from auditor.gather import Collected, Progress, gather
from auditor.history import attach_history, load_previous
from auditor.model import Audit, PieceResult, Skipped
from auditor.publish import check_output_folder, write_site
from auditor.reviews import REVIEWS_NAME, apply_reviews, load_reviews
from auditor.score import ScoringModel, load_model
from auditor.timings import Timings
from auditor.timings import stage as _stage

__all__ = ["BuildReport", "Timings", "build", "collect"]


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
    started = time.perf_counter()
    check_output_folder(config)
    model = load_model(config.scoring)
    keep = config.drafts if drafts is None else drafts
    cache = open_cache(config, model, keep, use_cache)
    got = gather(config, model, keep, cache, jobs=jobs, progress=progress, timings=timings)
    _report_skipped(got.skipped, on_skip)
    with _stage(timings, "reviews+assemble"):
        results = with_reviews(config, model, got.results, got.skipped, on_skip, got.parts.full)
        audit = assemble(config, model, results, got.skipped, stamp=_stamp() if stamp else None)
    if config.history:
        with _stage(timings, "history"):
            audit = with_history(audit, config, on_skip)
    with _stage(timings, "page keys"):
        site_key = _site_key(config, audit)
        pages = page_keys(audit.results, got.hashes, site_key)
        digest = site_digest(audit, pages, site_key)
    if cache.site_is_current(digest, config.output):  # the same site is already there
        rendered, files = 0, list(cache.site["files"])
        if got.files_read == 0 and got.entries == cache.entries:
            return _report(audit, config, started, got.files_read, rendered)  # nothing to save
        rows = {s: (k, html) for s, (k, html) in cache.rows.items() if s in pages}
    else:
        rendered, files, rows = _write(config, audit, cache, got, pages, timings)
    with _stage(timings, "cache save"):
        cache.save(got.entries, pages, {"digest": digest, "files": files}, rows)
    return _report(audit, config, started, got.files_read, rendered)


def _write(
    config: Config,
    audit: Audit,
    cache: Cache,
    got: Collected,
    pages: dict[str, str],
    timings: Timings | None,
) -> tuple[int, list[str], dict[str, tuple[str, str]]]:
    """Write the site, reusing unchanged piece pages and table rows; rows to keep by slug."""
    row_keys = {slug: f"{key}:{audit.has_previous}" for slug, key in pages.items()}
    rows = cache.current_rows(row_keys)
    reuse = [slug for slug, key in pages.items() if cache.pages.get(slug) == key]
    rendered, files = write_site(
        audit,
        config.output,
        config.templates,
        reuse=reuse,
        timings=timings,
        prepared=got.parts,
        rows=rows,
    )
    return rendered, files, {s: (k, rows[s]) for s, k in row_keys.items() if s in rows}


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
    model = load_model(config.scoring)
    keep = config.drafts if drafts is None else drafts
    got = gather(config, model, keep, Cache(None, {}), jobs=jobs, progress=progress)
    _report_skipped(got.skipped, on_skip)
    results = with_reviews(config, model, got.results, got.skipped, on_skip)
    return assemble(config, model, results, got.skipped, stamp=_stamp() if stamp else None)


def with_reviews(
    config: Config,
    model: ScoringModel,
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
    if full is not None and decisions:
        pieces = {d.piece for d in decisions}
        results = [full(r) if r.doc.id in pieces else r for r in results]
    reviewed = apply_reviews(results, decisions, model)
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


def open_cache(config: Config, model: ScoringModel, keep_drafts: bool, use: bool) -> Cache:
    """The site's cache under the key of everything results depend on (``use=False``: empty)."""
    key = {
        "tool": tool_version(),
        "scoring": model.fingerprint,
        "base_url": config.base_url,
        "drafts": keep_drafts,
    }
    folder = config.site_dir / DIR_NAME
    return Cache.load(folder, key) if use else Cache(folder, key)


def _site_key(config: Config, audit: Audit) -> str:
    """What every piece page shares: templates, site title, stamp, output folder."""
    templates = folder_hash([config.templates, theme_dir()])
    parts = (templates, audit.title, audit.base_url, audit.generated, str(config.output.resolve()))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def assemble(
    config: Config,
    model: ScoringModel,
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
        dimensions=model.dimensions,
        rules=model.rules_info,
        generated=stamp,
    )


def _stamp() -> str:
    """The build time, taken from SOURCE_DATE_EPOCH when set so stamped builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))

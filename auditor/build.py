"""The build, one named stage a line: ingest -> score -> render, then swap the site into place.

The site is rendered into a temporary folder beside the output folder and swapped in only when
complete, so a failed or interrupted build leaves the previous site exactly as it was. Content
files are ingested and scored across processes (``jobs``); with the cache, a rebuild re-reads
only changed files and re-renders only pages whose inputs changed, linking the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from auditor import parallel
from auditor.cache import DIR_NAME, Cache, Entry, folder_hash, page_keys, tool_version
from auditor.config import Config
from auditor.errors import BuildError
from auditor.history import HISTORY_NAME, attach_history, history_json, load_previous
from auditor.ingest import content_files, read_feeds
from auditor.ingest.slugs import assign_slugs
from auditor.model import Audit, PieceResult, Skipped
from auditor.render import render_site
from auditor.render.env import theme_dir
from auditor.reviews import REVIEWS_NAME, apply_reviews, load_reviews
from auditor.score import ScoringModel, load_model, score

Progress = Callable[[int, int], None]


class Timings:
    """Seconds spent per stage, collected only when a caller asks (benchmarks do)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)


def _stage(timings: Timings | None, name: str) -> contextlib.AbstractContextManager[None]:
    return timings.stage(name) if timings is not None else contextlib.nullcontext()


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


@dataclass
class Collected:
    """Results and skipped notes of every input, with what the cache needs to remember."""

    results: list[PieceResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    hashes: dict[tuple[str, str | None], str] = field(default_factory=dict)
    files_read: int = 0


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
        results = with_reviews(config, model, got.results, got.skipped, on_skip)
        audit = assemble(config, model, results, got.skipped, stamp=_stamp() if stamp else None)
    if config.history:
        with _stage(timings, "history"):
            audit = with_history(audit, config, on_skip)
    with _stage(timings, "page keys"):
        pages = page_keys(audit.results, got.hashes, _site_key(config, audit))
    reuse = [slug for slug, key in pages.items() if cache.pages.get(slug) == key]
    rendered = write_site(audit, config.output, config.templates, reuse=reuse, timings=timings)
    with _stage(timings, "cache save"):
        cache.save(got.entries, pages)
    seconds = time.perf_counter() - started
    linked = len(audit.results) - rendered
    return BuildReport(audit, config.output, seconds, got.files_read, rendered, linked)


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
) -> list[PieceResult]:
    """Apply editors' decisions; a lapsed decision becomes a warning in ``skipped``."""
    reviewed = apply_reviews(results, load_reviews(config.site_dir / REVIEWS_NAME), model)
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


def gather(
    config: Config,
    model: ScoringModel,
    keep_drafts: bool,
    cache: Cache,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
) -> Collected:
    """Every content file (cached when unchanged, else read and scored in parallel) and feed."""
    got = Collected()
    with _stage(timings, "scan"):
        order, tasks, stats = _scan(config, keep_drafts, cache, got)
    fresh = _process(tasks, model, jobs or parallel.default_jobs(), got, progress, timings)
    with _stage(timings, "load results"):
        for path in order:
            entry = fresh.get(path) or got.entries[path]
            if path in fresh and entry.digest:
                got.entries[path] = Entry(
                    stats[path].st_size, stats[path].st_mtime_ns, entry.digest, entry.blob
                )
            found, problems = parallel.loads(entry.blob)
            got.results.extend(found)
            got.skipped.extend(problems)
            blob_hash = entry.blob_hash
            got.hashes.update(((r.doc.id, r.doc.path), blob_hash) for r in found)
    with _stage(timings, "feeds"):
        _feeds(config, model, keep_drafts, got)
    with _stage(timings, "slugs"):
        got.results = _assign(got.results)
    return got


def _scan(
    config: Config, keep_drafts: bool, cache: Cache, got: Collected
) -> tuple[list[str], list[parallel.Task], dict[str, os.stat_result]]:
    """Content files in ingest order; unchanged ones come from the cache, the rest are tasks."""
    order: list[str] = []
    tasks: list[parallel.Task] = []
    stats: dict[str, os.stat_result] = {}
    for root in config.content:
        if not root.is_dir():
            got.skipped.append(Skipped(str(root), "content folder not found"))
            continue
        for path in content_files(root, config.exclude):
            name, label = str(path), str(path.relative_to(root.parent))
            order.append(name)
            stats[name] = stat = path.stat()
            entry = cache.lookup(name, stat, label)
            if entry is not None:
                got.entries[name] = entry
            else:
                tasks.append(parallel.Task(name, str(root), config.base_url, keep_drafts))
    return order, tasks, stats


def _process(
    tasks: list[parallel.Task],
    model: ScoringModel,
    jobs: int,
    got: Collected,
    progress: Progress | None,
    timings: Timings | None,
) -> dict[str, Entry]:
    """Read and score the tasks across ``jobs`` processes; entries by path."""
    fresh: dict[str, Entry] = {}
    total, done = len(tasks) + len(got.entries), len(got.entries)
    with _stage(timings, "ingest+score (wall)"):
        for outcome in parallel.run(tasks, model, jobs):
            fresh[outcome.path] = Entry(0, 0, outcome.digest, outcome.blob)
            if timings is not None:
                timings.add("ingest (worker CPU)", outcome.ingest_seconds)
                timings.add("score (worker CPU)", outcome.score_seconds)
            done += 1
            if progress:
                progress(done, total)
    got.files_read = len(tasks)
    return fresh


def _feeds(config: Config, model: ScoringModel, keep_drafts: bool, got: Collected) -> None:
    """Configured feeds are few and may change remotely: fetched and scored every build."""
    found, problems = read_feeds(config)  # remote feeds fetched concurrently, with a cache
    for doc in found:
        if keep_drafts or not doc.draft:
            digest = doc.digest or hashlib.sha256(repr(doc).encode()).hexdigest()
            got.results.append(score(replace(doc, digest=digest), model))
    got.skipped.extend(problems)


def _site_relative(location: str, site_dir: Path) -> str:
    """A local feed path relative to the site folder when it is inside it; URLs unchanged."""
    path = Path(location)
    if path.is_absolute() and path.is_relative_to(site_dir):
        return path.relative_to(site_dir).as_posix()
    return location


def _assign(results: list[PieceResult]) -> list[PieceResult]:
    """Unique slugs from all documents at once, exactly as a serial ingest assigns them."""
    ordered = sorted(results, key=lambda r: r.doc.id)
    docs = assign_slugs([r.doc for r in ordered])
    return [replace(r, doc=d) for r, d in zip(ordered, docs, strict=True)]


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


def check_output_folder(config: Config) -> None:
    """Refuse output folders whose replacement could destroy something that is not ours."""
    out = config.output.resolve()
    forbidden = {Path("/").resolve(), Path.home().resolve(), config.site_dir.resolve()}
    if out in forbidden:
        raise BuildError(f"refusing to write the site to {out}: choose a dedicated output folder")
    for folder in config.content:
        folder = folder.resolve()
        if out == folder or out in folder.parents or folder in out.parents:
            raise BuildError(
                f"refusing to write the site to {out}: it overlaps the content folder {folder}"
            )
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "audit.json").is_file():
        raise BuildError(
            f"refusing to replace {out}: it is not empty and holds no audit.json from an earlier "
            "build; empty it or choose another --output"
        )


def write_site(
    audit: Audit,
    output: Path,
    user_templates: Path | None,
    *,
    reuse: Collection[str] = (),
    timings: Timings | None = None,
) -> int:
    """Render into a temporary sibling folder, then swap it in place of the old site.

    Piece pages whose slug is in ``reuse`` and which exist in the old site are hard-linked
    from it instead of rendered; returns how many piece pages were rendered.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        linked = _linkable(output / "pieces", reuse)
        fresh = [r.doc.slug for r in audit.results if r.doc.slug not in linked]
        with _stage(timings, "render+write"):
            render_site(
                audit,
                staging,
                user_templates=_existing(user_templates),
                pieces=set(fresh) if linked else None,
            )
            if audit.history:
                (staging / HISTORY_NAME).write_text(history_json(audit), encoding="utf-8")
        with _stage(timings, "link"):
            _link_pages(output / "pieces", staging / "pieces", linked)
        with _stage(timings, "swap"):
            _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(fresh)


def _linkable(old_pieces: Path, reuse: Collection[str]) -> set[str]:
    """The reusable slugs whose page is really there in the previous site."""
    if not reuse or not old_pieces.is_dir():
        return set()
    present = {name[:-5] for name in os.listdir(old_pieces) if name.endswith(".html")}
    return present.intersection(reuse)


def _link_pages(old_pieces: Path, new_pieces: Path, slugs: set[str]) -> None:
    """Hard-link unchanged piece pages into the new site (copy where links are impossible)."""
    if not slugs:
        return
    new_pieces.mkdir(parents=True, exist_ok=True)
    for slug in sorted(slugs):
        source, target = old_pieces / f"{slug}.html", new_pieces / f"{slug}.html"
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def _existing(folder: Path | None) -> Path | None:
    return folder if folder is not None and folder.is_dir() else None


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with two renames; the old site goes only afterwards."""
    os.chmod(staging, 0o755)
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError as exc:
        retired.rename(output)
        raise BuildError(f"could not move the new site into {output}: {exc}") from exc
    shutil.rmtree(retired, ignore_errors=True)

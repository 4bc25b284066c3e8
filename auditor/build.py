"""The build, one named stage a line: ingest -> score -> render, then swap the site into place.

The site is rendered into a temporary folder beside the output folder and swapped in only when
complete, so a failed or interrupted build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.config import Config
from auditor.errors import BuildError
from auditor.history import HISTORY_NAME, attach_history, history_json, load_previous
from auditor.ingest import ingest
from auditor.model import Audit, Document, PieceResult, Skipped
from auditor.render import render_site
from auditor.reviews import REVIEWS_NAME, apply_reviews, load_reviews
from auditor.score import ScoringModel, load_model, score

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI's summary line and exit code."""

    audit: Audit
    output: Path
    seconds: float

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
) -> BuildReport:
    """Audit every configured input and write the site to ``config.output``."""
    started = time.perf_counter()
    check_output_folder(config)
    audit = collect(config, drafts=drafts, stamp=stamp, progress=progress, on_skip=on_skip)
    if config.history:
        audit = with_history(audit, config, on_skip)
    write_site(audit, config.output, config.templates)
    return BuildReport(audit, config.output, time.perf_counter() - started)


def collect(
    config: Config,
    *,
    drafts: bool | None = None,
    stamp: bool = False,
    progress: Progress | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Audit:
    """Ingest and score every configured input: the audit, before anything is written."""
    docs, skipped = ingest(config, drafts=drafts)
    for item in skipped:
        if on_skip:
            on_skip(item)
    model = load_model(config.scoring)
    results = score_all(docs, model, progress)
    reviewed = apply_reviews(results, load_reviews(config.site_dir / REVIEWS_NAME), model)
    results = list(reviewed.results)
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
    return assemble(config, model, results, skipped, stamp=_stamp() if stamp else None)


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


def score_all(
    docs: list[Document], model: ScoringModel, progress: Progress | None = None
) -> list[PieceResult]:
    """Score each document; the order of ``docs`` is kept, so output stays deterministic."""
    results = []
    for n, doc in enumerate(docs, 1):
        results.append(score(doc, model))
        if progress:
            progress(n, len(docs))
    return results


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


def write_site(audit: Audit, output: Path, user_templates: Path | None) -> None:
    """Render into a temporary sibling folder, then swap it in place of the old site."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        render_site(audit, staging, user_templates=_existing(user_templates))
        if audit.history:
            (staging / HISTORY_NAME).write_text(history_json(audit), encoding="utf-8")
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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

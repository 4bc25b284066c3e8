"""Write the whole audit site into an output folder: pages, exports and static files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from auditor.errors import BuildError
from auditor.model import Audit, PieceResult, RuleInfo
from auditor.render.env import make_environment, raw_source
from auditor.render.export import (
    JsonReuse,
    PieceText,
    Reused,
    audit_csv,
    audit_json_chunks,
    table_json,
)
from auditor.render.groups import GROUP_KINDS, build_groups, group_hrefs, list_rows
from auditor.render.piece_view import PIECE_ROOT, piece_view, rule_anchor
from auditor.render.prepared import PreparedFor
from auditor.render.safety import target_in
from auditor.render.since import changes, trend
from auditor.render.views import (
    LABEL_TEXT,
    PageLink,
    Row,
    columns,
    page_links,
    page_name,
    row,
    summary,
)

STATIC_FILES = ("static/style.css", "static/app.js")
PAGE_SIZE = 500
NAV = (
    ("overview", "Overview", "index.html"),
    ("authors", "Authors", "authors/index.html"),
    ("tags", "Tags", "tags/index.html"),
    ("sources", "Sources", "sources/index.html"),
    ("months", "Months", "months/index.html"),
    ("rules", "How scores work", "rules.html"),
    ("skipped", "Skipped", "skipped.html"),
)
ROOT_MARK = Markup("<\x00root\x00>")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BUFFER = 1 << 20
BANDS = (("poor", "Needs work (0–49)"), ("average", "Fair (50–89)"), ("good", "Good (90–100)"))


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the base layout needs: titles, the root prefix, the current nav section."""

    site_title: str
    title: str
    root: str
    section: str
    generated: str | None
    nav: tuple[tuple[str, str, str], ...] = NAV


@dataclass(frozen=True, slots=True)
class Filters:
    """The choices offered by the table filter form (enhanced by static/app.js)."""

    authors: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    bands: tuple[tuple[str, str], ...] = BANDS


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a table page sits among its pages."""

    number: int
    count: int
    first: int
    last: int
    total: int
    links: tuple[PageLink, ...]


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule on the rules page, with its anchor and dimension title."""

    anchor: str
    dimension_title: str
    info: RuleInfo


class _Writer:
    """Writes text files inside the output folder and remembers what it wrote.

    Each folder is checked (``target_in``) and created once; files are opened without
    following a symlink, so a planted link cannot redirect a write outside the folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: list[str] = []
        self._folders: dict[str, Path] = {}

    def _target(self, rel: str) -> Path:
        folder, _, name = rel.rpartition("/")
        if name in ("", ".", "..") or "\\" in name:
            return target_in(self.out_dir, rel)  # raises for anything odd
        if folder not in self._folders:
            root = self.out_dir.resolve()
            path = (root / folder).resolve()
            if not path.is_relative_to(root):
                raise BuildError(f"refusing to write {rel!r} outside the output folder {root}")
            path.mkdir(parents=True, exist_ok=True)
            self._folders[folder] = path
        return self._folders[folder] / name

    def write_chunks(
        self, rel: str, chunks: Iterable[str | Reused], json: JsonReuse | None = None
    ) -> None:
        """Write ``rel`` as UTF-8 from text chunks, so a large file is never held whole.

        ``Reused`` chunks are copied from ``json.source``; where each piece's text lands is
        noted in ``json.placed`` (byte ranges), for the next build to copy in turn.
        """
        target = self._target(rel)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o666)
        except OSError as exc:
            raise BuildError(f"cannot write {rel!r} in the output folder: {exc}") from exc
        source = open(json.source, "rb") if json and json.source else None  # noqa: SIM115
        with open(fd, "wb", buffering=_BUFFER) as out, source or contextlib.nullcontext():
            for chunk in chunks:
                start = out.tell()
                if isinstance(chunk, Reused):
                    assert source is not None, "a reused piece without the previous file"
                    source.seek(chunk.start)
                    out.write(source.read(chunk.end - chunk.start))
                else:
                    out.write(chunk.encode("utf-8"))
                if json is not None and isinstance(chunk, PieceText | Reused):
                    json.placed[chunk.slug] = (start, out.tell())
        self.written.append(rel)

    def write(self, rel: str, text: str) -> None:
        self.write_chunks(rel, (text,))


def _chunks(items: Sequence[PieceResult], size: int) -> list[Sequence[PieceResult]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def _filters(audit: Audit) -> Filters:
    def distinct(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted(set(values), key=lambda v: (v.casefold(), v)))

    docs = [r.doc for r in audit.results]
    return Filters(
        authors=distinct([a for d in docs for a in d.authors]),
        tags=distinct([t for d in docs for t in d.tags]),
        sources=distinct([d.source for d in docs if d.source]),
        labels=tuple(
            (name, LABEL_TEXT.get(name, name))
            for name in distinct([r.label.name for r in audit.results])
        ),
    )


class _Site:
    """One rendering run: the environment, the writer and what every page shares."""

    def __init__(
        self,
        audit: Audit,
        w: _Writer,
        env: Environment,
        page_size: int,
        prepared: PreparedFor | None = None,
        rows: dict[str, str] | None = None,
        json: JsonReuse | None = None,
    ) -> None:
        self.audit, self.w, self.env, self.page_size = audit, w, env, page_size
        self.prepared = prepared
        self.json = json
        self.cols = columns(audit)
        self.groups = build_groups(audit.results)
        self.hrefs = group_hrefs(self.groups)
        self.row_template = env.get_template("_row.html")
        self._rows: dict[str, Row] = {}
        self._row_html: dict[str, str] = rows if rows is not None else {}
        self._templates: dict[str, Template] = {}

    def row(self, result: PieceResult) -> Row:
        """A piece's row view model, built once however many tables show it."""
        key = result.doc.slug
        if key not in self._rows:
            self._rows[key] = row(result, self.cols, self.hrefs, self.audit.has_previous)
        return self._rows[key]

    def row_html(self, result: PieceResult, root: str) -> Markup:
        """A piece's ``<tr>``, rendered once and reused in every table, whatever its root.

        The row is rendered with ``ROOT_MARK`` as ``root``, which escaped content can never
        contain (it has a bare ``<``), and each table puts its own root prefix in its place.
        """
        key = result.doc.slug
        if key not in self._row_html:
            self._row_html[key] = self.row_template.render(
                r=self.row(result), root=ROOT_MARK, show_delta=self.audit.has_previous
            )
        return Markup(self._row_html[key].replace(ROOT_MARK, root))

    def meta(self, title: str, root: str, section: str) -> PageMeta:
        """The base layout's data for one page."""
        return PageMeta(self.audit.title, title, root, section, self.audit.generated)

    def render(self, rel: str, template: str, **context: Any) -> None:
        """Render ``template`` with ``context`` into the file ``rel``."""
        if template not in self._templates:
            self._templates[template] = self.env.get_template(template)
        self.w.write(rel, self._templates[template].render(**context))

    def table_pages(
        self, template: str, stem: str, sep: str, results: Sequence[PieceResult], **context: Any
    ) -> None:
        """A paginated pieces table: ``stem``.html, then ``stem``<sep>2.html, ..."""
        chunks = _chunks(results, self.page_size)
        caption = context.pop("caption")
        root = context["page"].root
        for number, chunk in enumerate(chunks, 1):
            first = (number - 1) * self.page_size
            pagination = Pagination(
                number,
                len(chunks),
                first + 1 if chunk else 0,
                first + len(chunk),
                len(results),
                page_links(stem, len(chunks), number, sep),
            )
            suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
            self.render(
                page_name(stem, number, sep),
                template,
                **context,
                cols=self.cols,
                rows=tuple(self.row_html(r, root) for r in chunk),
                show_delta=self.audit.has_previous,
                pagination=pagination,
                caption=caption + suffix,
            )

    def index(self) -> None:
        """index.html and its further pages."""
        self.table_pages(
            "index.html",
            "index",
            "-",
            self.audit.results,
            page=self.meta("Overview", "", "overview"),
            summary=summary(self.audit.results, self.cols),
            changes=changes(self.audit, self.row),
            builds=trend(self.audit, self.cols),
            filters=_filters(self.audit),
            skipped_count=len(self.audit.skipped),
            caption="Every audited piece with its scores",
        )

    def group_pages(self) -> None:
        """authors/, tags/, sources/, months/: a list page and one page per group."""
        for kind in GROUP_KINDS:
            members = self.groups[kind.folder]
            self.render(
                f"{kind.folder}/index.html",
                "group_list.html",
                page=self.meta(kind.plural, "../", kind.folder),
                kind=kind,
                rows=list_rows(members, self.cols),
                cols=self.cols,
            )
            for group in members:
                self.table_pages(
                    "group.html",
                    f"{kind.folder}/{group.slug}",
                    "--",
                    group.results,
                    page=self.meta(f"{kind.singular}: {group.name}", "../", kind.folder),
                    kind=kind,
                    group=group,
                    summary=summary(group.results, self.cols, trend=kind.folder != "months"),
                    caption=f"Pieces for {kind.singular.lower()} {group.name}",
                )

    def piece_pages(self, only: Container[str] | None = None) -> None:
        """pieces/<slug>.html for every piece (or the slugs in ``only``), with neighbour links."""
        rules = {r.id: r for r in self.audit.rules}
        results = self.audit.results
        for i, result in enumerate(results):
            if only is not None and result.doc.slug not in only:
                continue
            neighbours = (
                results[i - 1] if i else None,
                results[i + 1] if i + 1 < len(results) else None,
            )
            body = self.prepared(result) if self.prepared else None
            view = piece_view(
                result,
                self.cols,
                self.hrefs,
                rules,
                neighbours,
                self.audit.base_url,
                self.audit.has_previous,
                body,
            )
            self.render(
                f"pieces/{result.doc.slug}.html",
                "piece.html",
                page=self.meta(view.title, PIECE_ROOT, "pieces"),
                piece=view,
            )

    def other_pages(self) -> None:
        """rules.html, skipped.html, the static files and .nojekyll."""
        audit = self.audit
        titles = {d.name: d.title for d in audit.dimensions}
        rules = tuple(
            RuleView(rule_anchor(r.id), titles.get(r.dimension, r.dimension), r)
            for r in audit.rules
        )
        self.render(
            "rules.html",
            "rules.html",
            page=self.meta("How scores work", "", "rules"),
            dimensions=audit.dimensions,
            rules=rules,
        )
        self.render(
            "skipped.html",
            "skipped.html",
            page=self.meta("Skipped inputs", "", "skipped"),
            errors=tuple(s for s in audit.skipped if not s.warning),
            warnings=tuple(s for s in audit.skipped if s.warning),
        )
        for name in STATIC_FILES:
            self.w.write(name, raw_source(self.env, name))
        self.w.write(".nojekyll", "")

    def exports(self) -> None:
        """audit.json, audit.csv and pieces.json."""
        heavy = self.prepared.json if self.prepared else None
        reuse = self.json.ranges if self.json and self.json.source else None
        chunks = audit_json_chunks(self.audit, heavy, reuse)
        self.w.write_chunks("audit.json", chunks, self.json)
        self.w.write("audit.csv", audit_csv(self.audit))
        self.w.write("pieces.json", table_json(self.audit, self.cols, self.hrefs))


def render_site(
    audit: Audit,
    out_dir: Path,
    *,
    user_templates: Path | None = None,
    page_size: int = PAGE_SIZE,
    pieces: Container[str] | None = None,
    prepared: PreparedFor | None = None,
    rows: dict[str, str] | None = None,
    json: JsonReuse | None = None,
) -> list[Path]:
    """Write the audit site into ``out_dir``; return the relative paths written, sorted.

    ``pieces`` limits the piece pages to those slugs (incremental builds link the others);
    ``prepared`` gives the worker-made page body and JSON of a piece (``render.prepared``).
    ``rows`` maps slug -> table row HTML known to be current (from the build cache); the
    rows rendered here are added to it, so the caller can keep them for the next build.
    ``json`` gives audit.json pieces to copy from the previous file and receives where each
    piece is in the new one.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    w = _Writer(out_dir)
    site = _Site(audit, w, make_environment(user_templates), page_size, prepared, rows, json)
    site.index()
    site.piece_pages(pieces)
    site.group_pages()
    site.other_pages()
    site.exports()
    return sorted(Path(p) for p in w.written)

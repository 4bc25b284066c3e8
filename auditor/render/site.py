"""Write the whole audit site into an output folder: pages, exports and static files."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Container, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from auditor.config import EVIDENCE_LISTED
from auditor.forks import Forked
from auditor.model import Audit, PieceResult
from auditor.render.env import make_environment, raw_source
from auditor.render.export import JsonReuse, audit_csv, audit_json_chunks, table_json
from auditor.render.finding_view import rule_anchor
from auditor.render.groups import (
    GROUP_KINDS,
    Group,
    GroupKind,
    Medians,
    build_groups,
    group_hrefs,
    group_medians,
    list_rows,
    medians_fit,
    medians_from,
    medians_text,
)
from auditor.render.piece_view import piece_view
from auditor.render.prepared import PreparedFor
from auditor.render.reuse import Fragments, PageReuse
from auditor.render.since import changes, trend
from auditor.render.views import (
    PIECE_ROOT,
    PageMeta,
    Pagination,
    Row,
    RuleView,
    Summary,
    chunks,
    columns,
    dimension_scores,
    filters,
    page_links,
    page_name,
    row,
    summary,
)
from auditor.render.writer import Writer
from auditor.timings import WRITE_STAGE, Timings

STATIC_FILES = ("static/style.css", "static/app.js")
PAGE_SIZE = 500
ROOT_MARK = Markup("<\x00root\x00>")


class _Site:
    """One rendering run: the environment, the writer and what every page shares."""

    def __init__(
        self,
        audit: Audit,
        w: Writer,
        env: Environment,
        page_size: int,
        prepared: PreparedFor | None = None,
        rows: Fragments | None = None,
        json: JsonReuse | None = None,
        groups: dict[str, tuple[Group, ...]] | None = None,
        reuse: PageReuse | None = None,
        listed: int = EVIDENCE_LISTED,
    ) -> None:
        self.audit, self.w, self.env, self.page_size = audit, w, env, page_size
        self.prepared = prepared
        self.json = json
        self.reuse = reuse or PageReuse()
        self.cols = columns(audit)
        self.groups = groups if groups is not None else build_groups(audit.results)
        self.hrefs = group_hrefs(self.groups)
        self._scores: dict[str, tuple[int | None, ...]] = {}
        self._digests: dict[int, tuple[Sequence[PieceResult], str | None]] = {}
        self._whole: dict[bool, Summary] = {}  # summaries of every piece, by trend
        self.row_template = env.get_template("_row.html")
        self._rows: dict[str, Row] = {}
        self.fragments = rows if rows is not None else Fragments()
        self._row_html = self.fragments.html
        self._templates: dict[str, Template] = {}
        self.listed = listed  # spans a finding lists when its page body is made here
        self.rules = {r.id: r for r in audit.rules}
        self.pages = Writer(w.out_dir)  # piece pages: see ``piece_page``

    def row(self, result: PieceResult) -> Row:
        """A piece's row view model, built once however many tables show it."""
        key = result.doc.slug
        if key not in self._rows:
            self._rows[key] = row(result, self.cols, self.hrefs, self.audit.has_previous)
        return self._rows[key]

    def scores(self, result: PieceResult) -> tuple[int | None, ...]:
        """A piece's column scores, looked up once however many summaries count them."""
        key = result.doc.slug
        found = self._scores.get(key)
        if found is None:
            found = self._scores[key] = dimension_scores(result, self.cols)
        return found

    def summary(self, results: Sequence[PieceResult], *, trend: bool) -> Summary:
        """The summary of ``results``, made once for the whole site: a group holding every
        piece (a blog with one source, one author or one tag) shows the index's summary, and
        summarising 10,000 pieces twice cost a one-changed rebuild ~0.1 s."""
        everyone = self.audit.results
        whole = len(results) == len(everyone) and all(map(operator.is_, results, everyone))
        if not whole:
            return summary(results, self.cols, trend=trend, scores=self.scores)
        if trend not in self._whole:
            self._whole[trend] = summary(everyone, self.cols, trend=trend, scores=self.scores)
        return self._whole[trend]

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

    def template(self, name: str) -> Template:
        """The environment's template ``name``, looked up once."""
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def render(self, rel: str, template: str, **context: Any) -> None:
        """Render ``template`` with ``context`` into the file ``rel``."""
        self.w.write(rel, self.template(template).render(**context))

    def table_pages(
        self,
        template: str,
        stem: str,
        sep: str,
        results: Sequence[PieceResult],
        *,
        shown: object,
        context: Callable[[], dict[str, Any]],
        caption: str,
    ) -> None:
        """A paginated pieces table: ``stem``.html, then ``stem``<sep>2.html, ...

        ``context()`` gives what the pages show besides their rows; it is called only if a page
        must be rendered, so ``shown`` stands for it in the page keys, with the hash of the
        page's own rows. Pages whose key is unchanged are kept from the previous site.
        """
        pages = chunks(results, self.page_size)
        made: dict[str, Any] = {}
        for number, chunk in enumerate(pages, 1):
            rel = page_name(stem, number, sep)
            pagination = self._pagination(stem, sep, len(pages), number, chunk, len(results))
            suffix = f" (page {number} of {len(pages)})" if len(pages) > 1 else ""
            delta = self.audit.has_previous
            parts = (template, shown, pagination, caption + suffix, self.cols, delta)
            key = self.reuse.key(rel, self.digest(chunk), parts)
            kept = self.reuse.kept(rel, key)
            if kept is not None:
                self.w.link(rel, kept)
                continue
            made = made or context()
            self.render(
                rel,
                template,
                **made,
                cols=self.cols,
                rows=tuple(self.row_html(r, made["page"].root) for r in chunk),
                show_delta=self.audit.has_previous,
                pagination=pagination,
                caption=caption + suffix,
            )

    def _pagination(
        self, stem: str, sep: str, count: int, number: int, chunk: Sequence[object], total: int
    ) -> Pagination:
        first = (number - 1) * self.page_size
        return Pagination(
            number,
            count,
            first + 1 if chunk else 0,
            first + len(chunk),
            total,
            page_links(stem, count, number, sep),
        )

    def index(self) -> None:
        """index.html and its further pages."""
        audit = self.audit
        context = {
            "page": self.meta("Overview", "", "overview"),
            "summary": self.summary(audit.results, trend=True),
            "changes": changes(audit, self.row),
            "builds": trend(audit, self.cols),
            "filters": filters(audit),
            "skipped_count": len(audit.skipped),
        }
        self.table_pages(
            "index.html",
            "index",
            "-",
            audit.results,
            shown=context,
            context=lambda: context,
            caption="Every audited piece with its scores",
        )

    def group_pages(self) -> None:
        """authors/, tags/, sources/, months/: a list page and one page per group."""
        for kind in GROUP_KINDS:
            self.group_list(kind)
            for group in self.groups[kind.folder]:
                self.group_page(kind, group)

    def group_list(self, kind: GroupKind) -> None:
        """The list page of one kind: every group with its size and median scores."""
        rel = f"{kind.folder}/index.html"
        members = self.groups[kind.folder]
        page = self.meta(kind.plural, "../", kind.folder)
        digests = [self.group_digest(g) for g in members]
        everyone = None if None in digests else "".join(digests)  # type: ignore[arg-type]
        shown = ("group_list.html", page, kind, self.cols, [(g.name, g.href) for g in members])
        kept = self.reuse.kept(rel, self.reuse.key(rel, everyone, shown))
        if kept is not None:
            self.w.link(rel, kept)
            return
        rows = list_rows(members, self.cols, self.group_medians)
        self.render(rel, "group_list.html", page=page, kind=kind, rows=rows, cols=self.cols)

    def group_page(self, kind: GroupKind, group: Group) -> None:
        """The pages of one group: a summary of its pieces, then their table.

        The summary stands in the page keys by a hash of its text, which is remembered with
        the hash of the group's rows: an unchanged group needs no summary, and a changed one
        rewrites only the pages whose rows or summary changed. (A page shows its group's name
        and summary, not the pieces of its other pages.)
        """
        page = self.meta(f"{kind.singular}: {group.name}", "../", kind.folder)
        trend = kind.folder != "months"
        stem = f"{kind.folder}/{group.slug}"
        made: list[Summary] = []

        def counted() -> Summary:
            if not made:
                made.append(self.summary(group.results, trend=trend))
            return made[0]

        told = self.reuse.remember(f"#{stem}", self.group_digest(group), lambda: repr(counted()))
        self.table_pages(
            "group.html",
            stem,
            "--",
            group.results,
            shown=(page, kind, group.name, group.slug, trend, told),
            context=lambda: {"page": page, "kind": kind, "group": group, "summary": counted()},
            caption=f"Pieces for {kind.singular.lower()} {group.name}",
        )

    def group_medians(self, group: Group) -> Medians:
        """A group's medians, kept in the cache with the hash of its rows: a rebuild computes
        only those of the groups whose pieces changed (10,000 pieces' scores otherwise)."""
        digest = self.group_digest(group)
        if digest is not None:  # the same rows under other columns have other medians
            columns = "\0".join(c.name for c in self.cols)
            digest = hashlib.sha256(f"{digest}\0{columns}".encode()).hexdigest()[:24]

        def make() -> str:
            return medians_text(group_medians(group, self.cols, self.scores))

        def fits(text: str) -> bool:
            return medians_fit(text, self.cols)

        return medians_from(self.reuse.recall(f"={group.href}", digest, make, fits))

    def group_digest(self, group: Group) -> str | None:
        """The hash of a group's rows (``reuse.digest``), made once for its list and pages."""
        return self.digest(group.results)

    def digest(self, results: Sequence[PieceResult]) -> str | None:
        """``reuse.digest`` of ``results``, made once per sequence: most groups fit one table
        page, whose rows are the group's own tuple (a whole slice of a tuple is the tuple)."""
        found = self._digests.get(id(results))
        if found is None or found[0] is not results:  # the sequence is kept, so ids stay unique
            found = self._digests[id(results)] = (results, self.reuse.digest(results))
        return found[1]

    def fresh(self, only: Container[str] | None) -> list[int]:
        """Where the pieces whose page is to be rendered are in site order (``only``: those
        slugs; None: all)."""
        results = self.audit.results
        if only is None:
            return list(range(len(results)))
        return [i for i, r in enumerate(results) if r.doc.slug in only]

    def timed_piece_page(self, i: int) -> tuple[str, float]:
        """``piece_page`` and the seconds it spent writing, in whichever process runs it."""
        before = self.pages.seconds
        rel = self.piece_page(i)
        return rel, self.pages.seconds - before

    def piece_page(self, i: int) -> str:
        """pieces/<slug>.html for the piece at ``i`` in site order, with neighbour links.

        Worker processes call it too (``render_site``), so it writes through the page writer,
        whose list of files only this process sees; it returns the file it wrote instead.
        """
        results = self.audit.results
        result = results[i]
        last = i + 1 == len(results)
        neighbours = (results[i - 1] if i else None, None if last else results[i + 1])
        view = piece_view(
            result,
            self.cols,
            self.hrefs,
            self.rules,
            neighbours,
            self.audit.base_url,
            self.audit.has_previous,
            self.prepared(result) if self.prepared else None,
            self.listed,
        )
        rel = f"pieces/{result.doc.slug}.html"
        page = self.meta(view.title, PIECE_ROOT, "pieces")
        self.pages.write(rel, self.template("piece.html").render(page=page, piece=view))
        return rel

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
        self.w.write("audit.csv", audit_csv(self.audit, self.fragments.csv))
        pieces = table_json(self.audit, self.cols, self.hrefs, self.fragments.json)
        self.w.write("pieces.json", pieces)


def render_site(
    audit: Audit,
    out_dir: Path,
    *,
    user_templates: Path | None = None,
    page_size: int = PAGE_SIZE,
    pieces: Container[str] | None = None,
    prepared: PreparedFor | None = None,
    rows: Fragments | None = None,
    json: JsonReuse | None = None,
    groups: dict[str, tuple[Group, ...]] | None = None,
    reuse: PageReuse | None = None,
    compiled: Path | None = None,
    evidence_listed: int = EVIDENCE_LISTED,
    jobs: int = 1,
    timings: Timings | None = None,
) -> list[str]:
    """Write the audit site into ``out_dir``; return the files written (relative, "/"-separated,
    sorted as text: a ``Path`` each cost a 10,000-post build ~0.2 s of serial sorting).

    ``pieces`` limits the piece pages to those slugs (incremental builds link the others);
    ``prepared`` gives the worker-made page body and JSON of a piece (``render.prepared``).
    ``rows`` holds each piece's table row, CSV line and pieces.json row known to be current
    (from the build cache); the ones made here are added, so the caller can keep them.
    ``json`` gives audit.json pieces to copy from the previous file and receives where each
    piece is in the new one. ``groups`` are the audit's groups when already built;
    ``reuse`` gives the table pages to keep from the previous site and receives every key.
    ``compiled`` is where Jinja2 keeps compiled templates between builds. ``timings`` gets
    the seconds every process spent in the file system writing the site (``WRITE_STAGE``).

    With ``jobs`` > 1, piece pages (most of the work: ~1 ms each) are rendered by ``jobs - 1``
    forked processes while this one renders the table pages and exports, then by this one
    too (``forks.Forked``): pages need every piece first (neighbours, group links), so
    they would otherwise be rendered on one core after the scoring. The output is the same
    whatever ``jobs`` is.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    w = Writer(out_dir)
    env = make_environment(user_templates, compiled)
    site = _Site(audit, w, env, page_size, prepared, rows, json, groups, reuse, evidence_listed)
    fresh = site.fresh(pieces)
    first = [site.timed_piece_page(i) for i in fresh[:1]]  # templates load before any fork
    with Forked(site.timed_piece_page, fresh[1:], jobs) as piece_pages:
        site.index()
        site.group_pages()
        site.other_pages()
        site.exports()
        pages = [*first, *piece_pages.results()]
    if timings is not None:
        timings.add(WRITE_STAGE, w.seconds + sum(seconds for _, seconds in pages))
    return sorted([*w.written, *(rel for rel, _ in pages)])

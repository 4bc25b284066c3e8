"""Roll-ups of pieces by author, tag, source and month, with unique file-name slugs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from auditor.model import Document, PieceResult
from auditor.render.safety import unique_slugs
from auditor.render.views import Column, ScoresOf, ScoreView, columns_of, median, score_view


@dataclass(frozen=True, slots=True)
class GroupKind:
    """A roll-up kind: folder name, plural and singular titles."""

    folder: str
    plural: str
    singular: str


GROUP_KINDS = (
    GroupKind("authors", "Authors", "Author"),
    GroupKind("tags", "Tags", "Tag"),
    GroupKind("sources", "Sources", "Source"),
    GroupKind("months", "Months", "Month"),
)


@dataclass(frozen=True, slots=True)
class Group:
    """The pieces sharing one author, tag, source or month."""

    kind: GroupKind
    name: str
    slug: str
    results: tuple[PieceResult, ...]

    @property
    def href(self) -> str:
        """The group page's path relative to the site root."""
        return f"{self.kind.folder}/{self.slug}.html"


@dataclass(frozen=True, slots=True)
class GroupListRow:
    """A row of a group list page: the group, its size and its median scores."""

    name: str
    href: str
    count: int
    medians: tuple[ScoreView, ...]


_NAMES: dict[str, Callable[[Document], tuple[str, ...]]] = {
    "authors": lambda doc: doc.authors,
    "tags": lambda doc: doc.tags,
    "sources": lambda doc: (doc.source,),
    "months": lambda doc: (doc.month,),
}


def group_keys(result: PieceResult, folder: str) -> tuple[str, ...]:
    """The names under which a piece is rolled up for one kind."""
    return tuple(dict.fromkeys(k for k in _NAMES[folder](result.doc) if k))


def build_groups(results: Sequence[PieceResult]) -> dict[str, tuple[Group, ...]]:
    """Every group of every kind, sorted by slug; pieces keep their audit order."""
    members: dict[str, dict[str, list[PieceResult]]] = {kind.folder: {} for kind in GROUP_KINDS}
    kinds = [(members[kind.folder], _NAMES[kind.folder]) for kind in GROUP_KINDS]
    for result in results:  # one pass, every kind: this runs on every build, ~10,000 pieces
        doc = result.doc
        for groups, names in kinds:
            for name in dict.fromkeys(names(doc)):
                if name:
                    groups.setdefault(name, []).append(result)
    out: dict[str, tuple[Group, ...]] = {}
    for kind in GROUP_KINDS:
        named = members[kind.folder]
        slugs = unique_slugs(named)
        groups = [Group(kind, name, slugs[name], tuple(named[name])) for name in named]
        out[kind.folder] = tuple(sorted(groups, key=lambda g: g.slug))
    return out


def group_hrefs(groups: Mapping[str, Sequence[Group]]) -> dict[str, dict[str, str]]:
    """Kind -> group name -> page, so every table can link authors and tags to roll-ups."""
    return {kind: {g.name: g.href for g in members} for kind, members in groups.items()}


def list_rows(
    groups: Sequence[Group], cols: Sequence[Column], scores: ScoresOf
) -> tuple[GroupListRow, ...]:
    """The rows of a group list page; ``scores`` gives a piece's column scores."""
    rows = []
    for group in groups:
        table = [scores(r) for r in group.results]
        medians = [score_view("overall", "Overall", median([r.overall for r in group.results]))]
        for col, values in zip(cols, columns_of(table, len(cols)), strict=True):
            medians.append(score_view(col.name, col.title, median(values)))
        rows.append(GroupListRow(group.name, group.href, len(group.results), tuple(medians)))
    return tuple(rows)

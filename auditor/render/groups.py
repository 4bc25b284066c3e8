"""Roll-ups of pieces by author, tag, source and month, with unique file-name slugs."""

from __future__ import annotations

import re
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


Medians = tuple[int | None, ...]
"""A group's median overall score, then its median in each column."""
MEDIANS_TEXT = re.compile(r"(?:-|\d{1,3})(?:,(?:-|\d{1,3}))*")


def group_medians(group: Group, cols: Sequence[Column], scores: ScoresOf) -> Medians:
    """The medians a group's list row shows; ``scores`` gives a piece's column scores."""
    table = [scores(r) for r in group.results]
    overall = median([r.overall for r in group.results])
    return (overall, *(median(values) for values in columns_of(table, len(cols))))


def list_rows(
    groups: Sequence[Group], cols: Sequence[Column], medians: Callable[[Group], Medians]
) -> tuple[GroupListRow, ...]:
    """The rows of a group list page; ``medians`` gives a group's (``group_medians``)."""
    rows = []
    for group in groups:
        overall, *values = medians(group)
        views = [score_view("overall", "Overall", overall)]
        views += [score_view(c.name, c.title, v) for c, v in zip(cols, values, strict=True)]
        rows.append(GroupListRow(group.name, group.href, len(group.results), tuple(views)))
    return tuple(rows)


def medians_text(medians: Medians) -> str:
    """``medians`` as short text (``81,55,-``), to keep in the build cache."""
    return ",".join("-" if m is None else str(m) for m in medians)


def medians_from(text: str) -> Medians:
    """The medians ``medians_text`` wrote."""
    return tuple(None if m == "-" else int(m) for m in text.split(","))


def medians_fit(text: str, cols: Sequence[Column]) -> bool:
    """Whether ``text`` is what ``medians_text`` writes for ``cols`` (a cache may be damaged)."""
    return MEDIANS_TEXT.fullmatch(text) is not None and text.count(",") == len(cols)

"""HTML fragments of a piece page built in Python: a finding and its evidence list.

A real post lists ~30 findings quoting ~180 spans, and Jinja pays an escape and an attribute
lookup per value; these f-strings do the same formatting several times faster. Every value is
escaped by markupsafe's rules (``escape``), exactly as the template would, and the markup stays
the theme's.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup

EvidenceItem = tuple[str | None, str, int | None]


def escape(text: str) -> str:
    """``markupsafe.escape`` of plain text, as plain ``str``: the same five entities, without
    a ``Markup`` object per value (a page has hundreds of values)."""
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def escape_all(texts: list[str]) -> list[str]:
    """``escape`` of each text, in one pass over them all (joined by a character they lack)."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:  # a text holds the separator itself
        return [escape(text) for text in texts]
    return escape(joined).split("\0")


def evidence_html(number: int, items: Sequence[EvidenceItem]) -> Markup:
    """One finding's evidence as ``<li>`` lines (id set when its mark is in the text).

    Ids are ``e-N-K`` made by ``piece_view`` (digits and dashes): nothing to escape, and a
    post quotes ~190 spans, so the texts are escaped together and each line is one f-string.
    """
    link = f'" data-finding="{number}">Show in text<span class="vh">: evidence '
    of = f" of finding {number}</span></a>"
    texts = escape_all([item[1] for item in items])
    lines = []
    for k, (element_id, _, line), text in zip(itertools.count(1), items, texts, strict=False):
        where = f' <span class="line">(line {int(line)})</span>' if line else ""
        show = f' <a class="show-in-text" href="#{element_id}{link}{k}{of}' if element_id else ""
        lines.append(f"          <li><q>{text}</q>{where}{show}</li>")
    return Markup("\n".join(lines))


@functools.lru_cache(maxsize=1024)
def _rule_html(
    root: str, rule: str, href: str | None, title: str, dimension: str, why: str, suggestion: str
) -> str:
    """The rule line and its why/what-to-do paragraphs: the same for every finding of a rule."""
    name = f"<code>{escape(rule)}</code>"
    if href:
        name = f'<a href="{escape(root)}{escape(href)}">{escape(title)} {name}</a>'
    lines = [f'        <p class="rule">Rule {name} · {escape(dimension)}</p>']
    if why:
        lines.append(f"        <p><strong>Why it matters:</strong> {escape(why)}</p>")
    if suggestion:
        lines.append(f"        <p><strong>What to do:</strong> {escape(suggestion)}</p>")
    return "\n".join(lines)


def prose_html(groups: Sequence[tuple[str, Sequence[str]]]) -> Markup:
    """The piece text's block groups as the theme's prose ``<div>`` lines (items are HTML)."""
    lines = []
    for kind, items in groups:
        if kind == "list":
            lines.append("    <ul>")
            lines += [f"      <li>{item}</li>" for item in items]
            lines.append("    </ul>")
        elif kind == "heading":
            lines.append(f'    <h3 class="prose-heading">{items[0]}</h3>')
        elif kind == "quote":
            lines.append(f"    <blockquote><p>{items[0]}</p></blockquote>")
        else:
            lines.append(f'    <p class="blk-{escape(kind)}">{items[0]}</p>')
    return Markup("\n".join(lines or ["    <p>No prose was found in this piece.</p>"]))


class FindingFields(Protocol):
    """What ``finding_html`` reads from a finding view."""

    number: int
    rule: str
    rule_href: str | None
    rule_title: str
    dimension: str
    status: str
    message: str
    why: str
    suggestion: str
    items: tuple[EvidenceItem, ...]
    decision: str
    comment: str


def finding_html(f: FindingFields, root: str) -> Markup:
    """One finding's ``<li>``: message, rule, why, what to do, editor's note and evidence."""
    badge = ' <span class="badge badge-accepted">accepted by an editor</span>'
    lines = [
        f'      <li class="finding finding-{escape(f.status)}" id="f-{f.number}" '
        f'data-finding="{f.number}">',
        f"        <h4>{escape(f.message)}{badge if f.decision == 'accept' else ''}</h4>",
        _rule_html(root, f.rule, f.rule_href, f.rule_title, f.dimension, f.why, f.suggestion),
    ]
    if f.decision:
        dismissed = " (dismissed)" if f.decision == "dismiss" else ""
        lines.append(
            f'        <p class="decision"><strong>Editor\'s note{dismissed}:</strong> '
            f"{escape(f.comment or 'No comment.')}</p>"
        )
    if f.items:
        evidence = evidence_html(f.number, f.items)
        lines += ['        <ul class="evidence">', evidence, "        </ul>"]
    elif f.status != "dismissed":
        lines.append('        <p class="whole">About the piece as a whole.</p>')
    lines.append("      </li>")
    return Markup("\n".join(lines))

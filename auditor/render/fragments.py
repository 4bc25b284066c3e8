"""HTML fragments of a piece page built in Python: a finding and its evidence list.

A real post lists ~30 findings quoting ~180 spans, and Jinja pays an escape and an attribute
lookup per value; these f-strings do the same formatting several times faster. Every value is
escaped by markupsafe's rules (``escape``), exactly as the template would, and the markup stays
the theme's.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # finding_view builds on this module: only the type comes back
    from auditor.render.finding_view import FindingView

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


def evidence_html(number: int, items: Sequence[EvidenceItem], listed: int) -> Markup:
    """One finding's evidence as ``<li>`` lines (``evidence_lines``), as Markup."""
    return Markup(evidence_lines(number, items, listed))


def evidence_lines(number: int, items: Sequence[EvidenceItem], listed: int) -> str:
    """One finding's evidence as ``<li>`` lines: the first ``listed`` items, each a quote and
    its line, the line linked to its mark when it is in the text; then one line saying how many
    more there are.

    A finding keeps up to 50 spans and the text highlights them all; listing them all made
    evidence lists the bulk of a page, so a line is a quote and one link: its text is where the
    words are ("line 8"), and a visually hidden ", evidence K of finding N" keeps every link's
    accessible name distinct. Ids are ``e-N-K`` made by ``finding_view`` (digits and dashes):
    nothing to escape, so the texts are escaped together and each line is one f-string. The
    finding number is on the enclosing ``li[data-finding]`` and the script finds the links
    there (``.evidence a``), so a link carries neither a class nor the number.
    """
    of = f" of finding {number}</span></a></li>"
    texts = escape_all([item[1] for item in items[:listed]])
    lines = []
    for k, (element_id, _, line), text in zip(itertools.count(1), items, texts, strict=False):
        where = f"line {int(line)}" if line else ""
        if element_id:
            lines.append(
                f'<li><q>{text}</q> <a href="#{element_id}">{where or "in the text"}'
                f'<span class="vh">, evidence {k}{of}'
            )
        else:  # dismissed: not marked in the text
            lines.append(
                f"<li><q>{text}</q> ({where})</li>" if where else f"<li><q>{text}</q></li>"
            )
    if len(items) > listed:
        lines.append(_more_html(number, items, listed))
    return "\n".join(lines)


def _more_html(number: int, items: Sequence[EvidenceItem], listed: int) -> str:
    """The line after a capped evidence list: how many more, and a link to the first of them
    that is marked in the text (a keyboard user's way to the unlisted ones)."""
    more = len(items) - listed
    first = next((k for k, item in enumerate(items[listed:], listed + 1) if item[0]), None)
    if first is None:  # dismissed findings are not marked in the text
        return f'<li class="more">And {more} more.</li>'
    where = "all highlighted" if more > 1 else "highlighted"
    return (
        f'<li class="more">And {more} more, {where} in the text. '
        f'<a href="#{items[first - 1][0]}">Show evidence {first}'
        f'<span class="vh"> of finding {number}</span> in the text</a></li>'
    )


@functools.lru_cache(maxsize=1024)
def _rule_html(root: str, rule: str, href: str | None, title: str, dimension: str) -> str:
    """The rule line: the same for every finding of a rule."""
    name = f"<code>{escape(rule)}</code>"
    if href:
        name = f'<a href="{escape(root)}{escape(href)}">{escape(title)} {name}</a>'
    return f'        <p class="rule">Rule {name} · {escape(dimension)}</p>'


@functools.lru_cache(maxsize=1024)
def advice_html(why: str, suggestion: str) -> str:
    """A rule's why/what-to-do paragraphs, each after a line break ("" when it has neither)."""
    lines = []
    if why:
        lines.append(f"\n        <p><strong>Why it matters:</strong> {escape(why)}</p>")
    if suggestion:
        lines.append(f"\n        <p><strong>What to do:</strong> {escape(suggestion)}</p>")
    return "".join(lines)


def gain_html(gain: float) -> str:
    """What fixing a finding is worth, as a badge after its heading: whole points, since the
    scores are whole points, and "under 1 point" rather than a "+0" that reads as nothing."""
    if gain < 0.5:
        worth = "under 1 point overall"
    else:
        points = round(gain)
        worth = f"up to +{points} {'point' if points == 1 else 'points'} overall"
    return f' <span class="badge badge-gain">{worth}</span>'


def advice_mark(rule: str) -> str:
    """Where a rule's advice goes in a finding's HTML made before the rules are at hand.

    The same ~6 KB of advice is in every page of a site, and the worker-made HTML is kept in
    the build cache beside the results that hold it already: the page fills it in
    (``fill_advice``). Escaped text never holds ``<``, so the mark cannot occur in it.
    """
    return f"<\0{rule}\0>"


def fill_advice(html: str, advice: Callable[[str], str]) -> str:
    """``html`` with each ``advice_mark(rule)`` replaced by ``advice(rule)``."""
    head, *marked = html.split("<\0")
    parts = [head]
    for part in marked:
        rule, _, tail = part.partition("\0>")
        parts += (advice(rule), tail)
    return "".join(parts)


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
        elif kind == "paragraph":  # most blocks: the theme styles them as plain paragraphs
            lines.append(f"    <p>{items[0]}</p>")
        else:
            lines.append(f'    <p class="blk-{escape(kind)}">{items[0]}</p>')
    return Markup("\n".join(lines or ["    <p>No prose was found in this piece.</p>"]))


def finding_html(f: FindingView, root: str, advice: str | None = None) -> Markup:
    """One finding's ``<li>`` (``finding_lines``), as Markup."""
    return Markup(finding_lines(f, root, advice))


def finding_lines(f: FindingView, root: str, advice: str | None = None) -> str:
    """One finding's ``<li>``: message, rule, why, what to do, editor's note and evidence, as
    plain str (a page body joins ~30 of them; a Markup each would be a copy each).

    ``advice`` replaces the why/what-to-do paragraphs (``advice_mark``) when given.
    """
    badge = ' <span class="badge badge-accepted">accepted by an editor</span>'
    rule = _rule_html(root, f.rule, f.rule_href, f.rule_title, f.dimension)
    lines = [
        f'      <li class="finding finding-{escape(f.status)}" id="f-{f.number}" '
        f'data-finding="{f.number}">',
        f"        <h4>{escape(f.message)}{badge if f.decision == 'accept' else ''}"
        f"{gain_html(f.gain) if f.status == 'improve' else ''}</h4>",
        rule + (advice_html(f.why, f.suggestion) if advice is None else advice),
    ]
    if f.decision:
        dismissed = " (dismissed)" if f.decision == "dismiss" else ""
        lines.append(
            f'        <p class="decision"><strong>Editor\'s note{dismissed}:</strong> '
            f"{escape(f.comment or 'No comment.')}</p>"
        )
    if f.items:
        evidence = evidence_lines(f.number, f.items, f.listed)
        lines += ['        <ul class="evidence">', evidence, "        </ul>"]
    elif f.status != "dismissed":
        lines.append('        <p class="whole">About the piece as a whole.</p>')
    lines.append("      </li>")
    return "\n".join(lines)

"""Python-Markdown's inline pass, skipping the patterns whose text a run does not contain.

The inline pass tries every inline pattern (code, escapes, links, images, autolinks, raw HTML,
entities, emphasis, ...) on every run of text, and each try costs a Python call and a regex
scan, though a typical paragraph holds none of ``` ` \\ [ < & * _ ```: it was a third of a
post's ingest. A pattern is skipped only when a character its regex must match is absent, which
is exactly when trying it would find nothing, so the tree is the same.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown, util
from markdown.inlinepatterns import DelimiterProcessor
from markdown.treeprocessors import InlineProcessor

NEEDLES: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code spans
    r"\\(.)": ("\\",),  # backslash escapes
    r"\[\^([^\]]*)\]": ("[^",),  # footnote references
    r"(?<!\!)\[": ("[",),  # links and references
    r"\!\[": ("![",),  # images
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolinks
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automatic mail links
    r"  \n": ("  \n",),  # hard line breaks
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entities
}
"""Per regex, strings of which at least one must occur for it to match; raw HTML is below."""


def needles(pattern: Any) -> tuple[str, ...] | None:
    """What a pattern's regex needs to find a match, or None when unknown (always try it)."""
    if isinstance(pattern, DelimiterProcessor):
        return tuple(pattern.tokens)
    regex = pattern.compiled_re.pattern
    if regex.startswith(r"(<(\/?+[a-zA-Z]"):  # raw inline HTML, comments, CDATA
        return ("<",)
    return NEEDLES.get(regex)


class QuickInlineProcessor(InlineProcessor):
    """The stock inline pass with a cheap ``in`` test before each pattern's regex."""

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        """Snapshot the patterns and their needles once per document, then run as usual."""
        self.patterns = list(self.inlinePatterns)
        self.needles = [needles(pattern) for pattern in self.patterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """``InlineProcessor.__handleInline`` with the skip; the private name overrides it."""
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(self.patterns):
            if not self._may_match(self.needles[patternIndex], data):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(self.patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    @staticmethod
    def _may_match(needed: tuple[str, ...] | None, data: str) -> bool:
        """A loop, not ``any()`` over a generator: this runs for every pattern and run of text."""
        if needed is None:
            return True
        for needle in needed:  # noqa: SIM110 (any() with a generator costs 3x here)
            if needle in data:
                return True
        return False


def install(md: Markdown) -> None:
    """Put the quick inline pass in place of the stock one, at the same priority."""
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(QuickInlineProcessor(md), "inline", priority)

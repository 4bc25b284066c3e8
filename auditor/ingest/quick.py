r"""Python-Markdown's block and inline passes, skipping steps whose text is absent.

The block parser tests every block processor on every block, and the inline pass tries every
inline pattern (code, escapes, links, images, autolinks, raw HTML, entities, emphasis, ...) on
every run of text. Each try costs a Python call and a regex scan, though a typical paragraph
holds none of ``# | > : ` \ [ < & * _``: together they were half of a post's ingest. A step is
skipped only when a string its regex must match is absent, which is exactly when trying it
would find nothing and change nothing, so the tree is the same. Tests compare the stock passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown, blockprocessors, util
from markdown.blockparser import BlockParser
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.def_list import DefListIndentProcessor, DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.md_in_html import MarkdownInHtmlProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import DelimiterProcessor, ReferenceInlineProcessor
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import (
    InlineProcessor,
    PrettifyTreeprocessor,
    Treeprocessor,
    UnescapeTreeprocessor,
)

Quick = tuple[Any, tuple[str, ...] | None, tuple[str, ...] | None]
"""A block processor, its needles and its tighter needles."""
BLOCK_NEEDLES: dict[type, tuple[str, ...]] = {
    MarkdownInHtmlProcessor: (util.STX,),  # a block that starts with a raw HTML placeholder
    TableProcessor: ("|",),
    blockprocessors.HashHeaderProcessor: ("#",),
    blockprocessors.SetextHeaderProcessor: ("\n",),
    blockprocessors.HRProcessor: ("-", "_", "*"),
    DefListProcessor: (":",),
    blockprocessors.BlockQuoteProcessor: (">",),
    FootnoteBlockProcessor: ("[^",),  # test() is always true; run() gives up without these
    AbbrBlockprocessor: ("*[",),
    blockprocessors.ReferenceProcessor: ("]:",),
}
"""Per block processor (exact type), strings of which at least one must be in the block.

Processors not listed (empty blocks, indented code and lists, list starts, paragraphs) are
tried as usual: their tests are already cheap ``startswith`` or anchored matches.
"""
THEN_NEEDLES: dict[type, tuple[str, ...]] = {
    blockprocessors.SetextHeaderProcessor: ("\n=", "\n-"),  # the second line starts = or -
    # Three runs of one of - _ * at most two spaces apart, so two of them that close:
    blockprocessors.HRProcessor: tuple(f"{c}{gap}{c}" for c in "-_*" for gap in ("", " ", "  ")),
    DefListProcessor: (": ",),  # a colon and at least one space
}
"""Tighter needles, looked for only in a block that holds one of the first ones.

A one-character needle is found at memchr speed; these cost a slower scan each, so they
are a second step: most blocks hold neither a line break nor one of ``- _ * :``.
"""

DIGITS = " 0123456789"
BLOCK_STARTS: dict[type, str] = {
    blockprocessors.EmptyBlockProcessor: "\n",  # or an empty block
    blockprocessors.ListIndentProcessor: " ",  # four spaces of indentation
    DefListIndentProcessor: " ",
    blockprocessors.CodeBlockProcessor: " ",
    blockprocessors.OListProcessor: DIGITS,  # up to three spaces, then a (Unicode) digit
    SaneOListProcessor: DIGITS,
    blockprocessors.UListProcessor: " *+-",  # up to three spaces, then the bullet
    SaneUListProcessor: " *+-",
}
"""Per block processor (exact type) with no needle, the characters its test needs the block
to start with; ``DIGITS`` stands for every character ``\\d`` matches, as ``isdecimal`` tells.

These tests are cheap, but each is a Python call: six per block that starts with none of
them (a paragraph's letter), which was a fifth of the block parser.
"""
CHAINS_KEPT = 256
"""Distinct first characters whose processor lists are kept before starting over."""

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
"""Per inline regex, strings of which at least one must occur for it to match; raw HTML below."""
TREE_NEEDLES: dict[type, tuple[str, ...]] = {
    AttrListTreeprocessor: ("{",),  # every attribute list is in braces
    UnescapeTreeprocessor: ("\\",),  # it restores what backslash escapes stashed
    PrettifyTreeprocessor: ("<", "{"),  # see below
}
"""Per tree pass, strings of which at least one must be in the Markdown source.

Every text and attribute in the tree comes from the source or from the extensions' fixed
strings, none of which holds these, so a pass whose needles the source lacks finds nothing.

The prettify pass is the exception: it only adds line breaks, as the text of a block whose
first child is a block and as the tail of a block or a ``<br>``. Without raw HTML (``<``) every
block Markdown makes ends the extractor's current block but code blocks, which are followed
by a block or their parent's end; so each break lands on an empty block, right after a
``<br>``'s space, or at the end of a block, where whitespace is dropped: the prose is the same
without them. Attribute lists (``{``) look at tails, so with them it runs too.
"""
SPACE_LINE = re.compile(r"(?<=\n) +\n")
"""Python-Markdown's own blank-line regex (a line of spaces becomes empty)."""


def _may_match(needed: tuple[str, ...] | None, data: str) -> bool:
    """A loop, not ``any()`` over a generator: this runs for every pattern and run of text."""
    if needed is None:
        return True
    for needle in needed:  # noqa: SIM110 (any() with a generator costs 3x here)
        if needle in data:
            return True
    return False


def needles(pattern: Any) -> tuple[str, ...] | None:
    """What a pattern's regex needs to find a match, or None when unknown (always try it)."""
    if isinstance(pattern, DelimiterProcessor):
        return tuple(pattern.tokens)
    regex = pattern.compiled_re.pattern
    if regex.startswith(r"(<(\/?+[a-zA-Z]"):  # raw inline HTML, comments, CDATA
        return ("<",)
    return NEEDLES.get(regex)


class QuickInlineProcessor(InlineProcessor):
    """The stock inline pass with a cheap ``in`` test before each pattern's regex.

    The test is written out in the loops below rather than called: a call per pattern per run
    of text was a tenth of a millisecond a post.
    """

    any_needle: Callable[[str], bool]

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        """Snapshot the patterns and their needles once per document, then run as usual.

        Without a ``[id]: url`` definition in the document, the four reference-link patterns
        find nothing: each looks every bracketed text up among the definitions and gives up,
        leaving the text as it was. They are skipped (needles no text holds).
        """
        self.patterns = list(self.inlinePatterns)
        self.needles = [
            () if isinstance(p, ReferenceInlineProcessor) and not self.md.references else needles(p)
            for p in self.patterns
        ]
        self.any_needle = _any_of(tuple(self.needles))
        return self._run(tree, [] if ancestors is None else ancestors[:])

    def _run(self, tree: Element, tree_parents: list[str]) -> Element:
        """``InlineProcessor.run`` of Markdown 3.11, leaving alone each text and tail in which
        no pattern could match: the stock loop would hand it back unchanged, after a scan for
        placeholders and, for a tail, a scratch element and a search among its siblings."""
        self.stashed_nodes = {}
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = [(tree, tree_parents)]
        self._InlineProcessor__build_ancestors(tree, tree_parents)  # type: ignore[attr-defined]
        while stack:
            element, parents = stack.pop(0)
            self.ancestors = parents
            if element is not tree:
                self.ancestors.append(element.tag.lower())
            insert_queue = []
            for child in element:
                text = child.text
                if text and not isinstance(text, util.AtomicString) and self.any_needle(text):
                    insert_queue.append((child, self._inline_text(child, text, stack)))
                if child.tail and self.any_needle(child.tail):
                    self._inline_tail(element, child)
                if len(child):
                    self.parent_map[child] = element
                    stack.append((child, self.ancestors[:]))
            for parent, nodes in insert_queue:
                for index, node in enumerate(nodes):
                    parent.insert(index, node[0])
        return tree

    def _inline_text(self, child: Element, text: str, stack: list[Any]) -> list[Any]:
        """The stock steps for a child's text: its new nodes, also queued for their own text."""
        self.ancestors.append(child.tag.lower())
        child.text = None
        nodes = self._InlineProcessor__processPlaceholders(  # type: ignore[attr-defined]
            self._InlineProcessor__handleInline(text), child
        )
        for node in nodes:
            self.parent_map[node[0]] = child
        stack += nodes
        self.ancestors.pop()
        return nodes

    def _inline_tail(self, element: Element, child: Element) -> None:
        """The stock steps for a child's tail: new nodes go in after the child."""
        tail = self._InlineProcessor__handleInline(child.tail)
        dummy = Element("d")
        child.tail = None
        nodes = self._InlineProcessor__processPlaceholders(tail, dummy, False)  # type: ignore[attr-defined]
        if dummy.tail:
            child.tail = dummy.tail
        position = list(element).index(child) + 1
        for node in reversed(nodes):
            self.parent_map[node[0]] = element
            element.insert(position, node[0])

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """``InlineProcessor.__handleInline`` with the skip; the private name overrides it."""
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needles = self.patterns, self.needles
        start = 0
        while patternIndex < len(patterns):
            needed = needles[patternIndex]
            if needed is not None:
                for needle in needed:  # _may_match, written out
                    if needle in data:
                        break
                else:
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


@lru_cache(maxsize=8)
def _any_of(needles: tuple[tuple[str, ...] | None, ...]) -> Callable[[str], bool]:
    """A test for text holding at least one pattern's needle, or always true when some
    pattern's needles are unknown. Needles holding another are left out (``[`` finds ``![``);
    each ``in`` is a memchr-speed scan, where a regex of them all scanned slower."""
    if None in needles:
        return lambda _data: True
    found = {needle for needed in needles if needed for needle in needed}
    shortest = tuple(sorted(n for n in found if not any(o != n and o in n for o in found)))

    def any_needle(data: str) -> bool:
        for needle in shortest:  # noqa: SIM110 (any() with a generator costs 3x here)
            if needle in data:
                return True
        return False

    return any_needle


class QuickBlockParser(BlockParser):
    """The stock block parser with cheap tests of a block's text before each processor's own:
    its first character, then its needles."""

    quick: list[Quick]
    chains: dict[str, list[Quick]]

    def parseDocument(self, lines: list[str]) -> Any:
        """Snapshot the processors and their needles once per document, then parse as usual.

        ``parseBlocks`` runs for every list item and quote too; the registry sorts itself on
        each iteration. The processors a first character leaves are kept while these stay.
        """
        quick = [
            (p, BLOCK_NEEDLES.get(type(p)), THEN_NEEDLES.get(type(p))) for p in self.blockprocessors
        ]
        if quick != getattr(self, "quick", None) or len(self.chains) > CHAINS_KEPT:
            self.quick, self.chains = quick, {}
        return super().parseDocument(lines)

    def parseBlocks(self, parent: Element, blocks: list[str]) -> None:
        """``BlockParser.parseBlocks``, skipping processors whose test the block's first
        character fails or whose needles the block lacks."""
        chains = self.chains
        while blocks:
            block = blocks[0]
            chain = chains.get(block[:1])
            if chain is None:
                chain = chains[block[:1]] = self._chain(block[:1])
            for processor, needed, then in chain:
                if needed is not None:
                    for needle in needed:  # _may_match, written out
                        if needle in block:
                            break
                    else:
                        continue
                    if then is not None and not _may_match(then, block):
                        continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break

    def _chain(self, first: str) -> list[Quick]:
        """The processors whose test a block starting with ``first`` may pass, in order."""
        return [entry for entry in self.quick if _may_start(type(entry[0]), first)]


def _may_start(kind: type, first: str) -> bool:
    """Whether a processor's test may pass on a block starting with ``first`` ("" if empty)."""
    starts = BLOCK_STARTS.get(kind)
    return starts is None or first in starts or (starts is DIGITS and first.isdecimal())


class QuickNormalizeWhitespace(NormalizeWhitespace):
    """The stock whitespace pass, running its blank-line regex only if a line may be blank."""

    def run(self, lines: list[str]) -> list[str]:
        """``NormalizeWhitespace.run``, the regex behind a check for a space before a newline."""
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = SPACE_LINE.sub("\n", source)
        return source.split("\n")


class SkipUnless(Preprocessor):
    """Run a preprocessor only on text holding one of its needles; otherwise it changes nothing.

    The fenced-code pass finds nothing without a fence, and the raw-HTML pass, an HTML parser
    over the whole post, only copies the text through when it holds no ``<`` or ``&``.
    """

    def __init__(self, inner: Preprocessor, needed: tuple[str, ...]) -> None:
        super().__init__(inner.md)
        self.inner = inner
        self.needed = needed

    def run(self, lines: list[str]) -> list[str]:
        """The wrapped pass's lines, or the same lines when no needle occurs."""
        if _may_match(self.needed, "\n".join(lines)):
            return self.inner.run(lines)
        return lines


def tree_passes(md: Markdown, source: str) -> list[Treeprocessor]:
    """The tree passes, in order, less those whose needles ``source`` lacks (they'd walk the
    whole tree to change nothing: ~0.15 ms a post)."""
    return [p for p in md.treeprocessors if _may_match(TREE_NEEDLES.get(type(p)), source)]


def install(md: Markdown) -> None:
    """Put the quick passes in place of the stock ones, keeping every registered processor.

    The block parser's class is swapped rather than the parser replaced, because each block
    processor holds a reference to that parser object and recurses through it.
    """
    _replace(md.treeprocessors, "inline", QuickInlineProcessor(md))
    md.parser.__class__ = QuickBlockParser
    _replace(md.preprocessors, "normalize_whitespace", QuickNormalizeWhitespace(md))
    _replace(
        md.preprocessors,
        "fenced_code_block",
        SkipUnless(md.preprocessors["fenced_code_block"], ("```", "~~~")),
    )
    _replace(md.preprocessors, "html_block", SkipUnless(md.preprocessors["html_block"], ("<", "&")))
    md.is_block_level = _block_level_test(md)  # type: ignore[method-assign]


def _block_level_test(md: Markdown) -> Callable[[Any], bool]:
    """``Markdown.is_block_level`` looking the tag up in a set, not a list of 55 names.

    The list is read once, here: it is filled when the extensions load, all of them in the
    constructor. The prettify, attribute-list and raw-HTML passes ask ~90 times a post.
    """
    names = frozenset(md.block_level_elements)

    def is_block_level(tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in names

    return is_block_level


def _replace(registry: util.Registry[Any], name: str, item: Any) -> None:
    """Register ``item`` under ``name`` at the priority the item it replaces had."""
    priority = next(entry.priority for entry in registry._priority if entry.name == name)
    registry.register(item, name, priority)

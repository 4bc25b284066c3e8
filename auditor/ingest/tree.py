"""Drive the prose extractor straight from Python-Markdown's element tree.

Serialising the tree to HTML and parsing that HTML again cost about a third of a Markdown
post's ingest. Instead each element becomes the start and end events ``html.parser`` would have
reported for its serialised form, and each text becomes the data it would have reported, so
there is still one extractor (``text.ProseParser``). Text holding raw-HTML placeholders goes
through Python-Markdown's own postprocessors and is fed to the same parser as HTML; while that
parser is mid-construct (an unclosed tag or ``<script>`` in raw HTML), later elements are fed as
their serialised HTML too, so the parser sees exactly the stream it always saw.

Most blocks (paragraphs, items, headings, cells) hold only text and inline elements such as
links, emphasis and code: those are read as their runs of text and links alone, since the
other inline elements' events would only push and pop the parser's stack.

One difference, on purpose: template tags that survive Markdown (``{\\{ x }}``) are stripped
within each run of text, where before they were stripped across the whole HTML, so an unclosed
``{{`` could swallow the paragraphs up to a ``}}`` further on.
"""

from __future__ import annotations

from html import unescape
from xml.etree.ElementTree import HTML_EMPTY, Comment, Element

from markdown import Markdown
from markdown.serializers import (  # type: ignore[attr-defined]
    BOOLEAN_ATTRIBUTES,
    _escape_attrib_html,
    _escape_cdata,
)

from auditor.ingest.text import (
    BLOCK_KINDS,
    MAX_DEPTH,
    Extracted,
    ProseParser,
    collect,
    strip_template_tags,
)

PLACEHOLDER_START = "\x02"
"""Python-Markdown marks raw HTML, footnote arrows and ``&`` it keeps with STX placeholders."""
# fmt: off
INLINE = frozenset(
    {"a", "abbr", "b", "cite", "del", "dfn", "em", "i", "ins", "mark", "q", "s", "small", "span",
     "strong", "sub", "sup", "u", "var"}
)
"""Inline elements whose start and end do nothing but push and pop (and open and close a link)."""
# fmt: on
VOID_INLINE = frozenset({"br", "img"})
SKIPPED_INLINE = frozenset({"code", "kbd", "samp"})
"""Inline elements whose text the extractor skips."""


def extract_tree(root: Element, md: Markdown, *, site_url: str | None = None) -> Extracted:
    """Prose blocks and links of a converted Markdown tree, as ``extract`` gives for its HTML."""
    walker = _Walker(md)
    walker.text(root.text)
    for child in root:
        walker.element(child)
    walker.parser.close()
    return collect(walker.parser, site_url)


class _Walker:
    """Feeds one ProseParser the events of a tree, the way html.parser would have."""

    def __init__(self, md: Markdown) -> None:
        self.parser = ProseParser()
        self.postprocessors = list(md.postprocessors)
        # The parser holds unparsed input or is inside <script>/<style>: feed it HTML, not events.
        self.pending = False

    def element(self, el: Element) -> None:
        """Start tag, text, children, end tag, then tail: the serialiser's order."""
        tag = el.tag
        if tag is Comment:
            self._markup(f"<!--{_escape_cdata(el.text or '')}-->")
        elif not isinstance(tag, str):
            self._markup("")  # processing instructions: the extractor ignores them
        elif tag in BLOCK_KINDS and not self.pending and _plain_block(el, self.parser):
            if len(el):
                self.parser.handle_starttag(tag, [])
                self._runs(el)
                self.parser.handle_endtag(tag)
            else:
                self.parser.leaf(tag, el.text or "")
        elif PLACEHOLDER_START in (el.text or "") and self._raw_paragraph(el):
            self._markup(f"<p>{_escape_cdata(el.text)}</p>")
        else:
            self._start(el, tag)
            self.text(el.text)
            for child in el:
                self.element(child)
            if tag.lower() not in HTML_EMPTY:
                self._end(tag)
        self.text(el.tail)

    def text(self, text: str | None) -> None:
        """One run of text: escaped as the serialiser would, then read as html.parser would.

        Half the runs are the line breaks between blocks: whitespace on an empty buffer
        changes nothing (it is stripped as it is appended), so it is dropped here.
        """
        if not text or (not self.pending and not self.parser.buf and text.isspace()):
            return
        escaped = _escape_cdata(text) if "&" in text or "<" in text or ">" in text else text
        if PLACEHOLDER_START in escaped or self.pending:
            self._markup(escaped)
            return
        if "{" in escaped:
            escaped = strip_template_tags(escaped)
        if escaped:
            self.parser.handle_data(unescape(escaped) if "&" in escaped else escaped)

    def _runs(self, el: Element) -> None:
        """The inline content of a block that ``_plain_block`` passed: only its text runs and
        links have any effect, the other inline elements' events only push and pop."""
        parser = self.parser
        if el.text:
            parser.handle_data(el.text)
        for child in el:
            tag = child.tag
            if tag == "a":
                self._start(child, tag)
                self._runs(child)
                parser.handle_endtag(tag)
            elif tag == "br":
                parser.handle_starttag(tag, [])
            elif tag in INLINE:
                self._runs(child)
            if child.tail:
                parser.handle_data(child.tail)

    def _raw_paragraph(self, el: Element) -> bool:
        """A bare ``<p>`` with placeholders: the postprocessor may swap the whole paragraph."""
        bare = el.tag == "p" and not el.attrib and len(el) == 0
        return bare and PLACEHOLDER_START in (el.text or "")

    def _start(self, el: Element, tag: str) -> None:
        if self.pending:
            self._markup(_start_tag(el, tag))
            return
        name = tag.lower()
        attrs: list[tuple[str, str | None]] = []
        if name == "a":
            attrs = [(k.lower(), self._attribute(v)) for k, v in el.items()]
        self.parser.handle_starttag(name, attrs)

    def _end(self, tag: str) -> None:
        if self.pending:
            self._markup(f"</{tag}>")
        else:
            self.parser.handle_endtag(tag.lower())

    def _attribute(self, value: str | None) -> str | None:
        """An attribute value as html.parser reads back the serialised, postprocessed one."""
        if value is None:
            return None
        escaped = self._postprocess(_escape_attrib_html(value))
        return unescape(escaped) if "&" in escaped else escaped

    def _markup(self, html: str) -> None:
        """Serialised HTML with placeholders: postprocessed, tags stripped, parsed as HTML."""
        html = strip_template_tags(self._postprocess(html))
        if html:
            self.parser.feed(html)
            self.pending = bool(self.parser.rawdata) or self.parser.cdata_elem is not None

    def _postprocess(self, html: str) -> str:
        """Python-Markdown's postprocessors (raw HTML, footnote arrows, ``&``) on placeholders."""
        if PLACEHOLDER_START not in html:
            return html
        for postprocessor in self.postprocessors:
            html = postprocessor.run(html)
        return html


def _plain_block(el: Element, parser: ProseParser) -> bool:
    """Whether a block's inside is only inline elements and text that needs no escaping,
    template stripping or postprocessing, shallow enough for the stack to track.

    Then ``_Walker._runs`` replaces the walk. Its code elements hold no children, so dropping
    their text is all their events do; images and line breaks hold no text.
    """
    nodes = 0
    for node in el.iter():
        nodes += 1
        tag, text, tail = node.tag, node.text, node.tail
        if nodes > 1:
            if tag not in INLINE and tag not in VOID_INLINE and tag not in SKIPPED_INLINE:
                return False
            if tail and ("&" in tail or "{" in tail or PLACEHOLDER_START in tail):
                return False
        if tag in VOID_INLINE:
            if text or len(node):
                return False
        elif tag in SKIPPED_INLINE:
            if len(node) or (text and PLACEHOLDER_START in text):
                return False
        elif text and ("&" in text or "{" in text or PLACEHOLDER_START in text):
            return False
    return len(parser.stack) + nodes < MAX_DEPTH


def _start_tag(el: Element, tag: str) -> str:
    """The start tag exactly as Python-Markdown's HTML serialiser writes it."""
    parts = [f"<{tag}"]
    for key, value in sorted(el.items()):
        if value is None:
            parts.append(f" {key}")
            continue
        value = _escape_attrib_html(value)
        if key == value and key in BOOLEAN_ATTRIBUTES["html"]:
            parts.append(f" {value}")
        else:
            parts.append(f' {key}="{value}"')
    return "".join(parts) + ">"

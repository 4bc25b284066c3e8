"""The one HTML-to-prose extractor: every format ends here so all pieces are judged alike.

Only prose reaches ``Extracted.text``: code, site chrome, forms, comments, bare URLs and
template tags are dropped, blocks are joined by a blank line, and every block and link keeps
its character span so that findings can point at evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from auditor.model import Block, BlockKind, Link

MAX_DEPTH = 256
"""Elements nested deeper than this are dropped with their content (keeps work bounded)."""

SKIPPED = frozenset(
    {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "pre", "code",
     "kbd", "samp", "nav", "footer", "form", "button", "select", "textarea", "head", "title"}
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)
BLOCK_KINDS: dict[str, BlockKind] = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "p": "paragraph", "li": "item", "dt": "item", "dd": "item",
    "td": "cell", "th": "cell",
}
BREAKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "details",
     "dialog", "div", "dl", "fieldset", "figcaption", "figure", "header", "hgroup", "hr",
     "html", "legend", "main", "ol", "section", "summary", "table", "tbody", "tfoot", "thead",
     "tr", "ul", "br-block"}
) | BLOCK_KINDS.keys()
PRIMARY = frozenset({"main", "article"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

TEMPLATE_TAG = re.compile(
    r"\{\{<.{0,2000}?>\}\}|\{\{%.{0,2000}?%\}\}|\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}|\{#.{0,2000}?#\}",
    re.DOTALL,
)
BARE_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"]*[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
SPACES = re.compile(r"\s+")
UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f]+")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class Extracted:
    """Prose text with its blocks and links, spans indexing into ``text``."""

    text: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...]


def strip_template_tags(text: str) -> str:
    """Remove Liquid/Jinja/Hugo/Nunjucks tags, which are build instructions, not prose."""
    return TEMPLATE_TAG.sub("", text)


def remove_urls(text: str) -> str:
    """Remove bare http(s):// and www. URLs, which are addresses, not prose."""
    return BARE_URL.sub("", text)


def safe_href(href: str) -> str | None:
    """The href without control characters, or None if its scheme could run or embed code."""
    cleaned = UNSAFE_CHARS.sub("", href)
    match = SCHEME.match(cleaned.lower())
    if match and match.group(1) not in SAFE_SCHEMES:
        return None
    return cleaned


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def is_external(href: str, site_url: str | None) -> bool:
    """Whether ``href`` is an absolute http(s) link to a host other than the site's own."""
    parts = urlsplit(href)
    absolute = parts.scheme.lower() in ("http", "https") or (not parts.scheme and href[:2] == "//")
    if not absolute:
        return False
    return site_url is None or _host(href) != _host(site_url)


@dataclass(slots=True)
class _RawBlock:
    text: str
    kind: BlockKind
    quoted: bool
    primary: bool
    links: list[tuple[str, int, int]]


@dataclass(slots=True)
class _Anchor:
    href: str
    start: int
    had_text: bool = False


class _ProseParser(HTMLParser):
    """One linear pass: a stack of open elements decides what text is prose and where it goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skipping = 0
        self.overflow = 0
        self.quotes = 0
        self.primary = 0
        self.seen_primary = False
        self.buf: list[str] = []
        self.length = 0
        self.ends_space = True
        self.anchor: _Anchor | None = None
        self.links: list[tuple[str, int, int]] = []
        self.blocks: list[_RawBlock] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._void(tag)
            return
        if self.overflow or len(self.stack) >= MAX_DEPTH:
            self.overflow += 1
            return
        if tag in BREAKS:
            self._flush()
        if tag == "a":
            self._close_anchor()
            href = safe_href(dict(attrs).get("href") or "")
            if href is not None and not self.skipping:
                self.anchor = _Anchor(href, self.length)
        self._push(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._void(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.overflow:
            self.overflow -= 1
            return
        if tag not in self.stack:
            return
        if tag in BREAKS or tag == "a":
            self._close_anchor() if tag == "a" else self._flush()
        while self.stack:
            if self._pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skipping or self.overflow:
            return
        if self.anchor is not None and data.strip():
            self.anchor.had_text = True
        self._append(SPACES.sub(" ", remove_urls(data)))

    def close(self) -> None:
        super().close()
        self._flush()

    def _void(self, tag: str) -> None:
        if tag == "br" and not self.skipping:
            self._append(" ")
        elif tag == "hr":
            self._flush()

    def _push(self, tag: str) -> None:
        self.stack.append(tag)
        self.skipping += tag in SKIPPED
        self.quotes += tag == "blockquote"
        self.primary += tag in PRIMARY
        self.seen_primary = self.seen_primary or tag in PRIMARY

    def _pop(self) -> str:
        tag = self.stack.pop()
        self.skipping -= tag in SKIPPED
        self.quotes -= tag == "blockquote"
        self.primary -= tag in PRIMARY
        return tag

    def _append(self, text: str) -> None:
        if self.ends_space:
            text = text.lstrip(" ")
        if text:
            self.buf.append(text)
            self.length += len(text)
            self.ends_space = text.endswith(" ")

    def _close_anchor(self) -> None:
        anchor, self.anchor = self.anchor, None
        if anchor is None or not anchor.had_text:
            return
        text = "".join(self.buf)
        start, end = anchor.start, len(text.rstrip(" "))
        while start < end and text[start] == " ":
            start += 1
        self.links.append((anchor.href, start, max(start, end)))

    def _kind(self) -> BlockKind:
        for tag in reversed(self.stack):
            if tag in BLOCK_KINDS:
                return BLOCK_KINDS[tag]
        return "paragraph"

    def _flush(self) -> None:
        self._close_anchor()
        text = "".join(self.buf).rstrip(" ")
        self.buf, self.length, self.ends_space = [], 0, True
        links, self.links = self.links, []
        if not text:
            return
        quoted = self.quotes > 0
        kind: BlockKind = "quote" if quoted else self._kind()
        self.blocks.append(_RawBlock(text, kind, quoted, self.primary > 0, links))


def extract(html: str, *, site_url: str | None = None) -> Extracted:
    """Reduce an HTML fragment or page to prose blocks and links, with spans into the text."""
    parser = _ProseParser()
    parser.feed(strip_template_tags(html))
    parser.close()
    raw = [b for b in parser.blocks if b.primary or not parser.seen_primary]
    parts: list[str] = []
    blocks: list[Block] = []
    links: list[Link] = []
    offset = 0
    for block in raw:
        if parts:
            offset += 2
        parts.append(block.text)
        blocks.append(Block(offset, offset + len(block.text), block.kind, block.quoted))
        for href, start, end in block.links:
            end = min(end, len(block.text))
            start = min(start, end)
            links.append(Link(href, offset + start, offset + end, is_external(href, site_url)))
        offset += len(block.text)
    return Extracted("\n\n".join(parts), tuple(blocks), tuple(links))

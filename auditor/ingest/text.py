"""The one HTML-to-prose extractor: every format ends here so all pieces are judged alike.

Only prose reaches ``Extracted.text``: code, site chrome, forms, comments, bare URLs and
template tags are dropped, blocks are joined by a blank line, and every block and link keeps
its character span so that findings can point at evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from auditor.model import Block, BlockKind, BlockRow, Link

MAX_DEPTH = 256
"""Deeper elements are not tracked (their text still counts), so the stack stays bounded."""

# fmt: off
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
     "tr", "ul"}
) | BLOCK_KINDS.keys()
IMPLIED_CLOSE: dict[str, frozenset[str]] = {
    "li": frozenset({"li", "p"}), "dt": frozenset({"dt", "dd", "p"}),
    "dd": frozenset({"dt", "dd", "p"}), "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}), "th": frozenset({"td", "th"}), "body": frozenset({"head"}),
}
# fmt: on
CLOSES_P = frozenset({"p"})
SCOPE_EDGES = frozenset({"ul", "ol", "dl", "table", "blockquote", "main", "article", "body"})
PRIMARY = frozenset({"main", "article"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

TEMPLATE_OPENER = re.compile(r"\{\{[<%]?|\{[%#]")
TEMPLATE_CLOSERS = {"{{<": ">}}", "{{%": "%}}", "{{": "}}", "{%": "%}", "{#": "#}"}
MAX_TAG_CHARS = 2000
BARE_URL = re.compile(r" ?(?:\bhttps?://|\bwww\.)[^\s<>\"]*[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
SPACES = re.compile(r" \s+|[^\S ]\s*")
"""Whitespace runs other than a lone space: replacing only these gives what ``\\s+`` gives."""
UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f]+")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WHITE_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x1f"
"""The whitespace characters that CONTROLS removes."""
IGNORE_COMMENT = re.compile(r"^\s*auditor-ignore\s*:(.*)$", re.DOTALL)
RULE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


@dataclass(frozen=True, slots=True)
class Extracted:
    """Prose text with its blocks and links, spans indexing into ``text``."""

    text: str
    rows: tuple[BlockRow, ...]
    """The blocks' fields, their lines unknown (None): each reader makes the ``Block`` records
    once, the Markdown reader once it has found their lines."""
    links: tuple[Link, ...]

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks as records, without their lines (built on each use)."""
        return Block.many(self.rows)


def strip_template_tags(text: str) -> str:
    """Remove Liquid/Jinja/Hugo/Nunjucks tags, which are build instructions, not prose.

    A tag ends within MAX_TAG_CHARS and never spans a blank line. The next position of each
    closer is cached, so unclosed openers cost nothing extra and the scan stays linear.
    """
    next_at: dict[str, int] = {}

    def find(needle: str, start: int) -> int:
        found = next_at.get(needle)
        if found is None or 0 <= found < start:
            found = next_at[needle] = text.find(needle, start)
        return found if found >= 0 else len(text) + MAX_TAG_CHARS + 1

    out: list[str] = []
    pos = 0
    match = TEMPLATE_OPENER.search(text)
    while match:
        closer = TEMPLATE_CLOSERS[match.group()]
        found = find(closer, match.end())
        if found - match.end() <= MAX_TAG_CHARS and found < find("\n\n", match.end()):
            out.append(text[pos : match.start()])
            pos = found + len(closer)
            match = TEMPLATE_OPENER.search(text, pos)
        else:
            match = TEMPLATE_OPENER.search(text, match.start() + 1)
    out.append(text[pos:])
    return "".join(out)


def remove_urls(text: str) -> str:
    """Remove bare http(s):// and www. URLs, which are addresses, not prose.

    The regex is slow on plain prose (it may start at any space), so text that holds neither
    ``://`` nor ``www.`` in any case is returned untouched without running it. Only ``W`` and
    ``w`` lower-case to ``w``, so text without ``w.`` or ``W.`` is not lower-cased to look.
    """
    if "://" in text or (("w." in text or "W." in text) and "www." in text.lower()):
        return BARE_URL.sub("", text)
    return text


def clean_run(data: str) -> str:
    """A run of text without control characters or bare URLs, whitespace runs as one space.

    Printable text holds no control character and no whitespace but the plain space, so on
    most runs neither regex has anything to do and they are skipped (each scanned every run).
    Half the runs are the line breaks between blocks: whitespace alone is one space, or
    nothing when every character of it is a control character.
    """
    if data.isspace():
        return " " if data.strip(WHITE_CONTROLS) else ""
    printable = data.isprintable()
    if not printable:
        data = CONTROLS.sub("", data)
    data = remove_urls(data)
    if not printable or "  " in data:
        data = SPACES.sub(" ", data)
    return data


def safe_href(href: str) -> str | None:
    """The href without control characters, or None if its scheme could run or embed code."""
    cleaned = UNSAFE_CHARS.sub("", href)
    match = SCHEME.match(cleaned.lower())
    if match and match.group(1) not in SAFE_SCHEMES:
        return None
    return cleaned


@lru_cache(maxsize=4096)
def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=4096)
def is_external(href: str, site_url: str | None) -> bool:
    """Whether ``href`` is an absolute http(s) link to a host other than the site's own.

    Kept per link: a blog links to the same pages again and again, and ``urlsplit`` is slow.
    """
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
    suppress: tuple[str, ...] = ()


@dataclass(slots=True)
class _Anchor:
    href: str
    start: int
    had_text: bool = False


class ProseParser(HTMLParser):
    """One linear pass: a stack of open elements decides what text is prose and where it goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.open: dict[str, int] = dict.fromkeys(("main", "article", "blockquote"), 0)
        """How many of each tag are open: a plain dict, as Counter's missing-key call was
        paid on every end tag and block."""
        self.skipping = 0
        self.seen_primary = False
        self.buf: list[str] = []
        self.length = 0
        self.ends_space = True
        self.anchor: _Anchor | None = None
        self.links: list[tuple[str, int, int]] = []
        self.blocks: list[_RawBlock] = []
        self.suppress: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._void(tag)
            return
        if tag in BREAKS:
            self._flush()
            self._close_implied(tag)
        if tag == "a":
            self._close_anchor()
            href = safe_href(dict(attrs).get("href") or "")
            if href is not None and not self.skipping:
                self.anchor = _Anchor(href, self.length)
        skip = tag in SKIPPED or (tag == "header" and not self._in_primary())
        if len(self.stack) < MAX_DEPTH or skip:
            self._push(tag, skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._void(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.open.get(tag):
            return
        if tag == "a":
            self._close_anchor()
        elif tag in BREAKS:
            self._flush()
        while self.stack and self._pop() != tag:
            pass

    def leaf(self, tag: str, data: str) -> None:
        """A block element (``BLOCK_KINDS``) holding only text: its start, data and end events.

        Most paragraphs, items and headings are one; this is what the three events do to a
        block that the stack can still track.
        """
        self._flush()
        self._close_implied(tag)
        if len(self.stack) >= MAX_DEPTH:
            self.handle_data(data)
            self.handle_endtag(tag)
            return
        if self.skipping:  # the element, pushed and popped, would leave all as it was
            return
        text = clean_run(data).strip(" ")  # as appended to the empty buffer, then flushed
        if text:
            kind = BLOCK_KINDS[tag]  # the innermost block's kind, unless a paragraph's
            self._add(text, self._kind() if kind == "paragraph" else kind, [])

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.anchor is not None and data.strip():
            self.anchor.had_text = True
        self._append(clean_run(data))

    def handle_comment(self, data: str) -> None:
        """``<!-- auditor-ignore: a.b, c -->`` silences rules for the block it precedes."""
        match = IGNORE_COMMENT.match(data)
        if match and not self.skipping:
            self.suppress.extend(RULE_ID.findall(match.group(1).replace(",", " ")))

    def close(self) -> None:
        super().close()
        self._flush()

    def _void(self, tag: str) -> None:
        if tag == "br" and not self.skipping:
            self._append(" ")
        elif tag == "hr":
            self._flush()

    def _in_primary(self) -> bool:
        return self.open["main"] > 0 or self.open["article"] > 0  # the PRIMARY tags

    def _close_implied(self, tag: str) -> None:
        """Close what a new block implies, as browsers do (``<p>a<p>b``, ``<li>a<li>b``)."""
        closes = IMPLIED_CLOSE.get(tag, CLOSES_P)
        for depth, (name, _) in enumerate(reversed(self.stack)):
            if depth >= 32 or name in SCOPE_EDGES:
                return
            if name in closes:
                for _ in range(depth + 1):
                    self._pop()
                return

    def _push(self, tag: str, skip: bool) -> None:
        self.stack.append((tag, skip))
        self.open[tag] = self.open.get(tag, 0) + 1
        self.skipping += skip
        self.seen_primary = self.seen_primary or tag in PRIMARY

    def _pop(self) -> str:
        tag, skip = self.stack.pop()
        self.open[tag] -= 1
        self.skipping -= skip
        return tag

    def _append(self, text: str) -> None:
        if self.ends_space:
            text = text.lstrip(" ")
        if self.anchor is not None and self.anchor.start == self.length and text[:1] == " ":
            self.anchor.start += 1
        if text:
            self.buf.append(text)
            self.length += len(text)
            self.ends_space = text.endswith(" ")

    def _close_anchor(self) -> None:
        anchor, self.anchor = self.anchor, None
        if anchor is None or not anchor.had_text:
            return
        end = self.length - (1 if self.ends_space and self.length else 0)
        self.links.append((anchor.href, min(anchor.start, end), end))

    def _kind(self) -> BlockKind:
        for tag, _ in reversed(self.stack):
            kind = BLOCK_KINDS.get(tag)
            if kind is not None and kind != "paragraph":
                return kind
        return "paragraph"

    def _flush(self) -> None:
        if self.anchor is not None:  # the check without the call: flushes are most events
            self._close_anchor()
        if not self.buf:  # most block tags close nothing: leave early, as the end would
            self.links = []
            return
        text = "".join(self.buf).rstrip(" ")
        self.buf, self.length, self.ends_space = [], 0, True
        links, self.links = self.links, []
        if text:
            self._add(text, self._kind(), links)

    def _add(self, text: str, kind: BlockKind, links: list[tuple[str, int, int]]) -> None:
        """A block of prose, a quote inside a block quote, with the ignore comments before it."""
        quoted = self.open["blockquote"] > 0
        if quoted:
            kind = "quote"
        suppress = tuple(dict.fromkeys(self.suppress)) if self.suppress else ()
        self.suppress = []
        self.blocks.append(_RawBlock(text, kind, quoted, self._in_primary(), links, suppress))


def extract(html: str, *, site_url: str | None = None) -> Extracted:
    """Reduce an HTML fragment or page to prose blocks and links, with spans into the text."""
    parser = ProseParser()
    parser.feed(strip_template_tags(html))
    parser.close()
    return collect(parser, site_url)


def collect(parser: ProseParser, site_url: str | None) -> Extracted:
    """Join a closed parser's blocks into one text, turning block-relative spans into offsets."""
    raw = [b for b in parser.blocks if b.primary or not parser.seen_primary]
    parts: list[str] = []
    rows: list[BlockRow] = []
    links: list[Link] = []
    offset = 0
    for block in raw:
        if parts:
            offset += 2
        parts.append(block.text)
        end = offset + len(block.text)
        rows.append((offset, end, block.kind, block.quoted, None, block.suppress))
        for href, start, end in block.links:
            end = min(end, len(block.text))
            start = min(start, end)
            links.append(Link(href, offset + start, offset + end, is_external(href, site_url)))
        offset += len(block.text)
    return Extracted("\n\n".join(parts), tuple(rows), tuple(links))

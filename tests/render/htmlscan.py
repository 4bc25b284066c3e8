"""A small HTML scanner for the render tests: ids, links, scripts, attributes and marks."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Scan:
    """What one HTML file contains."""

    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    scripts: list[str | None] = field(default_factory=list)
    attrs: list[tuple[str, str, str | None]] = field(default_factory=list)
    marks: list[tuple[str, str]] = field(default_factory=list)  # (data-evidence, text)
    tags: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._marks: list[list[str]] = []  # stack of [evidence, text]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scan.tags.append(tag)
        d = dict(attrs)
        for name, value in attrs:
            self.scan.attrs.append((tag, name, value))
        if d.get("id"):
            self.scan.ids.append(d["id"] or "")
        for name in ("href", "src"):
            if d.get(name) is not None:
                self.scan.links.append((tag, d[name] or ""))
        if tag == "script":
            self.scan.scripts.append(d.get("src"))
        if tag == "mark" and d.get("data-evidence"):
            self._marks.append([d["data-evidence"] or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._marks:
            evidence, text = self._marks.pop()
            self.scan.marks.append((evidence, text))

    def handle_data(self, data: str) -> None:
        for mark in self._marks:
            mark[1] += data


def scan(html: str) -> Scan:
    """Parse ``html`` and return what it holds."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.scan

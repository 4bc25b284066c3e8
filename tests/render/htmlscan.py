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
    marks: list[tuple[str, str]] = field(default_factory=list)  # (evidence ids, text)
    tags: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._marks: list[list[str]] = []  # stack of [evidence, text]
        self._last: dict[str, str] = {}  # finding number -> its latest evidence id begun
        self._started: set[str] = set()  # evidence ids seen in a mark's data-evidence

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scan.tags.append(tag)
        d = dict(attrs)
        for name, value in attrs:
            self.scan.attrs.append((tag, name, value))
        if d.get("id"):
            self.scan.ids.append(d["id"] or "")
            if (d["id"] or "").startswith("e-"):
                self._last[(d["id"] or "").split("-")[1]] = d["id"] or ""
        for name in ("href", "src"):
            if d.get(name) is not None:
                self.scan.links.append((tag, d[name] or ""))
        if tag == "script":
            self.scan.scripts.append(d.get("src"))
        if tag == "mark" and "hl" in (d.get("class") or "").split():
            self._marks.append([d.get("data-evidence") or "", ""])
            for evidence_id in (d.get("data-evidence") or "").split():
                # A span that begins on a mark another span's link names: its first listing.
                if evidence_id not in self._started:
                    self._started.add(evidence_id)
                    self._last[evidence_id.split("-")[1]] = evidence_id
        if tag == "a" and self._marks and not self._marks[-1][0]:
            # A mark that one span covers: its link names the finding, and the span is the
            # latest of that finding to start (its id is on this link or placed before).
            finding = (d.get("href") or "").removeprefix("#f-")
            self._marks[-1][0] = d.get("id") or self._last.get(finding, "")

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

"""Snapshot every ingested Document, or check that ingest still gives exactly the snapshot.

A speed change to ingest must not change one character of text, one block, link, span, line
or metadata field: this reads the 18F blog corpus, the bundled sample content, every Markdown
and HTML file under tests/, generated posts, every rule's example sentences and a few thousand
pseudo-random mixes of awkward Markdown (raw and inline HTML, entities, comments, escapes,
template tags, footnotes, tables, nested lists and quotes), then either writes the results
(``--save``) or compares them with the saved ones. Errors count as results too.

    python benchmarks/ingest_identity.py [--save] [--snapshot /tmp/ingest-baseline.pickle]
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import snapshot  # benchmarks/ is on sys.path when run as a script
from generate import generate

from auditor.errors import InputError
from auditor.ingest import document_from_text, read_file, read_path
from auditor.score import load_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/18f-blog")
GENERATED = Path("/tmp/ingest-identity-posts")  # a fixed folder: paths are in the results
MIXES = 3000

# fmt: off
PIECES = (
    "Plain words here, with a [link](https://example.org/a) and *emphasis*.",
    "A <span class='x'>span of inline HTML</span> and <b>bold</b> text.",
    "Entities: &amp; &copy; &mdash; &#169; &#x27; &nbsp; &copyright &bogus; AT&T",
    "<!-- auditor-ignore: voice.passive, community -->\nA suppressed paragraph follows.",
    "<!-- a plain comment --> then words",
    "<div>\nRaw block <em>HTML</em> here.\n</div>",
    "<div markdown=\"1\">\nMarkdown *inside* HTML.\n</div>",
    "<p>Raw paragraph with <a href=\"https://x.org\">a link</a>.</p>",
    "Escapes: \\*not em\\* and \\{{ not a tag }} and 1\\. not a list",
    "Template {{ site.title }} tag and {% include x.html %} here.",
    "{{< figure src=\"a.png\" >}}\n\nAfter a shortcode.",
    "Open {{ tag with no close", "and a }} closer later",
    "Footnote reference[^1] here.\n\n[^1]: The footnote *text*.",
    "| a | b |\n|---|---|\n| cell one | cell [two](/t) |",
    "Term\n:   Definition of the term.",
    "*[HTML]: Hyper Text Markup Language\n\nHTML is an abbr.",
    "- one\n- two\n    - nested *three*\n        > quoted in list\n- four",
    "1. first\n2. second\n\n    continued paragraph",
    "> quote\n> > nested quote with [link](http://q.org)\n>\n> - list in quote",
    "```python\nprint('{{ x }}')\n```",
    "    indented code <b>not</b> html",
    "Inline `code <b>` and ``more `code` `` here.",
    "Bare URL https://example.com/path and www.example.org. End.",
    "Auto <https://auto.example.org> and <mailto:me@example.org>.",
    "A line with two spaces at end  \nthen a hard break.",
    "Image ![alt text](/i.png \"title\") in text.",
    "Reference [link][ref] use.\n\n[ref]: https://ref.example.org",
    "# Heading {#custom-id}\n\nText {: .cls }",
    "Setext heading\n--------------",
    "***", "<hr>", "<br>",
    "<script>alert('x')</script>", "<style>p{}</style>",
    "Text with <unknown-tag>custom</unknown-tag> element.",
    "A < b and c > d and a <3 heart & more.",
    "Unclosed <em>inline html", "</div> stray close",
    "<a href=\"javascript:alert(1)\">bad link</a> text",
    "[empty link]() and [](https://no.text)",
    "Tab\tseparated\twords and   spaces.",
    "Ünïcödé — “quotes” … and emoji 🎉.",
    "<table><tr><td>raw cell</td></tr></table>",
    "<details><summary>More</summary>\nHidden *stuff*.\n</details>",
    "<nav>site nav</nav>", "<article>inner article</article>",
    "_underscore_ and __strong__ and ***both***",
    "<![CDATA[ cdata ]]> text", "<?php echo 1; ?> text",
    "Line one\nLine two\r\nLine three",
    "\\<b>escaped tag\\</b>",
    "&lt;b&gt; escaped entity tag",
)
# fmt: on


def mixes(count: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    """Deterministic (name, Markdown) pairs, each a few PIECES joined by blank or single lines."""
    rng = random.Random(seed)
    for n in range(count):
        parts = rng.choices(PIECES, k=rng.randint(1, 6))
        glue = [rng.choice(("\n\n", "\n", " ", "\n\n> ", "\n\n- ")) for _ in parts]
        text = "".join(g + p for g, p in zip(glue, parts, strict=True))
        yield f"mix-{n}", text


def read_all() -> Iterator[tuple[str, object]]:
    """(name, Document or error message) for every input the snapshot covers, in fixed order."""
    for path in sorted(CORPUS.glob("*.md")):
        yield str(path), _guard(read_file, path)
    content = ROOT / "content"
    for path in sorted(content.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".html", ".xml"}:
            yield str(path), read_path(path, content, "https://example.org")
    for path in sorted((ROOT / "tests").rglob("*")):
        if path.is_file() and path.suffix in {".md", ".markdown", ".html", ".htm"}:
            yield str(path.relative_to(ROOT)), _guard(read_file, path)
    for path in generate(GENERATED, posts=200, words=1200, seed=7):
        yield str(path), _guard(read_file, path)
    for info in load_model().rules_info:
        for n, text in enumerate((*info.flags, *info.passes)):
            yield f"{info.id}-{n}", _guard(document_from_text, text, f"{info.id}-{n}")
    for name, text in mixes(MIXES):
        yield name, _guard(document_from_text, text, name)


def _guard(func: Callable[..., object], *args: object) -> object:
    """The function's result, or the InputError's text: a refusal must stay the same too."""
    try:
        return func(*args)
    except InputError as exc:
        return f"InputError: {exc}"


if __name__ == "__main__":
    sys.exit(snapshot.main(__doc__.splitlines()[0], Path("/tmp/ingest-baseline.pickle"), read_all))

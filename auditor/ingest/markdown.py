"""Markdown posts: front matter, template tags stripped, Python-Markdown, then the prose extractor.

One ``markdown.Markdown`` instance is built once and reset between documents: building it
costs more than converting a typical post. Its block, inline and preprocessing passes are the
quick ones (``quick.py``), and its tree goes straight to the extractor (``tree.py``).
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, chain, islice
from pathlib import Path, PurePosixPath

import markdown

from auditor.errors import InputError
from auditor.ingest.files import Warn, ignore_warning, read_text
from auditor.ingest.frontmatter import split_front_matter
from auditor.ingest.meta import normalise_meta
from auditor.ingest.quick import install as install_quick_passes
from auditor.ingest.quick import tree_passes
from auditor.ingest.text import Extracted, strip_template_tags
from auditor.ingest.tree import extract_tree
from auditor.model import Block, Document
from auditor.timings import MARKDOWN_STAGE, TEXT_STAGE, Timings, stage

_MARKDOWN = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
install_quick_passes(_MARKDOWN)
WORD = re.compile(r"[^\W_]+")
NOT_WORD_ASCII = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not c.isalnum() and c != "\n"}
)
"""ASCII characters that cannot be in a WORD (all but letters and digits), made spaces; line
breaks are kept, to split lines on."""
TYPOGRAPHIC = "\u2019\u201c\u201d\u2014\u2013\u2018\u2026\xa0"
"""Curly quotes, dashes, ellipsis and no-break space: the non-ASCII characters of most prose
(99% of the non-ASCII lines of the 18F blog hold no other), none of which can be in a WORD."""
MATCH_WORDS = 3
FIRST_CHARS = 64
"""A block's first words are looked for in this many characters when they are ASCII."""
MAX_CANDIDATES = 50
FALLBACK_WINDOW = 400
"""A block found by its first word alone must start within this many words of the last."""
MAX_NESTING = 100
"""Deeper quotes and lists are refused: Python-Markdown recurses per level and would crash."""
CONTAINER = re.compile(r"[ \t]{0,3}(?:>|(?:[*+-]|\d{1,9}[.)])(?=[ \t]))")
NESTING_CHARS = " \t>*+-0123456789.)"
"""Each level of depth takes at least one of these characters at the start of a line."""


def read_markdown(
    path: Path,
    root: Path,
    source: str,
    site_url: str | None,
    warn: Warn = ignore_warning,
    data: bytes | None = None,
    timings: Timings | None = None,
) -> Document:
    """Read one Markdown file under ``root`` (or its ``data``, already read) into a Document,
    or raise InputError saying why."""
    label = str(path.relative_to(root.parent))
    raw, digest = read_text(path, label, warn, data)
    return markdown_document(
        raw,
        doc_id=path.relative_to(root).as_posix(),
        label=label,
        source=source,
        site_url=site_url,
        warn=warn,
        digest=digest,
        timings=timings,
    )


def markdown_document(
    raw: str,
    *,
    doc_id: str,
    label: str,
    source: str,
    site_url: str | None,
    warn: Warn = ignore_warning,
    digest: str = "",
    timings: Timings | None = None,
) -> Document:
    """Build a Document from Markdown text with optional front matter (files and stdin alike)."""
    meta_raw, body, body_line = split_front_matter(raw, label)
    file_name = PurePosixPath(doc_id).name
    meta = normalise_meta(meta_raw, file_name)
    for problem in meta.problems:
        warn(problem, None)
    extracted = extract_markdown(body, label, body_line, site_url, timings)
    if not extracted.text:
        raise InputError(label, "no prose to audit once code, markup and template tags are removed")
    with stage(timings, TEXT_STAGE):
        blocks = locate_blocks(extracted, body, body_line)
    return Document(
        id=doc_id,
        slug=meta.slug or provisional_slug(doc_id),
        source=source,
        source_kind="markdown",
        path=label,
        title=meta.title or _first_heading(extracted) or PurePosixPath(doc_id).stem,
        url=meta.url,
        date=meta.date,
        authors=meta.authors,
        tags=meta.tags,
        summary=meta.summary,
        text=extracted.text,
        blocks=blocks,
        links=extracted.links,
        suppress=meta.suppress,
        draft=meta.draft,
        meta_lines=body_line - 1,
        digest=digest,
    )


def extract_markdown(
    body: str,
    label: str,
    body_line: int,
    site_url: str | None,
    timings: Timings | None = None,
) -> Extracted:
    """The body's prose, read off Python-Markdown's tree once its nesting is within the limit.

    These are ``Markdown.convert``'s steps up to the serialiser; the tree goes straight to the
    extractor instead of through HTML text and back. ``timings`` gets the two apart: the
    Markdown passes, then the extractor.
    """
    check_nesting(body, label, body_line)
    source = strip_template_tags(body)
    if not source.strip():
        return Extracted("", (), ())
    md = _MARKDOWN
    md.reset()
    try:
        with stage(timings, MARKDOWN_STAGE):
            lines = source.split("\n")
            for preprocessor in md.preprocessors:
                lines = preprocessor.run(lines)
            root = md.parser.parseDocument(lines).getroot()
            for treeprocessor in tree_passes(md, source):
                new_root = treeprocessor.run(root)
                root = root if new_root is None else new_root
        with stage(timings, TEXT_STAGE):
            return extract_tree(root, md, site_url=site_url)
    except RecursionError:
        raise InputError(label, "quotes or lists nested too deeply to read") from None


def check_nesting(body: str, label: str, body_line: int) -> None:
    """Refuse a line whose quote and list markers plus indentation go over MAX_NESTING levels."""
    for number, line in enumerate(body.split("\n")):
        if len(line) <= MAX_NESTING or line[: MAX_NESTING + 1].lstrip(NESTING_CHARS):
            continue  # fewer than MAX_NESTING + 1 marker or indent characters: not too deep
        indent = len(line) - len(line.lstrip(" \t"))
        depth = len(line[:indent].expandtabs(4)) // 4
        pos = indent
        while depth <= MAX_NESTING and (match := CONTAINER.match(line, pos)):
            depth, pos = depth + 1, match.end()
        if depth > MAX_NESTING:
            reason = f"quotes or lists nested over {MAX_NESTING} levels deep"
            raise InputError(label, reason, body_line + number)


def provisional_slug(doc_id: str) -> str:
    """The file stem, or the folder name for page bundles (``my-post/index.md``)."""
    path = PurePosixPath(doc_id)
    if path.stem in ("index", "_index") and path.parent.name:
        return path.parent.name
    return path.stem


def _first_heading(extracted: Extracted) -> str | None:
    for block in extracted.blocks:
        if block.kind == "heading":
            return extracted.text[block.start : block.end]
    return None


def locate_blocks(extracted: Extracted, body: str, body_line: int) -> tuple[Block, ...]:
    """Give each block the 1-based file line where its first words appear, moving forward."""
    line_words = _line_words(body)
    words = list(chain.from_iterable(line_words))
    line_ends = list(accumulate(map(len, line_words)))  # how many words lines up to each hold
    cursor = 0
    located: list[Block] = []
    for block, wanted in zip(extracted.blocks, _first_words(extracted), strict=True):
        found = _find_run(wanted, words, cursor)
        if found is None:
            found = _find_run(wanted[:1], words, cursor, cursor + FALLBACK_WINDOW)
        line = None
        if found is not None:
            cursor = found + 1
            line = bisect.bisect_right(line_ends, found) + body_line
        located.append(
            Block(block.start, block.end, block.kind, block.quoted, line, block.suppress)
        )
    return tuple(located)


def _line_words(body: str) -> list[list[str]]:
    """``WORD.findall`` of each line of the lower-cased body.

    Typographic punctuation is blanked first (a few ``str.replace`` scans), so that most
    bodies are ASCII: then one ``translate`` of the whole body and a ``split`` per line, all
    in C, instead of a Python call per line and the regex on every line with a curly quote.
    """
    low = body.lower()
    if not low.isascii():
        for char in TYPOGRAPHIC:
            if char in low:
                low = low.replace(char, " ")
        if not low.isascii():
            return [_words(line) for line in low.split("\n")]
    return list(map(str.split, low.translate(NOT_WORD_ASCII).split("\n")))


def _words(line: str) -> list[str]:
    """``WORD.findall(line)``: in an ASCII line, the pieces between non-word characters.

    The regex tests a Unicode category per character (~0.3 ms a post); blanking ASCII
    punctuation with ``translate`` and splitting gives the same words in half the time.
    """
    if line.isascii():
        return line.translate(NOT_WORD_ASCII).split()
    return WORD.findall(line)


def _first_words(extracted: Extracted) -> list[list[str]]:
    """Each block's first MATCH_WORDS words, lower-cased, as WORD finds them.

    The blocks' first FIRST_CHARS characters are split together, in C, when they are ASCII
    once typographic punctuation is blanked (ASCII lower-cases character by character). A
    prefix holding no word more than needed, so that the last may be cut, is not trusted
    unless it is the whole block; then, as when other characters are not ASCII, the block is
    split whole with the regex.
    """
    text, blocks = extracted.text, extracted.blocks
    prefixes = "\n".join([text[b.start : min(b.end, b.start + FIRST_CHARS)] for b in blocks])
    if not prefixes.isascii():
        for char in TYPOGRAPHIC:
            prefixes = prefixes.replace(char, " ")
    lines = prefixes.split("\n")
    if not prefixes.isascii() or len(lines) != len(blocks):  # or a block holds a line break
        return [_block_words(text[b.start : b.end]) for b in blocks]
    lines = prefixes.lower().translate(NOT_WORD_ASCII).split("\n")
    firsts = []
    for block, line in zip(blocks, lines, strict=True):
        words = line.split(None, MATCH_WORDS)
        whole = len(words) > MATCH_WORDS or block.start + FIRST_CHARS >= block.end
        firsts.append(words[:MATCH_WORDS] if whole else _block_words(text[block.start : block.end]))
    return firsts


def _block_words(text: str) -> list[str]:
    """The first MATCH_WORDS words of a block, lower-cased, by the regex."""
    return [match.group() for match in islice(WORD.finditer(text.lower()), MATCH_WORDS)]


def _find_run(
    wanted: list[str], words: list[str], cursor: int, before: int | None = None
) -> int | None:
    """Index of the first place at or after ``cursor`` where ``wanted`` occurs as a run.

    Only the first MAX_CANDIDATES places holding the first word are tried, and none from
    ``before`` on. ``list.index`` scans in C, so no index of every word is built.
    """
    if not wanted:
        return None
    stop = len(words) if before is None else min(before, len(words))
    index = cursor - 1
    for _ in range(MAX_CANDIDATES):
        try:
            index = words.index(wanted[0], index + 1, stop)
        except ValueError:
            return None
        if words[index : index + len(wanted)] == wanted:
            return index
    return None

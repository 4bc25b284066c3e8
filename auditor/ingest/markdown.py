"""Markdown posts: front matter, template tags stripped, Python-Markdown, then the prose extractor.

One ``markdown.Markdown`` instance is built once and reset between documents: building it
costs more than converting a typical post. Its block, inline and preprocessing passes are the
quick ones (``quick.py``), and its tree goes straight to the extractor (``tree.py``).
"""

from __future__ import annotations

import re
from itertools import islice
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
NOT_WORD = re.compile(r"[\W_]")
"""A character that is in no WORD."""
ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)
"""An ASCII text lower-cased, every character in no WORD a space (line breaks too)."""
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
RUN_CHARS = 64
"""A block's next words are split from this many characters, when they hold them."""
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
    for start, end, kind, *_ in extracted.rows:
        if kind == "heading":
            return extracted.text[start:end]
    return None


def locate_blocks(extracted: Extracted, body: str, body_line: int) -> tuple[Block, ...]:
    """The blocks, each with the 1-based file line where its first words appear, moving forward.

    The words are looked for in the body's word stream (``_word_stream``), with ``str.find``,
    so the body is never split into words.
    """
    spaced, lined = _word_stream(body)
    after = line = counted = 0  # where to look from; line breaks before ``counted``
    lines: list[int | None] = []
    for wanted in _first_words(extracted):
        found = _find_run(wanted, spaced, after)
        if found is None:
            found = _find_first(wanted[:1], spaced, after)
        if found is None:
            lines.append(None)
            continue
        after = found + len(wanted[0]) + 1
        line += lined.count("\n", counted, found)
        counted = found
        lines.append(line + body_line)
    rows = zip(extracted.rows, lines, strict=True)
    return Block.many((s, e, kind, quoted, at, sup) for (s, e, kind, quoted, _, sup), at in rows)


def _word_stream(body: str) -> tuple[str, str]:
    """The lower-cased body's words as ``WORD`` finds them line by line, in two strings.

    In ``spaced`` every character that is in no word is a space, line breaks too, and a space
    is added at each end, so that `` word `` is found exactly where a whole word is. ``lined``
    has the line breaks, at the same places less the added space, to count lines in.

    Typographic punctuation is blanked first, so that most bodies are ASCII: then one
    ``bytes.translate`` both lower-cases and blanks, in C. Other lines are blanked by the
    regex's complement, which leaves each word where ``WORD`` finds it.
    """
    body = _blank_typographic(body)
    if body.isascii():
        return " " + body.encode("ascii").translate(ASCII_WORDS).decode("ascii") + " ", body
    lined = "\n".join(map(_blank, body.lower().split("\n")))
    return " " + lined.replace("\n", " ") + " ", lined


def _blank_typographic(text: str) -> str:
    """``text`` with each TYPOGRAPHIC character a space (so most prose becomes ASCII)."""
    for char in TYPOGRAPHIC:
        if char in text:
            text = text.replace(char, " ")
    return text


def _blank(line: str) -> str:
    """A lower-cased line with every character outside a ``WORD`` a space."""
    return line.translate(NOT_WORD_ASCII) if line.isascii() else NOT_WORD.sub(" ", line)


def _first_words(extracted: Extracted) -> list[list[str]]:
    """Each block's first MATCH_WORDS words, lower-cased, as WORD finds them.

    The blocks' first FIRST_CHARS characters are split together, in C, when they are ASCII
    once typographic punctuation is blanked (ASCII lower-cases character by character). A
    prefix holding no word more than needed, so that the last may be cut, is not trusted
    unless it is the whole block; then, as when other characters are not ASCII, the block is
    split whole with the regex.
    """
    text = extracted.text
    spans = [(row[0], row[1]) for row in extracted.rows]
    prefixes = "\n".join([text[start : min(end, start + FIRST_CHARS)] for start, end in spans])
    if not prefixes.isascii():
        prefixes = _blank_typographic(prefixes)
    lines = prefixes.split("\n")
    if not prefixes.isascii() or len(lines) != len(spans):  # or a block holds a line break
        return [_block_words(text[start:end]) for start, end in spans]
    lines = prefixes.lower().translate(NOT_WORD_ASCII).split("\n")
    firsts = []
    for (start, end), line in zip(spans, lines, strict=True):
        words = line.split(None, MATCH_WORDS)
        whole = len(words) > MATCH_WORDS or start + FIRST_CHARS >= end
        firsts.append(words[:MATCH_WORDS] if whole else _block_words(text[start:end]))
    return firsts


def _block_words(text: str) -> list[str]:
    """The first MATCH_WORDS words of a block, lower-cased, by the regex."""
    return [match.group() for match in islice(WORD.finditer(text.lower()), MATCH_WORDS)]


def _find_run(wanted: list[str], spaced: str, after: int) -> int | None:
    """Where in ``spaced`` (the space before it) ``wanted`` first occurs as a run of words, at
    or after ``after``. Only the first MAX_CANDIDATES places holding the first word are tried.

    Most places that hold the first word are not followed by the second: when one space
    follows, ``startswith`` tells so without splitting the next words out.
    """
    if not wanted:
        return None
    needle, rest = f" {wanted[0]} ", wanted[1:]
    second = f"{rest[0]} " if rest else ""
    skip = len(needle) - 1
    found = after - skip
    for _ in range(MAX_CANDIDATES):
        found = spaced.find(needle, found + skip)
        if found < 0:
            return None
        end = found + skip  # the space after the first word
        if spaced[end + 1 : end + 2] != " " and not spaced.startswith(second, end + 1):
            continue
        if not rest or _words_at(spaced, end, len(rest)) == rest:
            return found
    return None


def _words_at(spaced: str, start: int, count: int) -> list[str]:
    """The ``count`` words after ``start`` in ``spaced`` (fewer at its end), split from a
    short window unless the window may cut the last of them."""
    words = spaced[start : start + RUN_CHARS].split(None, count)
    if len(words) <= count:
        words = spaced[start:].split(None, count)
    return words[:count]


def _find_first(wanted: list[str], spaced: str, after: int) -> int | None:
    """Where in ``spaced`` a block's first word first occurs at or after ``after``, if fewer
    than FALLBACK_WINDOW words lie between. Words take two characters each with their spaces,
    so only a longer stretch needs counting."""
    if not wanted:
        return None
    found = spaced.find(f" {wanted[0]} ", after)
    if found < 0:
        return None
    if found - after < 2 * FALLBACK_WINDOW or len(spaced[after:found].split()) < FALLBACK_WINDOW:
        return found
    return None

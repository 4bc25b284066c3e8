"""Front matter: split it from the body (YAML, TOML, JSON, Pelican) and parse it safely.

Each format goes through its own library parser; YAML uses the safe loader only, so a tag like
``!!python/object`` is an error, never executed. Parse errors carry the line in the file.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

from auditor.errors import InputError
from auditor.ingest.files import normalise_newlines
from auditor.ingest.meta import Meta, normalise_meta

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # SafeLoader without libyaml


class YamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader (never constructs objects), keeping impossible dates as their text."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """``2024-13-45`` stays a string, so the piece is kept and its date reported as invalid."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, AttributeError, OverflowError):
        return loader.construct_scalar(node)


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

__all__ = ["Meta", "normalise_meta", "split_front_matter"]

YAML_OPEN = re.compile(r"---[ \t]*\n")
YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
TOML_OPEN = re.compile(r"\+\+\+[ \t]*\n")
TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
JSON_OPEN = re.compile(r"\{\s*[\"}]")
PELICAN_FIRST = re.compile(r"[A-Za-z][A-Za-z _-]*:\s")
PELICAN_LINE = re.compile(r"([A-Za-z][A-Za-z _-]*):(?:\s+(.*))?$")
PELICAN_LISTS = frozenset({"tags", "category"})
PELICAN_NEEDS = frozenset({"title", "date"})
TOML_LINE = re.compile(r"line (\d+)")

Parsed = tuple[dict[str, Any], str, int]


def split_front_matter(raw: str, path: str) -> Parsed:
    """Return (metadata, body, body_start_line); a broken or non-mapping header is an InputError."""
    text = normalise_newlines(raw)
    if YAML_OPEN.match(text):
        return _fenced(text, path, YAML_CLOSE, _parse_yaml)
    if TOML_OPEN.match(text):
        return _fenced(text, path, TOML_CLOSE, _parse_toml)
    if JSON_OPEN.match(text):
        return _json(text, path)
    if PELICAN_FIRST.match(text):
        parsed = _pelican(text)
        if parsed is not None:
            return parsed
    return {}, text, 1


def _fenced(text: str, path: str, close: re.Pattern[str], parse: Any) -> Parsed:
    """Front matter between two fence lines; the header text starts on line 2 of the file."""
    start = text.index("\n") + 1
    end = close.search(text, start)
    if end is None:
        raise InputError(path, "front matter is opened on line 1 but never closed", 1)
    header = text[start : end.start()]
    meta = parse(header, path)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(path, f"front matter is a {type(meta).__name__}, not a mapping", 2)
    body_at = text.find("\n", end.end())
    body = text[body_at + 1 :] if body_at >= 0 else ""
    return meta, body, text.count("\n", 0, end.end()) + 2


def _parse_yaml(header: str, path: str) -> Any:
    try:
        return yaml.load(header, Loader=YamlLoader)  # a safe loader: never constructs objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"front matter is not valid YAML: {problem}", line) from None
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        reason = f"front matter has a value YAML cannot build: {exc}"
        raise InputError(path, reason, 2) from None


def _parse_toml(header: str, path: str) -> Any:
    try:
        return tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_LINE.search(str(exc))
        line = int(found.group(1)) + 1 if found else None
        raise InputError(path, f"front matter is not valid TOML: {exc}", line) from None


def _json(text: str, path: str) -> Parsed:
    """Hugo-style JSON front matter: one object at the very top, the body after it."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"front matter is not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(meta, dict):
        raise InputError(path, "front matter is not a JSON object", 1)
    rest_of_line = text.find("\n", end)
    body_at = len(text) if rest_of_line < 0 else rest_of_line + 1
    return meta, text[body_at:], text.count("\n", 0, body_at) + 1


def _pelican(text: str) -> Parsed | None:
    """Pelican/Python-Markdown ``Key: value`` lines up to the first blank line.

    Every header line must look like a key (or continue the previous one, indented) and a
    title or date must be among the keys, so an ordinary first sentence with a colon stays prose.
    """
    header, sep, body = text.partition("\n\n")
    meta: dict[str, Any] = {}
    key = ""
    for line in header.split("\n"):
        match = PELICAN_LINE.match(line)
        if line[:1] in (" ", "\t") and key:
            meta[key] = f"{meta[key]} {line.strip()}".strip()
        elif match:
            key = match.group(1).strip().lower()
            meta[key] = (match.group(2) or "").strip()
        else:
            return None
    if not PELICAN_NEEDS & meta.keys():
        return None
    for key in PELICAN_LISTS & meta.keys():
        meta[key] = [part.strip() for part in meta[key].split(",") if part.strip()]
    body_start = header.count("\n") + 2 + (1 if sep else 0)
    return meta, body, body_start

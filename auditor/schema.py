"""The audit.json shapes this version writes and reads (docs/audit-json.md).

Readers of an earlier build's file (history, ``auditor check --baseline``) take only keys every
version they read has in the same place: a piece's ``id``, ``title``, ``digest`` and
``scores.overall``. A site published by an older auditor is schema 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 2
READABLE = (1, 2)


def checked(data: Any) -> dict[str, Any]:
    """``data`` (a parsed audit.json) once its ``schema_version`` is one this version reads.

    Raises ValueError with one line saying what to do, so a file from a newer auditor is not
    half-read as if it had an older shape.
    """
    if not isinstance(data, dict):
        raise ValueError("not an audit.json: expected a JSON object")
    version = data.get("schema_version")
    if type(version) is int and version in READABLE:
        return data
    if type(version) is int and version > SCHEMA_VERSION:
        raise ValueError(
            f"audit.json schema_version {version} is newer than this auditor reads "
            f"({', '.join(map(str, READABLE))}): upgrade auditor"
        )
    raise ValueError(f"not an audit.json: schema_version is {version!r}")


def pieces_cut_to(keys: tuple[str, ...], needed: str) -> Callable[[list[tuple[str, Any]]], Any]:
    """A ``json.loads`` object hook that cuts each piece (an object with ``id`` and
    ``needed``) to ``keys`` as soon as it is decoded, so a large file's findings and spans are
    freed at once rather than held together: reading an 11 MB audit.json of 1,000 posts
    peaked at ~46 MB of memory this way, against ~97 MB decoded whole."""

    def cut(pairs: list[tuple[str, Any]]) -> Any:
        data = dict(pairs)
        if "id" in data and needed in data:
            return {key: data[key] for key in keys if key in data}
        return data

    return cut

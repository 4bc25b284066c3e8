"""Reading one content file as text: size limit, binary detection and encoding fallbacks."""

from __future__ import annotations

from pathlib import Path

from auditor.errors import InputError

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Larger files are skipped: no blog post is that long, and it keeps a build bounded."""

FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def read_bytes(path: Path, label: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read at most ``limit`` bytes of a file opened read-only; larger files are an InputError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(label, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(label, f"over the {limit // (1024 * 1024)} MB limit")
    return data


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (BOM allowed), else cp1252 or latin-1 for old files; LF line ends only."""
    if not data.strip():
        raise InputError(label, "empty file")
    if b"\x00" in data:
        raise InputError(label, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data, label)
    return normalise_newlines(text)


def _decode_legacy(data: bytes, label: str) -> str:
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise InputError(label, "not UTF-8 text, and does not look like text in another encoding")


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, and a leading BOM goes, so every format reads alike."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, label: str) -> str:
    """The decoded, newline-normalised text of a content file, or an InputError saying why not."""
    return decode_text(read_bytes(path, label), label)

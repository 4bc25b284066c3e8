"""Writing files inside the output folder safely, from text, copied chunks or a kept page."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from auditor.errors import BuildError
from auditor.render.export import JsonReuse, PieceText, Reused
from auditor.render.safety import target_in

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BUFFER = 1 << 20


class Writer:
    """Writes text files inside the output folder and remembers what it wrote.

    Each folder is checked (``target_in``) and created once; files are opened without
    following a symlink, so a planted link cannot redirect a write outside the folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: list[str] = []
        self._folders: dict[str, Path] = {}

    def _target(self, rel: str) -> Path:
        folder, _, name = rel.rpartition("/")
        if name in ("", ".", "..") or "\\" in name:
            return target_in(self.out_dir, rel)  # raises for anything odd
        if folder not in self._folders:
            root = self.out_dir.resolve()
            path = (root / folder).resolve()
            if not path.is_relative_to(root):
                raise BuildError(f"refusing to write {rel!r} outside the output folder {root}")
            path.mkdir(parents=True, exist_ok=True)
            self._folders[folder] = path
        return self._folders[folder] / name

    def write_chunks(
        self, rel: str, chunks: Iterable[str | Reused], json: JsonReuse | None = None
    ) -> None:
        """Write ``rel`` as UTF-8 from text chunks, so a large file is never held whole.

        ``Reused`` chunks are copied from ``json.source``; where each piece's text lands is
        noted in ``json.placed`` (byte ranges), for the next build to copy in turn.
        """
        target = self._target(rel)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o666)
        except OSError as exc:
            raise BuildError(f"cannot write {rel!r} in the output folder: {exc}") from exc
        source = open(json.source, "rb") if json and json.source else None  # noqa: SIM115
        with open(fd, "wb", buffering=_BUFFER) as out, source or contextlib.nullcontext():
            for chunk in chunks:
                start = out.tell()
                if isinstance(chunk, Reused):
                    assert source is not None, "a reused piece without the previous file"
                    source.seek(chunk.start)
                    out.write(source.read(chunk.end - chunk.start))
                else:
                    out.write(chunk.encode("utf-8"))
                if json is not None and isinstance(chunk, PieceText | Reused):
                    json.placed[chunk.slug] = (start, out.tell())
        self.written.append(rel)

    def write(self, rel: str, text: str) -> None:
        self.write_chunks(rel, (text,))

    def link(self, rel: str, source: str) -> None:
        """Put the previous site's unchanged ``source`` at ``rel``: a hard link, else a copy."""
        target = self._target(rel)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copyfile(source, target, follow_symlinks=False)
        self.written.append(rel)

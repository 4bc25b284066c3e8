"""Which pieces are new or changed, so ``auditor check`` gates them and not the archive.

Two sources: git (``--changed-since REF``: files changed since REF, plus untracked ones) and a
previous ``audit.json`` (``--baseline``: pieces whose id is new or whose content digest moved).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from auditor.errors import ConfigError
from auditor.schema import checked, pieces_cut_to


def changed_since(ref: str, cwd: Path) -> frozenset[Path]:
    """Absolute paths of files changed since ``ref`` (committed, staged, unstaged, untracked)."""
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    names = _git(["diff", "--name-only", "-z", ref, "--"], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], cwd).split(
        "\0"
    )
    return frozenset((Path(top) / name).resolve() for name in names if name)


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"--changed-since needs git: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["git failed"]
        raise ConfigError(f"--changed-since: git {' '.join(args[:1])}: {reason[0]}")
    return done.stdout


_ID_AND_DIGEST = pieces_cut_to(("id", "digest"), "digest")
"""What a baseline is read for: each piece's id and content digest."""


def baseline_digests(path: Path) -> dict[str, str]:
    """Piece id -> content digest from an earlier build's ``audit.json`` (any schema this
    version reads: a baseline kept from an older auditor is schema 1)."""
    data = _read_baseline(path)
    try:
        pieces = checked(data)["pieces"]
        return {str(p["id"]): str(p.get("digest", "")) for p in pieces}
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"--baseline {path}: not an audit.json ({exc})") from None
    except ValueError as exc:
        raise ConfigError(f"--baseline {path}: {exc}") from None


def _read_baseline(path: Path) -> object:
    try:
        return json.loads(path.read_bytes(), object_pairs_hook=_ID_AND_DIGEST)
    except OSError as exc:
        raise ConfigError(f"--baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"--baseline {path}: not an audit.json ({exc})") from None

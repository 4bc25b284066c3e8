"""Folders that ship with the tool: the default theme and the sample content.

In a wheel they sit inside the package (pyproject's force-include); in a source checkout or an
editable install they are the repository's top-level ``templates/`` and ``content/``.
"""

from __future__ import annotations

from pathlib import Path

import auditor
from auditor.errors import BuildError

PACKAGE = Path(auditor.__file__).parent


def bundled_dir(packaged: str, repository: str) -> Path:
    """The installed copy if there is one, else the repository's folder."""
    for folder in (PACKAGE / packaged, PACKAGE.parent / repository):
        if folder.is_dir():
            return folder
    raise BuildError(f"the bundled {repository}/ folder is missing from this installation")


def theme_dir() -> Path:
    """The default theme's templates and static files."""
    return bundled_dir("templates", "templates")


def sample_content_dir() -> Path:
    """The sample blog the Quickstart builds (``auditor build --sample``)."""
    return bundled_dir("sample_content", "content")

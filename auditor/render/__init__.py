"""The render stage: turn an Audit into a static HTML audit site plus JSON and CSV exports.

The names below load their modules on first use (PEP 562), so importing a light submodule
(``render.groups`` for page keys) does not import Jinja2 and the page code: a rebuild with
nothing to write never needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.render.export import audit_csv, audit_to_json, piece_to_json
    from auditor.render.site import render_site

__all__ = ["audit_csv", "audit_to_json", "piece_to_json", "render_site"]

_HOME = {
    "audit_csv": "auditor.render.export",
    "audit_to_json": "auditor.render.export",
    "piece_to_json": "auditor.render.export",
    "render_site": "auditor.render.site",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'auditor.render' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)

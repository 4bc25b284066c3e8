"""The render stage: turn an Audit into a static HTML audit site plus JSON and CSV exports."""

from auditor.render.export import audit_csv, audit_to_json, piece_to_json
from auditor.render.site import render_site

__all__ = ["audit_csv", "audit_to_json", "piece_to_json", "render_site"]

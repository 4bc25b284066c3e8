"""The piece's function in Lovejoy & Saxton's terms: information, community or action."""

from __future__ import annotations

from auditor.model import Label, Span
from auditor.score.text import Context

COMMUNITY_LISTS = ("thanks", "responsive", "invitation")
ACTION_LISTS = ("action",)
MIN_HITS = 2


def function_label(ctx: Context) -> Label:
    """Action or community when at least two own-voice cues say so, the larger count winning.

    Ties go to community (soliciting responses is the dialogic aim); with fewer than two cues
    of either kind the piece informs.
    """
    action, community = _spans(ctx, ACTION_LISTS), _spans(ctx, COMMUNITY_LISTS)
    if max(len(action), len(community)) < MIN_HITS:
        return Label("information")
    if len(action) > len(community):
        return Label("action", tuple(action))
    return Label("community", tuple(community))


def _spans(ctx: Context, names: tuple[str, ...]) -> list[Span]:
    """Own-voice matches of the named lists, in text order."""
    found = [
        ctx.token_span(m.first, m.last) for n in names for m in ctx.matches.get(n, ()) if m.own
    ]
    return sorted(set(found), key=lambda s: (s.start, s.end))

"""The piece's function in Lovejoy & Saxton's terms: information, community or action."""

from __future__ import annotations

from auditor.model import Label, Span
from auditor.score.text import Context, Hit

COMMUNITY_LISTS = ("thanks", "responsive", "invitation")
ACTION_LISTS = ("action",)
MIN_HITS = 2


def function_label(ctx: Context) -> Label:
    """Action or community when at least two own-voice cues say so, the larger count winning.

    Ties go to community (soliciting responses is the dialogic aim); with fewer than two cues
    of either kind the piece informs.
    """
    action, community = _hits(ctx, ACTION_LISTS), _hits(ctx, COMMUNITY_LISTS)
    if max(len(action), len(community)) < MIN_HITS:
        return Label("information")
    if len(action) > len(community):
        return Label("action", Span.many(action))
    return Label("community", Span.many(community))


def _hits(ctx: Context, names: tuple[str, ...]) -> list[Hit]:
    """The distinct character ranges of own-voice matches of the named lists, in text order.

    Plain tuples until the label is chosen: only the winner's become ``Span`` records.
    """
    starts, ends = ctx.starts, ctx.ends
    return sorted(
        {
            (starts[first], ends[last])
            for n in names
            for first, last, own in ctx.matches.get(n, ())
            if own
        }
    )

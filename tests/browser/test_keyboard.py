"""An editor's path with the keyboard alone: index -> an author's weakest piece -> the sentence.

Only Tab, Shift+Tab and Enter are pressed; each step checks where the focus is, so a missing
focus style, an unreachable control or a broken link fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MAX_TABS = 400


def tab_to(page, selector: str, text: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element matches ``selector`` (and has ``text``), bounded."""
    check = """([s, t]) => {
      const e = document.activeElement;
      return !!e && e.matches(s) && (t === null || e.textContent.trim() === t);
    }"""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(check, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text or ''}")


def focus_is_visible(page) -> bool:  # type: ignore[no-untyped-def]
    """The focused element draws an outline or a box shadow (the visible focus indicator)."""
    return page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
            || s.boxShadow !== "none";
        }"""
    )


def weakest_by_author(out: Path) -> tuple[str, dict]:
    """The author with the most pieces and that author's lowest-scoring piece."""
    pieces = json.loads((out / "audit.json").read_text(encoding="utf-8"))["pieces"]
    authors = [a for p in pieces for a in p["authors"]]
    author = max(sorted(set(authors)), key=authors.count)
    mine = [p for p in pieces if author in p["authors"]]
    return author, min(mine, key=lambda p: (p["scores"]["overall"], p["id"]))


def test_index_to_weakest_piece_to_sentence(page, base_url: str, built_site: Path) -> None:
    author, weakest = weakest_by_author(built_site)
    page.goto(base_url + "index.html")

    tab_to(page, '#pieces a[href*="authors/"]', author)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/authors/*.html")

    tab_to(page, 'th[data-key="overall"] button')
    page.keyboard.press("Enter")
    assert page.locator('th[data-key="overall"]').get_attribute("aria-sort") == "ascending"
    tab_to(page, "tbody tr:not([hidden]) a[href*='pieces/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{weakest['page']}")

    tab_to(page, ".findings-improve .evidence a")
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    focused = page.evaluate(
        "() => [document.activeElement.id, document.activeElement.closest('mark')?.className]"
    )
    assert f"#{focused[0]}" == target
    marked = (focused[1] or "").split()  # the improve finding's words, or words it shares
    assert "hl-improve" in marked or "hl-multi" in marked
    assert focus_is_visible(page)

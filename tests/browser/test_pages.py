"""Every page type in a real browser: no script errors, zero axe violations, keyboard access."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ARTIFACTS, PAGE_TYPES, page_types

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_console_or_page_errors_over_http_and_file(
    page, built_site: Path, base_url: str, kind: str
) -> None:
    rel = page_types(built_site)[kind]
    for root in (base_url, built_site.as_uri() + "/"):
        page.goto(root + rel)
        page.wait_for_load_state("load")
        assert page.problems == [], f"{kind} ({root + rel}): {page.problems}"


@pytest.mark.parametrize(
    ("kind", "scheme"),
    # dark mode changes only colours: check its contrast on the pages with the most of them
    [(kind, "light") for kind in PAGE_TYPES] + [("index", "dark"), ("marked piece", "dark")],
)
def test_axe_finds_no_violations(
    page, built_site: Path, base_url: str, kind: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + page_types(built_site)[kind])
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_tab_reaches_visible_skip_link_first(
    page, built_site: Path, base_url: str, kind: str
) -> None:
    page.goto(base_url + page_types(built_site)[kind])
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
          const el = document.activeElement, box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {cls: el.className, href: el.getAttribute("href"), top: box.top,
                  left: box.left, width: box.width, outline: style.outlineStyle};
        }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["left"] >= 0 and focused["top"] >= 0 and focused["width"] > 0
    assert focused["outline"] != "none", "focus is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_screenshots(page, built_site: Path, base_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pages = page_types(built_site)
    for name, rel in (("index", pages["index"]), ("piece", pages["marked piece"])):
        page.goto(base_url + rel)
        target = ARTIFACTS / f"browser-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000

"""The index table's sorting, filtering and URL state, and the piece page's highlights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import page_types

pytestmark = pytest.mark.browser

ROWS = "#pieces tbody tr:not([hidden])"


def visible_rows(page) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The shown rows of the pieces table as {data-key: data-sort or text}."""
    return page.evaluate(
        """() => {
          const keys = [...document.querySelectorAll("#pieces thead th")]
            .map(th => th.dataset.key);
          return [...document.querySelectorAll("#pieces tbody tr:not([hidden])")].map(tr => {
            const row = {authors: tr.dataset.authors, tags: tr.dataset.tags,
                         source: tr.dataset.source, band: tr.dataset.band, label: tr.dataset.label};
            [...tr.cells].forEach((c, i) => {
              row["col:" + keys[i]] = c.dataset.sort ?? c.textContent.trim();
            });
            return row;
          });
        }"""
    )


def audit(out: Path) -> dict:
    return json.loads((out / "audit.json").read_text(encoding="utf-8"))


def test_sorting_changes_order_and_aria_sort(page, base_url: str) -> None:
    page.goto(base_url + "index.html")
    header = page.locator('#pieces th[data-key="overall"]')
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    scores = [int(r["col:overall"]) for r in visible_rows(page)]
    assert scores == sorted(scores) and len(set(scores)) > 1
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert [int(r["col:overall"]) for r in visible_rows(page)] == sorted(scores, reverse=True)
    title = page.locator('#pieces th[data-key="title"]')
    title.get_by_role("button").click()
    assert title.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    assert page.locator(ROWS).count() == len(scores)


def test_every_filter_narrows_the_table(page, base_url: str, built_site: Path) -> None:
    pieces = audit(built_site)["pieces"]
    target = next(p for p in pieces if p["authors"] and p["tags"])
    checks = {
        "author": (
            target["authors"][0],
            lambda r: target["authors"][0] in json.loads(r["authors"]),
        ),
        "tag": (target["tags"][0], lambda r: target["tags"][0] in json.loads(r["tags"])),
        "source": (target["source"], lambda r: r["source"] == target["source"]),
        "band": ("good", lambda r: r["band"] == "good"),
        "label": (target["label"], lambda r: r["label"] == target["label"]),
    }
    page.goto(base_url + "index.html")
    total = page.locator(ROWS).count()
    for name, (value, ok) in checks.items():
        page.select_option(f'#filters [name="{name}"]', value)
        rows = visible_rows(page)
        assert rows and all(ok(r) for r in rows), name
        assert page.locator("#filter-status").inner_text().startswith(f"{len(rows)} of"), name
        page.select_option(f'#filters [name="{name}"]', "")
    word = target["title"].split()[0]
    page.fill("#filter-q", word.upper())
    rows = visible_rows(page)
    assert rows and all(word.lower() in r["col:title"].lower() for r in rows)
    assert len(rows) < total
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(f"document.querySelectorAll({ROWS!r}).length === {total}")


def test_state_goes_into_the_url_and_comes_back(page, base_url: str, built_site: Path) -> None:
    author = next(p["authors"][0] for p in audit(built_site)["pieces"] if p["authors"])
    page.goto(base_url + "index.html")
    page.select_option("#filter-author", author)
    page.locator('#pieces th[data-key="overall"]').get_by_role("button").click()
    url = page.url
    assert "author=" in url and "sort=overall" in url and "dir=asc" in url
    shown = visible_rows(page)

    page.goto(base_url + "about:blank".replace("about:blank", "rules.html"))
    page.goto(url)
    assert page.input_value("#filter-author") == author
    header = page.locator('#pieces th[data-key="overall"]')
    assert header.get_attribute("aria-sort") == "ascending"
    assert visible_rows(page) == shown


def test_highlight_jumps_to_finding_and_back(page, base_url: str, built_site: Path) -> None:
    page.goto(base_url + page_types(built_site)["marked piece"])
    mark_link = page.locator("#prose mark.hl a[id]").first
    evidence_id = mark_link.get_attribute("id")
    finding = mark_link.get_attribute("href")
    mark_link.click()
    assert page.url.endswith(finding)
    assert page.evaluate("document.querySelector(':target').id") == finding[1:]
    assert page.locator(finding).is_visible()
    back = page.locator(f'{finding} .evidence a[href="#{evidence_id}"]')
    back.click()
    assert page.url.endswith(f"#{evidence_id}")
    number = finding.removeprefix("#f-")
    focused = page.locator("#prose mark.hl-focus")
    assert focused.count() >= 1
    marks = "ms => ms.map(m => m.dataset.evidence || m.querySelector('a').getAttribute('href'))"
    assert all(  # a mark that several spans cover lists them; one span's names its finding
        m == finding or any(e.startswith(f"e-{number}-") for e in m.split())
        for m in focused.evaluate_all(marks)
    )
    assert "focusing" in (page.locator("#prose").get_attribute("class") or "")
    page.get_by_role("button", name="Show all highlights again").click()
    assert page.locator("#prose mark.hl-focus").count() == 0


def test_more_evidence_link_jumps_to_the_first_unlisted_mark(
    page, base_url: str, built_site: Path
) -> None:
    slug = next(
        p.stem
        for p in sorted((built_site / "pieces").glob("*.html"))
        if '<li class="more">And ' in p.read_text(encoding="utf-8")
    )
    page.goto(f"{base_url}pieces/{slug}.html")
    more = page.locator("li.more a").first
    target = more.get_attribute("href")
    number = more.evaluate("a => a.closest('li[data-finding]').dataset.finding")
    assert more.evaluate("a => a.closest('ul.evidence').querySelectorAll('li q').length") == 10
    more.click()
    assert page.url.endswith(target)
    assert page.evaluate("document.querySelector(':target').id") == target[1:]
    marks = "ms => ms.map(m => m.dataset.evidence || m.querySelector('a').getAttribute('href'))"
    focused = page.locator("#prose mark.hl-focus").evaluate_all(marks)
    assert len(focused) > 10
    assert all(m == f"#f-{number}" or f"e-{number}-" in m for m in focused)


def test_hovered_mark_is_titled_with_its_findings(page, base_url: str, built_site: Path) -> None:
    """Marks carry no title in the page; the script gives a hovered one its findings' headings."""
    page.goto(base_url + page_types(built_site)["marked piece"])
    mark = page.locator("#prose mark.hl:not([data-evidence])").first
    assert mark.get_attribute("title") is None
    mark.hover()
    finding = page.locator(mark.locator("a").get_attribute("href") or "")
    heading = finding.locator("h4").evaluate("h => h.firstChild.textContent.trim()")
    status = (
        "To improve" if "finding-improve" in (finding.get_attribute("class") or "") else "Works"
    )
    assert mark.get_attribute("title") == f"{status}: {heading}"


def test_highlight_toggles(page, base_url: str, built_site: Path) -> None:
    page.goto(base_url + page_types(built_site)["marked piece"])
    assert page.locator("#hl-toggles").is_visible()
    works = page.locator("#prose mark.hl-works a").first
    decoration = "el => getComputedStyle(el).textDecorationLine"
    assert works.evaluate(decoration) == "underline"
    page.get_by_role("checkbox", name="what works").uncheck()
    assert works.evaluate(decoration) == "none"
    assert works.is_visible()  # the words stay; only the highlight goes
    page.get_by_role("checkbox", name="to improve").uncheck()
    improve = page.locator("#prose mark.hl-improve").first
    assert improve.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.get_by_role("checkbox", name="what works").check()
    assert works.evaluate(decoration) == "underline"


def test_everything_visible_without_javascript(browser, base_url: str, built_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + page_types(built_site)["reviewed piece"])
        assert page.locator("#hl-toggles").is_hidden()
        assert page.locator("#prose mark.hl").count() > 0
        assert page.get_by_role("heading", name="Dismissed by an editor").is_visible()
        page.goto(base_url + "index.html")
        assert page.locator("#filters").is_hidden()
        assert page.locator("#pieces tbody tr").count() == len(audit(built_site)["pieces"])
    finally:
        context.close()

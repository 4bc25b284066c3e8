"""Run axe-core on EVERY page of a built audit site (the test suite checks one page per type).

    python benchmarks/a11y_sweep.py output/                      # the sample site
    auditor build --content ../shared/corpora/18f-blog -o /tmp/18f && \
        python benchmarks/a11y_sweep.py /tmp/18f --sample 200    # a spread of 200 pages

Prints the pages checked and every violation (rule id, impact, page); exits 1 if any.
Needs Debian's chromium at /usr/bin/chromium and the `[test]` extra (axe-playwright-python).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pages(site: Path, sample: int | None) -> list[Path]:
    """Every HTML page, or an even spread of ``sample`` of them (always every folder's first)."""
    found = sorted(site.rglob("*.html"))
    if not sample or sample >= len(found):
        return found
    step = len(found) / sample
    chosen = {found[int(i * step)] for i in range(sample)}
    chosen |= {min(p for p in found if p.parent == folder) for folder in {p.parent for p in found}}
    return sorted(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--sample", type=int, help="check an even spread of N pages")
    args = parser.parse_args()
    targets = pages(args.site, args.sample)
    axe = Axe()
    problems: Counter[str] = Counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        page = browser.new_page()
        for path in targets:
            page.goto(path.as_uri(), wait_until="load")
            for violation in axe.run(page).response["violations"]:
                key = f"{violation['id']} ({violation['impact']})"
                problems[key] += 1
                print(f"{path.relative_to(args.site)}: {key}: {violation['help']}")
        browser.close()
    print(f"axe: {len(targets)} pages checked, {sum(problems.values())} violations")
    for key, count in sorted(problems.items()):
        print(f"  {count:5d}  {key}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

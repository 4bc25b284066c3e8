"""Incremental rebuilds: what the cache reuses, what invalidates it, and damaged caches."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.build import BuildReport, build
from auditor.cache import DIR_NAME, FORMAT, PARTS, RESULTS, ROWS, STATUS
from auditor.config import load_config
from tests.test_parallel import tree, write_site


def run(site: Path, **kwargs: object) -> BuildReport:
    """Build ``site`` into its output folder, with the cache unless told otherwise."""
    return build(load_config(site), jobs=1, **kwargs)  # type: ignore[arg-type]


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime of every piece page: unchanged when a page was not rewritten."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (folder / "pieces").iterdir()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = write_site(tmp_path / "site")
    first = run(site)
    assert first.files_read == 6 and first.pages_linked == 0
    return site


def test_rebuild_with_nothing_changed_rewrites_no_piece_page(site: Path, tmp_path: Path) -> None:
    before = inodes(site / "output")
    again = run(site)
    assert again.files_read == 0
    assert again.pages_rendered == 0 and again.pages_linked == 6
    assert inodes(site / "output") == before
    cold = shutil.copytree(site, tmp_path / "cold", ignore=shutil.ignore_patterns(DIR_NAME))
    shutil.rmtree(cold / "output")
    run(cold, use_cache=False)
    assert tree(site / "output") == tree(cold / "output")


def test_changed_content_is_read_again(site: Path) -> None:
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text() + "\nOne more question for you?\n", encoding="utf-8")
    again = run(site)
    assert again.files_read == 1
    assert again.pages_rendered == 1
    audit = json.loads((site / "output" / "audit.json").read_text())
    assert len(audit["pieces"]) == 6


def test_touched_but_identical_content_is_confirmed_by_hash(site: Path) -> None:
    post = site / "content" / "posts" / "post-2.md"
    os.utime(post, ns=(1, 1))
    again = run(site)
    assert again.files_read == 0 and again.pages_rendered == 0


def test_new_title_rerenders_the_neighbours(site: Path) -> None:
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text().replace("title: Post 3", "title: Renamed"), encoding="utf-8")
    again = run(site)
    assert again.files_read == 1
    assert 2 <= again.pages_rendered <= 3


def test_rule_weights_invalidate_every_result(site: Path) -> None:
    toml = site / "auditor.toml"
    toml.write_text(toml.read_text() + "[scoring.weights]\ncommunity = 3.0\n", encoding="utf-8")
    again = run(site)
    assert again.files_read == 6 and again.pages_rendered == 6


def test_templates_invalidate_pages_but_not_results(site: Path) -> None:
    templates = site / "templates"
    templates.mkdir()
    (templates / "extra.html").write_text("{# a user template #}\n", encoding="utf-8")
    again = run(site)
    assert again.files_read == 0 and again.pages_rendered == 6


def test_no_cache_forces_a_full_build(site: Path) -> None:
    again = run(site, use_cache=False)
    assert again.files_read == 6 and again.pages_rendered == 6


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: (c / RESULTS).write_bytes(os.urandom(512)),
        lambda c: (c / RESULTS).write_bytes((c / RESULTS).read_bytes()[:100]),
        lambda c: (c / STATUS).write_bytes(b"\x00garbage{"),
        lambda c: (c / STATUS).write_text(
            json.dumps({**json.loads((c / STATUS).read_text()), "format": FORMAT + 997})
        ),
        lambda c: (c / STATUS).write_text(
            json.dumps({**json.loads((c / STATUS).read_text()), "files": {"x": [1, 2, "3"]}})
        ),
    ],
    ids=["garbage", "truncated", "bad-status", "wrong-version", "mismatched"],
)
def test_damaged_cache_is_discarded_with_a_warning(
    site: Path, tmp_path: Path, damage, caplog: pytest.LogCaptureFixture
) -> None:
    expected = tree(site / "output")
    damage(site / DIR_NAME)
    with caplog.at_level(logging.INFO, logger="auditor"):
        again = run(site)
    assert again.files_read == 6
    assert "cache" in caplog.text
    assert tree(site / "output") == expected


def test_cache_stays_out_of_git_and_output(site: Path) -> None:
    cache = site / DIR_NAME
    assert (cache / ".gitignore").read_text() == "*\n"
    assert not any(p.name == DIR_NAME for p in (site / "output").rglob("*"))


def test_other_output_folder_renders_every_page(site: Path) -> None:
    config = replace(load_config(site), output=site / "elsewhere")
    again = build(config, jobs=1)
    assert again.files_read == 0 and again.pages_rendered == 6


def test_unchanged_site_is_left_as_it_is(site: Path, tmp_path: Path) -> None:
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (site / "output").rglob("*")}
    status = (site / DIR_NAME / STATUS).stat().st_mtime_ns
    again = run(site)
    assert (site / DIR_NAME / STATUS).stat().st_mtime_ns == status  # nothing new to remember
    assert again.files_read == 0 and again.pages_rendered == 0
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (site / "output").rglob("*")}
    assert after == before  # not one file written, not even index.html or audit.json


def test_a_missing_site_file_makes_the_site_written_again(site: Path) -> None:
    expected = tree(site / "output")
    (site / "output" / "tags" / "index.html").unlink()
    again = run(site)
    assert again.files_read == 0 and again.pages_rendered == 0
    assert tree(site / "output") == expected


def test_a_new_review_rewrites_the_site_from_cached_parts(site: Path, tmp_path: Path) -> None:
    from auditor.build import collect
    from auditor.reviews import REVIEWS_NAME, find_finding, review_entry

    audit = collect(load_config(site), jobs=1)
    result = audit.results[0]
    finding = find_finding(result, result.findings[0].rule)
    entry = review_entry(result, finding, "dismiss", "Fine here.")
    (site / REVIEWS_NAME).write_text(entry, encoding="utf-8")
    again = run(site)
    assert again.files_read == 0 and again.pages_rendered >= 1
    cold = shutil.copytree(site, tmp_path / "cold", ignore=shutil.ignore_patterns(DIR_NAME))
    shutil.rmtree(cold / "output")
    run(cold, use_cache=False)
    assert tree(site / "output") == tree(cold / "output")
    assert "Fine here." in (site / "output" / "audit.json").read_text()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.unlink(),
        lambda p: p.write_bytes(p.read_bytes()[:100]),
        lambda p: p.write_bytes(p.read_bytes() + b"\0"),
    ],
    ids=["missing", "truncated", "grown"],
)
def test_a_damaged_parts_file_makes_its_file_read_again(site: Path, damage) -> None:
    expected = tree(site / "output")
    parts = sorted((site / DIR_NAME / PARTS).iterdir())
    assert len(parts) == 6
    damage(parts[2])
    shutil.rmtree(site / "output" / "pieces")  # every page needs its parts again
    again = run(site)
    assert again.files_read == 1
    assert tree(site / "output") == expected


def test_parts_of_changed_files_are_dropped(site: Path) -> None:
    before = {p.name for p in (site / DIR_NAME / PARTS).iterdir()}
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text() + "\nAnd you?\n", encoding="utf-8")
    run(site)
    after = {p.name for p in (site / DIR_NAME / PARTS).iterdir()}
    assert len(after) == 6 and len(after - before) == 1


def test_cached_table_rows_follow_a_new_row_template(site: Path) -> None:
    templates = site / "templates"
    templates.mkdir()
    theme_row = (Path(__file__).parents[1] / "templates" / "_row.html").read_text()
    (templates / "_row.html").write_text(theme_row.replace("<tr ", '<tr class="mine" '))
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text() + "\nAnd you?\n", encoding="utf-8")
    run(site)
    index = (site / "output" / "index.html").read_text()
    assert index.count('<tr class="mine" ') == 6


def test_compiled_templates_are_kept_and_never_served_stale(site: Path) -> None:
    """Jinja2's compiled templates live in the cache; editing a template in place between two
    builds (same name, same folder) shows the edit, not the compiled old version."""
    assert any((site / DIR_NAME / "templates").iterdir())
    templates = site / "templates"
    templates.mkdir()
    theme_row = (Path(__file__).parents[1] / "templates" / "_row.html").read_text()
    row = templates / "_row.html"
    row.write_text(theme_row.replace("<tr ", '<tr class="first" '))
    run(site)
    row.write_text(theme_row.replace("<tr ", '<tr class="second" '))
    run(site)
    index = (site / "output" / "index.html").read_text()
    assert index.count('<tr class="second" ') == 6 and 'class="first"' not in index


def assert_discarded_with_a_warning(site: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A rebuild over a damaged cache warns, reads every file again and writes the same site."""
    expected = tree(site / "output")
    with caplog.at_level(logging.INFO, logger="auditor"):
        again = run(site)
    assert again.files_read == 6 and "cache" in caplog.text
    assert tree(site / "output") == expected


def test_damaged_rows_are_discarded_with_a_warning(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (site / DIR_NAME / ROWS).write_bytes(b"garbage")
    assert_discarded_with_a_warning(site, caplog)


def cold_audit_json(site: Path, tmp_path: Path) -> bytes:
    """audit.json of a build of the same site without any cache, into a fresh folder."""
    cold = shutil.copytree(site, tmp_path / "cold", ignore=shutil.ignore_patterns(DIR_NAME))
    shutil.rmtree(cold / "output")
    run(cold, use_cache=False)
    return (cold / "output" / "audit.json").read_bytes()


def count_encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Slugs of the pieces whose JSON is encoded (not copied) from now on."""
    from auditor.render import export

    encoded: list[str] = []
    real = export.piece_json

    def counting(result, heavy=None):  # type: ignore[no-untyped-def]
        encoded.append(result.doc.slug)
        return real(result, heavy)

    monkeypatch.setattr(export, "piece_json", counting)
    return encoded


def test_one_changed_post_copies_the_other_pieces_json(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text() + "\nOne more question for you?\n", encoding="utf-8")
    encoded = count_encoded(monkeypatch)
    again = run(site)
    assert again.files_read == 1
    assert len(encoded) == 1  # the changed piece; the other five are copied from the old file
    assert (site / "output" / "audit.json").read_bytes() == cold_audit_json(site, tmp_path)


def test_an_edited_audit_json_is_not_copied_from(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = site / "output" / "audit.json"
    old.write_bytes(b" " * old.stat().st_size)  # same size, other bytes and mtime
    post = site / "content" / "posts" / "post-3.md"
    post.write_text(post.read_text() + "\nOne more question for you?\n", encoding="utf-8")
    encoded = count_encoded(monkeypatch)
    run(site)
    assert len(encoded) == 6
    assert (site / "output" / "audit.json").read_bytes() == cold_audit_json(site, tmp_path)


def test_a_damaged_audit_json_record_discards_the_cache(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    status = json.loads((site / DIR_NAME / STATUS).read_text())
    status["site"]["json"]["pieces"] = {"x": [5, 1, "key"]}
    (site / DIR_NAME / STATUS).write_text(json.dumps(status))
    assert_discarded_with_a_warning(site, caplog)


def test_the_cache_key_covers_the_scoring_data_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key needs no built model: weights.toml and lexicons.toml are hashed as they are."""
    from auditor.cache import tool_version

    before = tool_version()
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# weight changed\n" if path.name == "weights.toml" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert tool_version() != before


GROUPED = """---
title: Post {n}
date: 2024-0{month}-10
authors: [{author}]
tags: [{tag}]
---
Have you ever wondered why builds are slow? I asked a few of you, and you told me.
Thanks to Ada for the idea; we are still learning, and your replies keep us honest. {filler}
"""


@pytest.fixture
def grouped(tmp_path: Path) -> Path:
    """Six posts by two authors under three tags over three months, built once."""
    site = tmp_path / "grouped"
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    for n in range(6):
        author, tag = ("Ann", "Bob")[n % 2], ("alpha", "beta", "gamma")[n % 3]
        text = GROUPED.format(n=n, month=n % 3 + 1, author=author, tag=tag, filler="Yes. " * n)
        (posts / f"post-{n}.md").write_text(text, encoding="utf-8")
    (site / "auditor.toml").write_text('title = "Grouped"\n', encoding="utf-8")
    run(site)
    return site


def table_pages(site: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime of every page but piece pages: unchanged when a page was kept."""
    out = site / "output"
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.rglob("*.html")
        if p.parent.name != "pieces"
    }


def edit(site: Path, name: str, old: str, new: str) -> None:
    post = site / "content" / "posts" / name
    post.write_text(post.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def kept_after_edit(
    site: Path, name: str, old: str, new: str
) -> tuple[set[str], dict[str, tuple[int, int]]]:
    """Edit one post and rebuild: the table pages kept (same inode and mtime) and every table
    page after the build."""
    before = table_pages(site)
    edit(site, name, old, new)
    run(site)
    after = table_pages(site)
    return {rel for rel in before if after.get(rel) == before[rel]}, after


def assert_same_as_cold(site: Path, tmp_path: Path) -> None:
    cold = shutil.copytree(site, tmp_path / "cold", ignore=shutil.ignore_patterns(DIR_NAME))
    shutil.rmtree(cold / "output")
    run(cold, use_cache=False)
    assert tree(site / "output") == tree(cold / "output")


def test_a_new_author_rewrites_exactly_the_pages_that_show_the_post(
    grouped: Path, tmp_path: Path
) -> None:
    # post 3: alpha, January
    kept, after = kept_after_edit(grouped, "post-3.md", "authors: [Bob]", "authors: [Cy]")
    unshown = {"authors/ann.html", "tags/beta.html", "tags/gamma.html"}
    assert kept == unshown | {"months/2024-02.html", "months/2024-03.html"}
    assert "authors/cy.html" in after
    assert_same_as_cold(grouped, tmp_path)


def test_a_new_tag_rewrites_the_old_and_new_tag_pages_and_keeps_the_others(
    grouped: Path, tmp_path: Path
) -> None:
    # post 4: Ann, February
    kept, _after = kept_after_edit(grouped, "post-4.md", "tags: [beta]", "tags: [gamma]")
    unshown = {"authors/bob.html", "tags/alpha.html"}
    assert kept == unshown | {"months/2024-01.html", "months/2024-03.html"}
    assert_same_as_cold(grouped, tmp_path)


def test_list_pages_compute_the_medians_of_changed_groups_only(
    grouped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import auditor.render.site as site_module

    counted: list[str] = []

    def counting(group, cols, scores):  # type: ignore[no-untyped-def]
        counted.append(group.href)
        return group_medians(group, cols, scores)

    group_medians = site_module.group_medians
    monkeypatch.setattr(site_module, "group_medians", counting)
    edit(grouped, "post-3.md", "authors: [Bob]", "authors: [Cy]")  # alpha, January
    run(grouped)
    changed = {"authors/bob.html", "authors/cy.html", "tags/alpha.html", "months/2024-01.html"}
    assert sorted(counted) == sorted(changed | {"sources/content.html"})
    monkeypatch.undo()
    assert_same_as_cold(grouped, tmp_path)


def test_damaged_medians_in_the_cache_are_computed_again(grouped: Path, tmp_path: Path) -> None:
    status = json.loads((grouped / DIR_NAME / STATUS).read_text())
    tables = status["site"]["tables"]
    kept = [name for name in tables if name.startswith("=")]
    assert "=tags/beta.html" in kept  # each group's medians are kept with its rows' hash
    for name in kept:
        digest = tables[name].partition(":")[0]
        tables[name] = f"{digest}:{'9,' * 40}x"
    (grouped / DIR_NAME / STATUS).write_text(json.dumps(status))
    edit(grouped, "post-3.md", "authors: [Bob]", "authors: [Cy]")  # every list page renders
    run(grouped)
    assert_same_as_cold(grouped, tmp_path)


def test_an_unchanged_group_page_damaged_in_the_output_is_rendered_again(
    grouped: Path, tmp_path: Path
) -> None:
    (grouped / "output" / "tags" / "alpha.html").unlink()
    edit(grouped, "post-3.md", "authors: [Bob]", "authors: [Cy]")
    run(grouped)
    assert_same_as_cold(grouped, tmp_path)


def test_a_damaged_table_pages_record_discards_the_cache(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    status = json.loads((site / DIR_NAME / STATUS).read_text())
    assert status["site"]["tables"]["index.html"]  # every table page is recorded with its key
    status["site"]["tables"] = {"index.html": 5}
    (site / DIR_NAME / STATUS).write_text(json.dumps(status))
    assert_discarded_with_a_warning(site, caplog)


@pytest.mark.parametrize("changed", [1, 3])
def test_a_few_changed_posts_scored_aside_give_the_cold_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: int
) -> None:
    """With two jobs, a few changed files are scored by one child while the parent loads the
    cached results; the site is the one a cold build writes."""
    from auditor import gather

    started = []
    real = gather._score_aside

    def aside(*args: object) -> object:
        future = real(*args)  # type: ignore[arg-type]
        started.append(future is not None)
        return future

    monkeypatch.setattr(gather, "_score_aside", aside)
    for n in range(changed):
        edit(site, f"post-{n}.md", "Let me know", "Tell me")
    again = build(load_config(site), jobs=2)
    assert again.files_read == changed and started == [sys.platform.startswith("linux")]
    assert_same_as_cold(site, tmp_path)


def test_evidence_listed_invalidates_pages_and_parts(site: Path, tmp_path: Path) -> None:
    toml = site / "auditor.toml"
    toml.write_text(toml.read_text() + "evidence_listed = 1\n", encoding="utf-8")
    again = run(site)
    assert again.files_read == 6 and again.pages_rendered == 6
    page = (site / "output" / "pieces" / "post-0.html").read_text(encoding="utf-8")
    assert '<li class="more">' in page
    edit(site, "post-3.md", "Let me know", "Tell me")
    assert run(site).files_read == 1
    assert_same_as_cold(site, tmp_path)


def test_a_rebuild_links_unchanged_pages_from_a_child_and_leaves_no_old_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``LINK_ASIDE_MIN`` unchanged pages, a forked child links them while the parent
    renders; the old site is removed in a child process before the build returns."""
    from auditor import publish

    monkeypatch.setattr(publish, "LINK_ASIDE_MIN", 1)
    before = inodes(site / "output")
    edit(site, "post-3.md", "Let me know", "Tell me")
    again = build(load_config(site), jobs=2)
    after = inodes(site / "output")
    assert again.pages_linked == 5 and again.pages_rendered == 1
    assert sum(after[n] == before[n] for n in before) == 5  # the same files: hard links
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".output")) == []
    assert_same_as_cold(site, tmp_path)


def test_a_failed_build_ends_its_linking_child_and_keeps_the_old_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor import publish
    from auditor.render import site as site_module

    monkeypatch.setattr(publish, "LINK_ASIDE_MIN", 1)
    before = tree(site / "output")

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site_module._Site, "exports", broken)
    edit(site, "post-3.md", "Let me know", "Tell me")
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(load_config(site), jobs=2)
    assert tree(site / "output") == before
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".output")) == []
    assert multiprocessing.active_children() == []


def test_nothing_changed_stops_the_model_child(site: Path) -> None:
    """A rebuild with two jobs forks a child to build the model while it scans; with
    nothing to score, the child is ended (never left running)."""
    again = build(load_config(site), jobs=2)
    assert again.files_read == 0 and multiprocessing.active_children() == []


def test_a_model_child_that_dies_leaves_the_scoring_to_the_parent(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor import gather

    def dies(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(gather, "_aside_main", dies)
    edit(site, "post-3.md", "Let me know", "Tell me")
    again = build(load_config(site), jobs=2)
    assert again.files_read == 1 and multiprocessing.active_children() == []
    assert_same_as_cold(site, tmp_path)


@pytest.mark.parametrize(("written", "warned"), [(FORMAT - 1, False), ("seven", True)])
def test_cache_of_another_version_is_rebuilt_without_alarm(
    site: Path, written: object, warned: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """An upgrade leaves a cache of an older format: not damage, so no warning; a format that
    is not a number is damage."""
    expected = tree(site / "output")
    status = site / DIR_NAME / STATUS
    status.write_text(json.dumps({**json.loads(status.read_text()), "format": written}))
    with caplog.at_level(logging.INFO, logger="auditor"):
        again = run(site)
    assert again.files_read == 6 and tree(site / "output") == expected
    assert any(r.levelno == logging.WARNING for r in caplog.records) == warned
    assert ("another auditor version" in caplog.text) != warned

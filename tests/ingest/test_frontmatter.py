"""Front matter in every supported format, its errors, and the metadata normaliser."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.errors import InputError
from auditor.ingest.frontmatter import normalise_meta, split_front_matter

BODY = "Hello there.\n"


@pytest.mark.parametrize(
    ("raw", "start"),
    [
        ("---\ntitle: Hi\ntags: [a, b]\n---\nHello there.\n", 5),
        ('+++\ntitle = "Hi"\ntags = ["a", "b"]\n+++\nHello there.\n', 5),
        ('{\n  "title": "Hi",\n  "tags": ["a", "b"]\n}\nHello there.\n', 5),
        ("Title: Hi\nTags: a, b\n\nHello there.\n", 4),
    ],
    ids=["yaml", "toml", "json", "pelican"],
)
def test_each_format_gives_meta_body_and_start_line(raw: str, start: int) -> None:
    meta, body, line = split_front_matter(raw, "post.md")
    assert meta == {"title": "Hi", "tags": ["a", "b"]}
    assert body == BODY
    assert line == start
    assert raw.split("\n")[line - 1] == "Hello there."


def test_no_front_matter() -> None:
    text = "Note: a colon.\n\nMore."
    assert split_front_matter(text, "p.md") == ({}, text, 1)
    assert split_front_matter("{% include x %}\nHi", "p.md")[0] == {}


def test_bom_and_crlf_are_normalised() -> None:
    meta, body, line = split_front_matter("\ufeff---\r\ntitle: Hi\r\n---\r\nA\r\nB\r", "p.md")
    assert (meta, body, line) == ({"title": "Hi"}, "A\nB\n", 4)


def test_empty_yaml_is_an_empty_mapping() -> None:
    assert split_front_matter("---\n---\nBody", "p.md") == ({}, "Body", 3)


def test_tab_in_yaml_front_matter_is_accepted() -> None:
    meta, _, _ = split_front_matter("---\ntags:\n - melody\t\t\n---\nBody", "p.md")
    assert meta == {"tags": ["melody"]}


def test_python_tags_are_errors_and_never_run(tmp_path) -> None:
    marker = tmp_path / "ran"
    raw = f"---\ntitle: x\nboom: !!python/object/apply:os.system ['touch {marker}']\n---\nBody"
    with pytest.raises(InputError) as caught:
        split_front_matter(raw, "evil.md")
    assert caught.value.line == 3
    assert not marker.exists()


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("---\ntitle: ok\nbad: [unclosed\n---\nBody", 4),
        ('+++\ntitle = "ok"\nbad = \n+++\nBody', 3),
        ('{\n  "title": "ok",\n  "bad": \n}\nBody', 4),
        ("---\n- a list\n---\nBody", 2),
        ("---\ntitle: never closed\nBody", 1),
    ],
    ids=["yaml", "toml", "json", "not-mapping", "unclosed"],
)
def test_broken_front_matter_is_an_input_error_with_its_line(raw: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        split_front_matter(raw, "post.md")
    assert caught.value.path == "post.md"
    assert caught.value.line == line


def test_pelican_keys_are_lowercased_and_lists_split() -> None:
    raw = "Title: Hi\nDate: 2020-01-02 10:20\nCategory: News, Local\nStatus: draft\n\nBody"
    meta, _, _ = split_front_matter(raw, "p.md")
    assert meta["category"] == ["News", "Local"]
    normalised = normalise_meta(meta)
    assert normalised.draft is True
    assert normalised.date == "2020-01-02T10:20:00"
    assert normalised.tags == ("News", "Local")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2020, 1, 2), "2020-01-02"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "2020-01-02T03:04:05"),
        ("2014-03-19T10:14:29-04:00", "2014-03-19T10:14:29"),
        ("2014-03-19 10:14:29 -0400", "2014-03-19T10:14:29"),
        ("Wed, 02 Oct 2002 13:00:00 GMT", "2002-10-02T13:00:00"),
        ("2020-13-45", None),
        ("yesterday", None),
        (["2020-01-01"], None),
    ],
)
def test_dates_are_normalised(value: object, expected: str | None) -> None:
    assert normalise_meta({"date": value}).date == expected


def test_date_fallbacks() -> None:
    assert normalise_meta({"pubDate": "2021-05-06"}).date == "2021-05-06"
    assert normalise_meta({"published": "2021-05-07"}).date == "2021-05-07"
    assert normalise_meta({}, "2019-02-03-hello.md").date == "2019-02-03"
    assert normalise_meta({"date": "2022-01-01"}, "2019-02-03-hello.md").date == "2022-01-01"


@pytest.mark.parametrize(
    ("meta", "authors"),
    [
        ({"author": "Jane Doe, PhD"}, ("Jane Doe, PhD",)),
        ({"authors": ["a", "b"]}, ("a", "b")),
        ({"authors": [{"name": "A"}, {"name": "B"}, {"x": 1}]}, ("A", "B")),
        ({"authors": "A, B"}, ("A", "B")),
        ({"author": {"name": "Solo"}}, ("Solo",)),
        ({"authors": 18}, ("18",)),
        ({"author": ["x", ["nested"]]}, ("x",)),
    ],
)
def test_author_shapes(meta: dict, authors: tuple[str, ...]) -> None:
    assert normalise_meta(meta).authors == authors


def test_tags_merge_and_deduplicate_in_order() -> None:
    meta = {"tags": ["News", "Civic"], "categories": "civic, Events", "keywords": ["news", 7]}
    assert normalise_meta(meta).tags == ("News", "Civic", "Events", "7")


@pytest.mark.parametrize(
    ("meta", "draft"),
    [
        ({"draft": True}, True),
        ({"draft": "yes"}, True),
        ({"draft": False}, False),
        ({"published": False}, True),
        ({"published": "2020-01-01"}, False),
        ({"status": "Draft"}, True),
        ({"status": "published"}, False),
        ({}, False),
    ],
)
def test_draft_flags(meta: dict, draft: bool) -> None:
    assert normalise_meta(meta).draft is draft


def test_other_keys_and_suppressions() -> None:
    meta = normalise_meta(
        {
            "Title": 2024,
            "slug": "my-slug",
            "excerpt": " A  short\nsummary ",
            "permalink": "/p/",
            "auditor_ignore": "dialogue.you, tone.hype",
            "auditor": {"ignore": ["dialogue.you", "x.y"]},
        }
    )
    assert meta.title == "2024"
    assert meta.slug == "my-slug"
    assert meta.summary == "A short summary"
    assert meta.url == "/p/"
    assert meta.suppress == ("dialogue.you", "tone.hype", "x.y")


def test_wrong_types_never_crash() -> None:
    meta = normalise_meta(
        {
            "title": {"a": 1},
            "tags": {"x": 1},
            "date": 5,
            "draft": [1],
            "auditor": "nope",
            "author": None,
            3: "int key",
        }
    )
    found = (meta.title, meta.tags, meta.date, meta.draft, meta.suppress)
    assert found == (None, (), None, False, ())


def test_yaml_alias_bomb_is_not_expanded() -> None:
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(20)
    ]
    lines += ["tags: *u", "title: *u", "---", "Body"]
    meta, _, _ = split_front_matter("\n".join(lines), "bomb.md")
    normalised = normalise_meta(meta)
    assert normalised.title is None

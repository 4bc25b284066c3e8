"""The prose extractor: only prose reaches the text, and every span points at the right words."""

from __future__ import annotations

import time

import pytest

from auditor.ingest.text import (
    ProseParser,
    collect,
    extract,
    is_external,
    safe_href,
    strip_template_tags,
)


def spans_inside(result) -> None:
    for item in (*result.blocks, *result.links):
        assert 0 <= item.start <= item.end <= len(result.text)


def test_code_script_style_nav_and_chrome_never_reach_text() -> None:
    html = (
        "<html><head><title>Head title</title><style>p{color:red}</style></head><body>"
        "<nav>Menu item</nav><header>Site banner</header>"
        "<p>Run <code>rm -rf</code> now.</p><pre>pre block</pre><script>var x = 1;</script>"
        "<noscript>enable js</noscript><svg><text>svg words</text></svg><form>Search"
        "<button>Go</button></form><!-- a comment --><footer>Copyright</footer></body></html>"
    )
    result = extract(html)
    assert result.text == "Run now."
    for hidden in (
        "rm -rf",
        "pre block",
        "var x",
        "Menu",
        "banner",
        "Copyright",
        "comment",
        "Head title",
        "color",
        "enable js",
        "svg words",
        "Search",
        "Go",
    ):
        assert hidden not in result.text


def test_main_or_article_is_preferred_over_the_rest_of_the_body() -> None:
    html = "<div>Sidebar words</div><article><h1>Post</h1><p>Body words.</p></article>"
    result = extract(html)
    assert result.text == "Post\n\nBody words."
    assert [b.kind for b in result.blocks] == ["heading", "paragraph"]


def test_header_inside_article_keeps_the_piece_heading() -> None:
    result = extract("<header>Site</header><article><header><h1>Own title</h1></header></article>")
    assert result.text == "Own title"


def test_block_kinds_quotes_and_whitespace() -> None:
    html = (
        "<h2>Title &amp; more</h2><p>One\n   two<br>three</p><ul><li>first<li><p>second</p></ul>"
        "<blockquote><p>Their words.</p></blockquote><table><tr><td>c1<td>c2</table>Loose text"
    )
    result = extract(html)
    assert result.text.split("\n\n") == [
        "Title & more",
        "One two three",
        "first",
        "second",
        "Their words.",
        "c1",
        "c2",
        "Loose text",
    ]
    kinds = [(b.kind, b.quoted) for b in result.blocks]
    assert kinds == [
        ("heading", False),
        ("paragraph", False),
        ("item", False),
        ("item", False),
        ("quote", True),
        ("cell", False),
        ("cell", False),
        ("paragraph", False),
    ]
    for block in result.blocks:
        assert result.text[block.start : block.end] == result.text[block.start : block.end].strip()
    spans_inside(result)


def test_bare_urls_and_template_tags_are_removed() -> None:
    html = "<p>See https://example.com/page, or www.example.org now {{ site.url }} {% raw %}ok</p>"
    assert extract(html).text == "See, or now ok"


@pytest.mark.parametrize(
    "tag",
    [
        "{{ x }}",
        "{% if a %}",
        "{{< figure src='a.png' caption=\"Hi\" >}}",
        "{{% note %}}",
        "{# comment #}",
    ],
)
def test_each_template_tag_form_is_stripped(tag: str) -> None:
    assert strip_template_tags(f"a {tag} b") == "a  b"


def test_unclosed_or_blank_line_spanning_tags_are_kept() -> None:
    text = "a {{ never closed\n\nb }} c {% x"
    assert strip_template_tags(text) == text


def test_links_record_anchor_spans() -> None:
    html = (
        '<p>Read <a href="https://other.org/x">their guide</a> and '
        '<a href="/about"> our page </a>.</p><p><a href="https://me.org/y">own site</a></p>'
    )
    result = extract(html, site_url="https://www.me.org/")
    anchors = [(ln.href, result.text[ln.start : ln.end], ln.external) for ln in result.links]
    assert anchors == [
        ("https://other.org/x", "their guide", True),
        ("/about", "our page", False),
        ("https://me.org/y", "own site", False),
    ]
    spans_inside(result)


def test_url_anchor_text_is_removed_but_the_link_kept_with_an_empty_span() -> None:
    result = extract('<p>Go to <a href="https://x.org">https://x.org</a> today</p>')
    assert result.text == "Go to today"
    (link,) = result.links
    assert link.start == link.end and link.href == "https://x.org"


def test_links_without_text_are_skipped() -> None:
    assert extract('<p>Text <a href="/x"><img src="a.png"></a></p>').links == ()


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVa\tScRiPt:alert(1)",
        "vbscript:x",
        "data:text/html,hi",
        "java\x00script:alert(1)",
    ],
)
def test_dangerous_hrefs_are_dropped(href: str) -> None:
    assert safe_href(href) is None
    assert extract(f'<p><a href="{href}">click</a></p>').links == ()


def test_safe_hrefs_are_kept() -> None:
    assert safe_href("mailto:a@b.org") == "mailto:a@b.org"
    assert safe_href("../post.html#top") == "../post.html#top"
    assert is_external("//cdn.other.org/x", "https://me.org") is True
    assert is_external("mailto:a@b.org", None) is False
    assert is_external("https://a.org", None) is True


def test_deep_nesting_is_bounded_and_text_still_counts() -> None:
    result = extract("<div>" * 5000 + "deep words" + "</div>" * 5000)
    assert result.text == "deep words"


def _seconds(html: str) -> float:
    """CPU seconds (best of three), so a busy machine does not look like a quadratic parser."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        spans_inside(extract(html))
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "unit",
    ["<a href=x>y", "{{", "{{<", "<", "<p>word ", "<span><li>x", "<code>", "{{" * 50 + "\n\n}}"],
)
def test_hostile_input_takes_linear_time(unit: str) -> None:
    """Four times the input may take about four times as long, never sixteen (quadratic)."""
    count = 40_000 // len(unit)
    small = _seconds(unit * count)
    large = _seconds(unit * count * 4)
    assert large < 10 * small + 0.05


@pytest.mark.parametrize(
    "before", ["", "<blockquote>", "<p><a href='/x'>open<b>", "<div>" * 300, "<nav>", "<li>"]
)
@pytest.mark.parametrize(
    "tag, data", [("p", " a  b "), ("li", ""), ("h2", "\n"), ("td", "x\x0by"), ("dd", "w")]
)
def test_leaf_does_what_its_three_events_do(before: str, tag: str, data: str) -> None:
    """The tree walker's one call for a text-only block equals its start, data and end."""
    one, three = ProseParser(), ProseParser()
    for parser in (one, three):
        parser.feed(before)
    one.leaf(tag, data)
    three.handle_starttag(tag, [])
    three.handle_data(data)
    three.handle_endtag(tag)
    assert one.stack == three.stack
    one.close()
    three.close()
    assert collect(one, None) == collect(three, None)

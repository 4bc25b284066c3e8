"""RSS and Atom feeds: entry fields, broken feeds, fetching through a replaceable function."""

from __future__ import annotations

from pathlib import Path

from auditor.ingest.feeds import read_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Town blog</title>
<link>https://town.org/</link>
<item><title>Park cleanup</title><link>https://town.org/park</link><guid>park-1</guid>
<dc:creator>Lee</dc:creator><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<category>events</category><category>parks</category>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>Join us <a href="https://town.org/signup">here</a>.</p>
<pre>code</pre><script>x()</script>]]></content:encoded></item>
<item><link>https://town.org/notitle</link><description>Only a summary here.</description></item>
<item><title>Empty</title><guid>empty-1</guid><description><![CDATA[<pre>x</pre>]]></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom site</title>
<entry><title>First</title><id>urn:1</id><link href="https://a.org/1"/>
<updated>2025-01-02T03:04:05Z</updated><author><name>Ana</name></author>
<author><name>Bo</name></author><category term="news"/>
<content type="html">&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;.&lt;/p&gt;</content></entry>
<entry><title>Plain</title><id>urn:2</id><content type="text">a &lt; b and c</content></entry>
</feed>"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    docs, skipped = read_feed(str(path), site_url="https://town.org")
    first, second = docs
    assert first.id == f"{path}#park-1"
    assert (first.title, first.url, first.authors, first.tags, first.date) == (
        "Park cleanup",
        "https://town.org/park",
        ("Lee",),
        ("events", "parks"),
        "2026-03-03T10:00:00",
    )
    assert (first.source, first.source_kind, first.path) == ("Town blog", "feed", str(path))
    assert first.text == "Join us here."
    assert first.summary == "Short summary."
    assert first.links[0].external is False
    assert second.title == "(untitled)"
    assert second.id == f"{path}#https://town.org/notitle"
    assert second.text == "Only a summary here."
    (empty,) = [s for s in skipped if not s.warning]
    assert "Empty" in empty.reason and "Town blog" in empty.reason
    gaps = sorted(s.reason for s in skipped if s.warning)
    assert gaps == [
        "1 entry of feed 'Town blog' has no date ('https://town.org/notitle'); kept without",
        "1 entry of feed 'Town blog' has no title ('https://town.org/notitle'); kept without",
    ]


def test_atom_entries_fetched_through_the_given_function() -> None:
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return ATOM.encode()

    docs, skipped = read_feed("https://a.org/feed.atom", fetch=fetch)
    assert asked == ["https://a.org/feed.atom"]
    assert [(s.warning, s.reason) for s in skipped] == [
        (True, "1 entry of feed 'Atom site' has no date ('Plain'); kept without"),
    ]
    first, plain = docs
    assert (first.title, first.authors, first.tags, first.date, first.text) == (
        "First",
        ("Ana", "Bo"),
        ("news",),
        "2025-01-02T03:04:05",
        "Hello world.",
    )
    assert first.id == "https://a.org/feed.atom#urn:1"
    assert plain.text == "a < b and c"


def test_malformed_feed_keeps_what_parsed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(RSS.replace("</channel></rss>", "<item><title>Cut off"), encoding="utf-8")
    docs, skipped = read_feed(str(path))
    assert [d.title for d in docs] == ["Park cleanup", "(untitled)"]
    warning = [s for s in skipped if "well-formed" in s.reason]
    assert len(warning) == 1 and warning[0].warning and "kept the" in warning[0].reason


def test_garbage_and_missing_feeds_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "junk.xml"
    path.write_text("<<<not a feed", encoding="utf-8")
    assert read_feed(str(path))[0] == []
    assert not read_feed(str(path))[1][0].warning
    docs, skipped = read_feed(str(tmp_path / "missing.xml"))
    assert docs == [] and "cannot be read" in skipped[0].reason


def test_fetch_failures_become_skipped() -> None:
    def fail(url: str) -> bytes:
        raise OSError("connection refused")

    docs, skipped = read_feed("https://down.example/feed", fetch=fail)
    assert docs == [] and "connection refused" in skipped[0].reason


def test_feed_bytes_are_never_treated_as_a_file_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(RSS, encoding="utf-8")
    docs, _ = read_feed("https://x.example/feed", fetch=lambda url: str(secret).encode())
    assert docs == []

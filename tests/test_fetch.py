"""Remote feeds against a local server: timeouts, caps, redirects, errors, cache, offline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from auditor import __version__
from auditor.cli import main
from auditor.errors import InputError
from auditor.fetch import Fetched, FetchSettings, fetch_all, fetch_feed

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback blog</title>
<item><title>Thanks, neighbours</title><link>https://example.org/a</link><guid>a</guid>
<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description>We thank you all. What would you like to see next?</description></item>
</channel></rss>"""
FAST = FetchSettings(connect_timeout=2, read_timeout=0.5, total_timeout=1.5, max_bytes=4096)


class Handler(BaseHTTPRequestHandler):
    """Each path is one kind of bad (or good) server."""

    seen: list[tuple[str, dict[str, str]]]
    in_flight = 0
    flaky_calls = 0
    most_in_flight = 0
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        """Quiet: the tests assert on what matters."""

    def do_GET(self) -> None:
        self.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_"))
        route()

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        fields = {key.replace("_", "-"): value for key, value in headers.items()}
        fields.setdefault("Content-Length", str(len(body)))
        for key, value in fields.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def route_good(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self._send(304)
        else:
            self._send(200, FEED, ETag='"v1"', Last_Modified="Tue, 03 Mar 2026 10:00:00 GMT")

    def route_slow(self) -> None:
        time.sleep(1.5)
        self._send(200, FEED)

    def route_trickle(self) -> None:
        self.send_response(200)
        self.end_headers()
        for _ in range(10):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.3)

    def route_huge(self) -> None:
        self._send(200, b"x" * 5000)

    def route_huge_chunked(self) -> None:
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(10):
            self.wfile.write(b"x" * 1000)

    def route_loop(self) -> None:
        self._send(302, Location="/loop")

    def route_to_file(self) -> None:
        self._send(302, Location="file:///etc/passwd")

    def route_missing(self) -> None:
        self._send(404)

    def route_broken(self) -> None:
        self._send(500)

    def route_truncated(self) -> None:
        self._send(200, FEED[:100], Content_Length="1000")
        self.close_connection = True

    def route_flaky(self) -> None:
        Handler.flaky_calls += 1
        self._send(200, FEED) if Handler.flaky_calls == 1 else self._send(500)

    def route_wait(self) -> None:
        with self.lock:
            Handler.in_flight += 1
            Handler.most_in_flight = max(Handler.most_in_flight, Handler.in_flight)
        time.sleep(0.2)
        with self.lock:
            Handler.in_flight -= 1
        self._send(200, FEED)


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """A threaded HTTP server on a random loopback port, and the requests it saw."""
    seen: list[tuple[str, dict[str, str]]] = []
    handler = type("H", (Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "timed out reading (limit 0.5s)"),
        ("/trickle", "took longer than 1.5s to download"),
        ("/huge", "over the 4 KB limit (Content-Length 5000)"),
        ("/huge-chunked", "over the 4 KB limit"),
        ("/loop", "too many redirects (more than 5)"),
        ("/to-file", "redirected to an http(s) address: file:///etc/passwd"),
        ("/missing", "HTTP 404 Not Found"),
        ("/broken", "HTTP 500 Internal Server Error"),
        ("/truncated", "feed was cut off after"),
    ],
)
def test_each_failure_is_one_clear_reason(server, path: str, reason: str) -> None:
    base, _ = server
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        fetch_feed(base + path, FAST)
    assert reason in caught.value.reason and "\n" not in caught.value.reason
    assert time.monotonic() - started < 3


def test_only_http_urls_are_fetched() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/feed", "data:text/xml,<rss/>"):
        with pytest.raises(InputError, match="not an http"):
            fetch_feed(url, FAST)


def test_honest_user_agent_and_conditional_requests_use_the_cache(server, tmp_path: Path) -> None:
    base, seen = server
    settings = FetchSettings(read_timeout=2, cache_dir=tmp_path / "cache")
    assert fetch_feed(base + "/good", settings) == Fetched(FEED)
    assert fetch_feed(base + "/good", settings) == Fetched(FEED)
    first, second = (headers for _, headers in seen)
    assert first["user-agent"] == f"auditor/{__version__}"
    assert "if-none-match" not in first
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Tue, 03 Mar 2026 10:00:00 GMT"


def test_offline_reads_the_cache_alone(server, tmp_path: Path) -> None:
    base, seen = server
    cache = tmp_path / "cache"
    fetch_feed(base + "/good", FetchSettings(read_timeout=2, cache_dir=cache))
    offline = FetchSettings(cache_dir=cache, offline=True)
    assert fetch_feed(base + "/good", offline).data == FEED
    with pytest.raises(InputError, match="not in the feed cache"):
        fetch_feed(base + "/missing", offline)
    assert len(seen) == 1


def test_a_failed_fetch_falls_back_to_the_cache_with_a_warning(server, tmp_path: Path) -> None:
    base, _ = server
    settings = FetchSettings(read_timeout=2, cache_dir=tmp_path / "cache")
    Handler.flaky_calls = 0
    assert fetch_feed(base + "/flaky", settings) == Fetched(FEED)
    got = fetch_feed(base + "/flaky", settings)
    assert (
        got.data == FEED and got.warning == "HTTP 500 Internal Server Error; used the cached copy"
    )
    with pytest.raises(InputError, match="HTTP 500"):
        fetch_feed(base + "/broken", settings)  # the cache is per URL


def test_fetching_is_concurrent_but_bounded(server) -> None:
    base, _ = server
    Handler.in_flight = Handler.most_in_flight = 0
    urls = [f"{base}/wait?{n}" for n in range(8)]
    started = time.monotonic()
    got = fetch_all(urls, FetchSettings(read_timeout=2))
    assert all(isinstance(g, Fetched) and g.data == FEED for g in got.values())
    assert Handler.most_in_flight == 4
    assert time.monotonic() - started < 8 * 0.2


def test_build_reports_unreachable_feeds_and_builds_the_rest(server, tmp_path: Path, capsys):
    base, _ = server
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    args = ["build", str(site), "--feed", base + "/good", "--feed", base + "/missing"]
    assert main([*args, "--output", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{base}/missing: skipped: HTTP 404 Not Found" in err
    assert "Thanks, neighbours" in (out / "index.html").read_text(encoding="utf-8")
    assert len(list((site / ".auditor-cache" / "feeds").glob("*.xml"))) == 1
    assert main([*args, "--output", str(out), "--offline"]) == 0
    err = capsys.readouterr().err
    assert f"{base}/missing: skipped: not in the feed cache" in err
    assert "Thanks, neighbours" in (out / "index.html").read_text(encoding="utf-8")

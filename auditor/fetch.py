"""Remote feeds over HTTP(S): bounded in time and size, polite, cached, and only ever http(s).

Each fetch has a connect timeout, a read timeout per network read and a total deadline, a size
cap checked against ``Content-Length`` and again while reading, and a redirect limit; redirects
are followed by hand so that only http(s) targets are ever requested. With a cache folder, the
ETag and Last-Modified of each feed are kept and sent back (``If-None-Match`` /
``If-Modified-Since``) so that an unchanged feed costs a ``304``; ``offline`` reads the cache
alone. Failures are ``InputError``\\ s with a one-line reason; the build reports and goes on.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import ssl
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from auditor import __version__
from auditor.errors import InputError

MAX_FEED_BYTES = 10 * 1024 * 1024
"""A feed larger than this is refused: a year of full-text posts fits many times over."""
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 60.0
MAX_REDIRECTS = 5
MAX_WORKERS = 4
CACHE_DIR = Path(".auditor-cache") / "feeds"
USER_AGENT = f"auditor/{__version__}"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits and cache of remote feeds; tests shorten the timeouts."""

    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    max_bytes: int = MAX_FEED_BYTES
    max_redirects: int = MAX_REDIRECTS
    cache_dir: Path | None = None
    offline: bool = False


@dataclass(frozen=True, slots=True)
class Fetched:
    """A feed's bytes, with a warning when they came from the cache because the fetch failed."""

    data: bytes
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP answer after redirects: status, lower-cased headers and the capped body."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def fetch_all(urls: Iterable[str], settings: FetchSettings) -> dict[str, Fetched | InputError]:
    """Fetch several feeds at once (at most MAX_WORKERS in flight); each gets data or an error."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(unique))) as pool:
        outcomes = pool.map(lambda url: _outcome(url, settings), unique)
        return dict(zip(unique, outcomes, strict=True))


def _outcome(url: str, settings: FetchSettings) -> Fetched | InputError:
    try:
        return fetch_feed(url, settings)
    except InputError as exc:
        return exc


def fetch_feed(url: str, settings: FetchSettings = FetchSettings()) -> Fetched:
    """One feed's bytes: from the network (revalidating the cache) or, offline, the cache."""
    cache = _Cache(settings.cache_dir, url) if settings.cache_dir else None
    if settings.offline:
        if cache is None or (cached := cache.body()) is None:
            raise InputError(url, "not in the feed cache (--offline); build once online first")
        return Fetched(cached)
    try:
        return Fetched(_accept(url, get(url, settings, cache.validators() if cache else {}), cache))
    except InputError as exc:
        if cache is not None and (cached := cache.body()) is not None:
            return Fetched(cached, f"{exc.reason}; used the cached copy")
        raise


def _accept(url: str, response: Response, cache: _Cache | None) -> bytes:
    """The body of a 200 (stored in the cache) or the cached body on a 304."""
    if response.status == 304:
        cached = cache.body() if cache else None
        if cached is None:
            raise InputError(url, "server answered 304 Not Modified but no copy is cached")
        return cached
    if response.status != 200:
        raise InputError(url, f"HTTP {response.status} {response.reason}".rstrip())
    if cache is not None:
        cache.store(response.body, response.headers)
    return response.body


def get(url: str, settings: FetchSettings, validators: dict[str, str] | None = None) -> Response:
    """GET with redirects followed by hand, each hop checked for its scheme; any status.

    Everything that reads a URL (feeds, a previous build's ``audit.json``) goes through here,
    so every remote read has the same limits and one-line errors.
    """
    validators = validators or {}
    deadline = time.monotonic() + settings.total_timeout
    current = url
    for _ in range(settings.max_redirects + 1):
        response = _request(url, current, settings, validators, deadline)
        if response.status not in REDIRECTS:
            return response
        location = response.headers.get("location")
        if not location:
            raise InputError(url, f"HTTP {response.status} redirect without a Location")
        current = urljoin(current, location.strip())
    raise InputError(url, f"too many redirects (more than {settings.max_redirects})")


def _connection(url: str, current: str, settings: FetchSettings) -> http.client.HTTPConnection:
    """A connection for an http(s) URL; any other scheme (file:, ftp:, data:) is refused."""
    parts = urlsplit(current)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        where = "redirected to" if current != url else "not"
        raise InputError(url, f"{where} an http(s) address: {current[:200]}")
    if scheme == "https":
        context = ssl.create_default_context()
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=settings.connect_timeout, context=context
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=settings.connect_timeout)


def _request(
    url: str, current: str, settings: FetchSettings, validators: dict[str, str], deadline: float
) -> Response:
    """One HTTP exchange, with every network failure turned into a one-line InputError."""
    conn = _connection(url, current, settings)
    phase = "connecting"
    try:
        conn.connect()
        phase = "reading"
        conn.sock.settimeout(min(settings.read_timeout, max(0.01, deadline - time.monotonic())))
        conn.request("GET", _target(current), headers=_headers(validators))
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.status in REDIRECTS or response.status == 304:
            return Response(response.status, response.reason, headers, b"")
        body = _read_capped(url, response, settings, deadline, headers)
        return Response(response.status, response.reason, headers, body)
    except TimeoutError:
        limit = settings.connect_timeout if phase == "connecting" else settings.read_timeout
        raise InputError(url, f"timed out {phase} (limit {limit:g}s)") from None
    except http.client.IncompleteRead as exc:
        raise InputError(url, f"feed was cut off after {len(exc.partial)} bytes") from None
    except ssl.SSLError as exc:
        raise InputError(url, f"TLS error: {exc.reason or exc}") from None
    except socket.gaierror:
        raise InputError(url, f"host not found: {urlsplit(current).hostname}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise InputError(url, f"could not be fetched ({type(exc).__name__}: {exc})") from None
    finally:
        conn.close()


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _headers(validators: dict[str, str]) -> dict[str, str]:
    """An honest User-Agent, no compression (so the size cap is the real size), validators."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": ACCEPT}
    return headers | validators


def _read_capped(
    url: str,
    response: http.client.HTTPResponse,
    settings: FetchSettings,
    deadline: float,
    headers: dict[str, str],
) -> bytes:
    """The body, refused as soon as it is known to exceed the cap or the total deadline."""
    too_large = f"response is over the {_size(settings.max_bytes)} limit"
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise InputError(url, f"{too_large} (Content-Length {declared})")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK):  # read1: one network read, so deadlines are checked
        size += len(chunk)
        if size > settings.max_bytes:
            raise InputError(url, too_large)
        if time.monotonic() > deadline:
            raise InputError(url, f"took longer than {settings.total_timeout:g}s to download")
        chunks.append(chunk)
    if declared.isdigit() and size < int(declared):
        raise InputError(url, f"feed was cut off after {size} of {declared} bytes")
    return b"".join(chunks)


def _size(limit: int) -> str:
    """A byte count as people say it: 10 MB, 4 KB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} bytes"


class _Cache:
    """One feed's cached body and validators, in files named by a hash of its URL."""

    def __init__(self, folder: Path, url: str) -> None:
        self.url = url
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        self.body_path = folder / f"{key}.xml"
        self.meta_path = folder / f"{key}.json"

    def _meta(self) -> dict[str, str]:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) and meta.get("url") == self.url else {}

    def body(self) -> bytes | None:
        """The cached body, if a complete entry for this URL exists."""
        if not self._meta():
            return None
        try:
            return self.body_path.read_bytes()
        except OSError:
            return None

    def validators(self) -> dict[str, str]:
        """Conditional-request headers for the cached copy (none without a cached body)."""
        meta = self._meta()
        if not meta or not self.body_path.is_file():
            return {}
        found = {"If-None-Match": meta.get("etag"), "If-Modified-Since": meta.get("modified")}
        return {k: v for k, v in found.items() if isinstance(v, str) and v}

    def store(self, body: bytes, headers: dict[str, str]) -> None:
        """Write body then metadata, each atomically, so a half-written entry is never used."""
        meta = {
            "url": self.url,
            "etag": headers.get("etag"),
            "modified": headers.get("last-modified"),
        }
        try:
            self.body_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.body_path, body)
            _write_atomic(self.meta_path, json.dumps(meta, sort_keys=True).encode())
        except OSError:
            pass  # a cache that cannot be written only costs a full download next time


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

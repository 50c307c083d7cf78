"""Polite HTTP fetching: timeout, size cap, bounded redirects and retries.

Retries happen on 429, 5xx and connection errors only, with exponential
backoff; a ``Retry-After`` header is honoured up to ``max_retry_after_s`` so
one slow server cannot stall a run of hundreds of URLs.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from dataclasses import dataclass
from typing import Any

from manysides.errors import IngestError
from manysides.ingest.encoding import decode_bytes

DEFAULT_RETRIES = 2
DEFAULT_BACKOFF_S = 0.5
DEFAULT_MAX_RETRY_AFTER_S = 10.0
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"}
)
TEXT_TYPES = frozenset({"text/plain"})


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # media type only, lower case ("" when the server sent none)
    text: str


class Fetcher:
    """One HTTP client for a whole run (connection reuse); use as a context manager."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 10_000_000,
        user_agent: str = "manysides",
        retries: int = DEFAULT_RETRIES,
        backoff_s: float = DEFAULT_BACKOFF_S,
        max_retry_after_s: float = DEFAULT_MAX_RETRY_AFTER_S,
        max_redirects: int = MAX_REDIRECTS,
        sleep=time.sleep,
    ):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.retries = max(0, retries)
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self.max_redirects = max_redirects
        self._sleep = sleep
        self._client = None

    @classmethod
    def from_settings(cls, settings: Any) -> Fetcher:
        return cls(
            timeout=settings.http_timeout,
            max_bytes=settings.http_max_bytes,
            user_agent=settings.user_agent,
            retries=settings.http_retries,
            backoff_s=settings.http_backoff_s,
            max_retry_after_s=settings.http_max_retry_after_s,
        )

    @property
    def client(self):
        if self._client is None:
            import httpx

            self._client = httpx.Client(
                timeout=self.timeout,
                follow_redirects=True,
                max_redirects=self.max_redirects,
                headers={"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, *, accept: frozenset[str] = HTML_TYPES) -> FetchedPage:
        """GET ``url``; raise ``IngestError`` with a short reason when it cannot be had."""
        import httpx

        attempt = 0
        while True:
            try:
                return self._fetch_once(url, accept=accept)
            except _Retryable as retryable:
                if attempt >= self.retries:
                    raise IngestError(url, retryable.reason, code="E016") from None
                self._sleep(self._delay(attempt, retryable.retry_after))
                attempt += 1
            except httpx.TooManyRedirects:
                raise IngestError(url, f"more than {self.max_redirects} redirects", code="E016") from None
            except httpx.InvalidURL:
                raise IngestError(url, "invalid URL", code="E016") from None
            except httpx.UnsupportedProtocol:
                raise IngestError(url, "unsupported URL scheme", code="E016") from None

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(0.0, min(retry_after, self.max_retry_after_s))
        return self.backoff_s * (2**attempt)

    def _fetch_once(self, url: str, *, accept: frozenset[str]) -> FetchedPage:
        import httpx

        try:
            with self.client.stream("GET", url) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {status}", _retry_after(response.headers.get("retry-after")))
                if status >= 400:
                    raise IngestError(url, f"HTTP {status}", code="E016")
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if media_type and media_type not in accept:
                    raise IngestError(url, f"not an article page (content type {media_type})", code="E016")
                declared_length = response.headers.get("content-length", "")
                if declared_length.isdigit() and int(declared_length) > self.max_bytes:
                    raise IngestError(url, f"page larger than the {self.max_bytes:,}-byte limit", code="E016")
                body = read_capped(response, url=url, max_bytes=self.max_bytes)
                final_url = str(response.url)
                charset = response.charset_encoding
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.timeout:g} s", None) from None
        except httpx.DecodingError:
            raise IngestError(url, "response body could not be decoded", code="E016") from None
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError):
            raise _Retryable("could not connect", None) from None
        text = decode_bytes(body, source=url, declared=charset)
        return FetchedPage(url=url, final_url=final_url, content_type=media_type, text=text)


def read_capped(response, *, url: str, max_bytes: int) -> bytes:
    """A streamed response's body, refused (E016) as soon as it passes ``max_bytes``: a page that
    never ends, or a file posing as one, costs at most the cap."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise IngestError(url, f"page larger than the {max_bytes:,}-byte limit", code="E016")
    return bytes(body)


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())

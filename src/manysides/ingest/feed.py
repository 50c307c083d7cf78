"""RSS/Atom feeds: each item's linked page, or the item's own content when the page fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import io
import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle, failure_from
from manysides.ingest.payload import article_from_html
from manysides.model import InputFailure

_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr)\s*>")


def looks_like_feed(text: str) -> bool:
    """An RSS, Atom or RDF root element near the top, before any <html>."""
    head = text[:2048]
    match = _FEED_ROOT.search(head)
    if not match:
        return False
    html_match = re.search(r"<html[\s>]", head, re.IGNORECASE)
    return html_match is None or html_match.start() > match.start()


def fragment_text(fragment: str) -> str:
    """Readable text of an item's HTML content or summary, one block per line."""
    if "<" not in fragment:
        return html_lib.unescape(fragment).strip()
    import lxml.html

    marked = _BLOCK_END.sub("\n", fragment)
    try:
        root = lxml.html.fromstring(f"<div>{marked}</div>")
    except Exception:  # lxml raises several parser errors on broken fragments
        return re.sub(r"<[^>]+>", " ", html_lib.unescape(fragment)).strip()
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
    return None


def _entry_content(entry) -> str:
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return value
    return entry.get("summary") or entry.get("description") or ""


def read_feed(
    text: str,
    *,
    source: str,
    fetch_page: Callable[[str], tuple[str, str]],
    base_url: str | None = None,
) -> Iterator[RawArticle | InputFailure]:
    """Yield one article (or failure) per feed item.

    ``fetch_page(url) -> (html, final_url)`` raises ``IngestError``; it is
    passed in so the caller owns the HTTP client (and tests can stub it).
    """
    import feedparser

    # feedparser re-detects the encoding from bytes; the text is already decoded,
    # so drop the declared encoding and hand it UTF-8.
    data = _XML_ENCODING.sub(r"\1", text, count=1).encode("utf-8")
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        reason = "not a valid RSS/Atom feed" if parsed.bozo and not parsed.feed else "feed has no items"
        yield InputFailure(source=source, reason=reason)
        return
    for index, entry in enumerate(parsed.entries, start=1):
        link = _item_link(entry.get("link"), base_url)
        item_source = link or f"{source}#{index}"
        try:
            raw = _read_entry(entry, link=link, source=item_source, fetch_page=fetch_page)
            if link is None and not raw.outlet:
                # No page and no address: the feed's own name is the best outlet we have.
                raw = dataclasses.replace(raw, outlet=(parsed.feed.get("title") or "").strip() or None)
        except Exception as error:  # one bad item fails alone; the rest of the feed is read
            yield failure_from(error, source=item_source)
            continue
        yield raw


def _item_link(link: str | None, base_url: str | None) -> str | None:
    """The item's absolute http(s) address, or None when it has none or a malformed one."""
    if not link:
        return None
    try:
        if base_url:
            link = urljoin(base_url, link)
        return link if urlsplit(link).scheme in ("http", "https") else None
    except ValueError:  # e.g. "http://[x" is not a URL
        return None


def _read_entry(entry, *, link: str | None, source: str, fetch_page) -> RawArticle:
    title = (entry.get("title") or "").strip() or None
    published = _entry_date(entry)
    page_problem = None
    raw = None
    if link:
        try:
            page_html, final_url = fetch_page(link)
            raw = article_from_html(page_html, source=source, url=final_url, format="feed")
        except IngestError as error:
            page_problem = error.problem
    if raw is None:
        content_text = fragment_text(_entry_content(entry))
        if not content_text:
            reason = f"page failed ({page_problem}) and the item has no content" if page_problem else "item has no content"
            raise IngestError(source, reason)
        raw = RawArticle(source=source, format="feed", text=content_text, url=link)
    return dataclasses.replace(
        raw,
        title=raw.title or title,
        published=raw.published or published,
        date_source=raw.date_source if raw.published else ("feed" if published else None),
    )

"""HTML payloads from any container (file, URL, feed item, WARC record, JSON field) -> RawArticle."""

from __future__ import annotations

import dataclasses

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle


def article_from_html(html: str, *, source: str, url: str | None, format: str) -> RawArticle:
    """Extract with ``ingest.html.read_html``; raise ``IngestError`` when no text is left."""
    from manysides.ingest.html import read_html

    if not html.strip():
        raise IngestError(source, "empty page", code="E011")
    raw = read_html(html, source=source, url=url)
    if not raw.text or not raw.text.strip():
        raise IngestError(source, "no article text found in the page")
    return dataclasses.replace(raw, source=source, format=format, url=raw.url or url)

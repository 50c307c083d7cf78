"""WARC archives (``.warc``, ``.warc.gz``): every successful HTML response (or resource) record.

Records that are not HTML pages (requests, metadata, images, scripts,
redirects) are skipped silently: a crawl holds many and none is an article.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from manysides.ingest.base import RawArticle, failure_from
from manysides.ingest.encoding import decode_bytes
from manysides.ingest.fetch import HTML_TYPES
from manysides.ingest.payload import article_from_html
from manysides.model import InputFailure


def read_warc(stream: BinaryIO, *, source: str, max_bytes: int) -> Iterator[RawArticle | InputFailure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response" and record.http_headers is not None:
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type")
            elif record.rec_type == "resource":  # wget/archive tools store plain files this way
                status, content_type = "200", record.rec_headers.get_header("Content-Type")
            else:
                continue
            media_type = (content_type or "").split(";")[0].strip().lower()
            if status != "200" or media_type not in HTML_TYPES:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            record_source = f"{source}#{uri or found + 1}"
            found += 1
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield InputFailure(source=record_source, reason=f"page larger than the {max_bytes:,}-byte limit")
                continue
            try:
                charset = _charset(content_type)
                html = decode_bytes(body, source=record_source, declared=charset)
                yield article_from_html(html, source=record_source, url=uri, format="warc")
            except Exception as error:  # one bad record fails alone; the rest of the archive is read
                yield failure_from(error, source=record_source)
    except ArchiveLoadFailed as error:
        yield InputFailure(source=source, reason=f"not a readable WARC file ({str(error).splitlines()[0][:80]})")
        return
    if found == 0:
        yield InputFailure(source=source, reason="no HTML response records")


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None

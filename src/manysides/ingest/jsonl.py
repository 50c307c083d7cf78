"""JSON (one object or a list) and JSONL (one object per line, streamed) articles.

Fields read: ``title``; ``text`` (or ``content``/``body``) or ``html``; ``url``
(or ``link``); ``date``/``published`` (and a few common variants);
``outlet``/``source`` (a string, or an object with ``name`` as news APIs give).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from typing import Any

from manysides.errors import IngestError
from manysides.ingest.base import RawArticle, failure_from
from manysides.ingest.encoding import decode_line
from manysides.ingest.metadata import parse_date
from manysides.ingest.payload import article_from_html
from manysides.ingest.text import first_line_title
from manysides.model import InputFailure

TEXT_FIELDS = ("text", "content", "body")
URL_FIELDS = ("url", "link")
DATE_FIELDS = ("date", "published", "published_at", "publication_date", "pubDate", "datePublished")
OUTLET_FIELDS = ("outlet", "source", "site_name", "publisher")
# Wrappers that API dumps put around the list of articles.
LIST_FIELDS = ("articles", "items", "data", "results")


def _first_string(item: dict, fields: tuple[str, ...]) -> str | None:
    for field in fields:
        value = item.get(field)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def article_from_item(item: Any, *, source: str, format: str) -> RawArticle:
    if not isinstance(item, dict):
        raise IngestError(source, f"expected a JSON object, got {type(item).__name__}")
    title = _first_string(item, ("title", "headline"))
    url = _first_string(item, URL_FIELDS)
    outlet = _first_string(item, OUTLET_FIELDS)
    published = None
    for field in DATE_FIELDS:
        if item.get(field) is not None:
            published = parse_date(item[field])
            if published:
                break
    text = next((item[f] for f in TEXT_FIELDS if isinstance(item.get(f), str) and item[f].strip()), None)
    html = item.get("html") if isinstance(item.get("html"), str) else None
    if text is not None:
        raw = RawArticle(source=source, format=format, text=text, url=url, title=title or first_line_title(text))
    elif html is not None and html.strip():
        raw = article_from_html(html, source=source, url=url, format=format)
    else:
        raise IngestError(source, "no text or html field")
    # The item's own fields win over what extraction guessed from the page.
    return dataclasses.replace(
        raw,
        title=title or raw.title,
        outlet=outlet or raw.outlet,
        published=published or raw.published,
        date_source="json" if published else raw.date_source,
    )


def _items_of(data: Any) -> list | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for field in LIST_FIELDS:
            if isinstance(data.get(field), list) and not any(data.get(f) for f in TEXT_FIELDS + ("html",)):
                return data[field]
    return None


def _is_json_object(line: str) -> bool:
    """Whether one line is a whole JSON object: JSON lines mislabelled .json, not a multi-line document."""
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def read_json_document(text: str, *, source: str) -> Iterator[RawArticle | InputFailure]:
    """A ``.json`` file: one object, a list, or (mislabelled) JSON lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and _is_json_object(lines[0]):
            yield from read_jsonl((line.encode("utf-8") for line in text.splitlines()), source=source)
            return
        yield InputFailure(source=source, code="E013",
                           reason=f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return
    items = _items_of(data)
    if items is None:
        yield _item_or_failure(data, source=source, format="json")
        return
    if not items:
        yield InputFailure(source=source, reason="empty JSON list", code="E011")
        return
    for index, item in enumerate(items, start=1):
        yield _item_or_failure(item, source=f"{source}#{index}", format="json")


def read_jsonl(lines: Iterable[bytes], *, source: str) -> Iterator[RawArticle | InputFailure]:
    """Stream a JSONL file line by line; a bad line fails alone as ``source:LINE``."""
    any_line = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        any_line = True
        line_source = f"{source}:{number}"
        try:
            item = json.loads(decode_line(line, source=line_source))
        except IngestError as error:
            yield InputFailure(source=line_source, reason=error.problem, code=error.code)
            continue
        except json.JSONDecodeError as error:
            yield InputFailure(source=line_source, code="E013",
                               reason=f"malformed JSON at column {error.colno}: {error.msg}")
            continue
        yield _item_or_failure(item, source=line_source, format="jsonl")
    if not any_line:
        yield InputFailure(source=source, reason="empty file", code="E011")


def _item_or_failure(item: Any, *, source: str, format: str) -> RawArticle | InputFailure:
    try:
        return article_from_item(item, source=source, format=format)
    except Exception as error:  # one bad record fails alone; the rest of the file is read
        return failure_from(error, source=source)
